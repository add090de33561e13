//! Checks of a finished ceremony directory, used by `demo` (which holds the KEK's private half) and
//! by the tests. `audit` will grow from here.

use base64::Engine;
use rsa::RsaPrivateKey;
use std::path::Path;
use zeroize::Zeroizing;

use super::Summary;
use crate::fsutil::sha256_hex;
use crate::kcv::aes_check_values;
use crate::wrap::{self, WrappingHash};
use crate::{log, qr, slip39};

/// One check and its outcome.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CheckResult {
    /// What was checked.
    pub name: &'static str,
    /// Whether it held.
    pub ok: bool,
    /// What was seen.
    pub detail: String,
}

fn result(name: &'static str, r: Result<String, String>) -> CheckResult {
    match r {
        Ok(detail) => CheckResult { name, ok: true, detail },
        Err(detail) => CheckResult { name, ok: false, detail },
    }
}

/// Reads the mnemonic line of a share file (the first non-comment, non-blank line).
pub fn read_share_file(path: &Path) -> Result<Zeroizing<String>, String> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| Zeroizing::new(l.to_string()))
        .ok_or_else(|| format!("{}: no mnemonic line", path.display()))
}

/// Runs every check on the directory of `summary`, unwrapping with `private`.
pub fn verify_with_private_key(
    summary: &Summary,
    private: &RsaPrivateKey,
    hash: WrappingHash,
) -> Vec<CheckResult> {
    let dir = &summary.out_dir;
    let mut out = Vec::new();
    let blob = std::fs::read(&summary.blob_path).unwrap_or_default();
    let key = unwrap_blob(&blob, private, hash);
    out.push(result(
        "unwrap",
        key.as_ref()
            .map_err(Clone::clone)
            .and_then(|k| kcv_matches(k, &summary.kcv, "the blob unwraps to a key with")),
    ));
    if !summary.share_files.is_empty() {
        out.push(result("shares", check_shares(summary)));
    }
    out.push(result("qr", check_qr(dir, &blob)));
    out.push(result("log", check_log(dir, &summary.signer_fingerprint)));
    out.push(result("sums", check_sums(dir)));
    if let Ok(k) = &key {
        out.push(result("leak", check_no_leak(dir, k)));
    }
    out
}

fn kcv_matches(key: &[u8], want: &str, what: &str) -> Result<String, String> {
    let got = aes_check_values(key).map(|c| c.kcv).unwrap_or_default();
    if got == want {
        Ok(format!("{what} key check value {got}"))
    } else {
        Err(format!("key check value {got}, the ceremony logged {want}"))
    }
}

fn unwrap_blob(
    blob: &[u8],
    private: &RsaPrivateKey,
    hash: WrappingHash,
) -> Result<Zeroizing<Vec<u8>>, String> {
    let doc: serde_json::Value =
        serde_json::from_slice(blob).map_err(|e| format!("blob is not JSON: {e}"))?;
    let ct = doc["ciphertext"].as_str().ok_or("blob has no ciphertext")?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(ct)
        .map_err(|_| "ciphertext is not unpadded base64url".to_string())?;
    wrap::unwrap(private, &raw, hash).map_err(|e| e.to_string())
}

fn check_shares(summary: &Summary) -> Result<String, String> {
    let mnemonics: Vec<Zeroizing<String>> =
        summary.share_files.iter().map(|p| read_share_file(p)).collect::<Result<_, _>>()?;
    let k = summary.threshold as usize;
    let subsets = combinations(mnemonics.len(), k);
    for subset in &subsets {
        let chosen: Vec<&str> = subset.iter().map(|&i| mnemonics[i].as_str()).collect();
        let secret = slip39::combine(&chosen, b"").map_err(|e| e.to_string())?;
        kcv_matches(&secret, &summary.kcv, "")?;
    }
    if k > 1 {
        let fewer: Vec<&str> = mnemonics.iter().take(k - 1).map(|m| m.as_str()).collect();
        if slip39::combine(&fewer, b"").is_ok() {
            return Err(format!("{} shares combined, {k} should be needed", k - 1));
        }
    }
    Ok(format!(
        "all {} subsets of {k} of {} shares give key check value {}",
        subsets.len(),
        mnemonics.len(),
        summary.kcv
    ))
}

/// Every `k`-subset of `0..n`, as index lists.
pub fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if k <= n {
        go(0, n, k, &mut Vec::new(), &mut out);
    }
    out
}

fn check_qr(dir: &Path, blob: &[u8]) -> Result<String, String> {
    let text =
        std::fs::read_to_string(dir.join("qr/chunks.txt")).map_err(|e| format!("qr/chunks.txt: {e}"))?;
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    let joined = qr::join(&lines.join("\n")).map_err(|e| e.to_string())?;
    if joined == blob {
        Ok(format!("{} chunk texts join (in reverse order) to the blob", lines.len()))
    } else {
        Err("the chunk texts join to something other than the blob".into())
    }
}

fn check_log(dir: &Path, signer: &str) -> Result<String, String> {
    let bytes = std::fs::read(dir.join("ceremony.log")).map_err(|e| format!("ceremony.log: {e}"))?;
    let entries = log::verify_chain(&bytes).map_err(|e| e.to_string())?;
    let sig = std::fs::read_to_string(dir.join("ceremony.log.sig"))
        .map_err(|e| format!("ceremony.log.sig: {e}"))?;
    let public =
        std::fs::read_to_string(dir.join("ceremony.pub")).map_err(|e| format!("ceremony.pub: {e}"))?;
    let fpr = log::verify_signature(&bytes, &sig, &public).map_err(|e| e.to_string())?;
    if fpr != signer {
        return Err(format!("signed by {fpr}, the ceremony reported {signer}"));
    }
    Ok(format!("{} lines chained and sealed, signature by {fpr} valid", entries.len()))
}

fn check_sums(dir: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(dir.join("SHA256SUMS")).map_err(|e| format!("SHA256SUMS: {e}"))?;
    let mut n = 0;
    for line in text.lines() {
        let (hash, name) = line.split_once("  ").ok_or("SHA256SUMS has a malformed line")?;
        let bytes = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
        if sha256_hex(&bytes) != hash {
            return Err(format!("{name}: SHA-256 differs from SHA256SUMS"));
        }
        n += 1;
    }
    Ok(format!("{n} files match SHA256SUMS"))
}

/// Searches every file below `dir` for the key: raw, hex (both cases), base64 and base64url.
pub fn check_no_leak(dir: &Path, key: &[u8]) -> Result<String, String> {
    let e = &base64::engine::general_purpose::STANDARD_NO_PAD;
    let u = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let hex = crate::fsutil::hex_lower(key);
    let needles: Vec<Zeroizing<Vec<u8>>> = vec![
        Zeroizing::new(key.to_vec()),
        Zeroizing::new(hex.clone().into_bytes()),
        Zeroizing::new(hex.to_uppercase().into_bytes()),
        Zeroizing::new(e.encode(key).into_bytes()),
        Zeroizing::new(u.encode(key).into_bytes()),
    ];
    let files = crate::fsutil::list_files(dir).map_err(|e| e.to_string())?;
    for rel in &files {
        let data = Zeroizing::new(std::fs::read(dir.join(rel)).map_err(|e| e.to_string())?);
        if needles.iter().any(|n| data.windows(n.len()).any(|w| w == &n[..])) {
            return Err(format!("{}: contains the key", rel.display()));
        }
    }
    Ok(format!("the key is in none of {} files (raw, hex, base64, base64url)", files.len()))
}
