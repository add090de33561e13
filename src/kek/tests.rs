//! Unit tests of the KEK reader; the fixture table through the binary is tests/cli_kek.rs.

use super::*;

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/kek/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn base64_wrapped_at_any_width() {
    let b64 = String::from_utf8(fixture("wycheproof-2048.spki.b64")).unwrap();
    for width in [1, 17, 64, 76] {
        let wrapped: Vec<String> =
            b64.as_bytes().chunks(width).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n\n", wrapped.join("\n"));
        assert_eq!(Kek::from_bytes(pem.as_bytes()).unwrap().fingerprint().hex(), FPR);
        assert_eq!(Kek::from_bytes(wrapped.join("\r\n").as_bytes()).unwrap().fingerprint().hex(), FPR);
    }
}

#[test]
fn a_private_key_in_der_is_named_private() {
    let pem = String::from_utf8(fixture("wycheproof-2048.private.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
    let err = Kek::from_bytes(&der).err().unwrap();
    assert!(matches!(err, KekError::PrivateKey(_)), "{err}");
}

#[test]
fn the_kid_comes_from_json_and_must_match() {
    let kek = Kek::from_bytes(&fixture("wycheproof-2048.az-key-show.json")).unwrap();
    let kid = kek.kid().unwrap().to_string();
    assert_eq!(kek.resolve_kid(None).unwrap(), Some(kid.clone()));
    assert_eq!(kek.resolve_kid(Some(&kid)).unwrap(), Some(kid));
    assert!(matches!(kek.resolve_kid(Some("https://other")), Err(KekError::KidMismatch { .. })));
    let pem = Kek::from_bytes(&fixture("wycheproof-2048.pub.pem")).unwrap();
    assert_eq!(pem.resolve_kid(None).unwrap(), None);
}

#[test]
fn garbage_never_panics() {
    for input in [
        &b"\x30"[..],
        b"\x30\x82\xff\xff",
        b"-----BEGIN PUBLIC KEY-----",
        b"====",
        b"\xff\xfe",
        b"{",
        b"[]",
        b"{\"kty\":\"RSA\"}",
        b"{\"key\":{\"kty\":\"RSA\",\"n\":\"!\",\"e\":\"AQAB\"}}",
    ] {
        assert!(Kek::from_bytes(input).is_err());
    }
}
