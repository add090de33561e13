//! `audit`: replays a ceremony directory years later and reports, item by item, whether everything
//! the auditor holds is consistent and untouched.
//!
//! [`audit`] first validates what the auditor passed ([`AuditRequest`]: the paper values, a KEK
//! file, share files, a binary); a bad input is an [`AuditError`] (exit 2) before anything is
//! checked. Then it runs every check and returns a [`Report`]: one [`Check`] per item, each
//! `pass`, `fail` or `skip` (not asked for, or not applicable). The report is OK only if no check
//! failed and the ceremony completed: an aborted ceremony whose log verifies is reported as
//! "aborted ceremony, log intact" and is not OK (there is nothing to import).
//!
//! The checks, in order (ids as in the JSON output):
//! `log.chain`, `log.signature`, `signer.logged`, `signer.expected`, `signer.allowed`,
//! `head.expected`, `log.events`, `ceremony.outcome`, `witnesses`, `artifact` (one per logged file),
//! `sha256sums`, `files.unlogged`, `blob`, `qr.chunks`, `qr.image` (one per PNG/SVG), `kek`,
//! `share` (one per `--share`), `shares.combine`, `binary`.

mod blob;
mod error;
mod facts;
mod files;
mod inputs;
mod logcheck;
pub mod paper;
mod qrcheck;
mod report;
pub mod signers;
pub mod sums;
mod witnesses;

pub use qrcheck::{decode_png, decode_svg};

#[cfg(test)]
mod tests;

pub use blob::{parse_azure_blob, BlobView};
pub use error::AuditError;
pub use report::{Check, Outcome, Report, Status};

use std::path::PathBuf;

/// What the auditor brings besides the directory. Every field but `dir` is optional.
#[derive(Clone, Debug, Default)]
pub struct AuditRequest {
    /// The ceremony directory.
    pub dir: PathBuf,
    /// The signer fingerprint from the paper transcript: `SHA256:...` (as `ssh-keygen -lf`
    /// prints it), 64 hex digits, or the 32 PGP words.
    pub expect_signer: Option<String>,
    /// An OpenSSH `allowed_signers` file that must hold the ceremony's public key.
    pub allowed_signers: Option<PathBuf>,
    /// The log's final hash from the paper transcript: 64 hex digits or 32 PGP words.
    pub expect_head: Option<String>,
    /// The KEK public key file, to compare with the fingerprint in the log.
    pub kek: Option<PathBuf>,
    /// Share files, which must combine to the logged key check value.
    pub shares: Vec<PathBuf>,
    /// A byok-ceremony binary whose SHA-256 must equal the one in the log.
    pub binary: Option<PathBuf>,
}

/// Runs every check on `req.dir`. Errors only for unusable inputs (exit 2) or an unreadable
/// directory (exit 1); every finding about the directory itself is a check in the report.
pub fn audit(req: &AuditRequest) -> Result<Report, AuditError> {
    let inputs = inputs::Inputs::read(req)?;
    let mut r = Report::new(&req.dir);
    let listing = files::list(&req.dir)?;
    let log_bytes = std::fs::read(req.dir.join("ceremony.log"));
    let entries = logcheck::chain(&mut r, &log_bytes);
    logcheck::signature(&mut r, &req.dir, &log_bytes, entries.as_deref(), &inputs);
    let Some(entries) = entries else {
        r.skip("log.events", "the log is not intact, so nothing else in the directory can be checked");
        return Ok(r);
    };
    let facts = facts::Facts::new(&entries);
    r.ceremony_id = facts.str("ceremony.started", "ceremony_id").map(str::to_owned);
    logcheck::events(&mut r, &facts);
    witnesses::check(&mut r, &facts);
    if r.outcome == Outcome::Completed {
        let sums = files::artifacts(&mut r, &req.dir, &facts, &listing);
        files::sha256sums(&mut r, &req.dir, &facts, sums.as_deref(), &listing);
        files::unlogged(&mut r, &facts, &listing, false);
        let blob = blob::check(&mut r, &req.dir, &facts);
        qrcheck::check(&mut r, &req.dir, &facts, blob.as_deref());
    } else {
        files::unlogged(&mut r, &facts, &listing, true);
    }
    inputs.check(&mut r, &facts);
    Ok(r)
}
