//! What the operators asked for, and the checks made on it before any key exists.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

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
    /// Warnings the operators acknowledged on the terminal (check names).
    pub acknowledged: Vec<String>,
    /// The self-tests that passed before the ceremony ([`crate::selftest`]); logged as `selftest.passed`.
    pub selftest: Vec<String>,
    /// With `--dice`: how many rolls were mixed into the RNG ([`crate::dice`]); never their values.
    pub dice_rolls: Option<usize>,
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
    /// Witnesses, acknowledgements collected before the start, and `--confirm-steps`.
    pub witnesses: super::witness::Witnessing,
    /// An OpenSSH Ed25519 key to sign the log with; a fresh one when `None`.
    pub signing_key: Option<PathBuf>,
    /// Hardening and environment results.
    pub environment: Environment,
    /// QR chunking options.
    pub qr: ChunkOptions,
    /// Extra files written into the directory and logged (the demo's KEK private half).
    pub extra_files: Vec<(String, Vec<u8>)>,
    /// Set by SIGINT/SIGTERM/SIGHUP ([`crate::hardening::catch_interrupts`]); checked between steps.
    pub interrupted: Arc<AtomicBool>,
}

/// Free space the ceremony directory needs (blob, QR codes, shares and log are far smaller).
pub const SPACE_NEEDED: u64 = 4 * 1024 * 1024;

/// Azure accepts these KEK sizes.
pub const AZURE_KEK_BITS: [usize; 3] = [2048, 3072, 4096];

/// Checks the share count and threshold (also called before the tool asks for anything).
pub fn check_escrow(escrow: &Escrow) -> Result<(), CeremonyError> {
    let invalid = |s: String| Err(CeremonyError::Invalid(s));
    match *escrow {
        Escrow::Split { threshold, count } => {
            if count == 0 || count > 16 {
                return invalid(format!("--shares {count}: SLIP-39 makes 1 to 16 shares"));
            }
            if threshold == 0 || threshold > count {
                return invalid(format!("--threshold {threshold} must be between 1 and --shares ({count})"));
            }
            if threshold == 1 && count > 1 {
                return invalid("--threshold 1 with several shares gives every custodian the whole key: use --threshold 2 or more, or --shares 1".into());
            }
        }
        Escrow::None => {}
    }
    Ok(())
}

/// Checks the request before anything is generated or written.
pub fn validate(req: &GenerateRequest) -> Result<(), CeremonyError> {
    let invalid = |s: String| Err(CeremonyError::Invalid(s));
    if req.label.is_empty()
        || req.label.len() > 64
        || req.label.starts_with('.')
        || !req.label.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return invalid(format!(
            "--label '{}' is not usable as a file name: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'",
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
    req.kid.check_key_type(req.key_type).map_err(|e| CeremonyError::Invalid(e.to_string()))?;
    check_escrow(&req.escrow)?;
    check_operators(&req.operators, req.single_operator)?;
    super::witness::check(&req.witnesses, &req.operators)?;
    fsutil::check_fresh_dir(&req.out_dir, "--out")?;
    if let Some(dir) = &req.shares_dir {
        fsutil::check_fresh_dir(dir, "--shares-dir")?;
        check_apart(&req.out_dir, dir)?;
    }
    check_qr_fits(req)?;
    fsutil::check_writable(&req.out_dir, "--out")?;
    if let Some(dir) = &req.shares_dir {
        fsutil::check_writable(dir, "--shares-dir")?;
    }
    check_space(&req.out_dir, SPACE_NEEDED)?;
    if let Some(dir) = &req.shares_dir {
        check_space(dir, SPACE_NEEDED / 4)?;
    }
    if let Some(path) = &req.signing_key {
        crate::log::Signer::from_openssh_file(path)
            .map_err(|e| CeremonyError::Invalid(format!("--signing-key: {e}")))?;
    }
    Ok(())
}

/// Characters that make two names look alike or hide text: controls and invisible formatting.
pub(super) fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}'
            | '\u{17b5}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}')
}

/// Dual control: two different operators (compared case-insensitively after Unicode NFKC
/// normalisation), names without control or invisible formatting characters.
fn check_operators(operators: &[String], single: bool) -> Result<(), CeremonyError> {
    use unicode_normalization::UnicodeNormalization;
    let invalid = |s: &str| Err(CeremonyError::Invalid(s.to_string()));
    let mut names = Vec::new();
    for name in operators {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 100 {
            return invalid("an --operator name is empty or too long: give each operator's name");
        }
        if trimmed.chars().any(invisible) {
            return invalid("an --operator name has control or invisible characters: type the name plainly");
        }
        let folded = trimmed.nfkc().collect::<String>().to_lowercase();
        names.push(folded.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    names.sort();
    names.dedup();
    if !single && names.len() < 2 {
        return invalid(
            "dual control needs two different --operator names (or --single-operator, which the log records)",
        );
    }
    if single && names.is_empty() {
        return invalid("--single-operator still needs the operator's name: give --operator NAME");
    }
    Ok(())
}

/// Share files must not end up on the transfer medium by accident: compared as real paths, so a
/// symbolic link into --out does not pass.
fn check_apart(out: &Path, shares: &Path) -> Result<(), CeremonyError> {
    let (o, s) = (fsutil::resolve(out), fsutil::resolve(shares));
    if o == s || o.starts_with(&s) || s.starts_with(&o) {
        return Err(CeremonyError::Invalid(format!(
            "--shares-dir {} must be outside --out {} (it keeps the shares off the transfer medium): choose another folder, e.g. on a RAM disk",
            shares.display(),
            out.display()
        )));
    }
    Ok(())
}

/// The blob will be this long: splitting a dummy of that length now finds a QR version too small.
fn check_qr_fits(req: &GenerateRequest) -> Result<(), CeremonyError> {
    let wrapped_len = req.kek.modulus_len() + crate::wrap::kwp_len(req.key_type.bytes());
    let dummy = crate::blob::azure_byok(&req.kid, &vec![0u8; wrapped_len]);
    crate::qr::split(&dummy, &req.qr)
        .map(|_| ())
        .map_err(|e| CeremonyError::Invalid(format!("--qr-max-version {}: {e}", req.qr.max_version)))
}

fn check_space(dir: &Path, needed: u64) -> Result<(), CeremonyError> {
    match crate::hardening::free_bytes(dir) {
        Ok(free) if free < needed => Err(CeremonyError::NoSpace {
            dir: dir.display().to_string(),
            free_kib: free / 1024,
            needed_kib: needed / 1024,
        }),
        _ => Ok(()),
    }
}
