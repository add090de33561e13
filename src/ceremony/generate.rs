//! The ceremony itself, stage by stage. Every stage is logged; on any failure the staging folders
//! are removed, the abort is logged, and the log is sealed and signed.

use rand_core::CryptoRngCore;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

use super::artifacts::{self, Artifact, ShareContext, Writer};
use super::request::{Escrow, GenerateRequest, Mode};
use super::{validate, CeremonyError, Progress};
use crate::fsutil::{self, Staging};
use crate::kcv::aes_check_values;
use crate::log::{Clock, LogWriter, Signer};
use crate::secret::TargetKey;
use crate::{blob, qr, slip39, wrap};

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
    /// Number of QR codes and their version.
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

/// Runs the ceremony. The request must have passed [`validate`] (it is checked again here).
pub fn generate(
    req: &GenerateRequest,
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
    let date = format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    );
    let mut id_bytes = [0u8; 8];
    rng.fill_bytes(&mut id_bytes);
    let ceremony_id = fsutil::hex_lower(&id_bytes)
        .to_uppercase()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-");

    fsutil::create_fresh_dir(&req.out_dir, 0o755)?;
    let mut log = LogWriter::create(&req.out_dir.join("ceremony.log"), clock)?;
    progress.step(&format!(
        "ceremony {ceremony_id}: log opened at {}",
        req.out_dir.join("ceremony.log").display()
    ));
    log.append(
        "ceremony.started",
        &[
            ("ceremony_id", json!(ceremony_id)),
            (
                "mode",
                json!(if req.mode == Mode::Demo {
                    "demo"
                } else {
                    "generate"
                }),
            ),
            ("tool", json!("byok-ceremony")),
            ("version", json!(crate::VERSION)),
            ("binary_sha256", json!(super::running_binary_sha256())),
            ("label", json!(req.label)),
            ("target", json!("azure")),
            ("operators", json!(req.operators)),
            ("single_operator", json!(req.single_operator)),
            ("signer", json!(signer.fingerprint())),
            (
                "signer_source",
                json!(if req.signing_key.is_some() {
                    "file"
                } else {
                    "fresh"
                }),
            ),
        ],
    )?;
    let env = &req.environment;
    log.append(
        "environment.checked",
        &[
            ("memory_locked", json!(env.memory_locked)),
            ("memory_detail", json!(env.memory_detail)),
            ("core_dumps_disabled", json!(env.core_dumps_disabled)),
            ("core_dumps_detail", json!(env.core_dumps_detail)),
            (
                "checks",
                serde_json::to_value(&env.checks).unwrap_or(Value::Null),
            ),
            ("overrides", json!(env.overrides)),
        ],
    )?;

    let pub_text = format!("{}\n", signer.public_openssh().trim_end());
    let outcome = run(
        req,
        rng,
        &mut log,
        progress,
        &ceremony_id,
        &date,
        pub_text.as_bytes(),
    );
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
            let _ = log.append(
                "ceremony.aborted",
                &[
                    ("reason", json!(err.to_string())),
                    ("exit_code", json!(crate::exit::ExitStatus::exit_code(&err))),
                ],
            );
            if let Ok(sealed) = log.seal() {
                let _ = finish_signature(&req.out_dir, &signer, &sealed.bytes, &pub_text);
            }
            Err(err)
        }
    }
}

fn finish_signature(
    dir: &Path,
    signer: &Signer,
    log: &[u8],
    pub_text: &str,
) -> Result<(), CeremonyError> {
    let sig = signer.sign(log)?;
    fsutil::write_atomic(&dir.join("ceremony.log.sig"), sig.as_bytes(), 0o644)?;
    if !dir.join("ceremony.pub").exists() {
        fsutil::write_atomic(&dir.join("ceremony.pub"), pub_text.as_bytes(), 0o644)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn run(
    req: &GenerateRequest,
    rng: &mut impl CryptoRngCore,
    log: &mut LogWriter,
    progress: &mut dyn Progress,
    ceremony_id: &str,
    date: &str,
    pub_text: &[u8],
) -> Result<Summary, CeremonyError> {
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
            (
                "certificate_subject",
                json!(kek.certificate().map(|c| c.subject.clone())),
            ),
            ("notes", json!(kek.notes())),
        ],
    )?;
    let actual = kek.fingerprint();
    let matches = actual == req.expected_fingerprint;
    log.append(
        if matches {
            "kek.fingerprint_verified"
        } else {
            "kek.fingerprint_mismatch"
        },
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

    // Staging folders: nothing reaches its final name until every stage has succeeded.
    let tag = ceremony_id.to_lowercase();
    let staging = Staging::new(&req.out_dir, &tag)?;
    let shares_staging = match &req.shares_dir {
        Some(dir) => {
            fsutil::create_fresh_dir(dir, 0o700)?;
            Some(Staging::new(dir, &tag)?)
        }
        None => None,
    };

    let key = TargetKey::generate(req.key_type, rng);
    let cv = aes_check_values(key.expose())
        .ok_or_else(|| CeremonyError::Invalid("key check value: not an AES key".into()))?;
    log.append(
        "key.generated",
        &[
            ("key_type", json!(req.key_type.name())),
            ("bits", json!(req.key_type.bits())),
            ("source", json!("getrandom")),
            ("kcv", json!(cv.kcv)),
            ("kcv_cmac", json!(cv.kcv_cmac)),
        ],
    )?;
    progress.step(&format!(
        "{} key generated; key check value {}",
        req.key_type, cv.kcv
    ));

    let mut main = Writer::new(staging.path(), "");
    let mut share_files = Vec::new();
    let mut threshold = 0;
    if let Escrow::Split {
        threshold: t,
        count,
    } = req.escrow
    {
        threshold = t;
        progress.step(&format!(
            "splitting into {count} SLIP-39 shares, any {t} recover (PBKDF2 takes a moment)"
        ));
        let params = slip39::SplitParams {
            threshold: t,
            count,
            ..slip39::SplitParams::default()
        };
        let shares = slip39::split(key.expose(), b"", &params, rng)?;
        let ctx = ShareContext {
            ceremony_id,
            label: &req.label,
            kcv: &cv.kcv,
            date,
            threshold: t,
        };
        let (share_root, prefix, final_dir) = match (&shares_staging, &req.shares_dir) {
            (Some(s), Some(dir)) => (
                s.path().to_path_buf(),
                format!("{}/", dir.display()),
                dir.clone(),
            ),
            _ => (
                staging.path().join("shares"),
                "shares/".to_string(),
                req.out_dir.join("shares"),
            ),
        };
        let mut writer = Writer::new(&share_root, prefix);
        let logged = artifacts::write_shares(&mut writer, &shares, &ctx)?;
        share_files = (1..=shares.len())
            .map(|n| artifacts::share_path(&final_dir, n, shares.len()))
            .collect();
        log.append(
            "escrow.split",
            &[
                ("scheme", json!("SLIP-39")),
                ("identifier", json!(shares.first().map(|s| s.identifier()))),
                ("threshold", json!(t)),
                ("count", json!(count)),
                ("passphrase", json!(false)),
                ("shares", Value::Array(logged)),
            ],
        )?;
        main.written.extend(writer.written);
    } else {
        log.append("escrow.skipped", &[("reason", json!("--no-escrow"))])?;
    }

    let wrapped = wrap::wrap(kek, &key, req.wrapping_hash, rng)?;
    log.append(
        "key.wrapped",
        &[
            ("mechanism", json!("CKM_RSA_AES_KEY_WRAP")),
            ("oaep_hash", json!(req.wrapping_hash.name())),
            ("mgf1_hash", json!(req.wrapping_hash.name())),
            ("rsa_part_bytes", json!(kek.modulus_len())),
            ("kwp_part_bytes", json!(wrapped.len() - kek.modulus_len())),
        ],
    )?;
    drop(key);
    log.append(
        "key.destroyed",
        &[("detail", json!("plaintext key wiped from memory"))],
    )?;
    progress.step(&format!(
        "key wrapped for the KEK with RSA-OAEP-{} + AES-KWP; plaintext wiped",
        req.wrapping_hash
    ));

    let blob_name = format!("{}.byok", req.label);
    let blob = blob::azure_byok(&req.kid, &wrapped);
    main.put(&blob_name, &blob, 0o644)?;
    let chunks = qr::split(&blob, &req.qr)?;
    artifacts::write_qr(&mut main, &chunks)?;
    log.append(
        "qr.chunked",
        &[
            ("of", json!(blob_name)),
            ("count", json!(chunks.chunks.len())),
            ("version", json!(chunks.version)),
            ("ec_level", json!(format!("{:?}", chunks.ec_level))),
            ("sha256", json!(fsutil::hex_lower(&chunks.sha256))),
        ],
    )?;
    progress.step(&format!(
        "{} QR codes (version {}) written",
        chunks.chunks.len(),
        chunks.version
    ));
    for (name, bytes) in &req.extra_files {
        main.put(name, bytes, 0o644)?;
    }
    main.put("ceremony.pub", pub_text, 0o644)?;

    let artifacts: Vec<Artifact> = main.written;
    if let Some(s) = shares_staging {
        s.commit()?;
    }
    staging.commit()?;
    for a in &artifacts {
        log.append("artifact.written", &a.fields())?;
    }
    let blob_sha256 = fsutil::sha256_hex(&blob);
    log.append(
        "ceremony.completed",
        &[
            ("blob", json!(blob_name)),
            ("blob_sha256", json!(blob_sha256)),
            ("kcv", json!(cv.kcv)),
            ("qr_codes", json!(chunks.chunks.len())),
        ],
    )?;
    Ok(Summary {
        ceremony_id: ceremony_id.to_string(),
        out_dir: req.out_dir.clone(),
        blob_path: req.out_dir.join(&blob_name),
        blob_sha256,
        kek_fingerprint: actual.grouped(),
        kcv: cv.kcv,
        kcv_cmac: cv.kcv_cmac,
        qr_count: chunks.chunks.len(),
        qr_version: chunks.version,
        share_files,
        threshold,
        signer_fingerprint: String::new(),
        log_head: String::new(),
    })
}
