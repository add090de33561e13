//! Unit tests: what a join or a split refuses, and the messages it gives.

use super::tests::{chunk_lines, random_bytes};
use super::*;

#[test]
fn describe_and_missing_name_the_numbers() {
    let set = split(&random_bytes(996, 8), &ChunkOptions::default()).unwrap();
    let lines = chunk_lines(&set);
    assert_eq!(lines.len(), 5, "figures changed; update this test and the docs");
    let mut j = Joiner::new();
    for i in [0, 2, 3] {
        j.push_line(&lines[i]).unwrap();
    }
    assert_eq!(j.missing(), vec![2, 5]);
    assert_eq!(j.describe(), "3 of 5, missing 2 and 5");
    let err = j.finish().unwrap_err();
    assert_eq!(err.to_string(), "missing chunks 2, 5 of 5");
    assert!(err.is_integrity_error());

    let err = join(&lines[..4].join("\n")).unwrap_err();
    assert_eq!(err.to_string(), "missing chunk 5 of 5");
    let err = join(&lines[0]).unwrap_err();
    assert_eq!(err.to_string(), "missing chunks 2-5 of 5");
    let err = join(" \n\n").unwrap_err();
    assert!(matches!(err, QrError::NoChunks));
    assert!(err.is_integrity_error());
}

#[test]
fn refuses_a_chunk_of_another_set() {
    let a = chunk_lines(&split(&random_bytes(1500, 9), &ChunkOptions::default()).unwrap());
    let b = chunk_lines(&split(&random_bytes(1500, 10), &ChunkOptions::default()).unwrap());
    let err = join(&format!("{}\n{}\n", a[0], b[1])).unwrap_err();
    assert!(matches!(err, QrError::ForeignChunk { index: 2, .. }), "{err}");
    assert!(err.to_string().starts_with("chunk 2 of"), "{err}");
    assert!(err.is_integrity_error());
    // Same id, other count: also foreign.
    let fields: Vec<&str> = a[0].split(':').collect();
    let other_count = format!("BQR1:1:9:{}:{}", fields[3], fields[4]);
    let err = join(&format!("{}\n{other_count}\n", a[0])).unwrap_err();
    assert!(matches!(err, QrError::ForeignChunk { count: 9, .. }), "{err}");
}

#[test]
fn refuses_an_altered_chunk_and_a_failed_hash() {
    let data = random_bytes(1500, 11);
    let lines = chunk_lines(&split(&data, &ChunkOptions::default()).unwrap());
    let altered = flip_first_data_char(&lines[1]);
    let err = join(&format!("{}\n{altered}\n", lines[1])).unwrap_err();
    assert!(matches!(err, QrError::AlteredChunk(2)), "{err}");
    assert_eq!(err.to_string(), "chunk 2 differs from the chunk 2 read before");
    assert!(err.is_integrity_error());

    let mut bad = lines.clone();
    bad[1] = altered;
    let err = join(&bad.join("\n")).unwrap_err();
    assert!(matches!(err, QrError::HashMismatch), "{err}");
    assert!(err.is_integrity_error());
    let mut j = Joiner::new();
    let results: Vec<_> = bad.iter().map(|l| j.push_line(l)).collect();
    assert!(matches!(results.last(), Some(Err(QrError::HashMismatch))));
    assert!(matches!(j.finish(), Err(QrError::HashMismatch)));
}

fn flip_first_data_char(line: &str) -> String {
    let cut = line.rfind(':').unwrap() + 1;
    let first = line.as_bytes()[cut];
    let other = if first == b'A' { 'B' } else { 'A' };
    format!("{}{other}{}", &line[..cut], &line[cut + 1..])
}

#[test]
fn refuses_malformed_lines_without_panicking() {
    let set = split(b"some bytes of a file", &ChunkOptions::default()).unwrap();
    let good = &set.chunks[0].text;
    let hex = data_encoding::HEXUPPER.encode(&set.sha256);
    let cases: Vec<(String, &str)> = vec![
        ("hello world".into(), "does not start with BQR1:"),
        ("BQR1".into(), "expected 5 fields"),
        (format!("BQR1:1:1:{hex}:{}", "A".repeat(5000)), "longer than any QR code"),
        (format!("{good}:EXTRA"), "expected 5 fields"),
        (format!("BQR1:2:1:{hex}:AA"), "chunk number is not from 1"),
        (format!("BQR1:0:1:{hex}:AA"), "chunk number is not from 1"),
        (format!("BQR1:1:0:{hex}:AA"), "chunk count is not from 1 to 999"),
        (format!("BQR1:1:1000:{hex}:AA"), "chunk count is not from 1 to 999"),
        (format!("BQR1:1:4294967296:{hex}:AA"), "chunk count is not from 1 to 999"),
        (format!("BQR1:1:99999999999999999999:{hex}:AA"), "chunk count is not from 1"),
        (format!("BQR1:99999999999999999999:9:{hex}:AA"), "chunk number is not from 1"),
        (format!("BQR1:01:2:{hex}:AAAAAAAA"), "chunk number is not a decimal"),
        (format!("BQR1:+1:2:{hex}:AAAAAAAA"), "chunk number is not a decimal"),
        (format!("BQR1:1:2:{hex}:AAAAAAA"), "not a multiple of 8"),
        (format!("BQR1:1:1:{}:AA", hex.to_lowercase()), "id is not 64 uppercase hex"),
        (format!("BQR1:1:1:{}:AA", &hex[1..]), "id is not 64 uppercase hex"),
        (format!("BQR1:1:1:{hex}:A"), "not unpadded uppercase base32"),
        (format!("BQR1:1:1:{hex}:AB"), "not unpadded uppercase base32"),
        (format!("BQR1:1:1:{hex}:AA=="), "not unpadded uppercase base32"),
        (format!("BQR1:1:1:{hex}:aa"), "not unpadded uppercase base32"),
        (format!("BQR1:1:1:{hex}:A\u{1b}[2J"), "not unpadded uppercase base32"),
    ];
    for (line, want) in cases {
        let err = Joiner::new().push_line(&line).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, QrError::Malformed { .. }), "{line}: {msg}");
        assert!(msg.contains(want), "{line}: {msg}");
        assert!(err.is_integrity_error());
        assert!(!msg.contains('\u{1b}') && !msg.contains('\n'), "{msg}");
        let quoted = msg.split('"').nth(1).unwrap();
        assert!(quoted.trim_end_matches('…').chars().count() <= 40, "{msg}");
    }
    let err = Joiner::new().push_line("BQR2:1:1:AB:CD").unwrap_err();
    assert!(matches!(err, QrError::UnknownFormat { .. }), "{err}");
    assert!(err.to_string().contains("\"BQR2\""), "{err}");
    assert!(err.is_integrity_error());
}

#[test]
fn split_refuses_bad_options_and_too_much_data() {
    let opts = |max_version, ec_level| ChunkOptions { max_version, ec_level };
    for v in [0, -1, 41, i16::MAX] {
        let err = split(b"x", &opts(v, EcLevel::M)).unwrap_err();
        assert!(matches!(err, QrError::BadVersion(_)), "{err}");
        assert!(!err.is_integrity_error());
    }
    let err = split(b"x", &opts(1, EcLevel::M)).unwrap_err();
    assert!(matches!(err, QrError::VersionTooSmall { needed, .. } if needed > 1), "{err}");
    assert!(!err.is_integrity_error());
    let QrError::VersionTooSmall { needed, .. } = err else { unreachable!() };
    assert!(split(b"x", &opts(needed, EcLevel::M)).is_ok());
    let err = split(&random_bytes(20_000, 12), &opts(needed, EcLevel::M)).unwrap_err();
    assert!(matches!(err, QrError::DataTooLarge { .. }), "{err}");
    assert!(!err.is_integrity_error());
    let err = split(&vec![0; 3_000_000], &ChunkOptions::default()).unwrap_err();
    assert!(matches!(err, QrError::DataTooLarge { .. }), "{err}");
}
