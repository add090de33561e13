//! Why a ceremony stopped.

use crate::exit::{self, ExitStatus};
use crate::fsutil::FsError;
use crate::kek::Fingerprint;

/// Everything that can stop a ceremony. No variant carries secret material.
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    /// A request that cannot be carried out (checked before any key exists).
    #[error("{0}")]
    Invalid(String),
    /// The typed fingerprint is not the KEK's.
    #[error("KEK fingerprint mismatch: the KEK file is not the key whose fingerprint is on the paper ({groups} of 16 groups differ); stop, and fetch the KEK again on the online machine")]
    FingerprintMismatch {
        /// What the operators typed.
        expected: Fingerprint,
        /// What the KEK file hashes to.
        actual: Fingerprint,
        /// How many groups of four differ.
        groups: usize,
    },
    /// A file-system failure.
    #[error(transparent)]
    Fs(#[from] FsError),
    /// The log could not be written or signed.
    #[error(transparent)]
    Log(#[from] crate::log::LogError),
    /// Wrapping failed.
    #[error(transparent)]
    Wrap(#[from] crate::wrap::WrapError),
    /// Escrow splitting failed.
    #[error(transparent)]
    Slip39(#[from] crate::slip39::Slip39Error),
    /// QR chunking failed.
    #[error(transparent)]
    Qr(#[from] crate::qr::QrError),
    /// Not enough free space for the ceremony directory (checked before any key exists).
    #[error(
        "{dir} has {free_kib} KiB free, a ceremony needs {needed_kib} KiB: use a larger or emptier medium"
    )]
    NoSpace {
        /// The directory.
        dir: String,
        /// Free KiB.
        free_kib: u64,
        /// Needed KiB.
        needed_kib: u64,
    },
    /// SIGINT, SIGTERM or SIGHUP arrived.
    #[error("interrupted: the ceremony stopped, removed every artifact it had staged, and sealed its log; start again in a new --out directory")]
    Interrupted,
    /// An operator or witness stopped the ceremony at a `--confirm-steps` prompt.
    #[error("step {step} was not confirmed: {by} stopped the ceremony at the prompt; every staged file was removed and the log sealed; find out what was wrong, then start again in a new --out directory")]
    NotConfirmed {
        /// The runbook step.
        step: u8,
        /// Who stopped it.
        by: String,
    },
    /// A self-check after the ceremony failed.
    #[error("self-check failed: {0}")]
    SelfCheck(String),
}

impl ExitStatus for CeremonyError {
    fn exit_code(&self) -> u8 {
        match self {
            CeremonyError::Invalid(_) => exit::USAGE,
            CeremonyError::FingerprintMismatch { .. }
            | CeremonyError::NotConfirmed { .. }
            | CeremonyError::SelfCheck(_) => exit::VERIFICATION,
            CeremonyError::Interrupted => super::signals::interrupt_exit_code(),
            CeremonyError::Fs(e) => e.exit_code(),
            CeremonyError::Log(e) if e.is_key_error() => exit::USAGE,
            _ => exit::FAILED,
        }
    }
}
