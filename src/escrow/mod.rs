//! Escrow that outlives the tool: reading share files, checking shares, recovering the key, and the
//! printable share sheet.
//!
//! - [`file`]: share files (`#` comments, then the mnemonic line), and typed shares;
//! - [`check`]: words and checksums (errors name the share and the word), one set, no repeats,
//!   threshold met, every threshold-sized subset agreeing; only check values come out;
//! - [`recovery`]: the same, compared with the expected key check value, giving the key;
//! - [`typed`]: typing a share word by word, unique prefixes completed;
//! - [`sheet`]: the A4 share sheet handed to a custodian;
//! - [`handout`]: the custodian's screen (words, QR code) and the two words typed back.
//!
//! A wrong share passphrase is not an error SLIP-39 can see: it gives another key. The key check
//! value catches it, which is why recovery refuses without one to compare with.

pub mod check;
mod error;
pub mod file;
pub mod handout;
mod mismatch;
mod passphrase;
pub mod recovery;
pub mod sheet;
pub mod typed;

#[cfg(test)]
mod tests;

pub use check::{check, CheckReport, Checked, ShareLine};
pub use error::{EscrowError, ShareName};
pub use file::{parse_share_text, read_share_file, ShareComments, ShareInput};
pub use passphrase::SharePassphrase;
pub use recovery::{recover_key, Expected, OriginalLog, Recovery};
