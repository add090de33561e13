//! `--dice`: the operators' own randomness, mixed with the OS RNG.
//!
//! The operators roll a six-sided die [`ROLLS_NEEDED`] times (100 rolls carry 100 x log2(6) = 258.5
//! bits, more than the 256 of an AES-256 key) and type the faces. [`parse_rolls`] accepts only
//! `1`-`6` (spaces, commas and line breaks between them are ignored). [`mixed_rng`] draws 32 bytes
//! from the OS RNG and derives the ceremony's RNG seed as
//!
//! ```text
//! seed = HKDF-SHA256(salt = 32 bytes from getrandom, ikm = the rolls, one byte 1..6 each,
//!                    info = "byok-ceremony dice v1", 32 bytes)
//! ```
//!
//! and seeds a ChaCha20 RNG with it, which then draws every random value of the ceremony (key,
//! share coefficients, wrapping key, OAEP seed). If the OS RNG is good, the seed is an HMAC under a
//! secret key (the salt), so it is unpredictable whatever the dice were; if the OS RNG is broken but
//! the dice are fair, HKDF's extract step turns their 258 bits into a uniform seed. Either source
//! alone keeps the key safe. The log records the number of rolls, never their values.

use hkdf::Hkdf;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, CryptoRngCore, RngCore, SeedableRng};
use zeroize::Zeroizing;

/// Rolls of a six-sided die needed for 256 bits: ceil(256 / log2(6)) = 100 (258.5 bits).
pub const ROLLS_NEEDED: usize = 100;

/// The HKDF `info` string: names the construction and its version.
pub const HKDF_INFO: &[u8] = b"byok-ceremony dice v1";

/// Why typed dice were refused (exit 2). Messages never repeat a roll.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiceError {
    /// Something other than 1-6 (or a separator) was typed.
    #[error("dice: character {position} is not a die face: type only the digits 1 to 6 (spaces and new lines are ignored)")]
    NotAFace {
        /// 1-based position of the character in the input.
        position: usize,
    },
    /// Fewer rolls than needed.
    #[error("dice: {got} rolls typed, {ROLLS_NEEDED} are needed for 256 bits (each roll of a six-sided die gives 2.58 bits): roll {missing} more", missing = ROLLS_NEEDED - got)]
    TooFew {
        /// Rolls typed.
        got: usize,
    },
}

impl crate::exit::ExitStatus for DiceError {
    fn exit_code(&self) -> u8 {
        crate::exit::USAGE
    }
}

/// Dice rolls, one byte 1..=6 each, wiped when dropped.
pub struct Rolls(Zeroizing<Vec<u8>>);

impl Rolls {
    /// How many rolls (what the log records).
    pub fn count(&self) -> usize {
        self.0.len()
    }

    /// Where the rolls are in memory (for the core-dump test; never their values).
    #[cfg(test)]
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.0.as_ptr()
    }
}

impl std::fmt::Debug for Rolls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rolls({} rolls, [REDACTED])", self.0.len())
    }
}

/// Counts the faces in `text` without keeping them (for a running count on the terminal).
/// Characters that are not faces are ignored here; [`parse_rolls`] refuses them.
pub fn count_faces(text: &str) -> usize {
    text.chars().filter(|c| ('1'..='6').contains(c)).count()
}

/// Parses typed rolls: the digits 1-6, with spaces, tabs, commas and line breaks between them.
/// Requires at least [`ROLLS_NEEDED`]; more are welcome (they are all mixed in).
pub fn parse_rolls(text: &str) -> Result<Rolls, DiceError> {
    let mut rolls = Zeroizing::new(Vec::with_capacity(text.len()));
    for (i, c) in text.chars().enumerate() {
        match c {
            '1'..='6' => rolls.push(c as u8 - b'0'),
            ' ' | '\t' | '\r' | '\n' | ',' => {}
            _ => return Err(DiceError::NotAFace { position: i + 1 }),
        }
    }
    if rolls.len() < ROLLS_NEEDED {
        return Err(DiceError::TooFew { got: rolls.len() });
    }
    let _ = crate::hardening::exclude_from_core_dumps(&rolls);
    Ok(Rolls(rolls))
}

/// The ceremony RNG: the OS RNG alone, or ChaCha20 seeded from dice and the OS RNG.
pub enum CeremonyRng {
    /// `getrandom`.
    Os(rand_core::OsRng),
    /// Seeded by [`mixed_rng`]; its state is overwritten when dropped.
    Mixed(Box<ChaCha20Rng>),
}

/// Mixes the dice with 32 bytes from `os` (HKDF-SHA256, see the module documentation) into a seed
/// for a ChaCha20 RNG.
pub fn mixed_rng(rolls: &Rolls, os: &mut impl CryptoRngCore) -> CeremonyRng {
    let mut salt = Zeroizing::new([0u8; 32]);
    os.fill_bytes(&mut salt[..]);
    let mut seed = Zeroizing::new([0u8; 32]);
    let hk = Hkdf::<sha2::Sha256>::new(Some(&salt[..]), &rolls.0);
    // 32 bytes is far below HKDF-SHA256's limit of 255 * 32, so expand cannot fail.
    let _ = hk.expand(HKDF_INFO, &mut seed[..]);
    CeremonyRng::Mixed(Box::new(ChaCha20Rng::from_seed(*seed)))
}

impl CeremonyRng {
    fn inner(&mut self) -> &mut dyn RngCore {
        match self {
            CeremonyRng::Os(r) => r,
            CeremonyRng::Mixed(r) => r.as_mut(),
        }
    }
}

impl RngCore for CeremonyRng {
    fn next_u32(&mut self) -> u32 {
        self.inner().next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.inner().next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.inner().fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.inner().try_fill_bytes(dest)
    }
}

impl CryptoRng for CeremonyRng {}

impl Drop for CeremonyRng {
    /// rand_chacha cannot zeroize itself: overwrite the state with a fixed-seed one in place
    /// (`black_box` keeps the store from being optimised away).
    fn drop(&mut self) {
        if let CeremonyRng::Mixed(r) = self {
            **r = ChaCha20Rng::from_seed([0u8; 32]);
            std::hint::black_box(&**r);
        }
    }
}

#[cfg(test)]
mod tests;
