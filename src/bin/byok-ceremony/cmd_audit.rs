//! `audit`: replays a ceremony directory and reports each item.

use byok_ceremony::audit::{self, AuditRequest, Report, Status};
use byok_ceremony::exit;
use std::io::Write;
use std::path::PathBuf;

use crate::output::{fail, print_json, Failure};

#[derive(clap::Args)]
pub struct AuditArgs {
    /// The ceremony directory (holding ceremony.log, its signature, SHA256SUMS and the artifacts)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The log signer's fingerprint from the paper transcript: SHA256:... (`ssh-keygen -lf`),
    /// 64 hex digits or the 32 PGP words
    #[arg(long, value_name = "FPR")]
    pub expect_signer: Option<String>,
    /// An OpenSSH allowed_signers file that must allow ceremony.pub for namespace byok-ceremony
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// The log head SHA-256 from the paper transcript (64 hex digits or 32 PGP words)
    #[arg(long, value_name = "HASH")]
    pub expect_head: Option<String>,
    /// The KEK public key file: its fingerprint must be the one the ceremony verified
    #[arg(long, value_name = "FILE")]
    pub kek: Option<PathBuf>,
    /// A share file (repeat for each): together they must combine to the logged key check value
    #[arg(long = "share", value_name = "FILE")]
    pub shares: Vec<PathBuf>,
    /// With --share: go on when memory cannot be locked (the shares and the combined key may then
    /// reach swap)
    #[arg(long, requires = "shares")]
    pub allow_unlocked_memory: bool,
    /// A byok-ceremony binary: its SHA-256 must be the one that ran the ceremony
    #[arg(long, value_name = "FILE")]
    pub binary: Option<PathBuf>,
    /// Print the report as one JSON object on stdout (the checklist goes to stderr)
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: AuditArgs) -> Result<(), Failure> {
    if !a.shares.is_empty() {
        crate::cmd_preflight::lock_before_shares(a.allow_unlocked_memory).map_err(|f| f.json(a.json))?;
    }
    let req = AuditRequest {
        dir: a.dir,
        expect_signer: a.expect_signer,
        allowed_signers: a.allowed_signers,
        expect_head: a.expect_head,
        kek: a.kek,
        shares: a.shares,
        binary: a.binary,
    };
    let report = audit::audit(&req).map_err(|e| fail(e).json(a.json))?;
    if a.json {
        print_checklist(&mut std::io::stderr().lock(), &report);
        print_json(&report.to_json());
    } else {
        print_checklist(&mut std::io::stdout().lock(), &report);
    }
    if report.ok() {
        Ok(())
    } else {
        // The JSON report is already on stdout: the failure adds only its line on stderr.
        Err(Failure::new(exit::VERIFICATION, report.verdict()))
    }
}

fn print_checklist(out: &mut dyn Write, r: &Report) {
    let _ = writeln!(out, "Audit of {}", r.dir.display());
    for c in &r.checks {
        let mark = match c.status {
            Status::Pass => "ok  ",
            Status::Fail => "FAIL",
            Status::Skip => "--  ",
        };
        let _ = writeln!(out, "  [{mark}] {}: {}", c.name(), c.detail);
    }
    if r.ok() {
        let _ = writeln!(out, "{}", r.verdict());
    }
}
