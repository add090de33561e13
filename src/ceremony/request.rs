//! What the operators asked for, and the checks made on it before any key exists.

use std::path::PathBuf;

use super::CeremonyError;
use crate::blob::AzureKid;
use crate::fsutil;
use crate::hardening::Check;
use crate::kek::{Fingerprint, Kek};
use crate::keytype::KeyType;
use crate::qr::ChunkOptions;
use crate::wrap::WrappingHash;

/// Whether the ceremony escrows the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escrow {
    /// SLIP-39, `threshold` of `count` members, one group, empty passphrase.
    Split {
        /// Shares needed to recover.
        threshold: u8,
        /// Shares made.
        count: u8,
    },
    /// No escrow: the key exists only inside the HSM after import (`--no-escrow`).
    None,
}

/// A real ceremony, or the demo against the built-in KEK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `generate`.
    Generate,
    /// `demo`.
    Demo,
}

/// The hardening and environment results, recorded in the log.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    /// Memory locked, with a description (or why not).
    pub memory_locked: bool,
    /// What the memory lock said.
    pub memory_detail: String,
    /// Core dumps off.
    pub core_dumps_disabled: bool,
    /// What disabling core dumps said.
    pub core_dumps_detail: String,
    /// Swap, network and RNG checks.
    pub checks: Vec<Check>,
    /// Overrides the operators gave (`--allow-unlocked-memory`, `--allow-swap`, `--allow-network`).
    pub overrides: Vec<String>,
}

/// Everything `generate` needs, already parsed.
pub struct GenerateRequest {
    /// `generate` or `demo`.
    pub mode: Mode,
    /// The KEK.
    pub kek: Kek,
    /// The fingerprint from the paper.
    pub expected_fingerprint: Fingerprint,
    /// The Azure key identifier of the KEK.
    pub kid: AzureKid,
    /// The key to generate.
    pub key_type: KeyType,
    /// OAEP hash.
    pub wrapping_hash: WrappingHash,
    /// Escrow split.
    pub escrow: Escrow,
    /// Name of the key, used for file names.
    pub label: String,
    /// The ceremony directory.
    pub out_dir: PathBuf,
    /// Where share files go, if not `out_dir/shares`.
    pub shares_dir: Option<PathBuf>,
    /// Operator names.
    pub operators: Vec<String>,
    /// One operator only (recorded).
    pub single_operator: bool,
    /// An OpenSSH Ed25519 key to sign the log with; a fresh one when `None`.
    pub signing_key: Option<PathBuf>,
    /// Hardening and environment results.
    pub environment: Environment,
    /// QR chunking options.
    pub qr: ChunkOptions,
    /// Extra files written into the directory and logged (the demo's KEK private half).
    pub extra_files: Vec<(String, Vec<u8>)>,
}

/// Azure accepts these KEK sizes.
pub const AZURE_KEK_BITS: [usize; 3] = [2048, 3072, 4096];

/// Checks the request before anything is generated or written.
pub fn validate(req: &GenerateRequest) -> Result<(), CeremonyError> {
    let invalid = |s: String| Err(CeremonyError::Invalid(s));
    if req.label.is_empty()
        || req.label.len() > 64
        || req.label.starts_with('.')
        || !req
            .label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return invalid(format!(
            "--label '{}' is not usable as a file name: use 1 to 64 letters, digits, '-', '_' or '.'",
            req.label.escape_debug()
        ));
    }
    if !AZURE_KEK_BITS.contains(&req.kek.bits()) {
        return invalid(format!(
            "the KEK is RSA-{}, which Azure does not accept as a KEK: create a 2048, 3072 or 4096-bit KEK",
            req.kek.bits()
        ));
    }
    if req.mode == Mode::Generate && crate::demo_kek::is_demo(&req.kek) {
        return invalid("the KEK is byok-ceremony's built-in DEMO key, whose private half is public: use your cloud's KEK".into());
    }
    req.kid
        .check_key_type(req.key_type)
        .map_err(|e| CeremonyError::Invalid(e.to_string()))?;
    match req.escrow {
        Escrow::Split { threshold, count } => {
            if count == 0 || count > 16 {
                return invalid(format!("--shares {count}: SLIP-39 makes 1 to 16 shares"));
            }
            if threshold == 0 || threshold > count {
                return invalid(format!(
                    "--threshold {threshold} must be between 1 and --shares ({count})"
                ));
            }
            if threshold == 1 && count > 1 {
                return invalid("--threshold 1 with several shares gives every custodian the whole key: use --threshold 2 or more, or --shares 1".into());
            }
        }
        Escrow::None => {}
    }
    let mut names: Vec<String> = req
        .operators
        .iter()
        .map(|o| o.trim().to_lowercase())
        .collect();
    if names.iter().any(|n| n.is_empty() || n.len() > 100) {
        return invalid(
            "an --operator name is empty or too long: give each operator's name".into(),
        );
    }
    names.sort();
    names.dedup();
    if !req.single_operator && names.len() < 2 {
        return invalid("dual control needs two different --operator names (or --single-operator, which the log records)".into());
    }
    if req.single_operator && names.is_empty() {
        return invalid(
            "--single-operator still needs the operator's name: give --operator NAME".into(),
        );
    }
    fsutil::check_fresh_dir(&req.out_dir)?;
    if let Some(dir) = &req.shares_dir {
        fsutil::check_fresh_dir(dir)?;
    }
    if req.qr.max_version < 1 || req.qr.max_version > 40 {
        return invalid(format!(
            "QR version {} is outside 1..40",
            req.qr.max_version
        ));
    }
    Ok(())
}
