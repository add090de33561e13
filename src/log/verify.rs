//! Verification of a whole ceremony log's structure and hash chain.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::canonical::OrderedObject;
use super::canonical::{check_event, check_key, check_value, encode_object, is_time};
use super::canonical::{HEADER_KEYS, MAX_DEPTH};
use super::error::LogError;
use super::writer::hex_lower;
use super::SEAL_EVENT;

/// One verified log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// RFC 3339 UTC time, seconds precision (`2026-12-03T19:24:00Z`).
    pub time: String,
    /// Dotted event name, e.g. `ceremony.started`.
    pub event: String,
    /// Lowercase hex SHA-256 of the previous line (64 zeros on the first).
    pub prev: String,
    /// The event's own fields (everything after `prev`; key order not kept).
    pub fields: Map<String, Value>,
    /// The line's exact bytes, without its newline.
    pub raw: Vec<u8>,
    /// SHA-256 of `raw`.
    pub hash: [u8; 32],
}

/// Verifies a whole log and returns its entries.
///
/// Checks, line by line (errors name the 1-based line): ASCII only, newline-terminated,
/// one JSON object in canonical form (compact, ASCII-escaped, no floats, header keys
/// `seq`,`time`,`event`,`prev` first, no duplicate keys), `seq` counting from 0 without
/// gaps, valid `time` and `event`, `prev` equal to the hash of the line before (64 zeros
/// on line 1), and exactly one `ceremony.sealed` line, last, with the right `lines_before`.
///
/// A valid chain only proves internal consistency: the last line can still be altered
/// consistently, so also check the log's signature.
pub fn verify_chain(bytes: &[u8]) -> Result<Vec<Entry>, LogError> {
    if bytes.is_empty() {
        return Err(LogError::chain(1, "log is empty"));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut prev_hash = [0u8; 32];
    let mut rest = bytes;
    let mut line_no: u64 = 0;
    while !rest.is_empty() {
        line_no += 1;
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            return Err(LogError::chain(line_no, "no final newline (truncated)"));
        };
        let raw = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(last) = entries.last() {
            if last.event == SEAL_EVENT {
                return Err(LogError::chain(line_no, "line after ceremony.sealed"));
            }
        }
        let entry = parse_line(line_no, raw, &prev_hash)?;
        prev_hash = entry.hash;
        entries.push(entry);
    }
    let last = entries.last().expect("at least one line was parsed");
    if last.event != SEAL_EVENT {
        return Err(LogError::chain(line_no, "last line is not ceremony.sealed"));
    }
    Ok(entries)
}

/// Parses and checks one line (`line_no` is 1-based) given the previous line's hash.
fn parse_line(line_no: u64, raw: &[u8], prev_hash: &[u8; 32]) -> Result<Entry, LogError> {
    let fail = |what: &str| LogError::chain(line_no, what);
    if let Some(col) = raw.iter().position(|b| !b.is_ascii()) {
        return Err(fail(&format!("non-ASCII byte at column {}", col + 1)));
    }
    if raw.is_empty() {
        return Err(fail("empty line"));
    }
    let OrderedObject(pairs) = serde_json::from_slice(raw).map_err(|_| fail("not a JSON object"))?;

    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    if keys.len() < 4 || keys[..4] != HEADER_KEYS {
        return Err(fail("does not start with seq, time, event, prev"));
    }
    for (i, key) in keys.iter().enumerate() {
        if keys[..i].contains(key) {
            return Err(fail(&format!("duplicate key {key:?}")));
        }
    }
    for (key, value) in &pairs[4..] {
        if check_key(key).is_err() {
            return Err(fail(&format!("field key {key:?} is invalid")));
        }
        if check_value(value, 0).is_err() {
            return Err(fail(&format!("field {key:?} has a float or is nested over {MAX_DEPTH} levels")));
        }
    }
    if encode_object(pairs.iter().map(|(k, v)| (k.as_str(), v))) != raw {
        return Err(fail("not in canonical form"));
    }

    let expected_seq = line_no - 1;
    let seq = pairs[0].1.as_u64();
    if seq != Some(expected_seq) {
        return Err(fail(&format!("seq is {}, expected {expected_seq}", pairs[0].1)));
    }
    let time = match &pairs[1].1 {
        Value::String(t) if is_time(t) => t.clone(),
        _ => return Err(fail("time is not YYYY-MM-DDTHH:MM:SSZ")),
    };
    let event = match &pairs[2].1 {
        Value::String(e) if check_event(e).is_ok() => e.clone(),
        _ => return Err(fail("event name is invalid")),
    };
    let prev = match &pairs[3].1 {
        Value::String(p) => p.clone(),
        _ => return Err(fail("prev is not a string")),
    };
    if prev != hex_lower(prev_hash) {
        return Err(if line_no == 1 {
            fail("prev is not 64 zeros")
        } else {
            fail(&format!("prev does not match line {}", line_no - 1))
        });
    }
    if event == SEAL_EVENT {
        let ok =
            pairs.len() == 5 && pairs[4].0 == "lines_before" && pairs[4].1.as_u64() == Some(expected_seq);
        if !ok {
            return Err(fail(&format!("ceremony.sealed must carry only lines_before = {expected_seq}")));
        }
    }
    let hash: [u8; 32] = Sha256::digest(raw).into();
    let fields: Map<String, Value> = pairs.into_iter().skip(4).collect();
    Ok(Entry { seq: expected_seq, time, event, prev, fields, raw: raw.to_vec(), hash })
}
