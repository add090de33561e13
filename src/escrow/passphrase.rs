//! The optional SLIP-39 share passphrase.
//!
//! SLIP-39 encrypts the key with the passphrase before splitting it. Combining the right shares
//! with a wrong passphrase does not fail: it yields a different key of the same length. The key
//! check value is what catches it, which is why `shares check` and `recover` always compare it.

use zeroize::Zeroizing;

use super::EscrowError;

/// A share passphrase (empty: none). No `Clone`; `Debug` shows only whether it is set; wiped on drop.
#[derive(Default)]
pub struct SharePassphrase(Zeroizing<Vec<u8>>);

impl SharePassphrase {
    /// No passphrase (the empty one, SLIP-39's default).
    pub fn none() -> SharePassphrase {
        SharePassphrase::default()
    }

    /// A passphrase from its bytes; refuses anything but printable ASCII, as SLIP-39 requires.
    pub fn new(bytes: Zeroizing<Vec<u8>>) -> Result<SharePassphrase, EscrowError> {
        if bytes.iter().all(|&b| (32..=126).contains(&b)) {
            Ok(SharePassphrase(bytes))
        } else {
            Err(EscrowError::InvalidPassphrase)
        }
    }

    /// A passphrase as read from a file descriptor or a terminal: one trailing `\n` or `\r\n` is
    /// removed (what `echo` and a typed Enter add), nothing else.
    pub fn from_line(mut bytes: Zeroizing<Vec<u8>>) -> Result<SharePassphrase, EscrowError> {
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        SharePassphrase::new(bytes)
    }

    /// The bytes, for SLIP-39.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Whether a (non-empty) passphrase is set.
    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }
}

impl std::fmt::Debug for SharePassphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharePassphrase({})", if self.is_set() { "set, [REDACTED]" } else { "none" })
    }
}
