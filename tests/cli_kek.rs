//! `kek inspect`: every accepted form, exact refusals and exit codes.

mod common;

use common::*;

const FPR: &str = "ba3b 161e 0c65 708e cfb9 ef2b bea7 fdf0 32b7 4444 abab 54e3 5efe f67e dd69 4111";

fn fixture(name: &str) -> String {
    format!("{}/tests/data/kek/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn inspect_prints_the_spki_fingerprint_of_every_form() {
    for (name, form) in [
        (
            "wycheproof-2048.pub.pem",
            "PEM PUBLIC KEY (SubjectPublicKeyInfo)",
        ),
        ("wycheproof-2048.pkcs1.pem", "PEM RSA PUBLIC KEY (PKCS#1)"),
        ("wycheproof-2048.spki.der", "DER SubjectPublicKeyInfo"),
        ("wycheproof-2048.pkcs1.der", "DER PKCS#1 RSAPublicKey"),
        (
            "wycheproof-2048.spki.b64",
            "base64 DER SubjectPublicKeyInfo",
        ),
        (
            "wycheproof-2048.bom-crlf.pem",
            "PEM PUBLIC KEY (SubjectPublicKeyInfo)",
        ),
    ] {
        let o = run(&["kek", "inspect", &fixture(name)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(
            text.contains(&format!("fingerprint: {FPR}")),
            "{name}: {text}"
        );
        assert!(
            text.contains(&format!("form:        {form}")),
            "{name}: {text}"
        );
        assert!(text.contains("type:        RSA-2048"));
        assert!(text.contains("exponent:    65537"));
    }
}

#[test]
fn inspect_json() {
    let o = run(&[
        "kek",
        "inspect",
        "--json",
        &fixture("wycheproof-2048.pkcs1.der"),
    ]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["fingerprint_sha256"], FPR.replace(' ', ""));
    assert_eq!(doc["bits"], 2048);
    assert_eq!(doc["exponent"], "65537");
}

#[test]
fn inspect_refusals_are_one_line_with_their_exit_code() {
    let cases = [
        ("wycheproof-2048.private.pem", 2, "the KEK file holds a PRIVATE key (PRIVATE KEY): the KEK must be the public half; export it with `openssl pkey -pubout` on the machine that owns it, and keep the private key off this machine"),
        ("rsa1024.pub.pem", 2, "the KEK is RSA-1024, under the 2048-bit minimum: ask the cloud for a 2048, 3072 or 4096-bit KEK"),
        ("ec-p256.pub.pem", 2, "the KEK is a EC key, not RSA: the cloud KEK for BYOK is always RSA; download the right key"),
        ("truncated.pem", 2, "the KEK file is truncated or damaged (a PEM block without its END line): copy it again"),
        ("empty.pem", 2, "the KEK file is empty: download the public key again on the online machine"),
        ("two-keys.pem", 2, "the KEK file holds 2 keys: give a file with exactly one public key"),
    ];
    for (name, code, msg) in cases {
        let o = run(&["kek", "inspect", &fixture(name)]);
        assert_eq!(o.status.code(), Some(code), "{name}");
        assert_eq!(
            stderr(&o),
            format!("byok-ceremony: error: {msg}\n"),
            "{name}"
        );
        assert!(stdout(&o).is_empty());
    }
    let o = run(&["kek", "inspect", "/nonexistent/kek.pem"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(error_line(&o)
        .starts_with("byok-ceremony: error: cannot read the KEK file /nonexistent/kek.pem: "));
}

#[test]
fn a_private_key_never_echoes_its_bytes() {
    let o = run(&["kek", "inspect", &fixture("wycheproof-2048.private.pem")]);
    let pem = std::fs::read_to_string(fixture("wycheproof-2048.private.pem")).unwrap();
    let body_line = pem.lines().nth(2).unwrap();
    assert!(!stderr(&o).contains(body_line) && !stdout(&o).contains(body_line));
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["kek", "inspect"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["generate", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
}
