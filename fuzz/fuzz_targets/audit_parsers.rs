//! The audit's parsers of files from a ceremony directory (SHA256SUMS, the .byok blob, QR SVGs)
//! and of auditor inputs (allowed_signers, a typed signer fingerprint): any bytes, never a panic.
#![no_main]
use byok_ceremony::audit::{self, signers, sums};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(lines) = sums::parse_sha256sums(data) {
        assert!(lines.iter().all(|l| l.sha256.len() == 64 && !l.name.is_empty()));
    }
    if let Ok(blob) = audit::parse_azure_blob(data) {
        let _ = (blob.kid, blob.ciphertext.len(), blob.generator);
    }
    let _ = audit::decode_svg(data);
    let text = String::from_utf8_lossy(data);
    let _ = signers::parse_allowed_signers(&text);
    let _ = signers::parse_signer_fingerprint(&text);
});
