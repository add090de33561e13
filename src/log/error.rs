//! Errors of the ceremony log, the log signer and their verifiers.

use std::path::PathBuf;

/// Everything that can go wrong while writing, signing or verifying a ceremony log.
///
/// Every message is one line. Integrity failures ([`LogError::Chain`],
/// [`LogError::Signature`], [`LogError::Changed`]) are terse and name the line;
/// the others end with what the operator should do.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// An I/O operation on a file failed.
    #[error("cannot {op} {}: {source}; check the medium, free space and permissions", path.display())]
    Io {
        /// What was being done (e.g. "write log file").
        op: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The log file already exists; a log is never overwritten or appended to.
    #[error("log file {} already exists; use a fresh output directory", .0.display())]
    Exists(PathBuf),

    /// An event name outside `[a-z0-9._]` (dot-separated, non-empty parts), or a reserved one.
    #[error("invalid log event name {0:?}: {1}; fix the caller")]
    BadEvent(String, &'static str),

    /// A field that cannot be logged (reserved or malformed key, float, duplicate, too deep).
    #[error("invalid log field {0:?}: {1}; fix the caller")]
    BadField(String, &'static str),

    /// The clock returned a time that cannot be written as `YYYY-MM-DDTHH:MM:SSZ`.
    #[error("clock time {0} is out of range; set the system clock and start again")]
    Clock(String),

    /// A previous write failed, so the log on disk may end in a partial line.
    #[error("log writer stopped after an earlier write error; abort the ceremony and start again")]
    Poisoned,

    /// The chain check of a log failed at the given 1-based line.
    #[error("log line {line}: {what}")]
    Chain {
        /// 1-based line number.
        line: u64,
        /// What is wrong, tersely.
        what: String,
    },

    /// The log file on disk no longer matches the bytes written to it.
    #[error("log file {} differs from what was written", .0.display())]
    Changed(PathBuf),

    /// A signature did not verify, or is malformed.
    #[error("signature: {0}")]
    Signature(String),

    /// An encrypted (passphrase-protected) private key was given.
    #[error("signing key {} is passphrase-protected, which is not supported yet; use an unencrypted Ed25519 key", .0.display())]
    EncryptedKey(PathBuf),

    /// The private key is not an Ed25519 key.
    #[error("signing key {} is {}, not Ed25519; generate one with `ssh-keygen -t ed25519`", .0.display(), .1)]
    NotEd25519(PathBuf, String),

    /// The private key file could not be parsed.
    #[error("signing key {} is not an OpenSSH private key ({}); give an `ssh-keygen -t ed25519` key file", .0.display(), .1)]
    BadKey(PathBuf, String),

    /// The public key given to the verifier could not be used.
    #[error("public key: {0}; give the one-line `ssh-ed25519 AAAA...` key from ceremony.pub")]
    BadPublicKey(String),

    /// Key generation or signing failed inside the SSH library.
    #[error("signing failed: {0}; retry, and report a bug if it persists")]
    Signing(String),
}

impl LogError {
    /// True for integrity failures (broken chain, bad signature, log altered on disk):
    /// the CLI maps them to exit status 3, everything else to 1.
    pub fn is_integrity_error(&self) -> bool {
        matches!(self, LogError::Chain { .. } | LogError::Signature(_) | LogError::Changed(_))
    }

    /// True for a signing key that cannot be used (encrypted, not Ed25519, unreadable as a key):
    /// the operator gave the wrong file, a usage error (exit 2).
    pub fn is_key_error(&self) -> bool {
        matches!(self, LogError::EncryptedKey(_) | LogError::NotEd25519(..) | LogError::BadKey(..))
    }

    /// Shorthand for a chain error at a 1-based line.
    pub(crate) fn chain(line: u64, what: impl Into<String>) -> LogError {
        LogError::Chain { line, what: what.into() }
    }
}
