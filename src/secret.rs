//! Secret-holding types.
//!
//! The target key lives in exactly one place: a [`TargetKey`], a heap buffer that is zeroized when it
//! is dropped, and whose pages are marked MADV_DONTDUMP. It has no `Clone`, its `Debug` prints only
//! its type, and it is not `Serialize`, so it cannot reach a log line, an error message or a file by
//! accident. Code that needs the bytes calls [`TargetKey::expose`] and must not copy them into
//! anything that is not itself zeroized. The same holds for the other secret types: SLIP-39
//! [`crate::slip39::Share`], the share passphrase [`crate::escrow::SharePassphrase`], the dice
//! [`crate::dice::Rolls`] and [`crate::dice::CeremonyRng`], and the
//! log [`crate::log::Signer`]. The crate does not compile if one of them gains `Clone`, `Copy` or
//! `Serialize` (see `src/secret/no_leak.rs`), and these examples must fail to compile:
//!
//! ```compile_fail,E0599
//! # use byok_ceremony::{keytype::KeyType, secret::TargetKey};
//! let key = TargetKey::generate(KeyType::Aes256, &mut rand_core::OsRng);
//! let copy = key.clone(); // no Clone
//! ```
//!
//! ```compile_fail,E0277
//! # use byok_ceremony::{keytype::KeyType, secret::TargetKey};
//! let key = TargetKey::generate(KeyType::Aes256, &mut rand_core::OsRng);
//! let json = serde_json::to_string(&key); // not Serialize
//! ```
//!
//! ```compile_fail,E0599
//! # use byok_ceremony::slip39::Share;
//! fn copy(share: &Share) -> Share {
//!     share.clone() // no Clone
//! }
//! ```
//!
//! ```compile_fail,E0277
//! # use byok_ceremony::dice::Rolls;
//! fn show(rolls: &Rolls) -> String {
//!     serde_json::to_string(rolls).unwrap() // not Serialize
//! }
//! ```
//!
//! `Debug` is written by hand to print a placeholder; deriving it as well does not compile
//! (conflicting implementations), and the unit tests pin what it prints.

mod no_leak;

use rand_core::CryptoRngCore;
use secrecy::{ExposeSecret, SecretSlice};
use zeroize::Zeroizing;

use crate::keytype::KeyType;

/// The plaintext key that the ceremony brings into the HSM.
pub struct TargetKey {
    bytes: SecretSlice<u8>,
    key_type: KeyType,
}

impl TargetKey {
    /// Draws a fresh key of `key_type` from `rng` (the OS RNG in a ceremony, a seeded one in tests).
    pub fn generate(key_type: KeyType, rng: &mut impl CryptoRngCore) -> TargetKey {
        let mut buf = Zeroizing::new(vec![0u8; key_type.bytes()]);
        rng.fill_bytes(&mut buf);
        TargetKey::from_bytes(key_type, buf)
    }

    /// Takes ownership of key bytes that were recovered (unwrapped, or combined from shares).
    /// The buffer is moved, not copied: `Vec::into_boxed_slice` keeps the allocation when the
    /// length equals the capacity, and the `Zeroizing` wrapper wipes any left-over source.
    pub fn from_bytes(key_type: KeyType, mut bytes: Zeroizing<Vec<u8>>) -> TargetKey {
        bytes.shrink_to_fit();
        let owned: Vec<u8> = std::mem::take(&mut *bytes);
        let key = TargetKey { bytes: SecretSlice::from(owned), key_type };
        // Best effort: core dumps are already off (hardening::disable_core_dumps); this keeps the
        // key's pages out of one even if something turned them back on.
        let _ = crate::hardening::exclude_from_core_dumps(key.expose());
        key
    }

    /// The raw key bytes. Callers must not copy them anywhere that is not wiped after use.
    pub fn expose(&self) -> &[u8] {
        self.bytes.expose_secret()
    }

    /// What kind of key this is.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }
}

impl std::fmt::Debug for TargetKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TargetKey({}, [REDACTED])", self.key_type.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn debug_never_prints_the_key() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let key = TargetKey::generate(KeyType::Aes256, &mut rng);
        let shown = format!("{key:?}");
        assert_eq!(shown, "TargetKey(aes-256, [REDACTED])");
        assert!(!shown.contains(&hex::encode(key.expose())));
        assert_eq!(key.expose().len(), 32);
    }

    #[test]
    fn the_key_pages_are_left_out_of_core_dumps() {
        let key = TargetKey::generate(KeyType::Aes256, &mut rand_chacha::ChaCha20Rng::seed_from_u64(3));
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let flags = crate::hardening::vma_flags(&smaps, key.expose().as_ptr() as usize).unwrap();
        assert!(flags.split_whitespace().any(|f| f == "dd"), "VmFlags: {flags}");
    }

    #[test]
    fn typed_secrets_are_left_out_of_core_dumps_too() {
        let smaps = |addr: *const u8| {
            let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
            crate::hardening::vma_flags(&smaps, addr as usize).unwrap()
        };
        let rolls = crate::dice::parse_rolls(&"25".repeat(60)).unwrap();
        let pass = crate::escrow::SharePassphrase::new(Zeroizing::new(b"correct horse".to_vec())).unwrap();
        for (what, addr) in [("rolls", rolls.as_ptr()), ("passphrase", pass.expose().as_ptr())] {
            let flags = smaps(addr);
            assert!(flags.split_whitespace().any(|f| f == "dd"), "{what}: VmFlags {flags}");
        }
    }

    #[test]
    fn seeded_rng_gives_the_same_key() {
        let a = TargetKey::generate(KeyType::Aes128, &mut rand_chacha::ChaCha20Rng::seed_from_u64(1));
        let b = TargetKey::generate(KeyType::Aes128, &mut rand_chacha::ChaCha20Rng::seed_from_u64(1));
        assert_eq!(a.expose(), b.expose());
    }
}
