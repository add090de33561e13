//! The chunk text format, `BQR1:N:M:SHA256HEX:BASE32DATA`: writing and strict parsing.

use data_encoding::{BASE32_NOPAD, HEXUPPER};

use super::error::excerpt;
use super::{QrError, MAX_CHUNKS, TAG};

/// The prefix `zbarimg` and `zbarcam` put before a decoded text unless given
/// `--raw`; accepted and removed so that their output can be piped in as is.
const ZBAR_PREFIX: &str = "QR-Code:";

/// Longer than the 4296 characters of a version-40 code: not a chunk.
const MAX_LINE: usize = 4400;

/// The characters of the QR alphanumeric mode.
#[cfg(test)]
pub(crate) const QR_ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// One parsed chunk line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedChunk {
    /// Chunk number, `1..=count`.
    pub index: u32,
    /// Chunk count, `1..=MAX_CHUNKS`.
    pub count: u32,
    /// The set id: SHA-256 of the whole file.
    pub sha256: [u8; 32],
    /// The base32 data field as written.
    pub data_text: String,
    /// The data field decoded.
    pub data: Vec<u8>,
}

/// Uppercase hex of a SHA-256 digest.
pub(crate) fn hex_id(sha256: &[u8; 32]) -> String {
    HEXUPPER.encode(sha256)
}

/// The text of chunk `index` of `count` carrying `data`, for the set `id_hex`.
pub(crate) fn chunk_text(index: u32, count: u32, id_hex: &str, data: &[u8]) -> String {
    format!("{TAG}:{index}:{count}:{id_hex}:{}", BASE32_NOPAD.encode(data))
}

/// Parses one input line. Surrounding whitespace (and a CR) is trimmed, as is
/// a leading `QR-Code:` from zbar. Returns `Ok(None)` for a blank line.
pub(crate) fn parse_line(line: &str) -> Result<Option<ParsedChunk>, QrError> {
    let text = line.trim();
    let text = text.strip_prefix(ZBAR_PREFIX).unwrap_or(text).trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() > MAX_LINE {
        return Err(QrError::malformed("longer than any QR code can hold", text));
    }
    let fields: Vec<&str> = text.split(':').collect();
    let tag = fields[0];
    if tag != TAG {
        let looks_like_ours =
            tag.len() > 3 && tag.starts_with("BQR") && tag[3..].bytes().all(|b| b.is_ascii_digit());
        if looks_like_ours {
            return Err(QrError::UnknownFormat { tag: excerpt(tag) });
        }
        return Err(QrError::malformed("does not start with BQR1:", text));
    }
    if fields.len() != 5 {
        return Err(QrError::malformed("expected 5 fields separated by ':'", text));
    }
    let index = parse_number(fields[1])
        .ok_or_else(|| QrError::malformed("chunk number is not a decimal without leading zeros", text))?;
    let count = parse_number(fields[2])
        .ok_or_else(|| QrError::malformed("chunk count is not a decimal without leading zeros", text))?;
    let count = match u32::try_from(count) {
        Ok(c) if (1..=MAX_CHUNKS).contains(&c) => c,
        _ => return Err(QrError::malformed("chunk count is not from 1 to 999", text)),
    };
    let index = match u32::try_from(index) {
        Ok(n) if (1..=count).contains(&n) => n,
        _ => return Err(QrError::malformed("chunk number is not from 1 to the count", text)),
    };
    let sha256 =
        parse_id(fields[3]).ok_or_else(|| QrError::malformed("id is not 64 uppercase hex digits", text))?;
    let data_text = fields[4];
    if index < count && !data_text.len().is_multiple_of(8) {
        return Err(QrError::malformed(
            "data of a chunk before the last is not a multiple of 8 characters",
            text,
        ));
    }
    let data = BASE32_NOPAD
        .decode(data_text.as_bytes())
        .map_err(|_| QrError::malformed("data is not unpadded uppercase base32", text))?;
    Ok(Some(ParsedChunk { index, count, sha256, data_text: data_text.to_owned(), data }))
}

/// A decimal without sign or leading zeros ("0" itself is returned as 0 for
/// the range check to refuse); numbers too long for a `u64` saturate.
fn parse_number(s: &str) -> Option<u64> {
    let digits_only = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    Some(s.parse().unwrap_or(u64::MAX))
}

/// Exactly 64 uppercase hex digits.
fn parse_id(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let bytes = HEXUPPER.decode(s.as_bytes()).ok()?;
    bytes.try_into().ok()
}
