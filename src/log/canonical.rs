//! The one canonical byte form of a log line: compact JSON, ASCII only, no floats,
//! top-level keys in the order given, nested object keys sorted.
//!
//! The writer produces lines with [`encode_object`]; the verifier re-encodes every
//! line it parses and refuses it unless the bytes come out identical.

use std::fmt;
use std::io;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::Value;

use super::error::LogError;

/// Deepest nesting of arrays/objects accepted inside a field value
/// (well below serde_json's own parse limit of 128).
pub(crate) const MAX_DEPTH: usize = 32;

/// Keys written by the log itself on every line, in this order.
pub(crate) const HEADER_KEYS: [&str; 4] = ["seq", "time", "event", "prev"];

/// A JSON formatter that escapes every non-ASCII character as `\uXXXX`
/// (UTF-16, with surrogate pairs above U+FFFF).
struct AsciiFormatter;

impl Formatter for AsciiFormatter {
    fn write_string_fragment<W>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Appends the canonical encoding of `value` to `out`.
fn encode_value(out: &mut Vec<u8>, value: &Value) {
    let mut ser = serde_json::Serializer::with_formatter(out, AsciiFormatter);
    // Writing a `Value` into a Vec cannot fail: its map keys are always strings.
    value.serialize(&mut ser).expect("serialising a JSON value into memory cannot fail");
}

/// Encodes a JSON object with its top-level keys in the given order.
pub(crate) fn encode_object<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.push(b'{');
    for (i, (key, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        encode_value(&mut out, &Value::String(key.to_owned()));
        out.push(b':');
        encode_value(&mut out, value);
    }
    out.push(b'}');
    out
}

/// Refuses floats (and integers too large for i64/u64, which parse as floats)
/// and nesting deeper than [`MAX_DEPTH`].
pub(crate) fn check_value(value: &Value, depth: usize) -> Result<(), &'static str> {
    match value {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => Err("floats are not allowed"),
        Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => Err("nested too deeply"),
        Value::Array(items) => items.iter().try_for_each(|v| check_value(v, depth + 1)),
        Value::Object(map) => map.values().try_for_each(|v| check_value(v, depth + 1)),
        _ => Ok(()),
    }
}

/// Checks an event name: non-empty dot-separated parts of `[a-z0-9_]`.
pub(crate) fn check_event(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 64 {
        return Err("must be 1 to 64 characters");
    }
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.') {
        return Err("only a-z, 0-9, '_' and '.' are allowed");
    }
    if name.split('.').any(str::is_empty) {
        return Err("empty part between dots");
    }
    Ok(())
}

/// Checks a top-level field key: non-empty `[a-z0-9_]`, not one of the header keys.
pub(crate) fn check_key(key: &str) -> Result<(), &'static str> {
    if HEADER_KEYS.contains(&key) {
        return Err("reserved key");
    }
    if key.is_empty() || key.len() > 64 {
        return Err("must be 1 to 64 characters");
    }
    if !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err("only a-z, 0-9 and '_' are allowed");
    }
    Ok(())
}

/// Formats a time as RFC 3339 UTC with seconds precision: `2026-12-03T19:24:00Z`.
pub(crate) fn format_time(t: time::OffsetDateTime) -> Result<String, LogError> {
    let u = t.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&u.year()) {
        return Err(LogError::Clock(t.to_string()));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        u.year(),
        u8::from(u.month()),
        u.day(),
        u.hour(),
        u.minute(),
        u.second()
    ))
}

/// True if `s` has the exact shape written by [`format_time`] and is a real date-time.
pub(crate) fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().unwrap_or(u16::MAX);
    let Ok(month) = time::Month::try_from(num(5..7) as u8) else {
        return false;
    };
    let date = time::Date::from_calendar_date(i32::from(num(0..4)), month, num(8..10) as u8);
    let clock = time::Time::from_hms(num(11..13) as u8, num(14..16) as u8, num(17..19) as u8);
    date.is_ok() && clock.is_ok()
}

/// A JSON object parsed with its top-level key order (and any duplicates) kept.
pub(crate) struct OrderedObject(pub(crate) Vec<(String, Value)>);

impl<'de> Deserialize<'de> for OrderedObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedObject, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, Value>()? {
                    pairs.push(pair);
                }
                Ok(OrderedObject(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor)
    }
}
