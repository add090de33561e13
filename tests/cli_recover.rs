//! `recover` end to end: generate, recover with K shares into a second OpenSSL KEK, OpenSSL unwraps
//! the new blob to the same key, the recovered directory passes `audit` and the peer check; and the
//! refusals before anything is written.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn log_field(dir: &Path, event: &str, field: &str) -> serde_json::Value {
    let log = std::fs::read_to_string(dir.join("ceremony.log")).unwrap();
    log.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["event"] == event)
        .map(|v| v[field].clone())
        .unwrap_or(serde_json::Value::Null)
}

fn no_key_in(o: &Output, key: &[u8]) {
    for text in [stdout(o), stderr(o)] {
        assert!(!text.contains(&hex::encode(key)) && !text.contains(&hex::encode_upper(key)));
    }
}

#[test]
fn recover_into_a_new_kek_unwraps_to_the_same_key_and_audits() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let first = d.join("k1");
    let second = d.join("k2");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    let (private1, public1, fpr1) = openssl_kek(&first, 2048);
    let (private2, public2, fpr2) = openssl_kek(&second, 3072);
    let c1 = d.join("c1");
    let gen = run_owned(&generate_args(&public1, &fpr1, &c1));
    assert!(gen.status.success(), "{}", stderr(&gen));
    let key = openssl_unwrap(&c1.join("contoso-key.byok"), &private1, "sha1", d);
    let original_id = log_field(&c1, "ceremony.started", "ceremony_id");

    let s1 = c1.join("shares/share-01-of-03.txt");
    let s3 = c1.join("shares/share-03-of-03.txt");
    let check = run(&["shares", "check", &s3.display().to_string(), &s1.display().to_string()]);
    assert!(check.status.success(), "{}", stderr(&check));
    let kcv = log_field(&c1, "key.generated", "kcv");
    assert!(stdout(&check).contains(&format!("key check value:  {} ", kcv.as_str().unwrap())));
    assert!(stdout(&check).contains(&format!("ceremony:         {} ", original_id.as_str().unwrap())));

    let c2 = d.join("c2");
    let mut args = recover_args(&[&s3, &s1], &public2, &fpr2, &c2);
    args.extend(["--original-log".into(), c1.join("ceremony.log").display().to_string()]);
    let rec = run_owned(&args);
    assert!(rec.status.success(), "{}", stderr(&rec));
    assert!(stdout(&rec)
        .contains(&format!("  recovered from:             ceremony {}\n", original_id.as_str().unwrap())));
    assert_eq!(openssl_unwrap(&c2.join("contoso-key.byok"), &private2, "sha1", d), key);

    // The new log names the original ceremony and what the key check value was compared with.
    assert_eq!(log_field(&c2, "ceremony.started", "mode"), "recover");
    assert_eq!(log_field(&c2, "ceremony.started", "original_ceremony_id"), original_id);
    assert_eq!(log_field(&c2, "key.recovered", "original_ceremony_id"), original_id);
    assert_eq!(log_field(&c2, "key.recovered", "kcv"), kcv);
    assert_eq!(
        log_field(&c2, "key.recovered", "kcv_checked_against"),
        serde_json::json!(["share files", "original log (signature verified)"])
    );
    assert_ne!(log_field(&c2, "ceremony.started", "ceremony_id"), original_id);

    // The recovered directory passes audit, with the new shares combining to the same key.
    let n1 = c2.join("shares/share-01-of-03.txt");
    let n2 = c2.join("shares/share-02-of-03.txt");
    let audit = run(&[
        "audit",
        &c2.display().to_string(),
        "--kek",
        &public2.display().to_string(),
        "--share",
        &n1.display().to_string(),
        "--share",
        &n2.display().to_string(),
    ]);
    assert_eq!(audit.status.code(), Some(0), "{}", stderr(&audit));
    let report = stdout(&audit) + &stderr(&audit);
    assert!(report.contains("[ok  ] log.events: every step is logged once and in order (ceremony.started, environment.checked, kek.loaded, kek.fingerprint_verified, key.recovered,"), "{report}");
    assert!(report.contains("[ok  ] shares.combine: 2 shares combine to a key with the logged check values"));

    // The key is in no output and no file of either ceremony.
    for o in [&gen, &check, &rec, &audit] {
        no_key_in(o, &key);
    }
    assert_no_leak(&c1, &key);
    assert_no_leak(&c2, &key);

    if let Some(peer) = interop_check() {
        let r = Command::new(peer)
            .arg(&c2)
            .arg("--kek-private")
            .arg(&private2)
            .args(["--kid", MHSM_KID, "--bin", bin()])
            .output()
            .unwrap();
        assert!(r.status.success(), "{}{}", stdout(&r), stderr(&r));
    }

    // Ours read by the reference implementation: the same key.
    if let Some(py) = python_shamir() {
        let words = |p: &PathBuf| {
            std::fs::read_to_string(p).unwrap().lines().find(|l| !l.starts_with('#')).unwrap().to_string()
        };
        let hex_key = py_combine(py, &[words(&s1), words(&s3)], "");
        assert_eq!(hex_key, hex::encode(&key));
    }
}

#[test]
fn recover_refuses_before_anything_is_written() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let demo = d.join("demo");
    let o = run(&["demo", "--out", &demo.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, kek, fpr) = openssl_kek(d, 2048);
    let shares: Vec<PathBuf> = (1..=3).map(|i| demo.join(format!("shares/share-0{i}-of-03.txt"))).collect();
    let out = d.join("new");
    let refused = |args: Vec<String>, code: i32, message: &str| {
        let o = run_owned(&args);
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        assert_eq!(error_line(&o), format!("byok-ceremony: error: {message}"));
        assert!(!out.exists(), "{message}: the new ceremony directory was created");
    };
    refused(
        recover_args(&[&shares[0]], &kek, &fpr, &out),
        3,
        "too few shares: have 1, need 2; add another custodian's share of this set",
    );
    refused(
        recover_args(&[&shares[0], &shares[0]], &kek, &fpr, &out),
        3,
        "share 2 (share-01-of-03.txt) is the same share as share 1 (share-01-of-03.txt): remove one and add another custodian's share",
    );
    let mut wrong = recover_args(&[&shares[0], &shares[1]], &kek, &fpr, &out);
    wrong.extend(["--expect-kcv".into(), "00 00 00".into()]);
    let o = run_owned(&wrong);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let line = error_line(&o);
    assert!(
        line.ends_with(
            ", but --expect-kcv says 000000: the share files' '# kcv:' line agrees with the shares, so --expect-kcv is mistyped or from another ceremony: check it against the paper transcript"
        ),
        "{line}"
    );
    assert!(!out.exists());

    // regression: a kcv mismatch with the log of another ceremony names both ceremonies, not the passphrase.
    let other = d.join("other");
    let o = run(&["demo", "--out", &other.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let id = |dir: &Path| log_field(dir, "ceremony.started", "ceremony_id").as_str().unwrap().to_string();
    let mut args = recover_args(&[&shares[0], &shares[1]], &kek, &fpr, &out);
    let other_log = other.join("ceremony.log");
    args.extend(["--original-log".into(), other_log.display().to_string()]);
    let o = run_owned(&args);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let line = error_line(&o);
    let tail = format!(
        ", but the original log {} says {}: the log is of ceremony {}, the share files of ceremony {}: give the log of the ceremony that made these shares",
        other_log.display(),
        log_field(&other, "key.generated", "kcv").as_str().unwrap(),
        id(&other),
        id(&demo)
    );
    assert!(line.ends_with(&tail), "{line}");
    assert!(!line.contains("passphrase"), "{line}");
    assert!(!out.exists());

    // regression: a file holding two shares (files concatenated) is refused, not read as one.
    let two = d.join("two.txt");
    let joined = [&shares[0], &shares[1]].map(|p| std::fs::read_to_string(p).unwrap()).concat();
    std::fs::write(&two, joined).unwrap();
    refused(
        recover_args(&[&two, &shares[2]], &kek, &fpr, &out),
        2,
        "share 1 (two.txt) holds 2 shares: give one share per file",
    );

    // Bare mnemonics (another tool's files) and nothing to compare the key with.
    let bare: Vec<PathBuf> = shares[..2]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let text = std::fs::read_to_string(s).unwrap();
            let p = d.join(format!("bare{}.txt", i + 1));
            std::fs::write(&p, text.lines().find(|l| !l.starts_with('#')).unwrap()).unwrap();
            p
        })
        .collect();
    refused(
        recover_args(&[&bare[0], &bare[1]], &kek, &fpr, &out),
        2,
        "no key check value to compare with: the shares carry none (no '# kcv:' line in the share files); give --expect-kcv HEX from the paper transcript or --original-log DIR/ceremony.log",
    );
    let mut bad = recover_args(&[&bare[0], &bare[1]], &kek, &fpr, &out);
    bad.extend(["--expect-kcv".into(), "xyz".into()]);
    refused(bad, 2, "--expect-kcv: give the 6 hex digits of the key check value (kcv) from the transcript");
    // regression: --original-log /dev/zero read forever.
    let mut zero = recover_args(&[&shares[0], &shares[1]], &kek, &fpr, &out);
    zero.extend(["--original-log".into(), "/dev/zero".into()]);
    refused(
        zero,
        2,
        "--original-log /dev/zero: over 16 MiB, not a ceremony log; give the original DIR/ceremony.log",
    );
    refused(
        recover_args(&[], &kek, &fpr, &out),
        2,
        "no share given: name the share files (--share FILE), or run on a terminal to type them",
    );
    let mut with_log = recover_args(&[&bare[0], &bare[1]], &kek, &fpr, &out);
    with_log.extend(["--original-log".into(), demo.join("ceremony.log").display().to_string()]);
    let o = run_owned(&with_log);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn regression_recover_help_says_what_key_type_and_share_passphrase_mean_for_recover() {
    let o = run(&["recover", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "--key-type <TYPE> The type of the key being recovered: aes-256, aes-192 or aes-128. Read from the shares (their word count); give it only to double-check, a different type is refused",
        "--share-passphrase The old shares have a SLIP-39 passphrase: type it once on the terminal (echo off). It unlocks the old shares and also protects the new ones (docs/escrow.md). A wrong passphrase gives a different key, which the key check value catches",
        "--share-passphrase-fd <N> Read the share passphrase from this open file descriptor (scripts; never put it in argv): it unlocks the old shares and also protects the new ones",
    ] {
        assert!(help.contains(want), "{want}\nnot in:\n{help}");
    }
    assert!(!help.contains("The key to generate"), "{help}");
    assert!(!help.contains("typed twice"), "{help}");
    // regression: --dice was offered, and always refused.
    assert!(!help.contains("--dice"), "{help}");
    let generate = stdout(&run(&["generate", "--help"]));
    assert!(generate.contains("The key to generate"), "{generate}");
}
