//! `shares check`: what it prints, and every refusal with its exact message and exit code.

mod common;

use byok_ceremony::kcv::aes_check_values;
use byok_ceremony::slip39::{self, Share, SplitParams};
use common::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KEY: [u8; 32] = [0x5a; 32];

fn split(secret: &[u8], pass: &[u8], t: u8, n: u8, seed: u64) -> Vec<Share> {
    let params = SplitParams { threshold: t, count: n, iteration_exponent: 0, extendable: true };
    slip39::split(secret, pass, &params, &mut ChaCha20Rng::seed_from_u64(seed)).unwrap()
}

fn kcv(secret: &[u8]) -> String {
    aes_check_values(secret).unwrap().kcv
}

/// Writes `text` as `dir/name` and returns the path.
fn put(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A share file as byok-ceremony writes it.
fn share_file(dir: &Path, name: &str, share: &Share, kcv: &str) -> PathBuf {
    let text = format!(
        "# byok-ceremony SLIP-39 escrow share\n# ceremony: AAAA-BBBB-CCCC-DDDD\n# label: k1\n# kcv: {kcv}\n{}\n",
        share.mnemonic()
    );
    put(dir, name, &text)
}

fn check(files: &[&Path]) -> Output {
    let mut args = vec!["shares".to_string(), "check".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    run_owned(&args)
}

fn refused(o: &Output, code: i32, message: &str) {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    assert_eq!(error_line(o), format!("byok-ceremony: error: {message}"));
    assert!(!stdout(o).contains(&hex::encode(KEY)) && !stderr(o).contains(&hex::encode(KEY)));
}

#[test]
fn good_shares_print_only_the_check_values_and_the_ceremony() {
    let tmp = tempfile::tempdir().unwrap();
    let s = split(&KEY, b"", 2, 3, 1);
    let k = kcv(&KEY);
    let files: Vec<PathBuf> = s
        .iter()
        .enumerate()
        .map(|(i, s)| share_file(tmp.path(), &format!("s{}.txt", i + 1), s, &k))
        .collect();
    let o = check(&[&files[0], &files[2], &files[1]]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let cv = aes_check_values(&KEY).unwrap();
    assert_eq!(
        out,
        format!(
            "ceremony:         AAAA-BBBB-CCCC-DDDD (k1)\nshare set:        {}, any 2 shares recover the key\nshares:           3 given, threshold met; all 3 subsets of 2 agree\nkey check value:  {}   (kcv_cmac {}; equal to the share files' kcv)\n",
            s[0].identifier(),
            cv.kcv,
            cv.kcv_cmac
        )
    );
    assert!(stderr(&o).contains("  [ok  ] share 2 (s3.txt): set "), "{}", stderr(&o));
    for share in &s {
        for word in share.mnemonic().split(' ').skip(4) {
            assert!(!out.contains(&format!(" {word} ")), "a share word on stdout: {out}");
        }
    }
    let o = run_owned(&[
        "shares".into(),
        "check".into(),
        "--json".into(),
        files[0].display().to_string(),
        files[1].display().to_string(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["kcv"], cv.kcv.as_str());
    assert_eq!(doc["ceremony_id"], "AAAA-BBBB-CCCC-DDDD");
    assert_eq!(doc["threshold_met"], true);
    assert_eq!(doc["kcv_matches_share_files"], true);
}

#[test]
fn refusals_name_the_share_with_exact_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let k = kcv(&KEY);
    let a = split(&KEY, b"", 2, 3, 5);
    let a1 = share_file(d, "a1.txt", &a[0], &k);
    let a2 = share_file(d, "a2.txt", &a[1], &k);
    let a1_copy = share_file(d, "a1-copy.txt", &a[0], &k);
    refused(
        &check(&[&a1, &a2, &a1_copy]),
        3,
        "share 3 (a1-copy.txt) is the same share as share 1 (a1.txt): remove one and add another custodian's share",
    );
    // Same seed, another secret: same set identifier, same index, another value.
    let impostor = split(&[9u8; 32], b"", 2, 3, 5);
    let i2 = put(d, "i2.txt", impostor[1].mnemonic());
    refused(&check(&[&a2, &i2]), 3, "share 2 (i2.txt) and share 1 (a2.txt) are different shares with the same index (member 2): one is corrupted or from another set; compare both with their paper copies");
    let b = split(&KEY, b"", 2, 3, 6);
    let b2 = share_file(d, "b2.txt", &b[1], &k);
    refused(
        &check(&[&a1, &b2]),
        3,
        "share 2 (b2.txt) is from a different share set than share 1 (a1.txt): use the shares of one ceremony only",
    );
    refused(&check(&[&a2]), 3, "too few shares: have 1, need 2; add another custodian's share of this set");

    let words: Vec<&str> = a[2].mnemonic().split(' ').collect();
    let mut typo = words.clone();
    typo[11] = "xylophone";
    let t = put(d, "typo.txt", &typo.join(" "));
    let o = check(&[&a1, &t]);
    refused(&o, 3, "share 2 (typo.txt): word 12 is not a SLIP-39 word; correct it from the paper copy");
    assert!(stderr(&o).contains("  [ok  ] share 1 (a1.txt)"), "{}", stderr(&o));
    let mut swapped = words.clone();
    swapped[14] = if words[14] == "academic" { "acid" } else { "academic" };
    let w = put(d, "swapped.txt", &swapped.join(" "));
    refused(&check(&[&a1, &w]), 3, "share 2 (swapped.txt): checksum mismatch, word 15 is most likely wrong; re-read the words from the paper copy");
    let short = put(d, "short.txt", &words[..30].join(" "));
    refused(&check(&[&short, &a1]), 3, "share 1 (short.txt): 30 words is not a share length (20, 27 or 33 for AES keys); re-read the share from the paper copy");
    let empty = put(d, "empty.txt", "# nothing\n\n");
    refused(
        &check(&[&empty]),
        2,
        "share 1 (empty.txt): no mnemonic line (only comments or blank lines); give the share's .txt file",
    );
    let missing = d.join("missing.txt");
    let o = check(&[&missing]);
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).starts_with(&format!(
        "byok-ceremony: error: share 1 (missing.txt): {}: cannot read the file (",
        missing.display()
    )));
    refused(
        &run(&["shares", "check"]),
        2,
        "no share given: name the share files (FILE...), or run on a terminal to type them",
    );
}

#[test]
fn a_share_that_passes_its_checksum_but_is_wrong_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let good = split(&KEY, b"", 2, 4, 1);
    let other = split(&[9u8; 32], b"", 2, 4, 1);
    let f: Vec<PathBuf> = [&good[0], &good[1], &other[2], &good[3]]
        .iter()
        .enumerate()
        .map(|(i, s)| put(d, &format!("s{}.txt", i + 1), s.mnemonic()))
        .collect();
    let refs: Vec<&Path> = f.iter().map(PathBuf::as_path).collect();
    refused(&check(&refs), 3, &format!("share 3 (s3.txt) passes its checksum but is wrong: every 2 of the other shares agree (key check value {}) and it does not; set it aside and fetch its paper copy", kcv(&KEY)));
    refused(&check(&refs[1..3]), 3, "the 2 shares do not combine to a consistent key: one of them is wrong, which cannot be told with exactly the threshold; add another share of this set to find it");
}

/// `shares check --share-passphrase-fd 3` with the passphrase on descriptor 3 (never in argv).
fn check_with_fd(files: &[&Path], passphrase_file: &Path) -> Output {
    let mut script = format!("exec '{}' shares check --share-passphrase-fd 3", bin());
    for f in files {
        script.push_str(&format!(" '{}'", f.display()));
    }
    script.push_str(&format!(" 3<'{}'", passphrase_file.display()));
    Command::new("sh").arg("-c").arg(script).stdin(std::process::Stdio::null()).output().unwrap()
}

#[test]
fn a_wrong_or_missing_passphrase_is_caught_by_the_key_check_value() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let s = split(&KEY, b"correct horse", 2, 3, 8);
    let k = kcv(&KEY);
    let f1 = share_file(d, "p1.txt", &s[0], &k);
    let f3 = share_file(d, "p3.txt", &s[2], &k);
    let good = put(d, "pass", "correct horse\n");
    let o = check_with_fd(&[&f1, &f3], &good);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("key check value:  {k} ")), "{}", stdout(&o));

    let mismatch = |o: &Output| {
        assert_eq!(o.status.code(), Some(3), "{}", stderr(o));
        let line = error_line(o);
        assert!(line.starts_with("byok-ceremony: error: the shares combine to key check value "), "{line}");
        assert!(line.ends_with(&format!(", but the share files' '# kcv:' line says {k}: a wrong or missing share passphrase gives a different key (SLIP-39 cannot tell, the key check value does); give the passphrase used at the ceremony")), "{line}");
    };
    mismatch(&check(&[&f1, &f3]));
    let wrong = put(d, "wrong", "correct horse battery\n");
    mismatch(&check_with_fd(&[&f1, &f3], &wrong));

    let bad = put(d, "bad", "caf\u{e9}\n");
    // regression: a non-ASCII passphrase read from a descriptor: nothing was typed, so no "type it again".
    refused(
        &check_with_fd(&[&f1, &f3], &bad),
        2,
        "--share-passphrase-fd 3: the passphrase in it is not printable ASCII (space to '~'), as SLIP-39 requires: write it with ASCII characters only",
    );
    let two_lines = put(d, "two-lines", "correct\nhorse\n");
    refused(
        &check_with_fd(&[&f1, &f3], &two_lines),
        2,
        "--share-passphrase-fd 3: it holds more than one line: write the passphrase alone on one line",
    );
    // regression: an empty descriptor was taken silently as "no passphrase".
    let empty_message = "--share-passphrase-fd 3: the file is empty: put the passphrase in it, or leave out --share-passphrase-fd for shares without one";
    for (name, text) in [("empty", ""), ("newline", "\n")] {
        refused(&check_with_fd(&[&f1, &f3], &put(d, name, text)), 2, empty_message);
    }
    refused(&check_with_fd(&[&f1, &f3], Path::new("/dev/null")), 2, empty_message);
    refused(
        &run(&["shares", "check", "--share-passphrase", &f1.display().to_string()]),
        2,
        "--share-passphrase is typed on a terminal: in scripts use --share-passphrase-fd N",
    );
    let o = run(&["shares", "check", "--share-passphrase-fd", "9", &f1.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).starts_with("byok-ceremony: error: --share-passphrase-fd 9: cannot read it ("));
}

#[test]
fn regression_a_file_holding_two_shares_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let s = split(&KEY, b"", 2, 3, 1);
    let k = kcv(&KEY);
    let one = std::fs::read_to_string(share_file(tmp.path(), "s1.txt", &s[0], &k)).unwrap();
    let two = std::fs::read_to_string(share_file(tmp.path(), "s2.txt", &s[1], &k)).unwrap();
    let both = put(tmp.path(), "two.txt", &format!("{one}{two}"));
    let third = share_file(tmp.path(), "s3.txt", &s[2], &k);
    refused(&check(&[&both, &third]), 2, "share 1 (two.txt) holds 2 shares: give one share per file");
    let bare = put(tmp.path(), "bare.txt", &format!("{}\n{}\n", s[0].mnemonic(), s[1].mnemonic()));
    refused(&check(&[&third, &bare]), 2, "share 2 (bare.txt) holds 2 shares: give one share per file");
}

/// `shares check` combines the whole key: as uid 65534 under a 64 KiB RLIMIT_MEMLOCK it cannot lock
/// memory and refuses (exit 4) before reading a share, unless --allow-unlocked-memory is given; so
/// does `audit --share`.
#[test]
fn shares_check_refuses_unlocked_memory_unless_allowed() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root || !peer_available("setpriv") || !peer_available("prlimit") {
        eprintln!("skipping: this test switches to uid 65534 (needs root, setpriv, prlimit)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = split(&KEY, b"", 2, 2, 1);
    let k = kcv(&KEY);
    let files: Vec<PathBuf> =
        s.iter().enumerate().map(|(i, s)| share_file(tmp.path(), &format!("s{i}.txt"), s, &k)).collect();
    for f in &files {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let nobody = |extra: &[&str]| {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--memlock=65536", bin()])
            .args(["shares", "check"])
            .args(&files)
            .args(extra);
        c.stdin(std::process::Stdio::null()).output().unwrap()
    };
    let o = nobody(&[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(error_line(&o).contains("RLIMIT_MEMLOCK"), "{}", stderr(&o));
    assert!(error_line(&o).contains("ulimit -l"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Checking"), "no share may be read: {}", stderr(&o));
    let o = nobody(&["--allow-unlocked-memory"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("key check value:  {k}")), "{}", stdout(&o));

    // audit locks memory only when --share is given, and refuses the same way.
    let audit = |extra: &[&str]| {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--memlock=65536", bin()])
            .args(["audit", "/nonexistent"])
            .args(extra);
        c.stdin(std::process::Stdio::null()).output().unwrap()
    };
    let share = files[0].display().to_string();
    let o = audit(&["--share", &share]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(error_line(&o).contains("RLIMIT_MEMLOCK"), "{}", stderr(&o));
    for extra in [&["--share", &share, "--allow-unlocked-memory"][..], &[]] {
        let o = audit(extra);
        assert_ne!(o.status.code(), Some(4), "{}", stderr(&o));
    }
}

/// With a lock possible, the shares are read only once memory is locked, and stderr says so.
#[test]
fn shares_check_locks_memory_before_reading_shares() {
    let tmp = tempfile::tempdir().unwrap();
    let s = split(&KEY, b"", 2, 2, 1);
    let k = kcv(&KEY);
    let a = share_file(tmp.path(), "a.txt", &s[0], &k);
    let b = share_file(tmp.path(), "b.txt", &s[1], &k);
    let o = check(&[&a, &b]);
    if o.status.code() == Some(4) {
        eprintln!("skipping: memory cannot be locked here: {}", error_line(&o));
        return;
    }
    let err = stderr(&o);
    let locked = err.find("Memory locked before reading the shares").expect(&err);
    assert!(locked < err.find("Checking 2 share(s)").unwrap(), "{err}");
}
