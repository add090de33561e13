//! Known-answer tests (the 45 official vectors) and split/combine behaviour.
//! Refusals are in `error_tests.rs`, building blocks in `primitive_tests.rs`,
//! property tests in `proptests.rs`.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::*;

const VECTORS: &str = include_str!("slip39-vectors.json");

/// (description, mnemonics, master secret hex or "" when invalid).
fn vectors() -> Vec<(String, Vec<String>, String)> {
    let v: serde_json::Value = serde_json::from_str(VECTORS).expect("vectors parse");
    v.as_array()
        .expect("array")
        .iter()
        .map(|t| {
            let d = t[0].as_str().expect("description").to_string();
            let m = t[1]
                .as_array()
                .expect("mnemonics")
                .iter()
                .map(|s| s.as_str().expect("mnemonic").to_string())
                .collect();
            let s = t[2].as_str().expect("secret").to_string();
            (d, m, s)
        })
        .collect()
}

pub(super) fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn expected_error(description: &str) -> Slip39Error {
    use Slip39Error::*;
    let d = description;
    if d.contains("invalid checksum") {
        let last = if d.contains("256") { 33 } else { 20 };
        Checksum { share: 1, likely_word: Some(last) }
    } else if d.contains("invalid padding") {
        InvalidPadding { share: 1 }
    } else if d.contains("Basic sharing") {
        TooFewShares { have: 1, need: 2 }
    } else if d.contains("mismatching group thresholds") {
        ForeignShare { share: 3, reference: 1 }
    } else if d.contains("different")
        || d.contains("mismatching group counts")
        || d.contains("mismatching member thresholds")
    {
        ForeignShare { share: 2, reference: 1 }
    } else if d.contains("greater group threshold") {
        InvalidHeader { share: 1, reason: "group threshold greater than group count" }
    } else if d.contains("duplicate member indices") {
        ConflictingShares { first: 1, second: 2 }
    } else if d.contains("invalid digest") {
        DigestMismatch
    } else if d.contains("Insufficient number of groups") {
        TooFewGroups { have: 1, need: 2 }
    } else if d.contains("insufficient number of members") {
        GroupTooFewShares { group: 4, have: 1, need: 2 }
    } else if d.contains("insufficient length") {
        WrongLength { share: 1, words: 19 }
    } else if d.contains("invalid master secret length") {
        WrongLength { share: 1, words: 21 }
    } else {
        panic!("no expectation for {d}")
    }
}

#[test]
fn slip39_official_vectors() {
    let all = vectors();
    assert_eq!(all.len(), 45);
    let (mut valid, mut invalid) = (0, 0);
    for (d, m, s) in all {
        let refs: Vec<&str> = m.iter().map(String::as_str).collect();
        let got = combine(&refs, b"TREZOR");
        if s.is_empty() {
            assert_eq!(got.expect_err(&d), expected_error(&d), "{d}");
            invalid += 1;
        } else {
            let secret = got.unwrap_or_else(|e| panic!("{d}: {e}"));
            assert_eq!(hex::encode(&secret[..]), s, "{d}");
            valid += 1;
            // Every valid share re-encodes to the same words.
            for (i, mnemonic) in m.iter().enumerate() {
                let share = parse_nth(mnemonic, i + 1).expect("valid share");
                assert_eq!(share.mnemonic(), mnemonic.as_str());
            }
        }
    }
    assert_eq!((valid, invalid), (15, 30));
}

pub(super) fn mnemonics(shares: &[Share]) -> Vec<&str> {
    shares.iter().map(Share::mnemonic).collect()
}

pub(super) fn params(threshold: u8, count: u8) -> SplitParams {
    SplitParams { threshold, count, iteration_exponent: 0, extendable: true }
}

pub(super) const SECRET: [u8; 16] = *b"0123456789abcdef";

#[test]
fn slip39_default_params_match_reference() {
    let p = SplitParams::default();
    assert_eq!((p.threshold, p.count, p.iteration_exponent, p.extendable), (2, 3, 1, true));
    let shares = split(&SECRET, b"", &p, &mut rng(1)).expect("split");
    assert_eq!(shares.len(), 3);
    for (i, s) in shares.iter().enumerate() {
        assert_eq!(s.member_index() as usize, i);
        assert_eq!(s.member_threshold(), 2);
        assert_eq!(s.member_count(), Some(3));
        assert_eq!(s.iteration_exponent(), 1);
        assert!(s.extendable());
        assert_eq!(s.identifier(), shares[0].identifier());
        assert!(s.identifier() < 0x8000);
        assert_eq!(s.mnemonic().split(' ').count(), 20);
        let parsed = parse(s.mnemonic()).expect("parse");
        assert_eq!(parsed.member_count(), None);
        assert_eq!(parsed.value[..], s.value[..]);
    }
    let got = combine(&[shares[2].mnemonic(), shares[0].mnemonic()], b"").expect("combine");
    assert_eq!(&got[..], &SECRET);
}

#[test]
fn slip39_non_extendable_and_exponent() {
    let p = SplitParams { threshold: 3, count: 5, iteration_exponent: 2, extendable: false };
    let shares = split(&[7u8; 32], b"pass phrase", &p, &mut rng(2)).expect("split");
    let m = mnemonics(&shares);
    let got = combine(&[m[4], m[1], m[2]], b"pass phrase").expect("combine");
    assert_eq!(&got[..], &[7u8; 32]);
    assert!(!parse(m[0]).expect("parse").extendable());
}

#[test]
fn slip39_determinism() {
    let a = split(&SECRET, b"x", &params(3, 5), &mut rng(42)).expect("split");
    let b = split(&SECRET, b"x", &params(3, 5), &mut rng(42)).expect("split");
    let c = split(&SECRET, b"x", &params(3, 5), &mut rng(43)).expect("split");
    assert_eq!(mnemonics(&a), mnemonics(&b));
    assert_ne!(mnemonics(&a), mnemonics(&c));
}

#[test]
fn slip39_split_parameter_checks() {
    let mut r = rng(8);
    let bad_len = |n: usize| Slip39Error::InvalidSecretLength { len: n };
    assert_eq!(split(&[0; 15], b"", &params(2, 3), &mut r).expect_err("15"), bad_len(15));
    assert_eq!(split(&[0; 17], b"", &params(2, 3), &mut r).expect_err("17"), bad_len(17));
    assert_eq!(split(&[0; 14], b"", &params(2, 3), &mut r).expect_err("14"), bad_len(14));
    for (t, n) in [(0, 3), (4, 3), (2, 17), (1, 3), (0, 0)] {
        assert!(matches!(split(&SECRET, b"", &params(t, n), &mut r), Err(Slip39Error::BadParams(_))));
    }
    let p = SplitParams { iteration_exponent: 16, ..params(2, 3) };
    assert!(matches!(split(&SECRET, b"", &p, &mut r), Err(Slip39Error::BadParams(_))));
    assert_eq!(
        split(&SECRET, "é".as_bytes(), &params(2, 3), &mut r).expect_err("non-ascii"),
        Slip39Error::InvalidPassphrase
    );
    let one = split(&SECRET, b"", &params(1, 1), &mut r).expect("1 of 1");
    assert_eq!(&combine(&[one[0].mnemonic()], b"").expect("combine")[..], &SECRET);
    let max = split(&SECRET, b"", &params(16, 16), &mut r).expect("16 of 16");
    assert_eq!(&combine(&mnemonics(&max), b"").expect("combine")[..], &SECRET);
}

#[test]
fn slip39_multi_group_round_trip() {
    let groups = [
        GroupParams { threshold: 2, count: 3 },
        GroupParams { threshold: 1, count: 1 },
        GroupParams { threshold: 3, count: 5 },
    ];
    let sets = split_groups(&[5u8; 32], b"TREZOR", 2, &groups, 0, false, &mut rng(9)).expect("split");
    let m0 = mnemonics(&sets[0]);
    let m2 = mnemonics(&sets[2]);
    let got = combine(&[m2[4], m0[2], m2[0], m0[1], m2[2]], b"TREZOR").expect("combine");
    assert_eq!(&got[..], &[5u8; 32]);
    assert_eq!(
        combine(&[m0[0], m0[1]], b"TREZOR").expect_err("one group"),
        Slip39Error::TooFewGroups { have: 1, need: 2 }
    );
    assert_eq!(
        combine(&[m0[0], m0[1], m2[3]], b"TREZOR").expect_err("short group"),
        Slip39Error::GroupTooFewShares { group: 3, have: 1, need: 3 }
    );
}
