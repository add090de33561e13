//! The ceremony from start to seal. Every step is logged; artifacts reach their final names only
//! after every stage succeeded and was logged; on any failure (a signal included) what was staged or
//! moved is removed, the abort is logged, and the log is sealed and signed.

use rand_core::CryptoRngCore;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

use super::origin::{KeyOrigin, KeyPlan};
use super::request::{GenerateRequest, Mode};
use super::stages::{self, check_interrupt, Ids, Staged};
use super::{validate, witness, CeremonyError, Progress};
use crate::exit::ExitStatus;
use crate::fsutil;
use crate::log::{Clock, LogWriter, Signer};

/// What a finished ceremony tells the operators for the paper transcript.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Random id of this ceremony.
    pub ceremony_id: String,
    /// The ceremony directory.
    pub out_dir: PathBuf,
    /// The transfer blob.
    pub blob_path: PathBuf,
    /// SHA-256 of the blob file.
    pub blob_sha256: String,
    /// KEK fingerprint (verified).
    pub kek_fingerprint: String,
    /// AES-ECB key check value.
    pub kcv: String,
    /// AES-CMAC key check value.
    pub kcv_cmac: String,
    /// Number of QR codes.
    pub qr_count: usize,
    /// QR version of every code.
    pub qr_version: i16,
    /// Share files written.
    pub share_files: Vec<PathBuf>,
    /// Shares needed to recover (0 without escrow).
    pub threshold: u8,
    /// Signer fingerprint (`SHA256:...`).
    pub signer_fingerprint: String,
    /// SHA-256 of the last log line.
    pub log_head: String,
}

/// Runs the ceremony with a fresh key. The request is validated again here, before anything is written.
pub fn generate(
    req: &GenerateRequest,
    rng: &mut impl CryptoRngCore,
    clock: Clock,
    progress: &mut dyn Progress,
) -> Result<Summary, CeremonyError> {
    run(req, KeyPlan::generate(), rng, clock, progress)
}

/// Runs the ceremony with the key `plan` says (fresh, or recovered from shares): the same stages,
/// checks, staging, rollback and signed log either way.
pub fn run(
    req: &GenerateRequest,
    plan: KeyPlan,
    rng: &mut impl CryptoRngCore,
    mut clock: Clock,
    progress: &mut dyn Progress,
) -> Result<Summary, CeremonyError> {
    validate(req)?;
    let signer = match &req.signing_key {
        Some(path) => Signer::from_openssh_file(path)?,
        None => Signer::generate(rng)?,
    };
    let now = clock();
    let date = format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day());
    let mut id_bytes = [0u8; 8];
    rng.fill_bytes(&mut id_bytes);
    let hex = fsutil::hex_lower(&id_bytes).to_uppercase();
    let ceremony_id = format!("{}-{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16]);

    fsutil::create_fresh_dir(&req.out_dir, 0o755, "--out")?;
    let mut log = LogWriter::create(&req.out_dir.join("ceremony.log"), clock)?;
    progress.step(&format!(
        "ceremony {ceremony_id}: log opened at {}",
        req.out_dir.join("ceremony.log").display()
    ));
    log_start(&mut log, req, &ceremony_id, &signer, &plan)?;
    let pub_text = format!("{}\n", signer.public_openssh().trim_end());
    let ids = Ids { ceremony_id: &ceremony_id, date: &date };

    let mut moved = Vec::new();
    let outcome = verify_kek(req, &mut log, progress)
        .and_then(|()| stages::run(req, rng, &mut log, progress, &ids, pub_text.as_bytes(), plan))
        .and_then(|staged| confirm_staged(req, &mut log, &signer, staged))
        .and_then(|staged| commit(req, &mut log, staged, &mut moved));
    match outcome {
        Ok(mut summary) => {
            let sealed = log.seal()?;
            finish_signature(&req.out_dir, &signer, &sealed.bytes, &pub_text)?;
            let files = fsutil::list_files(&req.out_dir)?;
            let sums = fsutil::sha256sums(&req.out_dir, &files)?;
            fsutil::write_atomic(&req.out_dir.join("SHA256SUMS"), sums.as_bytes(), 0o644)?;
            summary.signer_fingerprint = signer.fingerprint();
            summary.log_head = fsutil::hex_lower(&sealed.head);
            progress.step("log sealed and signed; SHA256SUMS written");
            Ok(summary)
        }
        Err(err) => {
            let removed = rollback(&moved);
            let _ = log.append(
                "ceremony.aborted",
                &[
                    ("reason", json!(err.to_string())),
                    ("exit_code", json!(err.exit_code())),
                    ("removed_after_commit", json!(removed)),
                ],
            );
            if let Ok(sealed) = log.seal() {
                let _ = finish_signature(&req.out_dir, &signer, &sealed.bytes, &pub_text);
            }
            Err(err)
        }
    }
}

fn log_start(
    log: &mut LogWriter,
    req: &GenerateRequest,
    id: &str,
    signer: &Signer,
    plan: &KeyPlan,
) -> Result<(), CeremonyError> {
    let mode = if req.mode == Mode::Demo { "demo" } else { plan.mode_name() };
    let signer_source = if req.signing_key.is_some() { "file" } else { "fresh" };
    let mut fields = vec![
        ("ceremony_id", json!(id)),
        ("mode", json!(mode)),
        ("tool", json!("byok-ceremony")),
        ("version", json!(crate::VERSION)),
        ("binary_sha256", json!(super::running_binary_sha256())),
        ("label", json!(req.label)),
        ("target", json!("azure")),
        ("operators", json!(req.operators)),
        ("single_operator", json!(req.single_operator)),
        ("witnesses", json!(req.witnesses.names)),
        ("signer", json!(signer.fingerprint())),
        ("signer_source", json!(signer_source)),
    ];
    if let KeyOrigin::Recovered(_) = plan.origin {
        fields.push(("original_ceremony_id", json!(plan.original_ceremony())));
    }
    log.append("ceremony.started", &fields)?;
    let env = &req.environment;
    log.append(
        "environment.checked",
        &[
            ("memory_locked", json!(env.memory_locked)),
            ("memory_detail", json!(env.memory_detail)),
            ("core_dumps_disabled", json!(env.core_dumps_disabled)),
            ("core_dumps_detail", json!(env.core_dumps_detail)),
            ("checks", serde_json::to_value(&env.checks).unwrap_or(Value::Null)),
            ("overrides", json!(env.overrides)),
            ("acknowledged", json!(env.acknowledged)),
        ],
    )?;
    if !env.selftest.is_empty() {
        log.append("selftest.passed", &[("tests", json!(env.selftest))])?;
    }
    witness::log_collected(log, req)
}

fn verify_kek(
    req: &GenerateRequest,
    log: &mut LogWriter,
    progress: &mut dyn Progress,
) -> Result<(), CeremonyError> {
    let kek = &req.kek;
    log.append(
        "kek.loaded",
        &[
            ("form", json!(kek.form().describe())),
            ("algorithm", json!("RSA")),
            ("bits", json!(kek.bits())),
            ("exponent", json!(kek.exponent())),
            ("fingerprint_sha256", json!(kek.fingerprint().hex())),
            ("kid", json!(req.kid.as_str())),
            ("certificate_subject", json!(kek.certificate().map(|c| c.subject.clone()))),
            ("notes", json!(kek.notes())),
        ],
    )?;
    let actual = kek.fingerprint();
    let matches = actual == req.expected_fingerprint;
    let event = if matches { "kek.fingerprint_verified" } else { "kek.fingerprint_mismatch" };
    log.append(
        event,
        &[
            ("typed", json!(req.expected_fingerprint.hex())),
            ("computed", json!(actual.hex())),
            ("match", json!(matches)),
        ],
    )?;
    if !matches {
        return Err(CeremonyError::FingerprintMismatch {
            expected: req.expected_fingerprint,
            actual,
            groups: actual.differing_groups(&req.expected_fingerprint),
        });
    }
    progress.step(&format!("KEK fingerprint verified: {}", actual.grouped()));
    witness::checkpoint(log, req, 4, &[("fingerprint_sha256", actual.grouped())])?;
    check_interrupt(req)
}

/// Step 6 with `--confirm-steps`: what goes on the transcript, initialled before anything is moved.
fn confirm_staged(
    req: &GenerateRequest,
    log: &mut LogWriter,
    signer: &Signer,
    staged: Staged,
) -> Result<Staged, CeremonyError> {
    let s = &staged.summary;
    let blob = s.blob_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let shown = [
        ("blob", blob),
        ("blob_sha256", s.blob_sha256.clone()),
        ("qr_codes", s.qr_count.to_string()),
        ("signer", signer.fingerprint()),
    ];
    witness::checkpoint(log, req, 6, &shown)?;
    check_interrupt(req)?;
    Ok(staged)
}

/// Logs every artifact, then moves the staged files to their final names, remembering what moved.
fn commit(
    req: &GenerateRequest,
    log: &mut LogWriter,
    staged: Staged,
    moved: &mut Vec<PathBuf>,
) -> Result<Summary, CeremonyError> {
    for a in &staged.artifacts {
        log.append("artifact.written", &a.fields())?;
    }
    check_interrupt(req)?;
    if let Some(shares) = staged.shares {
        shares.commit(moved)?;
    }
    staged.main.commit(moved)?;
    let s = &staged.summary;
    log.append(
        "ceremony.completed",
        &[
            ("blob", json!(s.blob_path.file_name().map(|n| n.to_string_lossy().into_owned()))),
            ("blob_sha256", json!(s.blob_sha256)),
            ("kcv", json!(s.kcv)),
            ("qr_codes", json!(s.qr_count)),
        ],
    )?;
    Ok(staged.summary)
}

/// Removes what a failed ceremony had already moved into place; returns their names.
fn rollback(moved: &[PathBuf]) -> Vec<String> {
    let mut removed = Vec::new();
    for path in moved.iter().rev() {
        let gone = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
        if gone.is_ok() {
            removed.push(path.display().to_string());
        }
    }
    removed
}

fn finish_signature(dir: &Path, signer: &Signer, log: &[u8], pub_text: &str) -> Result<(), CeremonyError> {
    let sig = signer.sign(log)?;
    fsutil::write_atomic(&dir.join("ceremony.log.sig"), sig.as_bytes(), 0o644)?;
    if !dir.join("ceremony.pub").exists() {
        fsutil::write_atomic(&dir.join("ceremony.pub"), pub_text.as_bytes(), 0o644)?;
    }
    Ok(())
}
