//! The self-test passes, and each kind of corrupted vector makes it fail.

use super::cases::*;
use super::*;

#[test]
fn every_selftest_passes_and_is_named() {
    let report = run();
    for r in &report.results {
        assert!(r.ok, "{}: {}", r.name, r.detail);
    }
    assert_eq!(
        report.names(),
        [
            "aes-kwp",
            "rsa-oaep",
            "sha1",
            "sha256",
            "hmac-sha256",
            "pbkdf2-sha256",
            "slip39",
            "gf256",
            "aes-kcv",
            "qr-chunks",
            "ed25519-sshsig"
        ]
    );
    assert!(report.check().is_ok());
}

/// Flips the last hex digit of `s`.
fn corrupt(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let last = c.len() - 1;
    c[last] = if c[last] == '0' { '1' } else { '0' };
    c.into_iter().collect()
}

#[test]
fn a_corrupted_digest_vector_fails() {
    let bad = corrupt(SHA256[0].1);
    let err = digest::<sha2::Sha256>(&[(b"abc", &bad)]).unwrap_err();
    assert!(err.starts_with("vector 1: got ba7816bf"), "{err}");
    let bad = corrupt(SHA1[1].1);
    assert!(digest::<sha1::Sha1>(&[(SHA1[1].0, &bad)]).is_err());
    let bad = corrupt(HMAC_SHA256[1].2);
    assert!(hmac_sha256(&[(HMAC_SHA256[1].0, HMAC_SHA256[1].1, &bad)]).is_err());
    let (p, s, c, k) = PBKDF2_SHA256[0];
    assert!(pbkdf2_sha256(&[(p, s, c, &corrupt(k))]).is_err());
    assert!(aes_kcv(&[(16, "66e94c", "763cbcde81")]).is_err());
}

#[test]
fn a_corrupted_kwp_vector_fails() {
    // The RFC 5649 20-byte answer with its last digit changed: the unwrap integrity check fails.
    let bad = KWP_VECTORS.replacen("5f54f373fa543b6a", "5f54f373fa543b6b", 1);
    assert_ne!(bad, KWP_VECTORS);
    let err = aes_kwp(&bad).unwrap_err();
    assert!(err.starts_with("RFC 5649 section 6, 20 bytes: AES key unwrap failed"), "{err}");
    // A plaintext changed: the unwrap still succeeds, but gives another answer.
    let bad = KWP_VECTORS.replacen("\"466f7250617369\"", "\"466f7250617368\"", 1);
    assert_eq!(aes_kwp(&bad).unwrap_err(), "RFC 5649 section 6, 7 bytes: unwrap gave another plaintext");
}

#[test]
fn a_corrupted_slip39_vector_fails() {
    let bad =
        SLIP39_VECTORS.replacen("bb54aac4b89dc868ba37d9cc21b2cece", "bb54aac4b89dc868ba37d9cc21b2cecf", 1);
    let err = slip39(&bad, &[0]).unwrap_err();
    assert!(err.starts_with("1. Valid mnemonic without sharing (128 bits): got bb54"), "{err}");
    assert_eq!(slip39(SLIP39_VECTORS, &[0, 3]).unwrap(), "official vectors 1, 4");
}

#[test]
fn a_failed_test_is_an_exit_3_error_naming_it() {
    use crate::exit::ExitStatus;
    let mut report = run();
    report.results[2].ok = false;
    assert!(!report.passed());
    let err = report.check().unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert_eq!(
        err.to_string(),
        "self-test failed (sha1): this binary must not run a ceremony; nothing was generated; rebuild it from a verified source and run `byok-ceremony selftest`"
    );
}
