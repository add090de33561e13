//! On a terminal (a pseudo-terminal driven by tests/data/pty/hardening_terminal.py): the operators
//! acknowledge each environment warning before a ceremony (a "no" stops it, exit 4, nothing
//! written), the log records what they accepted, and a secret typed with echo off (share
//! passphrase, dice) gets the terminal's echo back when they press Ctrl-C.
//!
//! The ceremony runs as uid 65534 under a 64 KiB RLIMIT_MEMLOCK with --allow-unlocked-memory, so
//! there is always a warning to acknowledge, whatever the machine; the tests need root.

mod common;

use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

fn driver() -> String {
    format!("{}/tests/data/pty/hardening_terminal.py", env!("CARGO_MANIFEST_DIR"))
}

fn kek() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kek/wycheproof-2048.pub.pem")
}

/// Root (to switch to uid 65534), setpriv, prlimit and python3.
fn can_run() -> bool {
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    root && peer_available("setpriv") && peer_available("prlimit") && peer_available("python3")
}

/// The driver in `mode` with `arg`, running `generate ... extra` as uid 65534 under 64 KiB of
/// RLIMIT_MEMLOCK into `DIR/c` (DIR world-writable); returns the driver's report and `DIR/c`.
fn drive(mode: &str, arg: &str, extra: &[&str]) -> (String, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = tmp.path().join("c");
    let mut args = generate_args(&kek(), FPR, &out);
    args.extend(["--no-handout".to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let o = Command::new("python3")
        .args([&driver(), mode, arg, "/usr/bin/setpriv"])
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--memlock=65536"])
        .arg(bin())
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "driver: {}{}", stdout(&o), stderr(&o));
    (stdout(&o), out, tmp)
}

fn warnings(report: &str) -> Vec<String> {
    report.lines().filter_map(|l| l.strip_prefix("warning: ")).map(str::to_string).collect()
}

#[test]
fn the_operators_acknowledge_each_warning_and_the_log_records_it() {
    if !can_run() {
        return;
    }
    let (report, out, _tmp) = drive("ack", "y", &[]);
    assert!(report.ends_with("exit: 0\n"), "{report}");
    let seen = warnings(&report);
    assert!(seen.contains(&"locked_memory".to_string()), "{report}");
    assert!(seen.contains(&"memlock_limit".to_string()), "{report}");
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    let env: serde_json::Value = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["event"] == "environment.checked")
        .unwrap();
    let acknowledged: Vec<String> =
        env["acknowledged"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert_eq!(acknowledged, seen);
    assert!(env["overrides"].as_array().unwrap().contains(&serde_json::json!("allow-unlocked-memory")));
}

#[test]
fn a_warning_the_operators_refuse_stops_before_anything_exists() {
    if !can_run() {
        return;
    }
    let (report, out, _tmp) = drive("ack", "n", &[]);
    let first = warnings(&report).remove(0);
    assert!(
        report.ends_with(&format!(
            "byok-ceremony: error: the operators did not accept the {first} warning: fix it, then start the ceremony again; nothing was generated\nexit: 4\n"
        )),
        "{report}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn ctrl_c_while_typing_the_share_passphrase_turns_echo_back_on() {
    if !can_run() {
        return;
    }
    let (report, out, _tmp) = drive("ctrlc", r"Share passphrase \(not shown\): ", &["--share-passphrase"]);
    assert!(report.ends_with("echo while typing: off\necho after ctrl-c: on\nexit: 130\n"), "{report}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn ctrl_c_while_typing_dice_turns_echo_back_on() {
    if !can_run() {
        return;
    }
    let (report, out, _tmp) = drive("ctrlc", r"echo is off until the last roll[^\n]*\n", &["--dice"]);
    assert!(report.ends_with("echo while typing: off\necho after ctrl-c: on\nexit: 130\n"), "{report}");
    assert!(!out.exists(), "nothing is written");
}
