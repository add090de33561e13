//! Share checking and recovery: every subset recovers, every refusal has its exact message.

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use zeroize::Zeroizing;

use super::typed::{resolve, TypedShare, WordInput};
use super::*;
use crate::ceremony::verify::combinations;
use crate::kcv::aes_check_values;
use crate::slip39::{self, Share, SplitParams};

const KEY: [u8; 32] = [7u8; 32];

fn split(secret: &[u8], pass: &[u8], t: u8, n: u8, seed: u64) -> Vec<Share> {
    let params = SplitParams { threshold: t, count: n, iteration_exponent: 0, extendable: true };
    slip39::split(secret, pass, &params, &mut ChaCha20Rng::seed_from_u64(seed)).unwrap()
}

fn kcv(secret: &[u8]) -> String {
    aes_check_values(secret).unwrap().kcv
}

/// A share file as byok-ceremony writes it (kcv comment optional).
fn input(share: &Share, position: usize, kcv: Option<&str>) -> ShareInput {
    let mut text = String::from("# byok-ceremony SLIP-39 escrow share\n# ceremony: 1111-2222-3333-4444\n");
    if let Some(k) = kcv {
        text.push_str(&format!("# kcv: {k}\n"));
    }
    text.push_str(share.mnemonic());
    let name = ShareName { position, name: format!("s{position}.txt") };
    parse_share_text(&text, name).unwrap()
}

fn inputs(shares: &[&Share], kcv: Option<&str>) -> Vec<ShareInput> {
    shares.iter().enumerate().map(|(i, s)| input(s, i + 1, kcv)).collect()
}

fn error(inputs: &[ShareInput], pass: &[u8]) -> String {
    let p = SharePassphrase::new(Zeroizing::new(pass.to_vec())).unwrap();
    check(inputs, &p).result.unwrap_err().to_string()
}

#[test]
fn every_k_subset_of_an_n_share_set_recovers() {
    for (k, n) in [(1u8, 1u8), (2, 2), (2, 3), (3, 5), (4, 6)] {
        let shares = split(&KEY, b"", k, n, u64::from(n) * 10 + u64::from(k));
        for subset in combinations(usize::from(n), usize::from(k)) {
            let picked: Vec<&Share> = subset.iter().map(|&i| &shares[i]).collect();
            let r = check(&inputs(&picked, Some(&kcv(&KEY))), &SharePassphrase::none()).result.unwrap();
            assert_eq!(r.kcv, kcv(&KEY), "{k} of {n}: {subset:?}");
            assert_eq!((r.threshold, r.shares), (usize::from(k), usize::from(k)));
        }
        let all: Vec<&Share> = shares.iter().collect();
        let r = check(&inputs(&all, None), &SharePassphrase::none()).result.unwrap();
        assert_eq!(r.subsets, combinations(usize::from(n), usize::from(k)).len());
        assert_eq!(r.ceremony_id.as_deref(), Some("1111-2222-3333-4444"));
    }
}

#[test]
fn a_share_that_passes_its_checksum_but_is_wrong_is_named() {
    // Same seed: same identifier and parameters, but another secret: a perfect impostor.
    let good = split(&KEY, b"", 2, 4, 1);
    let other = split(&[9u8; 32], b"", 2, 4, 1);
    assert_eq!(good[0].identifier(), other[0].identifier());
    let set = inputs(&[&good[0], &good[1], &other[2], &good[3]], None);
    assert_eq!(
        error(&set, b""),
        format!("share 3 (s3.txt) passes its checksum but is wrong: every 2 of the other shares agree (key check value {}) and it does not; set it aside and fetch its paper copy", kcv(&KEY))
    );
    // With exactly the threshold it can only be said that one is wrong.
    let two = inputs(&[&good[0], &other[2]], None);
    assert_eq!(error(&two, b""), "the 2 shares do not combine to a consistent key: one of them is wrong, which cannot be told with exactly the threshold; add another share of this set to find it");
    // Two impostors among four: no single share explains it.
    let set = inputs(&[&good[0], &other[1], &other[2], &good[3]], None);
    assert_eq!(error(&set, b""), "the shares disagree and no single share explains it: several are wrong or from another set; check each against its paper copy");
}

#[test]
fn refusals_name_the_share() {
    let a = split(&KEY, b"", 2, 3, 5);
    let b = split(&KEY, b"", 2, 3, 6);
    let impostor = split(&[9u8; 32], b"", 2, 3, 5);
    assert_eq!(
        error(&inputs(&[&a[0], &a[1], &a[0]], None), b""),
        "share 3 (s3.txt) is the same share as share 1 (s1.txt): remove one and add another custodian's share"
    );
    assert_eq!(
        error(&inputs(&[&a[1], &impostor[1]], None), b""),
        "share 2 (s2.txt) and share 1 (s1.txt) are different shares with the same index (member 2): one is corrupted or from another set; compare both with their paper copies"
    );
    assert_eq!(
        error(&inputs(&[&a[0], &b[1]], None), b""),
        "share 2 (s2.txt) is from a different share set than share 1 (s1.txt): use the shares of one ceremony only"
    );
    assert_eq!(
        error(&inputs(&[&a[2]], None), b""),
        "too few shares: have 1, need 2; add another custodian's share of this set"
    );
    assert_eq!(check(&[], &SharePassphrase::none()).result.unwrap_err(), EscrowError::NoShares);
}

#[test]
fn corrupted_words_are_reported_by_position() {
    let a = split(&KEY, b"", 2, 3, 5);
    let words: Vec<&str> = a[1].mnemonic().split(' ').collect();
    let mut typo = words.clone();
    typo[6] = "xylophone";
    let mut swapped = words.clone();
    swapped[9] = if words[9] == "academic" { "acid" } else { "academic" };
    let name = |p: usize| ShareName { position: p, name: format!("s{p}.txt") };
    let set = vec![
        input(&a[0], 1, None),
        parse_share_text(&typo.join(" "), name(2)).unwrap(),
        parse_share_text(&swapped.join(" "), name(3)).unwrap(),
    ];
    let checked = check(&set, &SharePassphrase::none());
    assert_eq!(
        checked.result.unwrap_err().to_string(),
        "share 2 (s2.txt): word 7 is not a SLIP-39 word; correct it from the paper copy"
    );
    assert_eq!(checked.lines[0].error, None);
    assert_eq!(
        checked.lines[2].error.as_deref(),
        Some("share 3 (s3.txt): checksum mismatch, word 10 is most likely wrong; re-read the words from the paper copy")
    );
    let short = parse_share_text(&words[..19].join(" "), name(1)).unwrap();
    assert_eq!(
        error(&[short], b""),
        "share 1 (s1.txt): 19 words is not a share length (20, 27 or 33 for AES keys); re-read the share from the paper copy"
    );
}

#[test]
fn a_wrong_passphrase_gives_another_key_which_the_kcv_catches() {
    let shares = split(&KEY, b"TREZOR", 2, 3, 8);
    let set = inputs(&[&shares[0], &shares[2]], Some(&kcv(&KEY)));
    let err = error(&set, b"");
    assert!(
        err.starts_with("the shares combine to key check value ")
            && err.ends_with(&format!(", but the share files' '# kcv:' line says {}: a wrong or missing share passphrase gives a different key (SLIP-39 cannot tell, the key check value does); give the passphrase used at the ceremony", kcv(&KEY))),
        "{err}"
    );
    let ok = check(&set, &SharePassphrase::new(Zeroizing::new(b"TREZOR".to_vec())).unwrap());
    assert_eq!(ok.result.unwrap().kcv, kcv(&KEY));
}

#[test]
fn share_files_whose_comments_disagree_are_refused() {
    let a = split(&KEY, b"", 2, 3, 5);
    let set = vec![input(&a[0], 1, Some("aaaaaa")), input(&a[1], 2, Some("bbbbbb"))];
    assert_eq!(error(&set, b""), "share 2 (s2.txt) says kcv bbbbbb, share 1 (s1.txt) says aaaaaa: the files were edited or mixed up; check them against the paper transcript");
}

#[test]
fn recovery_needs_a_key_check_value_and_gives_the_key() {
    let shares = split(&KEY, b"", 2, 3, 9);
    let bare = inputs(&[&shares[0], &shares[1]], None);
    let none = SharePassphrase::none();
    let r = recover_key(&bare, &none, &Expected::default());
    assert_eq!(r.result.err(), Some(EscrowError::NoExpectedKcv));
    let expected = Expected { kcv: Some(kcv(&KEY)), original_log: None };
    let r = recover_key(&bare, &none, &expected).result.unwrap();
    assert_eq!(r.key.expose(), &KEY);
    assert_eq!(r.kcv_checked_against, ["--expect-kcv"]);
    assert_eq!(r.share_commitments[0], crate::fsutil::sha256_hex(shares[0].mnemonic().as_bytes()));
    let wrong = Expected { kcv: Some("000000".into()), original_log: None };
    let err = recover_key(&bare, &none, &wrong).result.err().unwrap();
    assert!(err.to_string().contains("but --expect-kcv says 000000"), "{err}");
    assert_eq!(recovery::key_type_of(&bare[0]), Some(crate::keytype::KeyType::Aes256));
}

/// regression: `kcv_checked_against` said "original log" whether or not its signature was verified.
#[test]
fn recovery_records_whether_the_original_log_signature_was_verified() {
    let shares = split(&KEY, b"", 2, 3, 9);
    let bare = inputs(&[&shares[0], &shares[1]], None);
    let none = SharePassphrase::none();
    for (verified, want) in
        [(true, "original log (signature verified)"), (false, "original log (no signature)")]
    {
        let log = OriginalLog {
            path: "c/ceremony.log".into(),
            ceremony_id: None,
            kcv: kcv(&KEY),
            signature_verified: verified,
        };
        let expected = Expected { kcv: None, original_log: Some(log) };
        let r = recover_key(&bare, &none, &expected).result.unwrap();
        assert_eq!(r.kcv_checked_against, [want]);
    }
}

#[test]
fn share_file_comments_are_read() {
    let text = "\u{feff}# ceremony: AB-CD\r\n# label: k1\n# share: 2 of 5; any 3 of them recover the key\n# threshold: 3\n# kcv: ABC123\n# date: 2026-12-03\n# passphrase: none (empty)\n\nword words\n# trailing\n";
    let s = parse_share_text(text, ShareName { position: 1, name: "x".into() }).unwrap();
    let c = &s.comments;
    assert_eq!(c.ceremony_id.as_deref(), Some("AB-CD"));
    assert_eq!((c.number, c.threshold, c.kcv.as_deref()), (Some((2, 5)), Some(3), Some("abc123")));
    assert_eq!(c.passphrase, Some(false));
    assert_eq!(s.mnemonic.as_str(), "word words");
    let e = parse_share_text("# only\n\n", ShareName { position: 4, name: "y.txt".into() }).unwrap_err();
    assert_eq!(
        e.to_string(),
        "share 4 (y.txt): no mnemonic line (only comments or blank lines); give the share's .txt file"
    );
}

#[test]
fn typed_words_complete_unique_prefixes() {
    assert_eq!(resolve("ACAD"), WordInput::Word("academic"));
    assert_eq!(resolve(" acid "), WordInput::Word("acid"));
    assert!(
        matches!(resolve("ac"), WordInput::Ambiguous(w) if w.contains(&"academic") && w.contains(&"acid"))
    );
    assert_eq!(resolve("qqq"), WordInput::Unknown);
    let share = &split(&KEY, b"", 2, 3, 5)[0];
    let mut typed = TypedShare::default();
    let words: Vec<&str> = share.mnemonic().split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let WordInput::Word(word) = resolve(&w[..4.min(w.len())]) else { panic!("{w}") };
        let done = typed.push(word);
        assert_eq!(done.is_some(), i + 1 == words.len(), "word {}", i + 1);
        if let Some(m) = done {
            assert_eq!(m.as_str(), share.mnemonic());
        }
    }
}

#[test]
fn passphrases_are_printable_ascii_and_lose_one_newline() {
    let p = SharePassphrase::from_line(Zeroizing::new(b"pass word\r\n".to_vec())).unwrap();
    assert_eq!(p.expose(), b"pass word");
    assert_eq!(format!("{p:?}"), "SharePassphrase(set, [REDACTED])");
    assert!(!SharePassphrase::none().is_set());
    assert_eq!(SharePassphrase::new(Zeroizing::new("é".into())).unwrap_err(), EscrowError::InvalidPassphrase);
}

#[test]
fn the_share_sheet_has_words_qr_and_facts_but_not_the_key() {
    let share = &split(&KEY, b"", 2, 3, 5)[0];
    let info = sheet::SheetInfo {
        ceremony_id: "AAAA-BBBB",
        label: "k<1>",
        kcv: "abc123",
        date: "2026-12-03",
        threshold: 2,
        passphrase: false,
    };
    let html = sheet::share_sheet_html(share.mnemonic(), 1, 3, &info).unwrap();
    for needle in [
        "AAAA-BBBB",
        "k&lt;1&gt;",
        "<b>1 of 3</b>",
        "any 2 of the 3",
        "abc123",
        "<svg",
        "signature",
        "shamir recover",
        "size:A4",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert_eq!(html.matches("<li>").count(), share.mnemonic().split(' ').count());
    assert!(!html.contains(&crate::fsutil::hex_lower(&KEY)));
}

#[test]
fn the_handout_screen_numbers_every_word_and_asks_for_two_of_them() {
    let share = &split(&KEY, b"", 2, 3, 5)[0];
    let words: Vec<&str> = share.mnemonic().split(' ').collect();
    let screen =
        handout::share_screen(share.mnemonic(), 2, 3, 2, "AAAA-BBBB", crate::qr::TextStyle::Plain).unwrap();
    assert!(screen.starts_with("  Ceremony AAAA-BBBB: escrow share 2 of 3 (any 2 recover the key)\n"));
    for (i, w) in words.iter().enumerate() {
        let spaced: String = w.to_uppercase().chars().flat_map(|c| [c, ' ']).collect();
        assert!(screen.contains(&format!("{:>2}. {}", i + 1, spaced.trim_end())), "word {}", i + 1);
    }
    assert!(screen.contains('█') && !screen.contains('\x1b'));
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for _ in 0..200 {
        let (a, b) = handout::pick_positions(words.len(), &mut rng);
        assert!(1 <= a && a < b && b <= words.len(), "{a} {b}");
    }
    assert!(handout::confirms(share.mnemonic(), 4, words[3]));
    assert!(handout::confirms(share.mnemonic(), 4, &words[3][..4].to_uppercase()));
    assert!(!handout::confirms(share.mnemonic(), 4, words[4]) || words[3] == words[4]);
    assert!(!handout::confirms(share.mnemonic(), 0, words[0]));
    assert!(!handout::confirms(share.mnemonic(), 99, words[0]));
    assert!(!handout::confirms(share.mnemonic(), 1, "ac"));
}

/// Share files saying `# passphrase: none`, with the given `# kcv:` line.
fn no_passphrase_inputs(shares: &[&Share], kcv: &str) -> Vec<ShareInput> {
    let text = |s: &Share| {
        format!(
            "# ceremony: 1111-2222-3333-4444\n# kcv: {kcv}\n# passphrase: none (empty)\n{}\n",
            s.mnemonic()
        )
    };
    shares
        .iter()
        .enumerate()
        .map(|(i, s)| {
            parse_share_text(&text(s), ShareName { position: i + 1, name: format!("s{}.txt", i + 1) })
                .unwrap()
        })
        .collect()
}

fn recover_error(inputs: &[ShareInput], pass: &[u8], expected: &Expected) -> String {
    let p = SharePassphrase::new(Zeroizing::new(pass.to_vec())).unwrap();
    recover_key(inputs, &p, expected).result.err().unwrap().to_string()
}

#[test]
fn regression_kcv_mismatch_names_the_comparison_and_blames_the_passphrase_only_when_possible() {
    let shares = split(&KEY, b"", 2, 3, 8);
    let k = kcv(&KEY);
    let head = |against: &str, want: &str| {
        format!("the shares combine to key check value {k}, but {against} says {want}: ")
    };
    // Files say no passphrase and none is given: the kcv lines were edited.
    let edited = no_passphrase_inputs(&[&shares[0], &shares[1]], "000000");
    assert_eq!(
        error(&edited, b""),
        head("the share files' '# kcv:' line", "000000")
            + "no passphrase is involved (the files say '# passphrase: none'), so the '# kcv:' lines were edited or belong to other shares: check the files against the paper transcript"
    );
    // Files say none, but a passphrase was given.
    let good = no_passphrase_inputs(&[&shares[0], &shares[1]], &k);
    let err = error(&good, b"TREZOR");
    assert!(
        err.ends_with(": the share files say '# passphrase: none', but a share passphrase was given, which gives a different key: leave the passphrase out"),
        "{err}"
    );
    // --expect-kcv differs while the files agree: the value is at fault, not the passphrase.
    let expected = Expected { kcv: Some("123456".into()), original_log: None };
    assert_eq!(
        recover_error(&good, b"", &expected),
        head("--expect-kcv", "123456")
            + "the share files' '# kcv:' line agrees with the shares, so --expect-kcv is mistyped or from another ceremony: check it against the paper transcript"
    );
    // A log of another ceremony: both ids named.
    let log = OriginalLog {
        path: "old/ceremony.log".into(),
        ceremony_id: Some("9999-8888-7777-6666".into()),
        kcv: "abcdef".into(),
        signature_verified: true,
    };
    let expected = Expected { kcv: None, original_log: Some(log) };
    assert_eq!(
        recover_error(&good, b"", &expected),
        head("the original log old/ceremony.log", "abcdef")
            + "the log is of ceremony 9999-8888-7777-6666, the share files of ceremony 1111-2222-3333-4444: give the log of the ceremony that made these shares"
    );
    // Bare mnemonics, --expect-kcv differs: the passphrase is one possible cause.
    let bare: Vec<ShareInput> = [&shares[0], &shares[1]]
        .iter()
        .enumerate()
        .map(|(i, s)| file::typed_share(Zeroizing::new(s.mnemonic().to_string()), i + 1))
        .collect();
    let expected = Expected { kcv: Some("123456".into()), original_log: None };
    assert_eq!(
        recover_error(&bare, b"", &expected),
        head("--expect-kcv", "123456")
            + "--expect-kcv is mistyped or from another ceremony, or a wrong or missing share passphrase gives a different key (SLIP-39 cannot tell, the key check value does): check the value on the paper transcript, then the passphrase"
    );
}
