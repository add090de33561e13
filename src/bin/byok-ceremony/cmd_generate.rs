//! `generate`: the ceremony.

use byok_ceremony::audit::paper::PaperValue;
use byok_ceremony::blob::AzureKid;
use byok_ceremony::ceremony::{self, CeremonyError, Escrow, GenerateRequest, Mode, Summary};
use byok_ceremony::dice;
use byok_ceremony::exit::{self, ExitStatus};
use byok_ceremony::kek::{Fingerprint, Kek};
use byok_ceremony::qr::ChunkOptions;
use byok_ceremony::wrap::WrappingHash;
use serde_json::json;
use std::path::PathBuf;

use crate::cmd_kek::kek_failure;
use crate::cmd_preflight::{acknowledge_warnings, harden, show, Overrides};
use crate::output::{catch_interrupts, interactive, print_json, prompt, Failure, Stderr};

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// The KEK public key file (PEM, DER or base64), e.g. from `az keyvault key download`
    #[arg(long, value_name = "FILE")]
    pub kek: PathBuf,
    /// The KEK's SHA-256 fingerprint as printed on the online side
    /// (`openssl pkey -pubin -in KEK.pem -outform DER | sha256sum`): 64 hex digits in any case,
    /// spaces and colons allowed, an optional `SHA256:` prefix, or the 32 PGP words;
    /// asked for on a terminal when absent
    #[arg(long, value_name = "HEX")]
    pub kek_fingerprint: Option<String>,
    /// The cloud the key goes to: azure (the only one supported; aws and gcp are not yet
    /// supported and are refused)
    #[arg(long, default_value = "azure", value_parser = ["azure", "aws", "gcp"], hide_possible_values = true)]
    pub target: String,
    /// Azure: the KEK's versioned key id, https://NAME.managedhsm.azure.net/keys/KEY/VERSION
    #[arg(long, value_name = "URL")]
    pub kid: Option<String>,
    /// The key to generate: aes-256 (the default), aes-192 or aes-128
    #[arg(long, value_name = "TYPE")]
    pub key_type: Option<byok_ceremony::keytype::KeyType>,
    /// RSA-OAEP hash (and MGF1 hash): sha1 or sha256 (default: what the target requires; Azure: sha1)
    #[arg(long, value_name = "HASH")]
    pub wrapping_hash: Option<byok_ceremony::wrap::WrappingHash>,
    /// Number of SLIP-39 escrow shares to make (1 to 16); one of `--shares N --threshold K`
    /// or `--no-escrow` is required
    #[arg(long, value_name = "N", requires = "threshold", conflicts_with = "no_escrow")]
    pub shares: Option<u8>,
    /// Number of shares needed to recover the key
    #[arg(long, value_name = "K", requires = "shares", conflicts_with = "no_escrow")]
    pub threshold: Option<u8>,
    /// Make no escrow shares: the key will exist only inside the HSM (required unless
    /// `--shares N --threshold K` is given)
    #[arg(long)]
    pub no_escrow: bool,
    /// The key's name, used for file names (LABEL.byok)
    #[arg(long, value_name = "NAME")]
    pub label: String,
    /// The ceremony directory to create (must not exist, or be empty)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// An operator's name; give it twice for dual control (asked for on a terminal)
    #[arg(long = "operator", value_name = "NAME")]
    pub operators: Vec<String>,
    /// Allow a ceremony with one operator (recorded in the log)
    #[arg(long)]
    pub single_operator: bool,
    #[command(flatten)]
    pub witness: crate::witness_args::WitnessArgs,
    /// OpenSSH Ed25519 private key to sign the log with (default: a fresh key for this ceremony)
    #[arg(long, value_name = "FILE")]
    pub signing_key: Option<PathBuf>,
    /// Write share files here instead of DIR/shares (e.g. a RAM disk); the log still commits to each
    #[arg(long, value_name = "DIR")]
    pub shares_dir: Option<PathBuf>,
    /// Go on when memory cannot be locked (recorded in the log)
    #[arg(long)]
    pub allow_unlocked_memory: bool,
    /// Go on with swap active (recorded in the log)
    #[arg(long)]
    pub allow_swap: bool,
    /// Go on with a network interface up (recorded in the log)
    #[arg(long)]
    pub allow_network: bool,
    /// Mix the operators' dice rolls into the RNG: 100 rolls of a six-sided die (258.5 bits),
    /// typed on the terminal, combined with the OS RNG by HKDF-SHA256 (the log records only the count)
    #[arg(long)]
    pub dice: bool,
    /// Read the dice rolls from this open file descriptor instead of the terminal (for scripts;
    /// implies --dice), e.g. `--dice-fd 3 3< rolls.txt`
    #[arg(long, value_name = "N")]
    pub dice_fd: Option<i32>,
    /// Largest QR version for the blob's codes (1 to 40; smaller versions scan more easily)
    #[arg(long, default_value_t = 12, value_name = "V")]
    pub qr_max_version: i16,
    /// Protect the escrow shares with a SLIP-39 passphrase, typed twice on the terminal (echo off).
    /// A wrong passphrase at recovery gives a different key, which the key check value catches
    #[arg(long)]
    pub share_passphrase: bool,
    /// Read the share passphrase from this open file descriptor (scripts; never put it in argv)
    #[arg(long, value_name = "N", conflicts_with = "share_passphrase")]
    pub share_passphrase_fd: Option<i32>,
    /// Error correction of the blob's codes: L, M, Q or H
    #[arg(long, default_value = "M", value_name = "L|M|Q|H", value_parser = crate::cmd_qr::parse_ec)]
    pub qr_ec: byok_ceremony::qr::EcLevel,
    /// At the end, show the blob's QR codes in this console, one at a time (`qr show DIR`)
    #[arg(long, conflicts_with = "json")]
    pub show_qr: bool,
    /// On a terminal, do not hand the shares out one by one (custodians take the files or sheets)
    #[arg(long)]
    pub no_handout: bool,
    /// Print the summary as one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: GenerateArgs) -> Result<(), Failure> {
    let json = a.json;
    build_and_run(a).map_err(|f| f.json(json))
}

fn build_and_run(a: GenerateArgs) -> Result<(), Failure> {
    if a.no_escrow && (a.share_passphrase || a.share_passphrase_fd.is_some()) {
        return Err(Failure::usage(
            "a share passphrase needs shares: drop --no-escrow or the passphrase flag",
        ));
    }
    let key_type = a.key_type.unwrap_or(byok_ceremony::keytype::KeyType::Aes256);
    let mut req = build_request(&a, key_type)?;
    harden_request(&mut req, &a)?;
    let passphrase = crate::passphrase::read(a.share_passphrase, a.share_passphrase_fd, true)?;
    let mut rng = ceremony_rng(&mut req, &a)?;
    let plan = ceremony::KeyPlan { origin: ceremony::KeyOrigin::Generate, share_passphrase: passphrase };
    let summary = run_ceremony(&req, plan, &mut rng, &a)?;
    hand_out(&summary, &a);
    report(&summary, a.json);
    if a.show_qr {
        crate::cmd_qr_show::show_dir(&a.out, req.qr)?;
    }
    Ok(())
}

/// Parses and validates the ceremony flags shared by `generate` and `recover` into a request.
pub fn build_request(
    a: &GenerateArgs,
    key_type: byok_ceremony::keytype::KeyType,
) -> Result<GenerateRequest, Failure> {
    if a.target != "azure" {
        return Err(Failure::usage(format!(
            "--target {} is not supported yet: this release makes Azure .byok blobs (--target azure)",
            a.target
        )));
    }
    let witnesses = crate::witness_args::witnessing(&a.witness)?;
    let escrow = match (a.shares, a.threshold, a.no_escrow) {
        (Some(count), Some(threshold), false) => Escrow::Split { threshold, count },
        (None, None, true) => Escrow::None,
        _ => {
            return Err(Failure::usage(
                "say how the key is escrowed: --shares N --threshold K, or --no-escrow",
            ))
        }
    };
    // Checked before any prompt: a bad share count is refused before the fingerprint is typed.
    ceremony::check_escrow(&escrow).map_err(ceremony_failure)?;
    if a.operators.len() >= 2 || a.single_operator {
        ceremony::witness::check(&witnesses, &a.operators).map_err(ceremony_failure)?;
    }
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
    let req = GenerateRequest {
        mode: Mode::Generate,
        kek,
        expected_fingerprint: expected,
        kid,
        key_type,
        wrapping_hash: a.wrapping_hash.unwrap_or(WrappingHash::Sha1),
        escrow,
        label: a.label.clone(),
        out_dir: a.out.clone(),
        shares_dir: a.shares_dir.clone(),
        operators,
        single_operator: a.single_operator,
        witnesses,
        signing_key: a.signing_key.clone(),
        environment: Default::default(),
        qr: ChunkOptions { max_version: a.qr_max_version, ec_level: a.qr_ec },
        extra_files: Vec::new(),
        interrupted: Default::default(),
    };
    ceremony::validate(&req).map_err(ceremony_failure)?;
    Ok(req)
}

/// Hardening (exit 4 unless overridden), the operators' acknowledgement of each warning on a
/// terminal, the self-test (exit 3) and signal handling, recorded in the request.
pub fn harden_request(req: &mut GenerateRequest, a: &GenerateArgs) -> Result<(), Failure> {
    let allow =
        Overrides { unlocked_memory: a.allow_unlocked_memory, swap: a.allow_swap, network: a.allow_network };
    req.environment = harden(true, allow)?;
    show(&req.environment);
    acknowledge_warnings(&mut req.environment)?;
    req.environment.selftest = crate::cmd_selftest::before_ceremony()?;
    req.interrupted = catch_interrupts()?;
    Ok(())
}

/// The ceremony's RNG: the OS RNG, or with `--dice`/`--dice-fd` the operators' rolls mixed into it
/// (the count goes to the log, never the values).
pub fn ceremony_rng(req: &mut GenerateRequest, a: &GenerateArgs) -> Result<dice::CeremonyRng, Failure> {
    if !a.dice && a.dice_fd.is_none() {
        return Ok(dice::CeremonyRng::Os(rand_core::OsRng));
    }
    let rolls = crate::dice_input::read_rolls(a.dice_fd)?;
    req.environment.dice_rolls = Some(rolls.count());
    Ok(dice::mixed_rng(&rolls, &mut rand_core::OsRng))
}

/// Runs the ceremony of `req` with the key of `plan`; a fingerprint mismatch is shown group by group.
pub fn run_ceremony(
    req: &GenerateRequest,
    plan: ceremony::KeyPlan,
    rng: &mut dice::CeremonyRng,
    a: &GenerateArgs,
) -> Result<Summary, Failure> {
    eprintln!("Ceremony:");
    ceremony::run(req, plan, rng, byok_ceremony::log::system_clock(), &mut Stderr).map_err(|e| {
        if let CeremonyError::FingerprintMismatch { expected, actual, .. } = &e {
            eprintln!("  typed (paper): {}", expected.grouped());
            eprintln!("  KEK file:      {}", actual.grouped());
            eprintln!("                 {}", actual.diff_marker(expected));
            eprintln!("  Nothing was generated; the signed log of this attempt is in {}", a.out.display());
        }
        ceremony_failure(e)
    })
}

/// On a terminal, the custodian handout (unless `--no-handout` or `--json`); a handout that stops
/// is only reported: the shares are written already.
pub fn hand_out(s: &Summary, a: &GenerateArgs) {
    if a.json || a.no_handout || s.share_files.is_empty() || !interactive() {
        return;
    }
    if let Err(f) = crate::handout::hand_out(s) {
        eprintln!(
            "The handout stopped ({}); the share files and sheets are written: hand them out.",
            f.message
        );
    }
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
    print_paper(PaperValue::of_signer(&s.signer_fingerprint));
    println!("  log head SHA-256:           {}", s.log_head);
    print_paper(PaperValue::of_hex(&s.log_head));
    println!(
        "Audit later with: byok-ceremony audit {} --expect-signer {} --expect-head {}",
        s.out_dir.display(),
        s.signer_fingerprint,
        s.log_head
    );
    let _ = exit::OK;
}

/// A transcript value again as hex in groups of four and as PGP words, for reading aloud.
fn print_paper(value: Option<PaperValue>) {
    if let Some(v) = value {
        println!("{:<30}{}", "    as hex:", v.hex_grouped);
        for (i, line) in v.word_lines(8).iter().enumerate() {
            println!("{:<30}{line}", if i == 0 { "    as PGP words:" } else { "" });
        }
    }
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
            "signer_fingerprint_words": PaperValue::of_signer(&s.signer_fingerprint).map(|v| v.words),
            "log_head_words": PaperValue::of_hex(&s.log_head).map(|v| v.words),
    })
}
