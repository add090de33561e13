//! What the auditor brings: paper values, a KEK file, share files, a binary.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use super::error::AuditError;
use super::facts::Facts;
use super::report::Report;
use super::signers::{self, AllowedSigner};
use super::AuditRequest;
use crate::fsutil::hex_lower;
use crate::kcv::aes_check_values;
use crate::kek::{Fingerprint, Kek};
use crate::slip39;

/// The request's inputs, read and validated before any check runs.
pub struct Inputs {
    /// `--expect-signer`, as fingerprint bytes.
    pub expect_signer: Option<[u8; 32]>,
    /// `--allowed-signers`, parsed.
    pub allowed_signers: Option<(PathBuf, Vec<AllowedSigner>)>,
    /// `--expect-head`, as hash bytes.
    pub expect_head: Option<[u8; 32]>,
    /// `--kek`, read.
    kek: Option<(PathBuf, Kek)>,
    /// `--share` files (read during the checks: a damaged share is a finding, not an input error).
    shares: Vec<PathBuf>,
    /// `--binary` and its SHA-256.
    binary: Option<(PathBuf, String)>,
}

impl Inputs {
    /// Reads and validates every input of `req`.
    pub fn read(req: &AuditRequest) -> Result<Inputs, AuditError> {
        let expect_signer = match &req.expect_signer {
            Some(s) => Some(signers::parse_signer_fingerprint(s).map_err(AuditError::ExpectSigner)?),
            None => None,
        };
        let expect_head = match &req.expect_head {
            Some(s) => Some(
                *Fingerprint::parse(s)
                    .map_err(|e| AuditError::ExpectHead(e.to_string().replace("fingerprint", "log head")))?
                    .bytes(),
            ),
            None => None,
        };
        let allowed_signers = match &req.allowed_signers {
            Some(p) => {
                let text = read_text(p)?;
                let list = signers::parse_allowed_signers(&text)
                    .map_err(|why| AuditError::AllowedSigners { path: p.clone(), why })?;
                Some((p.clone(), list))
            }
            None => None,
        };
        let kek = match &req.kek {
            Some(p) => Some((p.clone(), Kek::from_file(p)?)),
            None => None,
        };
        let binary = match &req.binary {
            Some(p) => {
                let bytes = std::fs::read(p).map_err(|source| AuditError::Io { path: p.clone(), source })?;
                Some((p.clone(), hex_lower(&Sha256::digest(bytes))))
            }
            None => None,
        };
        for s in &req.shares {
            if !s.is_file() {
                return Err(AuditError::Io {
                    path: s.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                });
            }
        }
        Ok(Inputs { expect_signer, allowed_signers, expect_head, kek, shares: req.shares.clone(), binary })
    }

    /// `kek`, `share`, `shares.combine`, `binary`: each only when its input was given.
    pub fn check(&self, r: &mut Report, facts: &Facts<'_>) {
        if let Some((path, kek)) = &self.kek {
            r.push("kek", Some(path.display().to_string()), kek_matches(kek, facts));
        }
        if !self.shares.is_empty() {
            self.check_shares(r, facts);
        }
        if let Some((path, sha)) = &self.binary {
            let logged = facts.str("ceremony.started", "binary_sha256");
            r.push(
                "binary",
                Some(path.display().to_string()),
                match logged {
                    Some(l) if l == sha => Ok(format!("SHA-256 {sha} is the binary that ran the ceremony")),
                    Some(l) => Err(format!("SHA-256 {sha}, the ceremony ran {l}")),
                    None => Err("the log has no binary_sha256 (the binary could not read itself)".into()),
                },
            );
        }
    }

    fn check_shares(&self, r: &mut Report, facts: &Facts<'_>) {
        let logged = facts.shares();
        let mut good: Vec<Zeroizing<String>> = Vec::new();
        for path in &self.shares {
            let subject = Some(path.display().to_string());
            match read_share(path, &logged) {
                Ok((mnemonic, detail)) => {
                    good.push(mnemonic);
                    r.push("share", subject, Ok(detail));
                }
                Err(e) => r.push("share", subject, Err(e)),
            }
        }
        if good.len() != self.shares.len() {
            return r.skip("shares.combine", "a share file failed its check");
        }
        if facts.field("escrow.split", "passphrase").and_then(serde_json::Value::as_bool) == Some(true) {
            return r.skip(
                "shares.combine",
                "the shares have a passphrase: combine them with `byok-ceremony shares check --share-passphrase`",
            );
        }
        let refs: Vec<&str> = good.iter().map(|m| m.as_str()).collect();
        let key = facts.key_event();
        let want = (facts.str(key, "kcv"), facts.str(key, "kcv_cmac"));
        let result = match slip39::combine(&refs, b"") {
            Err(e) => Err(e.to_string()),
            Ok(secret) => match aes_check_values(&secret) {
                None => Err(format!("the shares combine to {} bytes, not an AES key", secret.len())),
                Some(cv) if (Some(cv.kcv.as_str()), Some(cv.kcv_cmac.as_str())) == want => Ok(format!(
                    "{} shares combine to a key with the logged check values kcv {} and kcv_cmac {}",
                    refs.len(),
                    cv.kcv,
                    cv.kcv_cmac
                )),
                Some(cv) => Err(format!(
                    "the shares combine to a key with kcv {}, the log says {}",
                    cv.kcv,
                    want.0.unwrap_or("nothing")
                )),
            },
        };
        r.add("shares.combine", result);
    }
}

fn read_text(p: &Path) -> Result<String, AuditError> {
    std::fs::read_to_string(p).map_err(|source| AuditError::Io { path: p.to_path_buf(), source })
}

fn kek_matches(kek: &Kek, facts: &Facts<'_>) -> Result<String, String> {
    let fp = kek.fingerprint().hex();
    match facts.str("kek.loaded", "fingerprint_sha256") {
        Some(l) if l == fp => {}
        Some(l) => return Err(format!("fingerprint {fp}, the ceremony used {l}")),
        None => return Err("the log has no kek.loaded fingerprint".into()),
    }
    if facts.u64("kek.loaded", "bits") != Some(kek.bits() as u64) {
        return Err(format!("{} bits, the log says otherwise", kek.bits()));
    }
    Ok(format!("fingerprint {} is the KEK the ceremony wrapped for", kek.fingerprint().grouped()))
}

/// A share file's mnemonic, checked (words, checksum) and matched to a logged commitment.
fn read_share(
    path: &Path,
    logged: &[super::facts::LoggedShare],
) -> Result<(Zeroizing<String>, String), String> {
    let line = crate::ceremony::verify::read_share_file(path)?;
    let share = slip39::parse(&line).map_err(|e| e.to_string())?;
    let normal = Zeroizing::new(share.mnemonic().to_string());
    let commitment = crate::fsutil::sha256_hex(normal.as_bytes());
    match logged.iter().find(|s| s.commitment == commitment) {
        Some(s) => {
            Ok((normal, format!("valid SLIP-39 share, share {} of {} in the log", s.number, logged.len())))
        }
        None => Err("a valid SLIP-39 share, but not one this ceremony logged".into()),
    }
}
