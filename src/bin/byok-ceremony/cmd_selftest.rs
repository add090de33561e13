//! `selftest`: known-answer tests of every primitive; also run at the start of every ceremony.

use byok_ceremony::exit::ExitStatus;
use byok_ceremony::selftest::{self, Report};
use serde_json::json;

use crate::output::{print_json, Failure};

#[derive(clap::Args)]
pub struct SelftestArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

fn show(report: &Report) {
    for r in &report.results {
        eprintln!("  [{}] {}: {}", if r.ok { "ok  " } else { "FAIL" }, r.name, r.detail);
    }
}

pub fn run(a: SelftestArgs) -> Result<(), Failure> {
    eprintln!("Self-test (known answers):");
    let report = selftest::run();
    show(&report);
    let doc = json!({"ok": report.passed(), "millis": report.millis, "tests": report.results});
    match report.check() {
        Ok(report) => {
            if a.json {
                print_json(&doc);
            }
            eprintln!("All {} self-tests passed in {} ms.", report.results.len(), report.millis);
            Ok(())
        }
        Err(e) => {
            let failure = Failure::new(e.exit_code(), e.to_string());
            if a.json {
                let mut doc = doc;
                doc["exit_code"] = json!(failure.code);
                doc["error"] = json!(failure.message);
                print_json(&doc);
            }
            Err(failure)
        }
    }
}

/// Runs the self-test before a ceremony: the names of the tests for the log, or exit 3.
pub fn before_ceremony() -> Result<Vec<String>, Failure> {
    let report = selftest::run();
    if !report.passed() {
        show(&report);
    }
    let report = report.check().map_err(|e| Failure::new(e.exit_code(), e.to_string()))?;
    eprintln!("Self-test: {} known-answer tests passed ({} ms).", report.results.len(), report.millis);
    Ok(report.names())
}
