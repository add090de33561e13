//! Values for the paper transcript, in the two forms people copy and read aloud: hex in groups
//! of four, and PGP words (one word per byte, see [`crate::kek::pgp_words`]).

use super::signers::fingerprint_bytes;
use crate::kek::pgp_words;

/// A 32-byte value as written on paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperValue {
    /// Lowercase hex in groups of four.
    pub hex_grouped: String,
    /// The 32 PGP words, separated by spaces.
    pub words: String,
}

impl PaperValue {
    /// Both forms of `bytes`.
    pub fn of(bytes: &[u8; 32]) -> PaperValue {
        let hex = crate::fsutil::hex_lower(bytes);
        let groups: Vec<&str> = (0..16).map(|i| &hex[i * 4..i * 4 + 4]).collect();
        PaperValue { hex_grouped: groups.join(" "), words: pgp_words::encode(bytes).join(" ") }
    }

    /// The signer's `SHA256:...` fingerprint (as `ssh-keygen -lf` prints it) in both forms.
    pub fn of_signer(ssh_fingerprint: &str) -> Option<PaperValue> {
        fingerprint_bytes(ssh_fingerprint).map(|b| PaperValue::of(&b))
    }

    /// A lowercase hex SHA-256 (the log head) in both forms.
    pub fn of_hex(hex: &str) -> Option<PaperValue> {
        let bytes: [u8; 32] = crate::kek::Fingerprint::parse(hex).ok()?.bytes().to_owned();
        Some(PaperValue::of(&bytes))
    }

    /// The words in `per_line` lines, for printing.
    pub fn word_lines(&self, per_line: usize) -> Vec<String> {
        let words: Vec<&str> = self.words.split(' ').collect();
        words.chunks(per_line.max(1)).map(|c| c.join(" ")).collect()
    }
}
