//! The stages between a verified KEK and committed artifacts: key, escrow, wrap, blob, QR codes.
//! Everything is written into staging folders; the caller commits them.

use rand_core::CryptoRngCore;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

use super::artifacts::{self, Artifact, ShareContext, Writer};
use super::origin::{self, KeyOrigin, KeyPlan};
use super::request::{Escrow, GenerateRequest};
use super::{CeremonyError, Progress, Summary};
use crate::fsutil::{self, Staging};
use crate::kcv::aes_check_values;
use crate::log::LogWriter;
use crate::secret::TargetKey;
use crate::{blob, qr, slip39, wrap};

/// What the stages produced, not yet in place.
pub struct Staged {
    pub summary: Summary,
    pub main: Staging,
    pub shares: Option<Staging>,
    pub artifacts: Vec<Artifact>,
}

/// Stops the ceremony if a signal arrived.
pub fn check_interrupt(req: &GenerateRequest) -> Result<(), CeremonyError> {
    if req.interrupted.load(Ordering::SeqCst) {
        Err(CeremonyError::Interrupted)
    } else {
        Ok(())
    }
}

/// Identity of the ceremony, for share files and the summary.
pub struct Ids<'a> {
    pub ceremony_id: &'a str,
    pub date: &'a str,
}

/// Key (fresh or recovered), escrow, wrap, blob and QR codes, all staged.
#[allow(clippy::too_many_arguments)]
pub fn run(
    req: &GenerateRequest,
    rng: &mut impl CryptoRngCore,
    log: &mut LogWriter,
    progress: &mut dyn Progress,
    ids: &Ids<'_>,
    pub_text: &[u8],
    plan: KeyPlan,
) -> Result<Staged, CeremonyError> {
    let kek = &req.kek;
    let tag = ids.ceremony_id.to_lowercase();
    let main_staging = Staging::new(&req.out_dir, &tag)?;
    // The log names share files by absolute path: audit reads relative paths as inside --out.
    let shares_dir = req.shares_dir.as_deref().map(fsutil::resolve);
    let shares_staging = match &shares_dir {
        Some(dir) => {
            fsutil::create_fresh_dir(dir, 0o700, "--shares-dir")?;
            Some(Staging::new(dir, &tag)?)
        }
        None => None,
    };
    check_interrupt(req)?;

    let recovered = matches!(plan.origin, KeyOrigin::Recovered(_));
    let (key, cv) = origin::take_key(plan.origin, req, rng, log, |key: &TargetKey| {
        aes_check_values(key.expose())
            .ok_or_else(|| CeremonyError::Invalid("key check value: not an AES key".into()))
    })?;
    let how = if recovered { "recovered from the shares" } else { "generated" };
    progress.step(&format!("{} key {how}; key check value {}", req.key_type, cv.kcv));

    let mut main = Writer::new(main_staging.path(), "");
    let mut share_files = Vec::new();
    let mut threshold = 0;
    if let Escrow::Split { threshold: t, count } = req.escrow {
        threshold = t;
        progress
            .step(&format!("splitting into {count} SLIP-39 shares, any {t} recover (PBKDF2 takes a moment)"));
        let params = slip39::SplitParams { threshold: t, count, ..slip39::SplitParams::default() };
        let shares = slip39::split(key.expose(), plan.share_passphrase.expose(), &params, rng)?;
        check_interrupt(req)?;
        let ctx = ShareContext {
            ceremony_id: ids.ceremony_id,
            label: &req.label,
            kcv: &cv.kcv,
            date: ids.date,
            threshold: t,
            passphrase: plan.share_passphrase.is_set(),
        };
        let (share_root, prefix, final_dir) = match (&shares_staging, &shares_dir) {
            (Some(s), Some(dir)) => (s.path().to_path_buf(), format!("{}/", dir.display()), dir.clone()),
            _ => (main_staging.path().join("shares"), "shares/".to_string(), req.out_dir.join("shares")),
        };
        let mut writer = Writer::new(&share_root, prefix);
        let logged = artifacts::write_shares(&mut writer, &shares, &ctx)?;
        share_files =
            (1..=shares.len()).map(|n| artifacts::share_path(&final_dir, n, shares.len())).collect();
        log.append(
            "escrow.split",
            &[
                ("scheme", json!("SLIP-39")),
                ("identifier", json!(shares.first().map(|s| s.identifier()))),
                ("threshold", json!(t)),
                ("count", json!(count)),
                ("passphrase", json!(plan.share_passphrase.is_set())),
                ("shares", Value::Array(logged)),
            ],
        )?;
        main.written.extend(writer.written);
    } else {
        log.append("escrow.skipped", &[("reason", json!("--no-escrow"))])?;
    }
    super::witness::checkpoint(log, req, 5, &[("kcv", cv.kcv.clone()), ("kcv_cmac", cv.kcv_cmac.clone())])?;
    check_interrupt(req)?;

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
    log.append("key.destroyed", &[("detail", json!("plaintext key wiped from memory"))])?;
    progress.step(&format!(
        "key wrapped for the KEK with RSA-OAEP-{} + AES-KWP; plaintext wiped",
        req.wrapping_hash
    ));

    let blob_name = format!("{}.byok", req.label);
    let blob = blob::azure_byok(&req.kid, &wrapped);
    main.put(&blob_name, &blob, 0o644)?;
    let chunks = qr::split(&blob, &req.qr)?;
    artifacts::write_qr(&mut main, &chunks, &blob_name, ids.ceremony_id)?;
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
    progress.step(&format!("{} QR codes (version {}) written", chunks.chunks.len(), chunks.version));
    for (name, bytes) in &req.extra_files {
        main.put(name, bytes, 0o644)?;
    }
    main.put("ceremony.pub", pub_text, 0o644)?;
    check_interrupt(req)?;

    let artifacts = main.written;
    let blob_sha256 = fsutil::sha256_hex(&blob);
    let summary = Summary {
        ceremony_id: ids.ceremony_id.to_string(),
        out_dir: req.out_dir.clone(),
        blob_path: req.out_dir.join(&blob_name),
        blob_sha256,
        kek_fingerprint: kek.fingerprint().grouped(),
        kcv: cv.kcv,
        kcv_cmac: cv.kcv_cmac,
        qr_count: chunks.chunks.len(),
        qr_version: chunks.version,
        share_files,
        threshold,
        signer_fingerprint: String::new(),
        log_head: String::new(),
    };
    Ok(Staged { summary, main: main_staging, shares: shares_staging, artifacts })
}
