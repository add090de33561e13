//! The SLIP-39 passphrase encryption of the master secret: a 4-round Feistel
//! network whose round function is PBKDF2-HMAC-SHA256.
//!
//! Round `i` computes `PBKDF2(password = [i] || passphrase,
//! salt = salt || R, iterations = (10000 << e) / 4, length = |R|)`, where the
//! salt is `"shamir" || identifier (2 bytes, big endian)` for non-extendable
//! shares and empty for extendable ones.
//!
//! Any passphrase decrypts to *some* secret: a wrong passphrase yields a
//! different, valid-looking master secret, by design (plausible deniability).

use sha2::Sha256;
use zeroize::Zeroizing;

use super::rs1024::CUSTOMIZATION_ORIGINAL;

/// Number of Feistel rounds.
const ROUNDS: u8 = 4;
/// Total PBKDF2 iterations at exponent 0, spread over the rounds.
const BASE_ITERATIONS: u32 = 10_000;

/// The salt prefix of the round function.
fn salt(identifier: u16, extendable: bool) -> Vec<u8> {
    if extendable {
        Vec::new()
    } else {
        let mut s = CUSTOMIZATION_ORIGINAL.to_vec();
        s.extend_from_slice(&identifier.to_be_bytes());
        s
    }
}

/// The Feistel round function; its output has the length of `right`.
fn round(i: u8, passphrase: &[u8], exponent: u8, salt_prefix: &[u8], right: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut password = Zeroizing::new(Vec::with_capacity(passphrase.len() + 1));
    password.push(i);
    password.extend_from_slice(passphrase);
    let mut salt = Zeroizing::new(Vec::with_capacity(salt_prefix.len() + right.len()));
    salt.extend_from_slice(salt_prefix);
    salt.extend_from_slice(right);
    let iterations = (BASE_ITERATIONS << exponent) / u32::from(ROUNDS);
    let mut out = Zeroizing::new(vec![0u8; right.len()]);
    pbkdf2::pbkdf2_hmac::<Sha256>(&password, &salt, iterations, &mut out);
    out
}

/// Runs the four rounds in the given order over `input` (even length).
fn feistel(
    input: &[u8],
    passphrase: &[u8],
    exponent: u8,
    identifier: u16,
    extendable: bool,
    order: &[u8],
) -> Zeroizing<Vec<u8>> {
    debug_assert!(input.len().is_multiple_of(2));
    debug_assert!(exponent < 16);
    let half = input.len() / 2;
    let salt_prefix = salt(identifier, extendable);
    let mut left = Zeroizing::new(input[..half].to_vec());
    let mut right = Zeroizing::new(input[half..].to_vec());
    for &i in order {
        let f = round(i, passphrase, exponent, &salt_prefix, &right);
        // (L, R) <- (R, L xor F(R))
        for (l, fb) in left.iter_mut().zip(f.iter()) {
            *l ^= fb;
        }
        std::mem::swap(&mut left, &mut right);
    }
    let mut out = Zeroizing::new(Vec::with_capacity(input.len()));
    out.extend_from_slice(&right);
    out.extend_from_slice(&left);
    out
}

/// Encrypts a master secret into the encrypted master secret that is shared.
pub fn encrypt(
    master_secret: &[u8],
    passphrase: &[u8],
    exponent: u8,
    identifier: u16,
    extendable: bool,
) -> Zeroizing<Vec<u8>> {
    feistel(master_secret, passphrase, exponent, identifier, extendable, &[0, 1, 2, 3])
}

/// Decrypts an encrypted master secret recovered from shares.
pub fn decrypt(
    encrypted: &[u8],
    passphrase: &[u8],
    exponent: u8,
    identifier: u16,
    extendable: bool,
) -> Zeroizing<Vec<u8>> {
    feistel(encrypted, passphrase, exponent, identifier, extendable, &[3, 2, 1, 0])
}
