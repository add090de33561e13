//! `kek inspect`.

use byok_ceremony::exit;
use byok_ceremony::kek::{Kek, KekError};
use serde_json::json;

use crate::args::KekInspectArgs;
use crate::output::{print_json, Failure};

/// Exit code for a refused KEK: 1 when unreadable, else 2 (the wrong input was given).
pub fn kek_failure(e: KekError) -> Failure {
    let code = match e {
        KekError::Unreadable { .. } => exit::FAILED,
        _ => exit::USAGE,
    };
    Failure::new(code, e.to_string())
}

pub fn inspect(a: KekInspectArgs) -> Result<(), Failure> {
    let kek = Kek::from_file(&a.kek_file).map_err(|e| kek_failure(e).json(a.json))?;
    let fpr = kek.fingerprint();
    if a.json {
        print_json(&json!({
            "ok": true,
            "file": a.kek_file.display().to_string(),
            "type": "RSA",
            "bits": kek.bits(),
            "exponent": kek.exponent(),
            "fingerprint_sha256": fpr.hex(),
            "fingerprint_grouped": fpr.grouped(),
            "form": kek.form().describe(),
        }));
    } else {
        println!("file:        {}", a.kek_file.display());
        println!("type:        RSA-{}", kek.bits());
        println!("exponent:    {}", kek.exponent());
        println!("form:        {}", kek.form().describe());
        println!("fingerprint: {}", fpr.grouped());
        println!("             SHA-256 of the DER SubjectPublicKeyInfo; compare with");
        println!("             `openssl pkey -pubin -in KEK.pem -outform DER | sha256sum` on the online side");
    }
    Ok(())
}
