//! `kek inspect`.

use byok_ceremony::exit::ExitStatus;
use byok_ceremony::kek::{Kek, KekError};
use serde_json::json;
use std::path::PathBuf;

use crate::output::{print_json, Failure};

#[derive(clap::Args)]
pub struct KekInspectArgs {
    /// The KEK file
    pub kek_file: PathBuf,
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

/// A refused KEK: exit 1 when unreadable, else 2 (the wrong input was given; nothing happened).
pub fn kek_failure(e: KekError) -> Failure {
    Failure::new(e.exit_code(), e.to_string())
}

pub fn inspect(a: KekInspectArgs) -> Result<(), Failure> {
    let kek = Kek::from_file(&a.kek_file).map_err(|e| kek_failure(e).json(a.json))?;
    let fpr = kek.fingerprint();
    let cert = kek.certificate();
    if a.json {
        print_json(&json!({
            "ok": true,
            "file": a.kek_file.display().to_string(),
            "type": "RSA",
            "bits": kek.bits(),
            "exponent": kek.exponent(),
            "fingerprint_sha256": fpr.hex(),
            "fingerprint_grouped": fpr.grouped(),
            "fingerprint_pgp_words": fpr.pgp_words(),
            "form": kek.form().describe(),
            "kid": kek.kid(),
            "certificate": cert.map(|c| json!({
                "subject": c.subject, "issuer": c.issuer, "not_before": c.not_before, "not_after": c.not_after,
            })),
            "notes": kek.notes(),
        }));
        return Ok(());
    }
    println!("file:        {}", a.kek_file.display());
    println!("type:        RSA-{}", kek.bits());
    println!("exponent:    {}", kek.exponent());
    println!("form:        {}", kek.form().describe());
    if let Some(c) = cert {
        println!("subject:     {}", c.subject);
        println!("issuer:      {}", c.issuer);
        println!(
            "valid:       {} to {} (not checked: the fingerprint is what counts)",
            c.not_before, c.not_after
        );
    }
    if let Some(kid) = kek.kid() {
        println!("kid:         {kid}");
    }
    println!("fingerprint: {}", fpr.grouped());
    println!("  as words:  {}", fpr.pgp_words());
    println!("             SHA-256 of the DER SubjectPublicKeyInfo; compare with");
    println!("             `openssl pkey -pubin -in KEK.pem -outform DER | sha256sum` on the online side");
    for note in kek.notes() {
        eprintln!("note: {note}");
    }
    if !byok_ceremony::ceremony::AZURE_KEK_BITS.contains(&kek.bits()) {
        eprintln!(
            "note: Azure takes only 2048, 3072 or 4096-bit KEKs: `generate --target azure` refuses this key"
        );
    }
    Ok(())
}
