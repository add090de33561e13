//! The `SHA256SUMS` file, in the format `sha256sum` writes and `sha256sum -c` reads.

/// One line of `SHA256SUMS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumLine {
    /// Lowercase hex SHA-256.
    pub sha256: String,
    /// The file name, relative to the directory.
    pub name: String,
}

/// Parses `HASH  NAME` lines (text mode, two spaces) and `HASH *NAME` (binary mode).
/// Refuses: non-UTF-8, a hash that is not 64 lowercase hex digits (byok-ceremony writes
/// lowercase, so a changed case is a changed byte), an empty name, a name given twice,
/// GNU's backslash-escaped names (byok-ceremony never writes them), a missing final newline.
/// Errors name the 1-based line.
pub fn parse_sha256sums(bytes: &[u8]) -> Result<Vec<SumLine>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "SHA256SUMS is not UTF-8".to_string())?;
    if text.is_empty() {
        return Err("SHA256SUMS is empty".into());
    }
    if !text.ends_with('\n') {
        return Err("SHA256SUMS has no final newline (truncated)".into());
    }
    let mut out: Vec<SumLine> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = |why: &str| format!("SHA256SUMS line {}: {why}", i + 1);
        if line.starts_with('\\') {
            return Err(bad("escaped file names are not used by byok-ceremony"));
        }
        let (hash, rest) = line.split_at_checked(64).ok_or_else(|| bad("too short"))?;
        if !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(bad("the hash is not 64 lowercase hex digits"));
        }
        let name = rest
            .strip_prefix("  ")
            .or_else(|| rest.strip_prefix(" *"))
            .ok_or_else(|| bad("no two spaces after the hash"))?;
        if name.is_empty() || name.contains('\r') {
            return Err(bad("no file name"));
        }
        if out.iter().any(|l| l.name == name) {
            return Err(bad(&format!("{name} is listed twice")));
        }
        out.push(SumLine { sha256: hash.to_string(), name: name.to_string() });
    }
    Ok(out)
}
