//! Tests of the building blocks: GF(256) arithmetic, the RS1024 checksum
//! and the word list.

use super::*;

#[test]
fn slip39_wordlist_and_completion() {
    let list = wordlist();
    assert_eq!(list.len(), 1024);
    assert_eq!((list[0], list[1023]), ("academic", "zero"));
    assert!(list.windows(2).all(|w| w[0] < w[1]));
    let mut prefixes: Vec<&str> = list.iter().map(|w| &w[..4]).collect();
    prefixes.dedup();
    assert_eq!(prefixes.len(), 1024);
    assert_eq!(complete("acad"), vec!["academic"]);
    assert_eq!(complete("ZER"), vec!["zero"]);
    assert!(complete("ac").len() > 1);
    assert!(complete("qq").is_empty());
    assert_eq!(complete("").len(), 1024);
    for (i, w) in list.iter().enumerate() {
        assert_eq!(wordlist::index_of(w), Some(i as u16));
        let mut s = String::new();
        wordlist::push_word(&mut s, i as u16);
        assert_eq!(&s, w);
    }
    assert_eq!(wordlist::index_of("academi"), None);
    assert_eq!(wordlist::index_of("academicx"), None);
}

/// Textbook multiplication with branches, for comparison only.
fn slow_mul(a: u8, b: u8) -> u8 {
    let (mut a, mut b, mut p) = (u16::from(a), b, 0u16);
    while b != 0 {
        if b & 1 == 1 {
            p ^= a;
        }
        a <<= 1;
        if a & 0x100 != 0 {
            a ^= 0x11b;
        }
        b >>= 1;
    }
    p as u8
}

#[test]
fn slip39_gf256_known_answers_and_axioms() {
    use gf256::{add, div, inv, mul};
    assert_eq!(mul(0x57, 0x83), 0xc1); // FIPS-197 section 4.2
    assert_eq!(mul(0x57, 0x13), 0xfe);
    assert_eq!(mul(0x53, 0xca), 0x01);
    assert_eq!(inv(0x53), 0xca);
    assert_eq!(inv(0x01), 0x01);
    assert_eq!(inv(0x00), 0x00);
    for a in 0..=255u8 {
        assert_eq!(mul(a, 0), 0);
        assert_eq!(mul(a, 1), a);
        assert_eq!(add(a, a), 0);
        if a != 0 {
            assert_eq!(mul(a, inv(a)), 1, "inverse of {a}");
            assert_eq!(div(a, a), 1);
        }
        for b in 0..=255u8 {
            let ab = mul(a, b);
            assert_eq!(ab, slow_mul(a, b));
            assert_eq!(ab, mul(b, a));
            if b != 0 {
                assert_eq!(div(ab, b), a);
            }
            for c in (0..=255u8).step_by(23) {
                assert_eq!(mul(ab, c), mul(a, mul(b, c)));
                assert_eq!(mul(a, add(b, c)), add(ab, mul(a, c)));
            }
        }
    }
}

#[test]
fn slip39_rs1024_detects_single_word_errors() {
    let data: Vec<u16> = (0..17).map(|i| (i * 61 + 5) % 1024).collect();
    for ext in [false, true] {
        let mut words = data.clone();
        words.extend_from_slice(&rs1024::create_checksum(&data, ext));
        assert!(rs1024::verify_checksum(&words, ext));
        assert!(!rs1024::verify_checksum(&words, !ext));
        for p in 0..words.len() {
            for d in [1u16, 2, 512, 1023] {
                let mut bad = words.clone();
                bad[p] ^= d;
                assert!(!rs1024::verify_checksum(&bad, ext));
            }
        }
    }
}
