//! Tampering tests: every alteration of a sealed log is refused, naming the line.

use serde_json::{json, Value};

use super::super::canonical::encode_object;
use super::super::*;
use super::{sample_log, ZEROS};

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

/// Verifies `bytes`, expecting a chain error; returns (line, message).
fn chain_err(bytes: &[u8]) -> (u64, String) {
    match verify_chain(bytes) {
        Err(e @ LogError::Chain { line, .. }) => {
            assert!(e.is_integrity_error());
            (line, e.to_string())
        }
        other => panic!("expected a chain error, got {other:?}"),
    }
}

#[test]
fn changed_byte_is_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let sealed = sample_log(dir.path());
    let ls = lines(&sealed.bytes);
    // A changed field value keeps line 3 valid JSON; line 4's prev no longer matches.
    let tampered = String::from_utf8(sealed.bytes.clone()).unwrap().replace("4096", "4097");
    assert_eq!(chain_err(tampered.as_bytes()), (4, "log line 4: prev does not match line 3".into()));
    // A changed prev digit on line 2.
    let mut b = sealed.bytes.clone();
    let at = ls[0].len() + ls[1].iter().position(|&c| c == b'v').unwrap() + 5;
    b[at] = if b[at] == b'a' { b'b' } else { b'a' };
    assert_eq!(chain_err(&b).0, 2);
    // A byte that breaks the JSON of line 1, and a non-ASCII byte in line 3.
    let mut b = sealed.bytes.clone();
    b[0] = b'[';
    assert_eq!(chain_err(&b), (1, "log line 1: not a JSON object".into()));
    let mut b = sealed.bytes.clone();
    b[ls[0].len() + ls[1].len() + 3] = 0xc3;
    assert_eq!(chain_err(&b).0, 3);
    // Whitespace is not canonical.
    let spaced = String::from_utf8(sealed.bytes.clone()).unwrap().replacen("{\"seq\":1", "{\"seq\": 1", 1);
    assert_eq!(chain_err(spaced.as_bytes()), (2, "log line 2: not in canonical form".into()));
}

#[test]
fn removed_swapped_truncated_lines_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sealed = sample_log(dir.path());
    let ls = lines(&sealed.bytes);
    let removed = [&ls[0][..], &ls[2], &ls[3]].concat();
    let (line, msg) = chain_err(&removed);
    assert_eq!((line, msg.as_str()), (2, "log line 2: seq is 2, expected 1"));
    let swapped = [&ls[0][..], &ls[2], &ls[1], &ls[3]].concat();
    assert_eq!(chain_err(&swapped).0, 2);
    let n = sealed.bytes.len();
    assert_eq!(chain_err(&sealed.bytes[..n - 1]), (4, "log line 4: no final newline (truncated)".into()));
    assert_eq!(chain_err(&sealed.bytes[..n - 10]).0, 4);
    assert_eq!(chain_err(b""), (1, "log line 1: log is empty".into()));
    let crlf = String::from_utf8(sealed.bytes.clone()).unwrap().replace('\n', "\r\n");
    assert_eq!(chain_err(crlf.as_bytes()).0, 1);
}

/// A correctly chained line following `prev_raw_line` (newline included), built by hand.
fn chained_line(prev_raw_line: &[u8], seq: u64, event: &str, extra: &[(&str, Value)]) -> Vec<u8> {
    let prev = sha256_hex(&prev_raw_line[..prev_raw_line.len() - 1]);
    let header = [json!(seq), json!("2026-12-03T19:25:00Z"), json!(event), json!(prev)];
    let pairs = ["seq", "time", "event", "prev"].into_iter().zip(&header);
    let mut line = encode_object(pairs.chain(extra.iter().map(|(k, v)| (*k, v))));
    line.push(b'\n');
    line
}

#[test]
fn seal_problems_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sealed = sample_log(dir.path());
    let ls = lines(&sealed.bytes);
    let unsealed = [&ls[0][..], &ls[1], &ls[2]].concat();
    assert_eq!(chain_err(&unsealed), (3, "log line 3: last line is not ceremony.sealed".into()));
    let after = [sealed.bytes.clone(), chained_line(&ls[3], 4, "late.event", &[])].concat();
    assert_eq!(chain_err(&after), (5, "log line 5: line after ceremony.sealed".into()));
    let wrong = chained_line(&ls[2], 3, SEAL_EVENT, &[("lines_before", json!(2))]);
    let (line, msg) = chain_err(&[unsealed.clone(), wrong].concat());
    assert_eq!(line, 4);
    assert!(msg.contains("lines_before = 3"), "{msg}");
    let extra = chained_line(&ls[2], 3, SEAL_EVENT, &[("lines_before", json!(3)), ("x", json!(1))]);
    assert_eq!(chain_err(&[unsealed.clone(), extra].concat()).0, 4);
    // A hand-made correct seal is accepted: the chain alone does not authenticate.
    let good = chained_line(&ls[2], 3, SEAL_EVENT, &[("lines_before", json!(3))]);
    assert_eq!(verify_chain(&[unsealed, good].concat()).unwrap().len(), 4);
}

#[test]
fn bad_header_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sealed = sample_log(dir.path());
    let text = String::from_utf8(sealed.bytes).unwrap();
    let cases = [
        ("2026-12-03T19:24:00Z", "2026-13-03T19:24:00Z"),
        ("\"seq\":0,", "\"seq\":\"0\","),
        (&format!("\"prev\":\"{ZEROS}\""), "\"prev\":0"),
        ("ceremony.started", "Ceremony.started"),
    ];
    for (from, to) in cases {
        let (line, msg) = chain_err(text.replacen(from, to, 1).as_bytes());
        assert_eq!(line, 1, "{msg}");
    }
    assert!(!LogError::Poisoned.is_integrity_error());
}
