//! The Azure `.byok` blob: its structure, and its agreement with the log.

use base64::Engine;
use serde_json::{Map, Value};
use std::path::Path;

use super::facts::Facts;
use super::report::Report;
use crate::fsutil::sha256_hex;

/// What a structurally valid Azure blob holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobView {
    /// `header.kid`.
    pub kid: String,
    /// The decoded `ciphertext`.
    pub ciphertext: Vec<u8>,
    /// `generator`.
    pub generator: String,
}

/// Parses an Azure transfer blob as the contract fixes it: UTF-8 JSON without a BOM, an object
/// with exactly `schema_version` ("1.0.0"), `header` (exactly `kid`, `alg` "dir", `enc`
/// "CKM_RSA_AES_KEY_WRAP"), `ciphertext` (unpadded, canonical base64url) and `generator`.
pub fn parse_azure_blob(bytes: &[u8]) -> Result<BlobView, String> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return Err("starts with a UTF-8 BOM".into());
    }
    let doc: Value = serde_json::from_slice(bytes).map_err(|_| "not JSON".to_string())?;
    let top = exact_keys(&doc, &["schema_version", "header", "ciphertext", "generator"], "the blob")?;
    if top["schema_version"] != "1.0.0" {
        return Err(format!("schema_version is {}, not \"1.0.0\"", top["schema_version"]));
    }
    let header = exact_keys(&top["header"], &["kid", "alg", "enc"], "header")?;
    if header["alg"] != "dir" {
        return Err(format!("header.alg is {}, not \"dir\"", header["alg"]));
    }
    if header["enc"] != "CKM_RSA_AES_KEY_WRAP" {
        return Err(format!("header.enc is {}, not \"CKM_RSA_AES_KEY_WRAP\"", header["enc"]));
    }
    let text = |v: &Value, name: &str| v.as_str().map(str::to_owned).ok_or(format!("{name} is not a string"));
    let kid = text(&header["kid"], "header.kid")?;
    let generator = text(&top["generator"], "generator")?;
    let ct = text(&top["ciphertext"], "ciphertext")?;
    let ciphertext = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&ct)
        .map_err(|_| "ciphertext is not unpadded base64url".to_string())?;
    Ok(BlobView { kid, ciphertext, generator })
}

fn exact_keys<'a>(v: &'a Value, keys: &[&str], what: &str) -> Result<&'a Map<String, Value>, String> {
    let obj = v.as_object().ok_or(format!("{what} is not a JSON object"))?;
    if let Some(extra) = obj.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(format!("{what} has an unexpected field {extra:?}"));
    }
    if let Some(missing) = keys.iter().find(|k| !obj.contains_key(**k)) {
        return Err(format!("{what} has no {missing:?}"));
    }
    Ok(obj)
}

/// `blob`: the blob named by `ceremony.completed` is well formed and agrees with the log.
/// Returns its bytes for the QR checks.
pub fn check(r: &mut Report, dir: &Path, facts: &Facts<'_>) -> Option<Vec<u8>> {
    let Some(name) = facts.str("ceremony.completed", "blob") else {
        r.add("blob", Err("ceremony.completed names no blob".into()));
        return None;
    };
    let bytes = match std::fs::read(dir.join(name)) {
        Ok(b) => b,
        Err(e) => {
            r.push("blob", Some(name.into()), Err(format!("cannot read it: {e}")));
            return None;
        }
    };
    r.push("blob", Some(name.into()), agrees(&bytes, facts));
    Some(bytes)
}

fn agrees(bytes: &[u8], facts: &Facts<'_>) -> Result<String, String> {
    let blob = parse_azure_blob(bytes)?;
    let sha = sha256_hex(bytes);
    for (event, key) in [("ceremony.completed", "blob_sha256"), ("qr.chunked", "sha256")] {
        if facts.str(event, key) != Some(sha.as_str()) {
            return Err(format!("SHA-256 {sha} is not the {event} {key} in the log"));
        }
    }
    let logged_kid = facts.str("kek.loaded", "kid").unwrap_or("(none)");
    if blob.kid != logged_kid {
        return Err(format!("header.kid {} is not the logged kid {logged_kid}", blob.kid));
    }
    let rsa = facts.u64("kek.loaded", "bits").map(|b| b.div_ceil(8));
    let key_bytes = facts.u64(facts.key_event(), "bits").map(|b| b.div_ceil(8));
    let (Some(rsa), Some(key_bytes)) = (rsa, key_bytes) else {
        return Err("the log lacks kek.loaded bits or key.generated (key.recovered) bits".into());
    };
    let kwp = crate::wrap::kwp_len(key_bytes as usize) as u64;
    let logged = (facts.u64("key.wrapped", "rsa_part_bytes"), facts.u64("key.wrapped", "kwp_part_bytes"));
    if logged != (Some(rsa), Some(kwp)) {
        return Err(format!("key.wrapped logs {logged:?} bytes, expected RSA {rsa} and KWP {kwp}"));
    }
    let len = blob.ciphertext.len() as u64;
    if len != rsa + kwp {
        return Err(format!("ciphertext is {len} bytes, expected {} (modulus {rsa} + KWP {kwp})", rsa + kwp));
    }
    if !blob.generator.starts_with("byok-ceremony ") {
        return Err(format!("generator {:?} is not byok-ceremony", blob.generator));
    }
    Ok(format!(
        "schema 1.0.0, alg dir, enc CKM_RSA_AES_KEY_WRAP, kid as logged, ciphertext {len} bytes = modulus {rsa} + KWP {kwp}, SHA-256 as logged"
    ))
}
