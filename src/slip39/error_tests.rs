//! Refusals: duplicate, conflicting, foreign, inconsistent and corrupted
//! shares are refused with an error naming the share at fault.

use super::tests::{mnemonics, params, rng, SECRET};
use super::*;

#[test]
fn slip39_duplicate_share_refused() {
    let s = split(&SECRET, b"", &params(2, 3), &mut rng(3)).expect("split");
    let m = mnemonics(&s);
    let err = combine(&[m[0], m[1], m[0]], b"").expect_err("duplicate");
    assert_eq!(err, Slip39Error::DuplicateShare { first: 1, second: 3 });
    assert_eq!(err.to_string(), "shares 1 and 3 are the same share; remove one and add a different share");
    // Same share typed differently is still the same share.
    let upper = m[1].to_uppercase();
    let err = combine(&[m[1], &upper], b"").expect_err("duplicate");
    assert_eq!(err, Slip39Error::DuplicateShare { first: 1, second: 2 });
}

#[test]
fn slip39_conflicting_foreign_inconsistent_digest() {
    // Same seed, different secrets: same identifier and parameters.
    let a = split(&SECRET, b"", &params(2, 3), &mut rng(4)).expect("split");
    let b = split(&[9u8; 16], b"", &params(2, 3), &mut rng(4)).expect("split");
    assert_eq!(a[0].identifier(), b[0].identifier());
    let (ma, mb) = (mnemonics(&a), mnemonics(&b));
    assert_eq!(
        combine(&[ma[0], ma[1], mb[1]], b"").expect_err("conflict"),
        Slip39Error::ConflictingShares { first: 2, second: 3 }
    );
    assert_eq!(combine(&[ma[0], mb[1]], b"").expect_err("digest"), Slip39Error::DigestMismatch);
    assert_eq!(
        combine(&[ma[0], ma[1], mb[2]], b"").expect_err("extra"),
        Slip39Error::InconsistentShare { share: 3 }
    );
    // Consistent extra shares are accepted.
    assert_eq!(&combine(&ma, b"").expect("all three")[..], &SECRET);

    let other = split(&SECRET, b"", &params(2, 3), &mut rng(5)).expect("split");
    let err = combine(&[ma[0], ma[1], other[2].mnemonic()], b"").expect_err("foreign");
    assert_eq!(err, Slip39Error::ForeignShare { share: 3, reference: 1 });
    assert!(err.to_string().starts_with("share 3 belongs to another share set"));
    let longer = split(&[1u8; 32], b"", &params(2, 3), &mut rng(4)).expect("split");
    assert_eq!(
        combine(&[ma[0], longer[1].mnemonic()], b"").expect_err("length"),
        Slip39Error::ForeignShare { share: 2, reference: 1 }
    );
}

#[test]
fn slip39_corrupted_and_unknown_words_name_the_share() {
    let s = split(&SECRET, b"", &params(2, 3), &mut rng(6)).expect("split");
    let m = mnemonics(&s);
    let list = wordlist();
    for pos in 0..20 {
        let mut words: Vec<&str> = m[1].split(' ').collect();
        let idx = list.iter().position(|w| *w == words[pos]).expect("word");
        words[pos] = list[(idx + 1 + pos * 37) % 1024];
        let bad = words.join(" ");
        let err = combine(&[m[0], &bad], b"").expect_err("corrupted");
        assert_eq!(err, Slip39Error::Checksum { share: 2, likely_word: Some(pos + 1) });
        assert!(!err.to_string().contains(words[pos]));
    }
    let mut words: Vec<&str> = m[2].split(' ').collect();
    words[4] = "xyzzy";
    let bad = words.join(" ");
    let err = combine(&[m[0], m[1], &bad], b"").expect_err("unknown");
    assert_eq!(err, Slip39Error::UnknownWord { share: 3, position: 5 });
    assert!(err.to_string().starts_with("share 3: word 5 "));
    let short = m[0].rsplit_once(' ').expect("words").0;
    assert_eq!(combine(&[short], b"").expect_err("short"), Slip39Error::WrongLength { share: 1, words: 19 });
    assert_eq!(combine(&[], b"").expect_err("empty"), Slip39Error::NoShares);
}

#[test]
fn slip39_parse_tolerates_case_and_whitespace() {
    let s = split(&SECRET, b"", &params(2, 3), &mut rng(7)).expect("split");
    let messy = format!("  {}\n", s[0].mnemonic().to_uppercase().replace(' ', " \t  "));
    let p = parse(&messy).expect("parse");
    assert_eq!(p.mnemonic(), s[0].mnemonic());
    let dbg = format!("{p:?}");
    let first_word = s[0].mnemonic().split(' ').next().expect("word");
    assert!(dbg.contains("identifier") && !dbg.contains(first_word), "{dbg}");
}
