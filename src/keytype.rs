//! The kinds of target key the ceremony can generate.

use std::fmt;
use std::str::FromStr;

/// A target key type. AES keys are carried as raw bytes (contract, section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// AES-128, 16 bytes.
    Aes128,
    /// AES-192, 24 bytes.
    Aes192,
    /// AES-256, 32 bytes (the default).
    Aes256,
}

impl KeyType {
    /// Every supported type, in the order `--help` lists them.
    pub const ALL: [KeyType; 3] = [KeyType::Aes256, KeyType::Aes192, KeyType::Aes128];

    /// Key length in bytes.
    pub fn bytes(self) -> usize {
        match self {
            KeyType::Aes128 => 16,
            KeyType::Aes192 => 24,
            KeyType::Aes256 => 32,
        }
    }

    /// Key length in bits.
    pub fn bits(self) -> usize {
        self.bytes() * 8
    }

    /// The name used on the command line and in the log.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Aes128 => "aes-128",
            KeyType::Aes192 => "aes-192",
            KeyType::Aes256 => "aes-256",
        }
    }

    /// Symmetric keys are imported into Azure as `oct-HSM`, which only Managed HSM accepts.
    pub fn is_symmetric(self) -> bool {
        true
    }

    /// The type for a recovered key of `len` bytes.
    pub fn from_len(len: usize) -> Option<KeyType> {
        KeyType::ALL.into_iter().find(|k| k.bytes() == len)
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyType::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(s)).ok_or_else(|| {
            format!("unknown key type '{s}': choose aes-256, aes-192 or aes-128 (RSA and EC come later)")
        })
    }
}
