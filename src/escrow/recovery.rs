//! Recovery: the checked combination of shares, compared with every key check value at hand (the
//! share files' comments, the paper transcript, the original ceremony log), as a [`TargetKey`].

use std::path::Path;
use zeroize::Zeroizing;

use super::check::{combine_checked, CheckReport, Checked};
use super::file::ShareInput;
use super::mismatch::{self, PassphraseState};
use super::{EscrowError, SharePassphrase};
use crate::fsutil::sha256_hex;
use crate::keytype::KeyType;
use crate::secret::TargetKey;

/// Largest original log read (`--original-log /dev/zero` must not read forever); a ceremony's log
/// is a few KiB.
pub const MAX_LOG_BYTES: u64 = 16 << 20;

/// What the original ceremony's log says about the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginalLog {
    /// The file read.
    pub path: String,
    /// `ceremony_id` of its `ceremony.started` line.
    pub ceremony_id: Option<String>,
    /// `kcv` of its `key.generated` (or `key.recovered`) line.
    pub kcv: String,
    /// Whether `ceremony.log.sig` beside it verified with `ceremony.pub`.
    pub signature_verified: bool,
}

impl OriginalLog {
    /// Reads and verifies a ceremony log (hash chain; the signature too when `ceremony.log.sig` and
    /// `ceremony.pub` are beside it) and takes its ceremony id and key check value.
    pub fn read(path: &Path) -> Result<OriginalLog, EscrowError> {
        let shown = path.display().to_string();
        let err = |reason: String| EscrowError::OriginalLog { path: shown.clone(), reason };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| {
                std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_LOG_BYTES + 1), &mut bytes)
            })
            .map_err(|e| err(format!("cannot read it ({e}); check the path")))?;
        if bytes.len() as u64 > MAX_LOG_BYTES {
            return Err(err(format!(
                "over {} MiB, not a ceremony log; give the original DIR/ceremony.log",
                MAX_LOG_BYTES >> 20
            )));
        }
        let entries = crate::log::verify_chain(&bytes)
            .map_err(|e| err(format!("not a valid ceremony log ({e}); give the original ceremony.log")))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let (sig, public) = (dir.join("ceremony.log.sig"), dir.join("ceremony.pub"));
        let mut signature_verified = false;
        if sig.exists() && public.exists() {
            let sig = std::fs::read_to_string(&sig)
                .map_err(|e| err(format!("cannot read ceremony.log.sig: {e}")))?;
            let public = std::fs::read_to_string(&public)
                .map_err(|e| err(format!("cannot read ceremony.pub: {e}")))?;
            crate::log::verify_signature(&bytes, &sig, &public).map_err(|e| {
                err(format!("its signature does not verify ({e}); the log was altered: use the original"))
            })?;
            signature_verified = true;
        }
        let field = |event: &str, name: &str| {
            entries
                .iter()
                .find(|e| e.event == event)
                .and_then(|e| e.fields.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let kcv = field("key.generated", "kcv")
            .or_else(|| field("key.recovered", "kcv"))
            .ok_or_else(|| err("it records no key (no key.generated line): the ceremony was aborted before the key existed".into()))?;
        Ok(OriginalLog {
            path: shown.clone(),
            ceremony_id: field("ceremony.started", "ceremony_id"),
            kcv,
            signature_verified,
        })
    }
}

/// The key check values the recovered key must have.
#[derive(Clone, Debug, Default)]
pub struct Expected {
    /// `--expect-kcv` (from the paper transcript), lowercase hex.
    pub kcv: Option<String>,
    /// `--original-log`.
    pub original_log: Option<OriginalLog>,
}

/// A recovered key and what it was checked against.
pub struct Recovery {
    /// The key, from the shares.
    pub key: TargetKey,
    /// The share check (set, threshold, check values).
    pub report: CheckReport,
    /// The original ceremony id: from the share files or the original log.
    pub original_ceremony: Option<String>,
    /// What the key check value was compared with (human-readable, for the log).
    pub kcv_checked_against: Vec<String>,
    /// SHA-256 of each share used (lowercase mnemonic), as the original log commits to them.
    pub share_commitments: Vec<String>,
}

/// Combines and checks the shares, then compares the key check value with every expected one;
/// refuses unless there is at least one to compare with.
pub fn recover_key(
    inputs: &[ShareInput],
    passphrase: &SharePassphrase,
    expected: &Expected,
) -> Checked<Recovery> {
    let Checked { lines, result } = combine_checked(inputs, passphrase);
    let state = PassphraseState::of(inputs, passphrase);
    let result = result.and_then(|(report, secret)| finish(inputs, report, secret, expected, state));
    Checked { lines, result }
}

fn finish(
    inputs: &[ShareInput],
    report: CheckReport,
    secret: Zeroizing<Vec<u8>>,
    expected: &Expected,
    state: PassphraseState,
) -> Result<Recovery, EscrowError> {
    let mut against = Vec::new();
    // combine_checked refused a mismatch with the files' own line, so a line here agrees.
    let files_agree = report.comment_kcv.is_some();
    if files_agree {
        against.push("share files".to_string());
    }
    let mismatch = |want: &str, source: String, why: String| EscrowError::KcvMismatch {
        got: report.kcv.clone(),
        want: want.to_string(),
        against: source,
        why,
    };
    if let Some(want) = &expected.kcv {
        if *want != report.kcv {
            return Err(mismatch(want, "--expect-kcv".into(), mismatch::vs_expect_kcv(state, files_agree)));
        }
        against.push("--expect-kcv".into());
    }
    let mut original_ceremony = report.ceremony_id.clone();
    if let Some(log) = &expected.original_log {
        if log.kcv != report.kcv {
            let ids = (log.ceremony_id.as_deref(), report.ceremony_id.as_deref());
            let why = mismatch::vs_original_log(state, files_agree, ids);
            return Err(mismatch(&log.kcv, format!("the original log {}", log.path), why));
        }
        if let (Some(a), Some(b)) = (&log.ceremony_id, &report.ceremony_id) {
            if a != b {
                return Err(EscrowError::OriginalLog {
                    path: log.path.clone(),
                    reason: format!("it is ceremony {a}, the share files say {b}: give the log of the ceremony that made these shares"),
                });
            }
        }
        original_ceremony = original_ceremony.or_else(|| log.ceremony_id.clone());
        against.push(format!(
            "original log{}",
            if log.signature_verified { " (signature verified)" } else { " (no signature)" }
        ));
    }
    if against.is_empty() {
        return Err(EscrowError::NoExpectedKcv);
    }
    let key_type = KeyType::from_len(secret.len()).ok_or(EscrowError::NotAesKey { len: secret.len() })?;
    let share_commitments = inputs
        .iter()
        .map(|i| {
            let words: Vec<String> = i.mnemonic.split_whitespace().map(str::to_lowercase).collect();
            let normal = Zeroizing::new(words.join(" "));
            let mut words = words;
            words.iter_mut().for_each(zeroize::Zeroize::zeroize);
            sha256_hex(normal.as_bytes())
        })
        .collect();
    Ok(Recovery {
        key: TargetKey::from_bytes(key_type, secret),
        report,
        original_ceremony,
        kcv_checked_against: against,
        share_commitments,
    })
}

/// The key type of the shares' secret, from the word count of a mnemonic (before combining):
/// 20 words hold 128 bits, 27 hold 192, 33 hold 256.
pub fn key_type_of(input: &ShareInput) -> Option<KeyType> {
    let words = input.mnemonic.split_whitespace().count();
    let value_bits = words.checked_sub(7)? * 10;
    KeyType::from_len(value_bits / 16 * 2)
}
