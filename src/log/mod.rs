//! The signed, hash-chained ceremony log (contract section 6; format in
//! `docs/log-format.md`).
//!
//! `ceremony.log` is JSON Lines, ASCII only, one compact object per line. Every line
//! starts with `seq`, `time`, `event` and `prev` (lowercase hex SHA-256 of the previous
//! line's bytes without its newline; 64 zeros on the first line), followed by the event's
//! own fields. Each line is fsync'ed before [`LogWriter::append`] returns. The last line
//! is `ceremony.sealed` with `lines_before`. The sealed bytes are signed with an
//! Ed25519 OpenSSH signature (SSHSIG, namespace [`NAMESPACE`]) by a [`Signer`].
//!
//! ```no_run
//! # fn main() -> Result<(), byok_ceremony::log::LogError> {
//! use byok_ceremony::log::{system_clock, LogWriter, Signer};
//! use serde_json::json;
//! let mut log = LogWriter::create("ceremony.log".as_ref(), system_clock())?;
//! log.append("ceremony.started", &[("operators", json!(["alice", "bob"]))])?;
//! let sealed = log.seal()?;
//! let signer = Signer::generate(&mut rand_core::OsRng)?;
//! let sig = signer.sign(&sealed.bytes)?; // write as ceremony.log.sig
//! # Ok(()) }
//! ```

mod canonical;
mod error;
mod sign;
mod verify;
mod writer;

#[cfg(test)]
mod tests;

pub use error::LogError;
pub use sign::{verify_signature, Signer};
pub use verify::{verify_chain, Entry};
pub use writer::{LogWriter, SealedLog};

/// SSHSIG namespace of the log signature (`ssh-keygen -Y verify -n byok-ceremony`).
pub const NAMESPACE: &str = "byok-ceremony";

/// Event name of the last line of every log, written only by [`LogWriter::seal`].
pub const SEAL_EVENT: &str = "ceremony.sealed";

/// Source of the `time` stamped on each line; tests pass a fixed clock.
pub type Clock = Box<dyn FnMut() -> time::OffsetDateTime>;

/// The system's clock (read as UTC).
pub fn system_clock() -> Clock {
    Box::new(time::OffsetDateTime::now_utc)
}

/// Lowercase hex SHA-256 of `bytes`, the form used in `prev` and for artifacts.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    writer::hex_lower(&sha2::Sha256::digest(bytes))
}
