//! Signer fingerprints as written on paper, and OpenSSH `allowed_signers` files.

use base64::Engine;

use crate::kek::Fingerprint;
use crate::log::NAMESPACE;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD_NO_PAD;

/// The 32 bytes of an OpenSSH `SHA256:...` fingerprint (43 characters of unpadded base64).
pub fn fingerprint_bytes(ssh: &str) -> Option<[u8; 32]> {
    let b64 = ssh.strip_prefix("SHA256:")?;
    if b64.len() != 43 {
        return None;
    }
    B64.decode(b64).ok()?.try_into().ok()
}

/// The `SHA256:...` form of 32 fingerprint bytes.
pub fn ssh_form(bytes: &[u8; 32]) -> String {
    format!("SHA256:{}", B64.encode(bytes))
}

/// Reads a signer fingerprint as typed from paper: `SHA256:` + 43 base64 characters (also inside
/// a whole `ssh-keygen -lf` line), or 64 hex digits, or 32 PGP words (as for KEK fingerprints).
pub fn parse_signer_fingerprint(typed: &str) -> Result<[u8; 32], String> {
    if let Some(token) = typed.split_whitespace().find(|t| t.starts_with("SHA256:")) {
        let rest = &token["SHA256:".len()..];
        if rest.len() == 43 {
            return fingerprint_bytes(token).ok_or_else(|| "its SHA256: part is not valid base64".to_owned());
        }
    }
    Fingerprint::parse(typed).map(|f| *f.bytes()).map_err(|e| e.problem())
}

/// One key line of an `allowed_signers` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedSigner {
    /// The principals field as written.
    pub principals: String,
    /// The `namespaces="..."` option, split at commas; `None` when absent (any namespace).
    pub namespaces: Option<Vec<String>>,
    /// `KEYTYPE BASE64`.
    pub key: String,
}

/// Parses an OpenSSH `allowed_signers` file (`ssh-keygen(1)`, ALLOWED SIGNERS): per line
/// `PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]`; blank lines and `#` comments are skipped.
/// Options are comma-separated, values may be double-quoted. Errors name the 1-based line.
pub fn parse_allowed_signers(text: &str) -> Result<Vec<AllowedSigner>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| format!("line {}: {why}", i + 1);
        let fields = split_fields(line).ok_or_else(|| bad("unbalanced double quote"))?;
        let (principals, rest) = fields.split_first().ok_or_else(|| bad("empty"))?;
        let (options, rest) = match rest.first() {
            Some(f) if !is_key_type(f) => (Some(f.as_str()), &rest[1..]),
            _ => (None, rest),
        };
        let [kind, blob, ..] = rest else {
            return Err(bad("no key type and base64 key"));
        };
        if !is_key_type(kind) {
            return Err(bad("the key type is missing or unknown"));
        }
        let namespaces = match options {
            Some(o) => namespaces_option(o).map_err(|w| bad(&w))?,
            None => None,
        };
        out.push(AllowedSigner {
            principals: principals.trim_matches('"').to_string(),
            namespaces,
            key: format!("{kind} {blob}"),
        });
    }
    if out.is_empty() {
        return Err("no key lines".into());
    }
    Ok(out)
}

/// The principals of the first entry that holds `public_openssh`'s key for the byok-ceremony
/// namespace (no `namespaces` option, or one that lists it or `*`).
pub fn find_allowed(list: &[AllowedSigner], public_openssh: &str) -> Option<String> {
    let mut words = public_openssh.split_whitespace();
    let key = format!("{} {}", words.next()?, words.next()?);
    list.iter()
        .find(|s| {
            s.key == key
                && s.namespaces.as_ref().is_none_or(|ns| ns.iter().any(|n| n == NAMESPACE || n == "*"))
        })
        .map(|s| s.principals.clone())
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-")
}

/// Splits at spaces and tabs outside double quotes; `None` on an unbalanced quote.
fn split_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ' ' | '\t' if !quoted => {
                if !cur.is_empty() {
                    fields.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    if !cur.is_empty() {
        fields.push(cur);
    }
    Some(fields)
}

/// The value of `namespaces="a,b"` among comma-separated options (commas inside quotes kept).
fn namespaces_option(options: &str) -> Result<Option<Vec<String>>, String> {
    let mut quoted = false;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in options.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&options[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&options[start..]);
    let mut found = None;
    for p in parts {
        let Some((name, value)) = p.split_once('=') else { continue };
        if name.eq_ignore_ascii_case("namespaces") {
            let v = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
            if found.is_some() {
                return Err("namespaces given twice".into());
            }
            found = Some(v.split(',').map(str::to_owned).collect());
        }
    }
    Ok(found)
}
