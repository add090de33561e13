//! The operator scripts (ceremony/byok-azure.sh, recover.sh, audit.sh) run unattended on a
//! pseudo-terminal (tests/data/pty/ceremony_script.py answers as the people in the room): a full
//! ceremony, an aborted one (wrong fingerprint) and a recovery from the first one's shares, each
//! checked with `byok-ceremony audit` and with audit.sh.
//!
//! `generate` refuses the built-in demo KEK (its private half is public), so the KEK here is a
//! fresh OpenSSL one and the peer check gets its private half.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXTRA: &str = "--allow-network --allow-swap --allow-unlocked-memory";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs `script args` on a pseudo-terminal, typing `fingerprint` at the tool's prompt; returns the
/// driver's output (its `answered:` lines and `exit: N`) and the terminal transcript.
fn drive(work: &Path, fingerprint: &str, script: &str, args: &[String]) -> (String, String) {
    drive_env(work, fingerprint, script, args, &[])
}

/// [`drive`], with environment variables for the driver (STOP_AT_STEP, STOP_WITH).
fn drive_env(
    work: &Path,
    fingerprint: &str,
    script: &str,
    args: &[String],
    env: &[(&str, &str)],
) -> (String, String) {
    let transcript = work.join(format!("{script}.terminal"));
    let o = Command::new("python3")
        .arg(repo("tests/data/pty/ceremony_script.py"))
        .arg(&transcript)
        .arg(fingerprint)
        .arg(repo(&format!("ceremony/{script}")))
        .args(args)
        .env("BYOK_BIN", bin())
        .env("BYOK_EXTRA_FLAGS", EXTRA)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(o.status.success(), "driver failed: {}\n{}", stdout(&o), stderr(&o));
    let shown = String::from_utf8_lossy(&std::fs::read(&transcript).unwrap()).into_owned();
    (stdout(&o), shown)
}

fn audit_sh(dir: &Path, extra: &[&str]) -> Output {
    Command::new("sh")
        .arg(repo("ceremony/audit.sh"))
        .arg(dir)
        .args(extra)
        .env("BYOK_BIN", bin())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn tools() -> bool {
    ["python3", "openssl", "sha256sum", "ssh-keygen"].iter().all(|t| peer_available(t))
}

fn log_events(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("ceremony.log"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn acks(dir: &Path) -> Vec<(u64, String, String, String)> {
    log_events(dir)
        .iter()
        .filter(|e| e["event"] == "witness.ack")
        .map(|e| {
            (
                e["step"].as_u64().unwrap(),
                e["name"].as_str().unwrap().to_string(),
                e["initials"].as_str().unwrap().to_string(),
                e["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every step 1 to 6 initialled by the two operators and the witness: 1 to 3 by the script
/// (`--ack`), 4 to 6 at the tool's prompt.
fn assert_initialled(dir: &Path) {
    let mut want = Vec::new();
    for step in 1..=6u64 {
        for (name, initials) in [("Alice Example", "AE"), ("Bob Example", "BE"), ("Carol Witness", "CW")] {
            let source = if step <= 3 { "script" } else { "prompt" };
            want.push((step, name.to_string(), initials.to_string(), source.to_string()));
        }
    }
    assert_eq!(acks(dir), want);
}

fn audit_ok(dir: &Path) {
    let o = run(&["audit", &dir.display().to_string()]);
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{text}");
    let want = "[ok  ] witnesses: operators Alice Example, Bob Example; witnesses Carol Witness";
    assert!(text.contains(want), "{text}");
    let head = std::fs::read_to_string(dir.join("ceremony.log")).unwrap();
    let head = byok_ceremony::fsutil::sha256_hex(head.lines().last().unwrap().as_bytes());
    let signer = log_events(dir)[0]["signer"].as_str().unwrap().to_string();
    let o = audit_sh(dir, &["--expect-signer", &signer, "--expect-head", &head]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", stderr(&o));
    for line in [
        "  [ok  ] signature: ssh-keygen -Y verify accepts ceremony.log.sig",
        "  [ok  ] signer equals --expect-signer (the paper)",
        "  [ok  ] log head equals --expect-head (the paper)",
        "  [ok  ] every file in the directory is listed in SHA256SUMS",
        "tool-independent path: everything checked holds",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
}

fn ceremony_args(kek: &Path, out: &Path, rest: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [kek.display().to_string(), MHSM_KID.into(), "contoso".into()].into();
    args.push(out.display().to_string());
    args.extend(rest.iter().map(|s| s.to_string()));
    args
}

#[test]
fn a_full_ceremony_then_a_recovery_from_its_shares() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (private, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("ceremony");
    let (answers, shown) = drive(tmp.path(), &fpr, "byok-azure.sh", &ceremony_args(&kek, &out, &["3", "2"]));
    assert!(answers.ends_with("exit: 0\n"), "{answers}\n{shown}");
    // The script's own steps, and the tool's confirmations in between.
    for step in [1, 2, 3, 4, 7, 8, 9] {
        assert!(shown.contains(&format!("=== Step {step} of 9: ")), "step {step}\n{shown}");
    }
    for step in 4..=6 {
        assert!(shown.contains(&format!("=== Step {step}: confirm ")), "step {step}\n{shown}");
    }
    assert_eq!(answers.matches("answered: word ").count(), 6, "{answers}");
    assert!(shown.contains("NOTE: BYOK_EXTRA_FLAGS"));
    assert_initialled(&out);
    audit_ok(&out);
    let started = &log_events(&out)[0];
    assert_eq!(started["witnesses"], serde_json::json!(["Carol Witness"]));
    let kcv = log_events(&out).iter().find(|e| e["event"] == "key.generated").unwrap()["kcv"].clone();

    match interop_check() {
        Some(check) if peer_available("zbarimg") => {
            let o = Command::new(check)
                .arg(&out)
                .arg("--kek-private")
                .arg(&private)
                .args(["--kid", MHSM_KID, "--bin", bin()])
                .output()
                .unwrap();
            assert!(o.status.success(), "peer check:\n{}\n{}", stdout(&o), stderr(&o));
        }
        Some(_) => eprintln!("skipping the peer check: zbarimg is not installed"),
        None => eprintln!("skipping the peer check: ../shared/tools/interop-check is not there"),
    }

    // The recovery: two of the three shares, the original log, a new KEK and new shares.
    let new = tmp.path().join("new");
    std::fs::create_dir(&new).unwrap();
    let (_, kek2, fpr2) = openssl_kek(&new, 2048);
    let out2 = tmp.path().join("recovered");
    let shares = out.join("shares");
    let original = out.join("ceremony.log").display().to_string();
    let mut args = vec!["--original-log".to_string(), original, "--shares".into(), "2".into()];
    args.extend(["--threshold".into(), "2".into()]);
    args.extend(ceremony_args(&kek2, &out2, &[]));
    for n in [1, 3] {
        args.push(shares.join(format!("share-0{n}-of-03.txt")).display().to_string());
    }
    let (answers, shown) = drive(tmp.path(), &fpr2, "recover.sh", &args);
    assert!(answers.ends_with("exit: 0\n"), "{answers}\n{shown}");
    assert!(shown.contains("Checking the 2 share file(s) together"), "{shown}");
    assert_initialled(&out2);
    audit_ok(&out2);
    let events = log_events(&out2);
    let recovered = events.iter().find(|e| e["event"] == "key.recovered").unwrap();
    assert_eq!(recovered["kcv"], kcv);
    assert_eq!(events[0]["original_ceremony_id"], log_events(&out)[0]["ceremony_id"]);
}

#[test]
fn a_wrong_fingerprint_stops_the_script_and_the_aborted_log_verifies() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let wrong = format!("{}{}", if fpr.starts_with('0') { "1" } else { "0" }, &fpr[1..]);
    let out = tmp.path().join("aborted");
    let (answers, shown) =
        drive(tmp.path(), &wrong, "byok-azure.sh", &ceremony_args(&kek, &out, &["3", "2"]));
    assert!(answers.ends_with("exit: 3\n"), "{answers}\n{shown}");
    assert!(shown.contains("STOPPED at step 4: the KEK fingerprint differs from the paper"), "{shown}");
    assert!(shown.contains("Do NOT retry with another KEK file."), "{shown}");
    assert!(!shown.contains("=== Step 5 of 9"));
    let mut names = names(&out);
    names.sort();
    assert_eq!(names, ["ceremony.log", "ceremony.log.sig", "ceremony.pub"]);
    // Steps 1 to 3 were initialled; the tool stopped before asking at step 4.
    assert_eq!(acks(&out).len(), 9);

    let o = run(&["audit", &out.display().to_string()]);
    let e = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(3), "{e}");
    assert!(e.contains("[ok  ] log.chain: "), "{e}");
    assert!(e.contains("[ok  ] log.signature: "), "{e}");
    assert!(e.contains("[ok  ] witnesses: "), "{e}");
    assert!(e.contains("aborted ceremony, log intact"), "{e}");
    let o = audit_sh(&out, &[]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{text}");
    assert!(text.contains("  [ok  ] log chain: "), "{text}");
    assert!(text.contains("  [ok  ] signature: ssh-keygen -Y verify accepts"), "{text}");
    assert!(text.contains("  [skip] no SHA256SUMS: the log records an aborted ceremony"), "{text}");
    assert!(text.contains("tool-independent path: everything checked holds"), "{text}");
}

#[test]
fn a_stop_at_the_tools_step_5_is_reported_at_step_5() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("stopped");
    let args = ceremony_args(&kek, &out, &["3", "2"]);
    let (answers, shown) = drive_env(tmp.path(), &fpr, "byok-azure.sh", &args, &[("STOP_AT_STEP", "5")]);
    assert!(answers.ends_with("exit: 3\n"), "{answers}\n{shown}");
    assert!(
        shown.contains("STOPPED at step 5: Alice Example stopped the ceremony at the tool's prompt"),
        "{shown}"
    );
    assert!(!shown.contains("download the KEK again"), "{shown}");
    assert!(!shown.contains("STOPPED at step 4"), "{shown}");
}

#[test]
fn ctrl_c_at_the_tools_step_5_stops_the_tool_with_130_and_the_script_explains() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("interrupted");
    let args = ceremony_args(&kek, &out, &["3", "2"]);
    let env = [("STOP_AT_STEP", "5"), ("STOP_WITH", "ctrl-c")];
    let (answers, shown) = drive_env(tmp.path(), &fpr, "byok-azure.sh", &args, &env);
    assert!(answers.ends_with("exit: 130\n"), "{answers}\n{shown}");
    assert!(
        shown.contains("STOPPED at step 4: interrupted (Ctrl-C or a signal) while the tool ran"),
        "{shown}"
    );
    assert_eq!(answers.matches("answered: ctrl-c").count(), 1, "{answers}");
    let aborted = log_events(&out).into_iter().find(|e| e["event"] == "ceremony.aborted").unwrap();
    assert_eq!(aborted["exit_code"], 130, "{aborted}");
}

#[test]
fn audit_sh_names_a_tampered_file_and_an_extra_one() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("c");
    let o = run_owned(&generate_args(&kek, &fpr, &out));
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(out.join("extra.txt"), "x").unwrap();
    let mut blob = std::fs::read(out.join("contoso-key.byok")).unwrap();
    let last = blob.len() - 3;
    blob[last] ^= 1;
    std::fs::write(out.join("contoso-key.byok"), blob).unwrap();
    let mut log = std::fs::read(out.join("ceremony.log")).unwrap();
    log.pop();
    std::fs::write(out.join("ceremony.log"), log).unwrap();
    let o = audit_sh(&out, &[]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{text}");
    for line in [
        "  [FAIL] ceremony.log: no final newline (truncated)",
        "  [FAIL] signature: ssh-keygen -Y verify refuses ceremony.log.sig",
        "contoso-key.byok: FAILED",
        "  [FAIL] sha256sum -c SHA256SUMS: the file(s) above differ",
        "  [FAIL] extra.txt is in the directory but not in SHA256SUMS",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

#[test]
fn shares_handout_needs_a_terminal() {
    let o = run(&["shares", "handout", "share-01-of-03.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: shares handout shows each share on this terminal: run it on a terminal"
    );
}

/// The contract: every command takes --json (tester's finding: `shares handout --json` was a
/// clap error).
#[test]
fn regression_shares_handout_takes_json() {
    let o = run(&["shares", "handout", "--json", "share-01-of-03.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object on stdout");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["exit_code"], 2);
    assert_eq!(doc["error"], "shares handout shows each share on this terminal: run it on a terminal");
}

/// Runs the binary with `args` on a pseudo-terminal that types nothing; returns what it showed and
/// its exit code.
fn on_terminal(args: &[String]) -> (String, i32) {
    let driver = "import os, pty, sys\n\
        pid, fd = pty.fork()\n\
        if pid == 0:\n    os.execv(sys.argv[1], sys.argv[1:])\n\
        out = b''\n\
        while True:\n    try:\n        d = os.read(fd, 65536)\n    except OSError:\n        d = b''\n    if not d:\n        break\n    out += d\n\
        _, st = os.waitpid(pid, 0)\n\
        sys.stdout.write(out.decode(errors='replace') + '\\nexit: %d' % os.waitstatus_to_exitcode(st))\n";
    let o = Command::new("python3").arg("-c").arg(driver).arg(bin()).args(args).output().unwrap();
    let text = stdout(&o);
    let (shown, code) = text.rsplit_once("\nexit: ").unwrap();
    (shown.to_string(), code.trim().parse().unwrap())
}

#[test]
fn shares_handout_refuses_a_share_twice_and_two_shares_of_one_member() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("c");
    let o = run_owned(&generate_args(&kek, &fpr, &out));
    assert!(o.status.success(), "{}", stderr(&o));
    let one = out.join("shares/share-01-of-03.txt");
    let s = |p: &Path| p.display().to_string();
    let (shown, code) = on_terminal(&["shares".into(), "handout".into(), s(&one), s(&one)]);
    assert_eq!(code, 3, "{shown}");
    let want = format!("byok-ceremony: error: {} and {} hold the same share", s(&one), s(&one));
    assert!(shown.contains(&want), "{shown}");
    assert!(!shown.contains("Press Enter"), "{shown}");

    let other = tmp.path().join("other-01.txt");
    let one_text = std::fs::read_to_string(&one).unwrap();
    let one_words = one_text.lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap();
    // A second generate gives a share 1 of another set; its comments are made those of this set.
    let out2 = tmp.path().join("c2");
    let o = run_owned(&generate_args(&kek, &fpr, &out2));
    assert!(o.status.success(), "{}", stderr(&o));
    let foreign = std::fs::read_to_string(out2.join("shares/share-01-of-03.txt")).unwrap();
    let foreign_words = foreign.lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap();
    std::fs::write(&other, one_text.replace(one_words, foreign_words)).unwrap();
    let (shown, code) = on_terminal(&["shares".into(), "handout".into(), s(&one), s(&other)]);
    assert_eq!(code, 3, "{shown}");
    let want = format!(
        "byok-ceremony: error: {} and {} are the same member of the set but differ",
        s(&one),
        s(&other)
    );
    assert!(shown.contains(&want), "{shown}");
    assert!(!shown.contains("Press Enter"), "{shown}");
}

#[test]
fn a_bad_share_count_is_refused_before_step_1() {
    let tmp = tempfile::tempdir().unwrap();
    let kek = tmp.path().join("kek.pem");
    std::fs::write(&kek, "not read").unwrap();
    for (script, pair, want) in [
        ("byok-azure.sh", ["3", "5"], "--threshold 5 must be between 1 and --shares (3)"),
        ("byok-azure.sh", ["0", "0"], "--shares 0: SLIP-39 makes 1 to 16 shares"),
        ("recover.sh", ["17", "3"], "--shares 17: SLIP-39 makes 1 to 16 shares"),
    ] {
        let mut args = vec!["--shares".to_string(), pair[0].into(), "--threshold".into(), pair[1].into()];
        args.extend(ceremony_args(&kek, &tmp.path().join("out"), &[]));
        let o = Command::new("sh")
            .arg(repo(&format!("ceremony/{script}")))
            .args(&args)
            .env("BYOK_BIN", bin())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{script} {pair:?}: {}", stderr(&o));
        assert_eq!(stderr(&o).trim_end(), want, "{script} {pair:?}");
        assert!(!stdout(&o).contains("Step 1"), "{script} {pair:?}");
    }
}
