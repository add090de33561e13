//! `generate` end to end on a real OpenSSL KEK, checked by OpenSSL and the peer check.

mod common;

use common::*;
use std::process::Command;

#[test]
fn generate_on_an_openssl_rsa4096_kek_unwraps_with_openssl() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (private, public, fpr) = openssl_kek(tmp.path(), 4096);
    let out = tmp.path().join("ceremony");
    let o = run_owned(&generate_args(&public, &fpr, &out));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("key check value (kcv):"), "{text}");
    assert!(text.contains("log signer:                 SHA256:"), "{text}");

    let key = openssl_unwrap(&out.join("contoso-key.byok"), &private, "sha1", tmp.path());
    assert_eq!(key.len(), 32);
    let mut want = names(&out);
    want.retain(|n| !n.starts_with("qr/chunk-") && !n.starts_with("shares/share-"));
    assert_eq!(
        want,
        [
            "SHA256SUMS",
            "ceremony.log",
            "ceremony.log.sig",
            "ceremony.pub",
            "contoso-key.byok",
            "qr/chunks.txt",
            "qr/sheet.html"
        ]
    );
    for n in ["shares/share-01-of-03.txt", "shares/share-03-of-03.png"] {
        assert!(out.join(n).exists(), "{n} in {:?}", names(&out));
    }
    let codes = names(&out).iter().filter(|n| n.starts_with("qr/chunk-") && n.ends_with(".png")).count();
    assert!(codes >= 2, "{:?}", names(&out));
    assert!(out.join(format!("qr/chunk-01-of-{codes:02}.svg")).exists());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(out.join("shares/share-01-of-03.txt")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // The key is in no file: raw, hex, base64.
    assert_no_leak(&out, &key);
    // Nor on the terminal.
    assert!(!stdout(&o).contains(&hex::encode(&key)) && !stderr(&o).contains(&hex::encode(&key)));

    if let Some(check) = interop_check() {
        let r = Command::new(check)
            .arg(&out)
            .arg("--kek-private")
            .arg(&private)
            .args(["--kid", MHSM_KID, "--bin", bin()])
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&r.stdout);
        assert!(r.status.success(), "interop-check:\n{report}{}", String::from_utf8_lossy(&r.stderr));
    }
}

#[test]
fn sha256_wrapping_unwraps_with_openssl_sha256() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (private, public, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("c");
    let mut args = generate_args(&public, &fpr, &out);
    args.extend(["--wrapping-hash", "sha256", "--key-type", "aes-128", "--no-escrow"].map(String::from));
    args.retain(|a| a != "--shares" && a != "--threshold" && a != "3" && a != "2");
    let o = run_owned(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let key = openssl_unwrap(&out.join("contoso-key.byok"), &private, "sha256", tmp.path());
    assert_eq!(key.len(), 16);
    assert!(!out.join("shares").exists());
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains("\"event\":\"escrow.skipped\""));
    assert!(log.contains("\"oaep_hash\":\"sha256\""));
}

#[test]
fn a_wrong_fingerprint_exits_3_and_leaves_only_the_signed_log() {
    let tmp = tempfile::tempdir().unwrap();
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let wrong = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694112";
    let out = tmp.path().join("c");
    let o = run_owned(&generate_args(std::path::Path::new(&kek), wrong, &out));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: KEK fingerprint mismatch: the KEK file is not the key whose fingerprint is on the paper (1 of 16 groups differ); stop, and fetch the KEK again on the online machine"
    );
    assert!(stderr(&o).contains("^^^^"));
    assert_eq!(names(&out), ["ceremony.log", "ceremony.log.sig", "ceremony.pub"]);
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains("\"event\":\"kek.fingerprint_mismatch\""));
    assert!(log.contains("\"event\":\"ceremony.aborted\""));
    assert!(!log.contains("key.generated"));
    assert!(log.lines().last().unwrap().contains("\"event\":\"ceremony.sealed\""));
}

#[test]
fn an_existing_non_empty_out_is_refused_before_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let fpr = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";
    let out = tmp.path().join("c");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = run_owned(&generate_args(std::path::Path::new(&kek), fpr, &out));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        error_line(&o),
        format!("byok-ceremony: error: {} exists and is not empty: choose a new --out directory (outputs never mix with other files)", out.display())
    );
    assert_eq!(names(&out), ["notes.txt"]);
}

#[test]
fn refusals_before_any_key_exist_have_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = format!("{}/tests/data/kek", env!("CARGO_MANIFEST_DIR"));
    let fpr = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";
    let out = tmp.path().join("c");
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, i32, &'a str);
    let cases: Vec<Case> = vec![
        (vec![], "wycheproof-2048.private.pem", 2, "holds a PRIVATE key"),
        (vec![], "rsa1024.pub.pem", 2, "RSA-1024, under the 2048-bit minimum"),
        (
            vec![("--kek-fingerprint", "abc")],
            "wycheproof-2048.pub.pem",
            2,
            "--kek-fingerprint: the fingerprint has 3 hex digits, it needs all 64",
        ),
        (
            vec![("--kid", "https://contoso.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef")],
            "wycheproof-2048.pub.pem",
            2,
            "can only be imported into Managed HSM",
        ),
        (
            vec![("--threshold", "4")],
            "wycheproof-2048.pub.pem",
            2,
            "--threshold 4 must be between 1 and --shares (3)",
        ),
        (vec![("--label", "../x")], "wycheproof-2048.pub.pem", 2, "is not usable as a file name"),
        (vec![("--target", "aws")], "wycheproof-2048.pub.pem", 2, "--target aws is not supported yet"),
    ];
    for (overrides, kek, code, want) in cases {
        let mut args = generate_args(std::path::Path::new(&format!("{dir}/{kek}")), fpr, &out);
        for (flag, value) in overrides {
            match args.iter().position(|a| a == flag) {
                Some(i) => args[i + 1] = value.to_string(),
                None => args.extend([flag.to_string(), value.to_string()]),
            }
        }
        let o = run_owned(&args);
        assert_eq!(o.status.code(), Some(code), "{kek}: {}", stderr(&o));
        assert!(error_line(&o).contains(want), "{want}: {}", error_line(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "one line: {}", stderr(&o));
        assert!(!out.exists(), "nothing written for {want}");
    }
}

#[test]
fn one_operator_needs_single_operator() {
    let tmp = tempfile::tempdir().unwrap();
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let fpr = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";
    let out = tmp.path().join("c");
    let mut args = generate_args(std::path::Path::new(&kek), fpr, &out);
    let i = args.iter().position(|a| a == "Bob Example").unwrap();
    args.drain(i - 1..=i);
    let o = run_owned(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).contains("dual control needs two different --operator names"));
    args.push("--single-operator".into());
    let o = run_owned(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(out.join("ceremony.log")).unwrap().contains("\"single_operator\":true"));
}

#[test]
fn without_a_fingerprint_off_a_terminal_is_a_usage_error() {
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let o = run(&[
        "generate",
        "--kek",
        &kek,
        "--kid",
        MHSM_KID,
        "--no-escrow",
        "--label",
        "k",
        "--out",
        "/nonexistent/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).contains("--kek-fingerprint is required when not on a terminal"));
}

#[test]
fn share_files_with_a_passphrase_say_how_to_recover_in_one_readable_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (_, kek, fpr) = openssl_kek(d, 2048);
    let pass = d.join("pass.txt");
    std::fs::write(&pass, "correct horse\n").unwrap();
    let out = d.join("ceremony");
    let mut args = generate_args(&kek, &fpr, &out);
    args.extend(["--share-passphrase-fd".into(), "3".into()]);
    let o = run_with_fd3(&args, &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(out.join("shares/share-01-of-03.txt")).unwrap();
    let hints: Vec<&str> = text.lines().filter(|l| l.starts_with("# recover with")).collect();
    assert_eq!(
        hints,
        ["# recover with any SLIP-39 tool, e.g. `pip install shamir-mnemonic; shamir recover -p`, and give the passphrase set at the ceremony"]
    );
    assert!(!text.contains("the one set at the ceremony passphrase"), "{text}");
}

#[test]
fn kid_with_a_trailing_slash_says_remove_the_trailing_slash() {
    let tmp = tempfile::tempdir().unwrap();
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let fpr = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";
    let out = tmp.path().join("c");
    let mut args = generate_args(std::path::Path::new(&kek), fpr, &out);
    let kid = format!("{MHSM_KID}/");
    let i = args.iter().position(|a| a == "--kid").unwrap();
    args[i + 1] = kid.clone();
    let o = run_owned(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        format!("byok-ceremony: error: --kid '{kid}' ends with a '/': remove the trailing / (a versioned kid ends in /keys/KEY/VERSION)")
    );
    assert!(!out.exists());
}

/// Runs the binary in `dir` (relative paths are the point of some tests).
fn run_in(dir: &std::path::Path, args: &[String]) -> std::process::Output {
    Command::new(bin()).args(args).current_dir(dir).stdin(std::process::Stdio::null()).output().unwrap()
}

/// `generate_args` with a relative --out (the KEK path stays absolute).
fn relative_args(public: &std::path::Path, fpr: &str, out: &str, extra: &[&str]) -> Vec<String> {
    let mut args = generate_args(public, fpr, std::path::Path::new(out));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn regression_relative_shares_dir_passes_its_own_audit() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, public, fpr) = openssl_kek(tmp.path(), 2048);
    let o = run_in(tmp.path(), &relative_args(&public, &fpr, "sd10", &["--shares-dir", "ram10"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = std::fs::read_to_string(tmp.path().join("sd10/ceremony.log")).unwrap();
    let real = std::fs::canonicalize(tmp.path()).unwrap().join("ram10/share-01-of-03.txt");
    assert!(log.contains(&format!("\"path\":\"{}\"", real.display())), "{log}");
    let a = run_in(tmp.path(), &["audit".to_string(), "sd10".to_string()]);
    assert_eq!(a.status.code(), Some(0), "{}{}", stdout(&a), stderr(&a));
    assert!(!stdout(&a).contains("[FAIL]"), "{}", stdout(&a));
}

#[test]
fn regression_shares_dir_through_a_symlink_into_out_is_refused() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, public, fpr) = openssl_kek(tmp.path(), 2048);
    std::fs::create_dir(tmp.path().join("sd7")).unwrap();
    std::os::unix::fs::symlink("sd7", tmp.path().join("sd7link")).unwrap();
    let args = relative_args(&public, &fpr, "sd7", &["--shares-dir", "sd7link/sh"]);
    let o = run_in(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --shares-dir sd7link/sh must be outside --out sd7 (it keeps the shares off the transfer medium): choose another folder, e.g. on a RAM disk"
    );
    assert_eq!(std::fs::read_dir(tmp.path().join("sd7")).unwrap().count(), 0);
}

#[test]
fn regression_non_empty_shares_dir_names_shares_dir() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, public, fpr) = openssl_kek(tmp.path(), 2048);
    std::fs::create_dir(tmp.path().join("sdx")).unwrap();
    std::fs::write(tmp.path().join("sdx/f"), b"").unwrap();
    let o = run_in(tmp.path(), &relative_args(&public, &fpr, "o5", &["--shares-dir", "sdx"]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: sdx exists and is not empty: choose a new --shares-dir directory (outputs never mix with other files)"
    );
    assert!(!tmp.path().join("o5").exists());
}

#[test]
fn regression_unwritable_out_or_shares_dir_is_refused_before_the_log() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, public, fpr) = openssl_kek(tmp.path(), 2048);
    let o = run_owned(&generate_args(&public, &fpr, std::path::Path::new("/proc/foo")));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --out /proc/foo is not writable: no folder can be made in /proc (No such file or directory (os error 2)); choose a folder on a disk mounted read-write"
    );
    let out = tmp.path().join("o7");
    let mut args = generate_args(&public, &fpr, &out);
    args.extend(["--shares-dir", "/proc/sh"].map(String::from));
    let o = run_owned(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --shares-dir /proc/sh is not writable: no folder can be made in /proc (No such file or directory (os error 2)); choose a folder on a disk mounted read-write"
    );
    assert!(!out.exists(), "no log is opened");
}

#[test]
fn share_counts_and_witness_names_are_refused_before_the_fingerprint_is_asked() {
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let base = ["generate", "--kek", &kek, "--kid", MHSM_KID, "--label", "k", "--out", "/nonexistent/x"];
    let cases: [(&[&str], &str); 4] = [
        (&["--shares", "3", "--threshold", "5"], "--threshold 5 must be between 1 and --shares (3)"),
        (&["--shares", "0", "--threshold", "0"], "--shares 0: SLIP-39 makes 1 to 16 shares"),
        (&["--shares", "17", "--threshold", "3"], "--shares 17: SLIP-39 makes 1 to 16 shares"),
        (
            &["--no-escrow", "--operator", "Alice", "--operator", "Bob", "--witness", "ALICE"],
            "--witness 'ALICE' is, or looks like, the name of an operator or another witness: each person is named once, and a witness is not an operator",
        ),
    ];
    for (extra, want) in cases {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        // Off a terminal the fingerprint would be refused first had the tool got that far.
        assert_eq!(error_line(&o), format!("byok-ceremony: error: {want}"), "{extra:?}");
    }
}
