//! Every accepted form of one key gives one SPKI fingerprint; every refused form its own error.

use super::*;

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/kek/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_accepted_form_gives_the_spki_fingerprint() {
    let cases = [
        ("wycheproof-2048.pub.pem", KekForm::PemSpki),
        ("wycheproof-2048.bom-crlf.pem", KekForm::PemSpki),
        ("wycheproof-2048.pkcs1.pem", KekForm::PemPkcs1),
        ("wycheproof-2048.spki.der", KekForm::DerSpki),
        ("wycheproof-2048.pkcs1.der", KekForm::DerPkcs1),
        ("wycheproof-2048.spki.b64", KekForm::Base64Spki),
    ];
    for (name, form) in cases {
        let kek = Kek::from_bytes(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(kek.fingerprint().hex(), FPR, "{name}");
        assert_eq!(kek.form(), form, "{name}");
        assert_eq!(kek.bits(), 2048);
        assert_eq!(kek.modulus_len(), 256);
        assert_eq!(kek.exponent(), "65537");
    }
}

#[test]
fn base64_wrapped_at_any_width() {
    let b64 = String::from_utf8(fixture("wycheproof-2048.spki.b64")).unwrap();
    for width in [1, 17, 64, 76] {
        let wrapped: Vec<String> = b64
            .as_bytes()
            .chunks(width)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n\n",
            wrapped.join("\n")
        );
        assert_eq!(
            Kek::from_bytes(pem.as_bytes()).unwrap().fingerprint().hex(),
            FPR
        );
        assert_eq!(
            Kek::from_bytes(wrapped.join("\r\n").as_bytes())
                .unwrap()
                .fingerprint()
                .hex(),
            FPR
        );
    }
}

#[test]
fn every_refused_form_has_its_message() {
    let cases: [(&str, &str); 8] = [
        (
            "wycheproof-2048.private.pem",
            "holds a PRIVATE key (PRIVATE KEY)",
        ),
        (
            "wycheproof-2048.private-pkcs1.pem",
            "holds a PRIVATE key (RSA PRIVATE KEY)",
        ),
        ("rsa1024.pub.pem", "RSA-1024, under the 2048-bit minimum"),
        ("ec-p256.pub.pem", "is a EC key, not RSA"),
        ("truncated.pem", "truncated or damaged"),
        ("empty.pem", "is empty"),
        ("two-keys.pem", "holds 2 keys"),
        ("README.md", "not a PEM, DER or base64 public key"),
    ];
    for (name, want) in cases {
        let err = Kek::from_bytes(&fixture(name))
            .err()
            .unwrap_or_else(|| panic!("{name} accepted"));
        let text = err.to_string();
        assert!(text.contains(want), "{name}: {text}");
        assert!(!text.contains('\n'), "{name}: one line");
    }
}

#[test]
fn a_private_key_in_der_is_named_private() {
    let pem = String::from_utf8(fixture("wycheproof-2048.private.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let err = Kek::from_bytes(&der).err().unwrap();
    assert!(matches!(err, KekError::PrivateKey(_)), "{err}");
}

#[test]
fn garbage_never_panics() {
    for input in [
        &b"\x30"[..],
        b"\x30\x82\xff\xff",
        b"-----BEGIN PUBLIC KEY-----",
        b"====",
        b"\xff\xfe",
    ] {
        assert!(Kek::from_bytes(input).is_err());
    }
}
