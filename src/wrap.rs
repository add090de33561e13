//! CKM_RSA_AES_KEY_WRAP (PKCS#11 v2.40, section 2.1.21): the wrap every cloud HSM's BYOK import takes.
//!
//! 1. a fresh AES-256 key is drawn from the RNG;
//! 2. it is encrypted under the KEK with RSA-OAEP (hash and MGF1 hash both SHA-1, or both SHA-256;
//!    empty label), giving exactly `modulus_len` bytes;
//! 3. the target key is wrapped under it with AES key wrap with padding (RFC 5649);
//! 4. the two are concatenated. The ephemeral key is wiped before returning.

use aes_kw::{KekAes128, KekAes192, KekAes256};
use rand_core::CryptoRngCore;
use rsa::{Oaep, RsaPrivateKey};
use std::fmt;
use std::str::FromStr;
use zeroize::Zeroizing;

use crate::kek::Kek;
use crate::secret::TargetKey;

/// The OAEP hash (also used for MGF1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrappingHash {
    /// SHA-1: what Azure requires and the default.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl WrappingHash {
    /// The name used on the command line, in the log and by OpenSSL (`rsa_oaep_md`).
    pub fn name(self) -> &'static str {
        match self {
            WrappingHash::Sha1 => "sha1",
            WrappingHash::Sha256 => "sha256",
        }
    }

    fn padding(self) -> Oaep {
        match self {
            WrappingHash::Sha1 => Oaep::new::<sha1::Sha1>(),
            WrappingHash::Sha256 => Oaep::new::<sha2::Sha256>(),
        }
    }
}

impl fmt::Display for WrappingHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for WrappingHash {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('-', "").as_str() {
            "sha1" => Ok(WrappingHash::Sha1),
            "sha256" => Ok(WrappingHash::Sha256),
            _ => Err(format!("unknown wrapping hash '{s}': choose sha1 or sha256")),
        }
    }
}

/// Why a wrap or unwrap failed. Unwrap failures are integrity failures and stay terse.
#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    /// RSA-OAEP encryption failed (it cannot for a valid KEK; reported rather than panicking).
    #[error(
        "RSA-OAEP encryption under the KEK failed ({0}): check the KEK and run `byok-ceremony selftest`"
    )]
    Rsa(String),
    /// The RSA part came out at the wrong length.
    #[error("the RSA part is {got} bytes, not the modulus length {want}: run `byok-ceremony selftest` and report this")]
    RsaLength {
        /// What came out.
        got: usize,
        /// The modulus length.
        want: usize,
    },
    /// AES key wrap failed.
    #[error("AES key wrap with padding failed: run `byok-ceremony selftest` and report this")]
    Kwp,
    /// The blob is shorter than the RSA part plus one KWP block.
    #[error("the wrapped key is too short for this KEK")]
    TooShort,
    /// RSA-OAEP decryption failed: another KEK, another hash, or a damaged blob.
    #[error("RSA-OAEP decryption failed: wrong private key, wrong OAEP hash, or a damaged blob")]
    OaepDecrypt,
    /// The ephemeral key is not an AES key length.
    #[error("the decrypted ephemeral key is {0} bytes, not an AES key")]
    EphemeralLength(usize),
    /// The RFC 5649 integrity check failed.
    #[error("AES key unwrap failed its integrity check: the blob is damaged")]
    KwpIntegrity,
}

/// Wraps `key` for `kek`. The result is `modulus_len + kwp_len(key)` bytes.
pub fn wrap(
    kek: &Kek,
    key: &TargetKey,
    hash: WrappingHash,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<u8>, WrapError> {
    let mut ephemeral = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(&mut ephemeral[..]);
    let rsa_part = kek
        .public_key()
        .encrypt(rng, hash.padding(), &ephemeral[..])
        .map_err(|e| WrapError::Rsa(e.to_string()))?;
    let rsa_part = left_pad(rsa_part, kek.modulus_len())?;
    let kwp = kwp_wrap(&ephemeral, key.expose())?;
    let mut out = rsa_part;
    out.extend_from_slice(&kwp);
    Ok(out)
}

/// RFC 5649 wrap of `data` under a 32-byte key. The output is ciphertext only: the padded plaintext
/// is transformed in place; the AES key schedule is wiped on drop (aes `zeroize` feature).
pub fn kwp_wrap(kek: &[u8; 32], data: &[u8]) -> Result<Vec<u8>, WrapError> {
    // `new` borrows the key; `From<[u8; 32]>` would leave a copy of it on the stack.
    let kek = KekAes256::new(kek.into());
    kek.wrap_with_padding_vec(data).map_err(|_| WrapError::Kwp)
}

/// RFC 5649 unwrap under a 16, 24 or 32-byte key. The output buffer is wiped on drop, also when the
/// integrity check fails (it then holds the unchecked plaintext).
pub fn kwp_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError> {
    let Some(len) = wrapped.len().checked_sub(8) else { return Err(WrapError::KwpIntegrity) };
    let mut out = Zeroizing::new(vec![0u8; len]);
    let plain = match kek.len() {
        16 => {
            KekAes128::try_from(kek).ok().map(|k| k.unwrap_with_padding(wrapped, &mut out).map(|p| p.len()))
        }
        24 => {
            KekAes192::try_from(kek).ok().map(|k| k.unwrap_with_padding(wrapped, &mut out).map(|p| p.len()))
        }
        32 => {
            KekAes256::try_from(kek).ok().map(|k| k.unwrap_with_padding(wrapped, &mut out).map(|p| p.len()))
        }
        n => return Err(WrapError::EphemeralLength(n)),
    };
    match plain {
        Some(Ok(n)) => {
            out.truncate(n);
            Ok(out)
        }
        _ => Err(WrapError::KwpIntegrity),
    }
}

/// The length of the KWP part for a key of `key_len` bytes: the key padded to 8 bytes, plus 8.
pub fn kwp_len(key_len: usize) -> usize {
    key_len.div_ceil(8) * 8 + 8
}

/// I2OSP: an RSA ciphertext is an integer and always takes exactly the modulus length.
fn left_pad(mut c: Vec<u8>, k: usize) -> Result<Vec<u8>, WrapError> {
    if c.len() > k {
        return Err(WrapError::RsaLength { got: c.len(), want: k });
    }
    if c.len() < k {
        let mut padded = vec![0u8; k - c.len()];
        padded.append(&mut c);
        c = padded;
    }
    Ok(c)
}

/// Undoes [`wrap`] with the KEK's private half (used by `demo`, `selftest` and tests; a ceremony never
/// holds the real KEK's private key).
pub fn unwrap(
    private: &RsaPrivateKey,
    blob: &[u8],
    hash: WrappingHash,
) -> Result<Zeroizing<Vec<u8>>, WrapError> {
    use rsa::traits::PublicKeyParts;
    let k = private.size();
    if blob.len() < k + 16 {
        return Err(WrapError::TooShort);
    }
    let (rsa_part, kwp) = blob.split_at(k);
    let ephemeral =
        Zeroizing::new(private.decrypt(hash.padding(), rsa_part).map_err(|_| WrapError::OaepDecrypt)?);
    kwp_unwrap(&ephemeral, kwp)
}

#[cfg(test)]
mod tests;
