//! `audit`: an untouched ceremony directory passes; every tampering is found and named (exit 3).

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Two pristine demo directories, made once for the whole test binary (never modified).
fn pristine() -> &'static (PathBuf, PathBuf) {
    static DIRS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_audit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let make = |name: &str| {
            let out = root.join(name);
            let o = run(&["demo", "--out", out.to_str().unwrap()]);
            assert!(o.status.success(), "{}", stderr(&o));
            out
        };
        (make("a"), make("b"))
    })
}

/// A private copy of the first demo directory, to tamper with.
fn copy(tmp: &Path) -> PathBuf {
    let dst = tmp.join("copy");
    let ok = Command::new("cp").arg("-a").arg(&pristine().0).arg(&dst).status().unwrap().success();
    assert!(ok);
    dst
}

fn audit(dir: &Path, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["audit", dir.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let o = run(&args);
    let doc: Value = serde_json::from_str(stdout(&o).trim()).expect("exactly one JSON object on stdout");
    (o, doc)
}

fn failures(doc: &Value) -> Vec<String> {
    doc["failures"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// Tampers with a fresh copy, then expects exit 3 with `expected` among the named failures.
fn expect_fail(tamper: impl FnOnce(&Path), extra: &[&str], expected: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy(tmp.path());
    tamper(&dir);
    let (o, doc) = audit(&dir, extra);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(doc["ok"], false);
    let names = failures(&doc);
    let line = error_line(&o);
    assert!(line.starts_with("byok-ceremony: error: audit failed: "), "{line}");
    for want in expected {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
        assert!(line.contains(want), "{want} not named in {line}");
    }
}

fn edit(path: &Path, f: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = std::fs::read(path).unwrap();
    f(&mut bytes);
    std::fs::write(path, bytes).unwrap();
}

fn edit_lines(path: &Path, f: impl FnOnce(&mut Vec<String>)) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    f(&mut lines);
    std::fs::write(path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
}

#[test]
fn untouched_demo_passes_with_every_input_also_when_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy(tmp.path());
    let kek = tmp.path().join("demo-kek.pub.pem");
    std::fs::write(&kek, byok_ceremony::demo_kek::kek().unwrap().spki_der()).unwrap();
    let (o, first) = audit(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let signer = first["signer_fingerprint"].as_str().unwrap().to_string();
    let head = first["log_head_sha256"].as_str().unwrap().to_string();
    let words = byok_ceremony::audit::paper::PaperValue::of_hex(&head).unwrap().words;
    let s1 = dir.join("shares/share-01-of-03.txt");
    let s3 = dir.join("shares/share-03-of-03.txt");
    let (o, doc) = audit(
        &dir,
        &[
            "--expect-signer",
            &signer,
            "--expect-head",
            &words,
            "--kek",
            kek.to_str().unwrap(),
            "--share",
            s1.to_str().unwrap(),
            "--share",
            s3.to_str().unwrap(),
            "--binary",
            bin(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["outcome"], "completed");
    let ids: Vec<&str> =
        doc["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    for id in ["signer.expected", "head.expected", "kek", "share", "shares.combine", "binary", "qr.image"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    // Everything passes; only `witnesses` is skipped: the demo logs no witness.ack.
    for c in doc["checks"].as_array().unwrap() {
        let want = if c["id"] == "witnesses" { "skip" } else { "pass" };
        assert_eq!(c["status"], want, "{c}");
    }
    // The human checklist goes to stdout without --json, and ends with the verdict.
    let o = run(&["audit", dir.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("[ok  ] log.chain: "), "{}", stdout(&o));
    assert!(stdout(&o).trim_end().ends_with("not checked)"), "{}", stdout(&o));
}

#[test]
fn share_files_handed_out_are_not_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy(tmp.path());
    std::fs::remove_dir_all(dir.join("shares")).unwrap();
    let (o, doc) = audit(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let skipped = doc["checks"].as_array().unwrap().iter().filter(|c| c["status"] == "skip").count();
    assert_eq!(
        skipped,
        1 + 1 + 9,
        "signer.expected, witnesses (none logged) and the nine share files (text, QR code, sheet)"
    );
}

#[test]
fn log_tampering_is_named() {
    let log = |d: &Path| d.join("ceremony.log");
    expect_fail(|d| edit(&log(d), |b| b[300] ^= 1), &[], &["log.chain", "log.signature"]);
    expect_fail(|d| edit_lines(&log(d), |l| drop(l.remove(5))), &[], &["log.chain"]);
    expect_fail(|d| edit_lines(&log(d), |l| drop(l.remove(0))), &[], &["log.chain"]);
    expect_fail(|d| edit_lines(&log(d), |l| drop(l.pop())), &[], &["log.chain"]);
    expect_fail(|d| edit_lines(&log(d), |l| l.swap(3, 4)), &[], &["log.chain"]);
    expect_fail(|d| edit(&log(d), |b| b.truncate(b.len() - 20)), &[], &["log.chain", "log.signature"]);
    // The same content with two keys swapped: valid JSON, but not the canonical bytes.
    expect_fail(
        |d| {
            edit_lines(&log(d), |l| {
                l[4] = l[4].replacen(r#""kcv":"#, r#""kcv_x":"#, 1);
                let v: Value = serde_json::from_str(&l[4].replace("kcv_x", "kcv")).unwrap();
                l[4] = serde_json::to_string(&v).unwrap();
            })
        },
        &[],
        &["log.chain"],
    );
}

#[test]
fn signature_and_signer_tampering_is_named() {
    let other = &pristine().1;
    let cp = |name: &'static str| {
        move |d: &Path| {
            std::fs::copy(other.join(name), d.join(name)).unwrap();
        }
    };
    expect_fail(cp("ceremony.log.sig"), &[], &["log.signature"]);
    expect_fail(cp("ceremony.pub"), &[], &["log.signature", "artifact ceremony.pub"]);
    // A forger re-signs everything with their own key: only the paper value catches it.
    let theirs = std::fs::read_to_string(other.join("ceremony.pub")).unwrap();
    let fpr = byok_ceremony::audit::signers::ssh_form(
        &byok_ceremony::audit::signers::parse_signer_fingerprint(&fingerprint_of(&theirs)).unwrap(),
    );
    expect_fail(|_| {}, &["--expect-signer", &fpr], &["signer.expected"]);
    expect_fail(|_| {}, &["--expect-head", &"ab".repeat(32)], &["head.expected"]);
}

/// `SHA256:...` of an OpenSSH public key line, computed as ssh-keygen -lf does.
fn fingerprint_of(public_line: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let blob =
        base64::engine::general_purpose::STANDARD.decode(public_line.split(' ').nth(1).unwrap()).unwrap();
    format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(sha2::Sha256::digest(blob)))
}

#[test]
fn artifact_tampering_is_named() {
    expect_fail(
        |d| edit(&d.join("demo-key.byok"), |b| b[400] ^= 1),
        &[],
        &["artifact demo-key.byok", "blob demo-key.byok", "qr.chunks"],
    );
    expect_fail(
        |d| edit(&d.join("qr/chunk-02-of-04.png"), |b| b[60] ^= 0x40),
        &[],
        &["artifact qr/chunk-02-of-04.png", "qr.image qr/chunk-02-of-04.png"],
    );
    expect_fail(
        |d| {
            let svg = std::fs::read(d.join("qr/chunk-01-of-04.svg")).unwrap();
            std::fs::write(d.join("qr/chunk-02-of-04.svg"), svg).unwrap();
        },
        &[],
        &["artifact qr/chunk-02-of-04.svg", "qr.image qr/chunk-02-of-04.svg"],
    );
    expect_fail(
        |d| edit_lines(&d.join("qr/chunks.txt"), |l| drop(l.pop())),
        &[],
        &["artifact qr/chunks.txt", "qr.chunks"],
    );
    expect_fail(|d| std::fs::write(d.join("notes.txt"), b"hi").unwrap(), &[], &["files.unlogged"]);
    expect_fail(
        |d| std::fs::remove_file(d.join("qr/chunk-03-of-04.svg")).unwrap(),
        &[],
        &["artifact qr/chunk-03-of-04.svg", "qr.image qr/chunk-03-of-04.svg"],
    );
    expect_fail(|d| edit(&d.join("SHA256SUMS"), |b| b[5] ^= 1), &[], &["sha256sums"]);
    expect_fail(
        |d| edit(&d.join("shares/share-01-of-03.txt"), |b| b[520] ^= 1),
        &[],
        &["artifact shares/share-01-of-03.txt"],
    );
}

#[test]
fn wrong_inputs_are_named() {
    let other = &pristine().1;
    let theirs = other.join("shares/share-01-of-03.txt");
    let tmp = tempfile::tempdir().unwrap();
    let kek = tmp.path().join("other.der");
    let (_, public, _) = if peer_available("openssl") { openssl_kek(tmp.path(), 2048) } else { return };
    std::fs::copy(&public, &kek).unwrap();
    expect_fail(|_| {}, &["--kek", kek.to_str().unwrap()], &[&format!("kek {}", kek.display())]);
    expect_fail(|_| {}, &["--share", theirs.to_str().unwrap()], &[&format!("share {}", theirs.display())]);
    let bad = tmp.path().join("bad-share.txt");
    let text = std::fs::read_to_string(pristine().0.join("shares/share-02-of-03.txt")).unwrap();
    let last = text.lines().last().unwrap();
    let swapped = last.replacen(last.split(' ').nth(5).unwrap(), "academic", 1);
    std::fs::write(&bad, text.replace(last, &swapped)).unwrap();
    expect_fail(|_| {}, &["--share", bad.to_str().unwrap()], &[&format!("share {}", bad.display())]);
    let one = pristine().0.join("shares/share-02-of-03.txt");
    expect_fail(|_| {}, &["--share", one.to_str().unwrap()], &["shares.combine"]);
    expect_fail(|_| {}, &["--binary", kek.to_str().unwrap()], &[&format!("binary {}", kek.display())]);
}

#[test]
fn unusable_inputs_are_usage_errors() {
    let dir = &pristine().0;
    let o = run(&["audit", dir.to_str().unwrap(), "--expect-signer", "SHA256:nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        error_line(&o).starts_with("byok-ceremony: error: --expect-signer is not a fingerprint ("),
        "{}",
        error_line(&o)
    );
    let o = run(&["audit", "/nonexistent/ceremony"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: /nonexistent/ceremony is not a directory: give the ceremony directory (the one holding ceremony.log)"
    );
}

#[test]
fn generate_dir_with_shares_elsewhere_passes_and_aborted_is_reported() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, public, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("ceremony");
    let shares = tmp.path().join("ram/shares");
    let mut args = generate_args(&public, &fpr, &out);
    args.extend(["--shares-dir".to_string(), shares.display().to_string()]);
    let o = run_owned(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let share = shares.join("share-02-of-03.txt");
    let (o, doc) = audit(
        &out,
        &[
            "--kek",
            public.to_str().unwrap(),
            "--share",
            share.to_str().unwrap(),
            "--share",
            shares.join("share-03-of-03.txt").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(doc["ok"], true);

    let aborted = tmp.path().join("aborted");
    let o = run_owned(&generate_args(&public, &"0".repeat(64), &aborted));
    assert_eq!(o.status.code(), Some(3));
    let (o, doc) = audit(&aborted, &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(doc["outcome"], "aborted");
    assert_eq!(failures(&doc), ["ceremony.outcome"]);
    assert!(
        error_line(&o).starts_with("byok-ceremony: error: aborted ceremony, log intact"),
        "{}",
        error_line(&o)
    );
}

#[test]
fn peer_tools_verify_the_same_directory() {
    let dir = &pristine().0;
    if peer_available("sha256sum") {
        let o = Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    }
    if peer_available("ssh-keygen") {
        let tmp = tempfile::tempdir().unwrap();
        let public = std::fs::read_to_string(dir.join("ceremony.pub")).unwrap();
        let allowed = tmp.path().join("allowed_signers");
        std::fs::write(&allowed, format!("ceremony namespaces=\"byok-ceremony\" {public}")).unwrap();
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ssh-keygen -Y verify -f '{}' -I ceremony -n byok-ceremony -s ceremony.log.sig < ceremony.log",
                allowed.display()
            ))
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // The same allowed_signers file is accepted by audit --allowed-signers.
        let (o, doc) = audit(dir, &["--allowed-signers", allowed.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(doc["checks"].as_array().unwrap().iter().any(|c| c["id"] == "signer.allowed"));
    }
}

#[test]
fn expect_signer_garbage_gets_one_sentence_with_the_advice_once() {
    let dir = &pristine().0;
    let o = run(&["audit", dir.to_str().unwrap(), "--expect-signer", "garbage"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --expect-signer is not a fingerprint (it has 1 word, not the 32 PGP words): give the signer fingerprint from the paper, as SHA256:... (what `ssh-keygen -lf ceremony.pub` prints), 64 hex digits or the 32 PGP words"
    );
    let o = run(&["audit", dir.to_str().unwrap(), "--expect-signer", "ab:cd"]);
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --expect-signer is not a fingerprint (it has 4 hex digits, not 64): give the signer fingerprint from the paper, as SHA256:... (what `ssh-keygen -lf ceremony.pub` prints), 64 hex digits or the 32 PGP words"
    );
}
