//! `generate`: the ceremony.

use byok_ceremony::blob::AzureKid;
use byok_ceremony::ceremony::{self, CeremonyError, Escrow, GenerateRequest, Mode, Summary};
use byok_ceremony::exit::{self, ExitStatus};
use byok_ceremony::kek::{Fingerprint, Kek};
use byok_ceremony::qr::ChunkOptions;
use byok_ceremony::wrap::WrappingHash;
use serde_json::json;

use crate::args::GenerateArgs;
use crate::cmd_kek::kek_failure;
use crate::cmd_preflight::{harden, show, Overrides};
use crate::output::{catch_interrupts, interactive, print_json, prompt, Failure, Stderr};

pub fn run(a: GenerateArgs) -> Result<(), Failure> {
    let json = a.json;
    build_and_run(a).map_err(|f| f.json(json))
}

fn build_and_run(a: GenerateArgs) -> Result<(), Failure> {
    if a.target != "azure" {
        return Err(Failure::usage(format!(
            "--target {} is not supported yet: this release makes Azure .byok blobs (--target azure)",
            a.target
        )));
    }
    let escrow = match (a.shares, a.threshold, a.no_escrow) {
        (Some(count), Some(threshold), false) => Escrow::Split { threshold, count },
        (None, None, true) => Escrow::None,
        _ => {
            return Err(Failure::usage(
                "say how the key is escrowed: --shares N --threshold K, or --no-escrow",
            ))
        }
    };
    let kek = Kek::from_file(&a.kek).map_err(kek_failure)?;
    let kid = kek.resolve_kid(a.kid.as_deref()).map_err(kek_failure)?.ok_or_else(|| {
        Failure::usage("--kid is required for Azure: the KEK's versioned key id (`az keyvault key show --query key.kid`)")
    })?;
    let kid = AzureKid::parse(&kid).map_err(|e| Failure::usage(e.to_string()))?;
    for note in kek.notes() {
        eprintln!("note: {note}");
    }
    // The fingerprint is typed from the paper before the tool shows anything it computed.
    let typed = match &a.kek_fingerprint {
        Some(f) => f.clone(),
        None if interactive() => {
            prompt("KEK SHA-256 fingerprint from the paper (64 hex digits, or the 32 PGP words): ")?
        }
        None => return Err(Failure::usage(
            "--kek-fingerprint is required when not on a terminal: give the value printed on the online side",
        )),
    };
    let expected =
        Fingerprint::parse(&typed).map_err(|e| Failure::usage(format!("--kek-fingerprint: {e}")))?;
    let mut operators = a.operators.clone();
    if operators.len() < 2 && !a.single_operator && interactive() {
        while operators.len() < 2 {
            let name = prompt(&format!("Operator {} name: ", operators.len() + 1))?;
            if !name.is_empty() {
                operators.push(name);
            }
        }
    }
    let mut req = GenerateRequest {
        mode: Mode::Generate,
        kek,
        expected_fingerprint: expected,
        kid,
        key_type: a.key_type,
        wrapping_hash: a.wrapping_hash.unwrap_or(WrappingHash::Sha1),
        escrow,
        label: a.label.clone(),
        out_dir: a.out.clone(),
        shares_dir: a.shares_dir.clone(),
        operators,
        single_operator: a.single_operator,
        signing_key: a.signing_key.clone(),
        environment: Default::default(),
        qr: ChunkOptions { max_version: a.qr_max_version, ..ChunkOptions::default() },
        extra_files: Vec::new(),
        interrupted: Default::default(),
    };
    ceremony::validate(&req).map_err(ceremony_failure)?;
    let allow =
        Overrides { unlocked_memory: a.allow_unlocked_memory, swap: a.allow_swap, network: a.allow_network };
    req.environment = harden(true, allow)?;
    req.interrupted = catch_interrupts()?;
    show(&req.environment);
    eprintln!("Ceremony:");
    let summary =
        ceremony::generate(&req, &mut rand_core::OsRng, byok_ceremony::log::system_clock(), &mut Stderr)
            .map_err(|e| {
                if let CeremonyError::FingerprintMismatch { expected, actual, .. } = &e {
                    eprintln!("  typed (paper): {}", expected.grouped());
                    eprintln!("  KEK file:      {}", actual.grouped());
                    eprintln!("                 {}", actual.diff_marker(expected));
                    eprintln!(
                        "  Nothing was generated; the signed log of this attempt is in {}",
                        a.out.display()
                    );
                }
                ceremony_failure(e)
            })?;
    report(&summary, a.json);
    Ok(())
}

pub fn ceremony_failure(e: CeremonyError) -> Failure {
    Failure::new(e.exit_code(), e.to_string())
}

/// The end-of-ceremony summary: on stdout, for the paper transcript.
pub fn report(s: &Summary, json: bool) {
    if json {
        print_json(&summary_json(s));
        return;
    }

    println!();
    println!("Ceremony {} complete. For the paper transcript:", s.ceremony_id);
    println!("  KEK fingerprint (verified): {}", s.kek_fingerprint);
    println!("  key check value (kcv):      {}   (kcv_cmac {})", s.kcv, s.kcv_cmac);
    println!("  blob:                       {}", s.blob_path.display());
    println!("  blob SHA-256:               {}", s.blob_sha256);
    println!("  QR codes:                   {} (version {})", s.qr_count, s.qr_version);
    if s.share_files.is_empty() {
        println!("  escrow:                     none (--no-escrow)");
    } else {
        println!(
            "  escrow:                     {} SLIP-39 shares, any {} recover the key",
            s.share_files.len(),
            s.threshold
        );
    }
    println!("  log signer:                 {}", s.signer_fingerprint);
    println!("  log head SHA-256:           {}", s.log_head);
    let _ = exit::OK;
}

/// The summary as one JSON object.
pub fn summary_json(s: &Summary) -> serde_json::Value {
    json!({
            "ok": true,
            "ceremony_id": s.ceremony_id,
            "out": s.out_dir.display().to_string(),
            "blob": s.blob_path.display().to_string(),
            "blob_sha256": s.blob_sha256,
            "kek_fingerprint_sha256": s.kek_fingerprint.replace(' ', ""),
            "kcv": s.kcv,
            "kcv_cmac": s.kcv_cmac,
            "qr_codes": s.qr_count,
            "qr_version": s.qr_version,
            "shares": s.share_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "threshold": s.threshold,
            "signer_fingerprint": s.signer_fingerprint,
            "log_head_sha256": s.log_head,
    })
}
