//! Why an audit could not start. Findings about the directory are never errors: they are checks.

use std::path::PathBuf;

use crate::exit::{self, ExitStatus};

/// An input the auditor gave cannot be used, or the directory cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// DIR is missing or not a directory.
    #[error("{} is not a directory: give the ceremony directory (the one holding ceremony.log)", .0.display())]
    NotADirectory(PathBuf),
    /// Reading a file failed.
    #[error("cannot read {}: {source}; check the path and permissions", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// `--expect-signer` is not a fingerprint.
    #[error("--expect-signer is not a fingerprint ({0}): give the signer fingerprint from the paper, as SHA256:... (what `ssh-keygen -lf ceremony.pub` prints), 64 hex digits or the 32 PGP words")]
    ExpectSigner(String),
    /// `--expect-head` is not a SHA-256.
    #[error("--expect-head: {0}")]
    ExpectHead(String),
    /// `--allowed-signers` cannot be parsed.
    #[error("--allowed-signers {}: {why}; give an OpenSSH allowed_signers file (PRINCIPALS [OPTIONS] ssh-ed25519 AAAA...)", path.display())]
    AllowedSigners {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// `--kek` was refused by the KEK reader.
    #[error("--kek: {0}")]
    Kek(#[from] crate::kek::KekError),
}

impl ExitStatus for AuditError {
    fn exit_code(&self) -> u8 {
        match self {
            AuditError::Io { .. } => exit::FAILED,
            AuditError::Kek(e) => e.exit_code(),
            _ => exit::USAGE,
        }
    }
}
