//! Regression tests, one per bug found by attacking the tool (named after the bug).

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

fn kek() -> String {
    format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"))
}

fn args_with(out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = generate_args(Path::new(&kek()), FPR, out);
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Only the signed log of an attempt may remain when a ceremony does not complete.
fn only_log_or_complete(out: &Path, completed: bool) {
    if !out.exists() {
        return;
    }
    let files = names(out);
    if completed {
        assert!(files.contains(&"SHA256SUMS".to_string()), "{files:?}");
    } else {
        for f in &files {
            assert!(
                ["ceremony.log", "ceremony.log.sig", "ceremony.pub"].contains(&f.as_str()),
                "left behind: {files:?}"
            );
        }
    }
}

#[test]
fn regression_sigint_during_the_ceremony_leaves_no_artifacts() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, delay_ms) in [0u64, 20, 60, 120, 200, 300, 450].into_iter().enumerate() {
        let out = tmp.path().join(format!("c{i}"));
        let child = Command::new(bin())
            .args(args_with(&out, &[]))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let o = child.wait_with_output().unwrap();
        only_log_or_complete(&out, o.status.success());
        if out.join("ceremony.log").exists() && !o.status.success() {
            let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
            assert!(log.lines().last().unwrap().contains("ceremony.sealed"), "sealed after the signal");
            assert!(out.join("ceremony.log.sig").exists());
        }
    }
}

#[test]
fn regression_kid_with_a_foreign_host_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let mut args = args_with(&out, &[]);
    let i = args.iter().position(|a| a == "--kid").unwrap();
    args[i + 1] = "https://evil.com?.managedhsm.azure.net/keys/k/0123456789abcdef0123456789abcdef".into();
    let o = run_owned(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).contains("is not an Azure key identifier"), "{}", error_line(&o));
    assert!(!out.exists());
}

#[test]
fn regression_shares_dir_inside_or_equal_to_out_is_refused_up_front() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    for shares in [out.clone(), out.join("sec"), tmp.path().to_path_buf()] {
        let o = run_owned(&args_with(&out, &["--shares-dir", shares.to_str().unwrap()]));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(error_line(&o).contains("must be outside --out"), "{}", error_line(&o));
        assert!(!out.exists());
    }
}

#[test]
fn regression_lookalike_operator_names_do_not_make_dual_control() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    for (a, b, want) in [
        ("Alice", "Al\u{200b}ice", "control or invisible characters"),
        ("Jos\u{e9}", "Jose\u{301}", "dual control needs two different --operator names"),
        ("ALICE", "\u{ff21}lice", "dual control needs two different --operator names"),
        ("Alice", "Bob\n{\"event\":\"x\"}", "control or invisible characters"),
    ] {
        let mut args = args_with(&out, &[]);
        let i = args.iter().position(|x| x == "Alice Example").unwrap();
        args[i] = a.into();
        let j = args.iter().position(|x| x == "Bob Example").unwrap();
        args[j] = b.into();
        let o = run_owned(&args);
        assert_eq!(o.status.code(), Some(2), "{a} / {b}");
        assert!(error_line(&o).contains(want), "{}", error_line(&o));
        assert!(!out.exists());
    }
}

#[test]
fn regression_qr_version_too_small_is_refused_before_any_key() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let o = run_owned(&args_with(&out, &["--qr-max-version", "2"]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(error_line(&o).contains("--qr-max-version 2"), "{}", error_line(&o));
    assert!(!out.exists());
}

#[test]
fn regression_unusable_signing_keys_are_usage_errors() {
    if !peer_available("ssh-keygen") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("enc");
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "secret", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(ok.success());
    let out = tmp.path().join("c");
    for bad in [key.clone(), key.with_extension("pub")] {
        let o = run_owned(&args_with(&out, &["--signing-key", bad.to_str().unwrap()]));
        assert_eq!(o.status.code(), Some(2), "{}: {}", bad.display(), stderr(&o));
        assert!(error_line(&o).contains("--signing-key"), "{}", error_line(&o));
        assert!(!out.exists());
    }
    let plain = tmp.path().join("plain");
    assert!(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&plain)
        .status()
        .unwrap()
        .success());
    let o = run_owned(&args_with(&out, &["--signing-key", plain.to_str().unwrap()]));
    assert!(o.status.success(), "{}", stderr(&o));
    let want = Command::new("ssh-keygen").arg("-lf").arg(plain.with_extension("pub")).output().unwrap();
    let want = String::from_utf8_lossy(&want.stdout).split_whitespace().nth(1).unwrap().to_string();
    assert!(stdout(&o).contains(&want), "signer {want} in {}", stdout(&o));
}

#[test]
fn regression_usage_errors_under_json_print_one_json_object() {
    let o = run(&["kek", "inspect", "--json", "--bogus", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["exit_code"], 2);
}

#[test]
fn regression_huge_kek_file_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = tmp.path().join("huge.pem");
    std::fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap();
    let o = run(&["kek", "inspect", huge.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).contains("far larger than any public key"), "{}", error_line(&o));
}

#[test]
fn regression_two_demos_in_the_same_second_do_not_collide() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Command::new(bin()).arg("demo").current_dir(tmp.path()).stdin(Stdio::null()).output().unwrap();
    let b = Command::new(bin()).arg("demo").current_dir(tmp.path()).stdin(Stdio::null()).output().unwrap();
    assert!(a.status.success() && b.status.success(), "{}", stderr(&b));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
}
