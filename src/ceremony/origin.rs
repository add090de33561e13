//! Where the ceremony's key comes from: generated fresh (`generate`, `demo`), or recovered from
//! escrow shares (`recover`). Both run the very same ceremony: KEK verification, escrow, wrap, blob,
//! QR codes, staging, rollback and the signed log; only the key's log line differs.

use rand_core::CryptoRngCore;
use serde_json::json;

use super::request::GenerateRequest;
use super::CeremonyError;
use crate::escrow::{Recovery, SharePassphrase};
use crate::kcv::CheckValues;
use crate::log::LogWriter;
use crate::secret::TargetKey;

/// The source of the target key.
pub enum KeyOrigin {
    /// A fresh key from the RNG.
    Generate,
    /// A key recovered from shares and checked against its key check value.
    Recovered(Box<Recovery>),
}

/// The key's origin and the passphrase for the new escrow shares.
pub struct KeyPlan {
    /// Where the key comes from.
    pub origin: KeyOrigin,
    /// SLIP-39 passphrase for the new shares (empty: none).
    pub share_passphrase: SharePassphrase,
}

impl KeyPlan {
    /// A fresh key, shares without passphrase: what `generate` did before recovery existed.
    pub fn generate() -> KeyPlan {
        KeyPlan { origin: KeyOrigin::Generate, share_passphrase: SharePassphrase::none() }
    }

    /// `generate` or `recover`, for the log.
    pub fn mode_name(&self) -> &'static str {
        match self.origin {
            KeyOrigin::Generate => "generate",
            KeyOrigin::Recovered(_) => "recover",
        }
    }

    /// The original ceremony, when recovering.
    pub fn original_ceremony(&self) -> Option<&str> {
        match &self.origin {
            KeyOrigin::Recovered(r) => r.original_ceremony.as_deref(),
            KeyOrigin::Generate => None,
        }
    }
}

/// Produces the key and logs where it came from (`key.generated` or `key.recovered`).
pub fn take_key(
    origin: KeyOrigin,
    req: &GenerateRequest,
    rng: &mut impl CryptoRngCore,
    log: &mut LogWriter,
    cv: impl Fn(&TargetKey) -> Result<CheckValues, CeremonyError>,
) -> Result<(TargetKey, CheckValues), CeremonyError> {
    match origin {
        KeyOrigin::Generate => {
            let key = TargetKey::generate(req.key_type, rng);
            let cv = cv(&key)?;
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
            Ok((key, cv))
        }
        KeyOrigin::Recovered(r) => {
            let Recovery { key, report, original_ceremony, kcv_checked_against, share_commitments } = *r;
            if key.key_type() != req.key_type {
                return Err(CeremonyError::Invalid(format!(
                    "the shares hold an {} key, the request says {}",
                    key.key_type(),
                    req.key_type
                )));
            }
            let cv = cv(&key)?;
            if cv.kcv != report.kcv {
                return Err(CeremonyError::SelfCheck("the recovered key changed its key check value".into()));
            }
            log.append(
                "key.recovered",
                &[
                    ("key_type", json!(req.key_type.name())),
                    ("bits", json!(req.key_type.bits())),
                    ("source", json!("SLIP-39 shares")),
                    ("original_ceremony_id", json!(original_ceremony)),
                    ("share_set_identifier", json!(report.identifier)),
                    ("threshold", json!(report.threshold)),
                    ("shares_used", json!(report.shares)),
                    ("share_commitments_sha256", json!(share_commitments)),
                    ("kcv_checked_against", json!(kcv_checked_against)),
                    ("kcv", json!(cv.kcv)),
                    ("kcv_cmac", json!(cv.kcv_cmac)),
                ],
            )?;
            Ok((key, cv))
        }
    }
}
