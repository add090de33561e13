//! `demo`: the newcomer's first command, checked by itself and by the peer tools.

mod common;

use common::*;
use std::process::Command;

#[test]
fn demo_runs_checks_itself_and_passes_the_peer_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    let o = run(&["demo", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for check in ["] unwrap:", "] shares:", "] qr:", "] log:", "] sums:", "] leak:"] {
        assert!(err.contains(&format!("[ok  {check}")), "{check} in\n{err}");
    }
    assert!(out.join("demo-kek.private.pem").exists());
    assert!(out.join("demo-key.byok").exists());
    if let Some(check) = interop_check() {
        if !peer_available("zbarimg") {
            return;
        }
        let r = Command::new(check)
            .arg(&out)
            .arg("--kek-private")
            .arg(out.join("demo-kek.private.pem"))
            .args(["--bin", bin()])
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "interop-check:\n{}{}",
            String::from_utf8_lossy(&r.stdout),
            String::from_utf8_lossy(&r.stderr)
        );
    }
}

#[test]
fn demo_json_is_one_object() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    let o = run(&["demo", "--json", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("exactly one JSON object");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["demo_checks"].as_array().unwrap().len(), 6);
    assert_eq!(doc["kcv"].as_str().unwrap().len(), 6);
}

#[test]
fn generate_refuses_the_demo_kek() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    assert!(run(&["demo", "--out", out.to_str().unwrap()]).status.success());
    let public = tmp.path().join("demo.pub.pem");
    let ok = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(out.join("demo-kek.private.pem"))
        .arg("-out")
        .arg(&public)
        .status()
        .is_ok_and(|s| s.success());
    if !ok && !peer_available("openssl") {
        return;
    }
    let kek = byok_ceremony::demo_kek::kek().unwrap();
    let fpr = kek.fingerprint().hex();
    let o = run_owned(&generate_args(&public, &fpr, &tmp.path().join("real")));
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).contains("built-in DEMO key"), "{}", error_line(&o));
}

#[test]
fn help_texts_say_what_generate_accepts_and_what_demo_writes() {
    let o = run(&["generate", "--help"]);
    assert!(o.status.success());
    let help = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "64 hex digits in any case, spaces and colons allowed, an optional `SHA256:` prefix, or the 32 PGP words",
        "one of `--shares N --threshold K` or `--no-escrow` is required",
        "aws and gcp are not yet supported and are refused",
    ] {
        assert!(help.contains(want), "{want}: {help}");
    }
    assert!(!help.contains("possible values: azure, aws, gcp"), "{help}");
    let o = run(&["demo", "--help"]);
    assert!(o.status.success());
    let help = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for want in
        ["`demo-kek.private.pem`: the demo KEK's private half, public by design", "The demo never refuses"]
    {
        assert!(help.contains(want), "{want}: {help}");
    }
}
