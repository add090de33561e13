//! `selftest`, and a self-test failure stopping a ceremony before any key exists (exit 3). A
//! corrupted vector comes from `BYOK_CEREMONY_SELFTEST_CORRUPT`, which only a debug (test) build reads.

mod common;

use common::*;
use std::process::{Command, Stdio};

const NAMES: [&str; 11] = [
    "aes-kwp",
    "rsa-oaep",
    "sha1",
    "sha256",
    "hmac-sha256",
    "pbkdf2-sha256",
    "slip39",
    "gf256",
    "aes-kcv",
    "qr-chunks",
    "ed25519-sshsig",
];

fn corrupted(name: &str, args: &[String]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .env("BYOK_CEREMONY_SELFTEST_CORRUPT", name)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn selftest_passes_every_known_answer() {
    let o = run(&["selftest", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(doc["ok"], true);
    let names: Vec<&str> =
        doc["tests"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, NAMES);
    let err = stderr(&o);
    assert!(err.starts_with("Self-test (known answers):\n  [ok  ] aes-kwp: "), "{err}");
    assert!(err.contains("All 11 self-tests passed in "), "{err}");
}

#[test]
fn a_corrupted_vector_fails_selftest_with_exit_3() {
    for name in ["sha256", "aes-kwp", "slip39"] {
        let o = corrupted(name, &strings(&["selftest"]));
        assert_eq!(o.status.code(), Some(3), "{name}: {}", stderr(&o));
        assert_eq!(
            error_line(&o),
            format!("byok-ceremony: error: self-test failed ({name}): this binary must not run a ceremony; nothing was generated; rebuild it from a verified source and run `byok-ceremony selftest`")
        );
        assert!(stderr(&o).contains(&format!("  [FAIL] {name}: ")));
    }
    let o = corrupted("sha256", &strings(&["selftest", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!((doc["ok"].as_bool(), doc["exit_code"].as_u64()), (Some(false), Some(3)));
}

#[test]
fn a_failed_selftest_stops_a_ceremony_before_anything_exists() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let kek = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kek/wycheproof-2048.pub.pem");
    let fpr = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";
    let o = corrupted("aes-kwp", &generate_args(&kek, fpr, &out));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(error_line(&o).starts_with("byok-ceremony: error: self-test failed (aes-kwp): "));
    assert!(!out.exists(), "nothing generated");
    let o = corrupted("slip39", &strings(&["demo", "--out", tmp.path().join("d").to_str().unwrap()]));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!tmp.path().join("d").exists());
}

#[test]
fn a_passing_selftest_is_logged_by_every_ceremony() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("d");
    let o = run(&["demo", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    let line = log.lines().find(|l| l.contains("\"event\":\"selftest.passed\"")).unwrap();
    let event: serde_json::Value = serde_json::from_str(line).unwrap();
    let names: Vec<&str> = event["tests"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert_eq!(names, NAMES);
}
