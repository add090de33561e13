//! The audit's result: one line per checked item, and the verdict.

use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The item holds.
    Pass,
    /// The item does not hold: the audit fails (exit 3).
    Fail,
    /// Not checked: not asked for (no `--kek`, ...), not applicable, or impossible after an
    /// earlier failure (which already fails the audit).
    Skip,
}

/// One checked item.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Stable identifier of the kind of check (`log.chain`, `artifact`, ...).
    pub id: &'static str,
    /// What it was about, when there are several of a kind (a file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Pass, fail or skip.
    pub status: Status,
    /// What was seen, in one line.
    pub detail: String,
}

impl Check {
    /// `id` or `id SUBJECT`, as failures are named.
    pub fn name(&self) -> String {
        match &self.subject {
            Some(s) => format!("{} {s}", self.id),
            None => self.id.to_string(),
        }
    }
}

/// How the logged ceremony ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// `ceremony.completed` is logged: there is a blob to import.
    Completed,
    /// `ceremony.aborted` is logged: nothing to import.
    Aborted,
    /// The log could not be read far enough to tell.
    Unknown,
}

/// Every check of one audit.
#[derive(Clone, Debug)]
pub struct Report {
    /// The directory audited.
    pub dir: PathBuf,
    /// How the ceremony ended.
    pub outcome: Outcome,
    /// The logged ceremony id.
    pub ceremony_id: Option<String>,
    /// The signer's `SHA256:...` fingerprint, when the signature verified.
    pub signer: Option<String>,
    /// Lowercase hex SHA-256 of the log's last line, when the chain verified.
    pub log_head: Option<String>,
    /// The checks in the order they ran.
    pub checks: Vec<Check>,
}

impl Report {
    /// An empty report on `dir`.
    pub fn new(dir: &Path) -> Report {
        Report {
            dir: dir.to_path_buf(),
            outcome: Outcome::Unknown,
            ceremony_id: None,
            signer: None,
            log_head: None,
            checks: Vec::new(),
        }
    }

    /// True only if nothing failed and the ceremony completed.
    pub fn ok(&self) -> bool {
        self.outcome == Outcome::Completed && self.failures().is_empty()
    }

    /// The failed checks.
    pub fn failures(&self) -> Vec<&Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail).collect()
    }

    /// One line for the end of the audit: the verdict, and each failed item by name.
    pub fn verdict(&self) -> String {
        let failed = self.failures();
        let names: Vec<String> = failed.iter().map(|c| c.name()).collect();
        let intact = ["log.chain", "log.signature"]
            .iter()
            .all(|id| self.checks.iter().any(|c| c.id == *id && c.status == Status::Pass));
        if self.outcome == Outcome::Aborted && intact && names == ["ceremony.outcome"] {
            return "aborted ceremony, log intact: the log and its signature verify, but the ceremony did not complete and there is nothing to import".into();
        }
        if failed.is_empty() && self.outcome == Outcome::Completed {
            let skipped = self.checks.iter().filter(|c| c.status == Status::Skip).count();
            return format!(
                "audit passed: {} checks hold ({skipped} not checked)",
                self.checks.len() - skipped
            );
        }
        format!(
            "audit failed: {} of {} checks failed: {}; do not import this blob until the cause is known",
            failed.len(),
            self.checks.len(),
            names.join(", ")
        )
    }

    /// The report as one JSON object.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.ok(),
            "exit_code": if self.ok() { crate::exit::OK } else { crate::exit::VERIFICATION },
            "verdict": self.verdict(),
            "dir": self.dir.display().to_string(),
            "outcome": self.outcome,
            "ceremony_id": self.ceremony_id,
            "signer_fingerprint": self.signer,
            "log_head_sha256": self.log_head,
            "failures": self.failures().iter().map(|c| c.name()).collect::<Vec<_>>(),
            "checks": self.checks,
        })
    }

    /// Records a check.
    pub(crate) fn push(&mut self, id: &'static str, subject: Option<String>, r: Result<String, String>) {
        let (status, detail) = match r {
            Ok(d) => (Status::Pass, d),
            Err(d) => (Status::Fail, d),
        };
        self.checks.push(Check { id, subject, status, detail });
    }

    /// Records a check without a subject.
    pub(crate) fn add(&mut self, id: &'static str, r: Result<String, String>) {
        self.push(id, None, r);
    }

    /// Records a skipped check.
    pub(crate) fn skip(&mut self, id: &'static str, why: impl Into<String>) {
        self.checks.push(Check { id, subject: None, status: Status::Skip, detail: why.into() });
    }

    /// Records a skipped check about `subject`.
    pub(crate) fn skip_about(&mut self, id: &'static str, subject: String, why: impl Into<String>) {
        self.checks.push(Check { id, subject: Some(subject), status: Status::Skip, detail: why.into() });
    }
}
