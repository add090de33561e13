//! Helpers shared by the CLI tests: run the binary, make OpenSSL KEKs, find the peer tools.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const MHSM_KID: &str =
    "https://contoso.managedhsm.azure.net/keys/byok-kek/0123456789abcdef0123456789abcdef";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_byok-ceremony")
}

pub fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).stdin(std::process::Stdio::null()).output().expect("run byok-ceremony")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The last line on stderr: where the one-line error is.
pub fn error_line(o: &Output) -> String {
    stderr(o).lines().last().unwrap_or("").to_string()
}

/// When CI=true, a missing peer tool fails the test instead of skipping it.
pub fn peer_available(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var("CI").as_deref() == Ok("true") {
        panic!("peer tool '{tool}' is missing, and CI=true: install it (see .ci/run)");
    }
    if !found {
        eprintln!("skipping: peer tool '{tool}' is not installed");
    }
    found
}

/// A fresh OpenSSL RSA KEK: (private PEM path, public PEM path, fingerprint hex).
pub fn openssl_kek(dir: &Path, bits: u32) -> (PathBuf, PathBuf, String) {
    let private = dir.join(format!("kek-{bits}.key"));
    let public = dir.join(format!("kek-{bits}.pub.pem"));
    let ok = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", &format!("rsa_keygen_bits:{bits}"), "-out"])
        .arg(&private)
        .output()
        .expect("openssl genpkey")
        .status
        .success();
    assert!(ok, "openssl genpkey failed");
    let ok = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(&private)
        .arg("-out")
        .arg(&public)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let fpr = Command::new("sh")
        .arg("-c")
        .arg(format!("openssl pkey -pubin -in '{}' -outform DER | sha256sum", public.display()))
        .output()
        .unwrap();
    let fpr = String::from_utf8(fpr.stdout).unwrap().split_whitespace().next().unwrap().to_string();
    (private, public, fpr)
}

/// `generate` arguments for a real-looking ceremony; tests add or override flags.
pub fn generate_args(kek: &Path, fpr: &str, out: &Path) -> Vec<String> {
    [
        "generate",
        "--kek",
        &kek.display().to_string(),
        "--kek-fingerprint",
        fpr,
        "--kid",
        MHSM_KID,
        "--shares",
        "3",
        "--threshold",
        "2",
        "--label",
        "contoso-key",
        "--out",
        &out.display().to_string(),
        "--operator",
        "Alice Example",
        "--operator",
        "Bob Example",
        "--allow-network",
        "--allow-swap",
        "--allow-unlocked-memory",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub fn run_owned(args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&refs)
}

/// The peer check shipped beside the project (../shared/tools/interop-check).
pub fn interop_check() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/interop-check");
    if p.exists() {
        Some(p)
    } else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/tools/interop-check is missing, and CI=true");
        }
        None
    }
}

/// Every file below `dir`, recursively.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Relative names of the files below `dir`.
pub fn names(dir: &Path) -> Vec<String> {
    all_files(dir).iter().map(|p| p.strip_prefix(dir).unwrap().display().to_string()).collect()
}

/// OpenSSL's command line undoes CKM_RSA_AES_KEY_WRAP: pkeyutl OAEP, then enc -id-aes256-wrap-pad.
pub fn openssl_unwrap(blob_file: &Path, private: &Path, hash: &str, work: &Path) -> Vec<u8> {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(blob_file).unwrap()).unwrap();
    let ct = doc["ciphertext"].as_str().unwrap();
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(ct).unwrap();
    let text = Command::new("openssl").args(["rsa", "-noout", "-text", "-in"]).arg(private).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let bits: usize =
        text.split("Private-Key: (").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let (head, tail) = raw.split_at(bits / 8);
    std::fs::write(work.join("head"), head).unwrap();
    std::fs::write(work.join("tail"), tail).unwrap();
    let aes = Command::new("openssl")
        .args(["pkeyutl", "-decrypt", "-inkey"])
        .arg(private)
        .arg("-in")
        .arg(work.join("head"))
        .args([
            "-pkeyopt",
            "rsa_padding_mode:oaep",
            "-pkeyopt",
            &format!("rsa_oaep_md:{hash}"),
            "-pkeyopt",
            &format!("rsa_mgf1_md:{hash}"),
        ])
        .output()
        .unwrap();
    assert!(aes.status.success(), "pkeyutl: {}", String::from_utf8_lossy(&aes.stderr));
    assert_eq!(aes.stdout.len(), 32, "ephemeral AES-256 key");
    let key = Command::new("openssl")
        .args(["enc", "-d", "-id-aes256-wrap-pad", "-K", &hex::encode(&aes.stdout), "-iv", "A65959A6", "-in"])
        .arg(work.join("tail"))
        .output()
        .unwrap();
    assert!(key.status.success(), "enc: {}", String::from_utf8_lossy(&key.stderr));
    key.stdout
}

/// The key is in no file below `dir`: raw, hex (either case), base64 or base64url.
pub fn assert_no_leak(dir: &std::path::Path, key: &[u8]) {
    use base64::Engine;
    let needles = [
        key.to_vec(),
        hex::encode(key).into_bytes(),
        hex::encode_upper(key).into_bytes(),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(key).into_bytes(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key).into_bytes(),
    ];
    for f in all_files(dir) {
        let data = std::fs::read(&f).unwrap();
        for n in &needles {
            assert!(!data.windows(n.len()).any(|w| w == &n[..]), "{} contains the key", f.display());
        }
    }
}

/// `python3` with `shamir_mnemonic`, or None (skip; with CI=true, fail).
pub fn python_shamir() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import shamir_mnemonic"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("python3 with shamir_mnemonic is missing, and CI=true: pip install shamir-mnemonic");
    }
    ok.then_some("python3")
}

/// The reference implementation combines `mnemonics` with `passphrase`: the secret in hex.
pub fn py_combine(py: &str, mnemonics: &[String], passphrase: &str) -> String {
    let o = Command::new(py)
        .args([
            "-c",
            "import sys, shamir_mnemonic as s; print(s.combine_mnemonics(sys.argv[2:], sys.argv[1].encode()).hex())",
            passphrase,
        ])
        .args(mnemonics)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

/// Runs the binary with `args` and descriptor 3 open on `fd3` (a passphrase never goes in argv).
pub fn run_with_fd3(args: &[String], fd3: &Path) -> Output {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut script = format!("exec {}", quote(bin()));
    for a in args {
        script.push(' ');
        script.push_str(&quote(a));
    }
    script.push_str(&format!(" 3<{}", quote(&fd3.display().to_string())));
    Command::new("sh").arg("-c").arg(script).stdin(std::process::Stdio::null()).output().unwrap()
}

/// `recover` flags for a new ceremony on `kek` (fingerprint `fpr`) into `out`, with `shares`.
pub fn recover_args(shares: &[&Path], kek: &Path, fpr: &str, out: &Path) -> Vec<String> {
    let mut args = vec!["recover".to_string()];
    for s in shares {
        args.push("--share".into());
        args.push(s.display().to_string());
    }
    let mut rest = generate_args(kek, fpr, out);
    rest.remove(0); // "generate"
    args.extend(rest);
    args
}
