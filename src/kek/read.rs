//! A tolerant reader for the files users bring as a KEK.
//!
//! It accepts what real tools write and real editors mangle: PEM with CRLF, a UTF-8 BOM, text before
//! `-----BEGIN`, trailing spaces and blank lines, any base64 line width; DER; bare base64 of the DER.
//! It does not hand the text to a strict PEM parser, which would refuse several of these.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;

use super::KekError;

/// Base64 that ignores whether padding is present.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The container a key was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// A PEM block with this label.
    Pem(&'static str),
    /// Raw DER bytes.
    Der,
    /// Base64 of DER without PEM armour.
    Base64,
    /// JSON text (a JWK, or `az keyvault key show` output); `der` then holds the JSON bytes.
    Json,
}

/// Larger files are not key files (the largest real KEK certificate chain is a few KiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

/// One decoded key object and where it came from.
pub struct Decoded {
    /// The container.
    pub container: Container,
    /// The PEM label as written (empty for DER and bare base64).
    pub label: String,
    /// The DER bytes.
    pub der: Vec<u8>,
}

/// PEM labels we know, mapped to a static name for [`Container::Pem`].
const LABELS: [&str; 12] = [
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
    "EC PARAMETERS",
    "X509 CERTIFICATE",
    "TRUSTED CERTIFICATE",
];

/// Finds the one key object in `input`.
pub fn decode(input: &[u8]) -> Result<Decoded, KekError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(KekError::Empty);
    }
    if input.first() == Some(&0x30) {
        return Ok(Decoded { container: Container::Der, label: String::new(), der: input.to_vec() });
    }
    let text = std::str::from_utf8(input).map_err(|_| KekError::NotAKey)?;
    if text.trim_start().starts_with(['{', '[']) {
        return Ok(Decoded {
            container: Container::Json,
            label: String::new(),
            der: text.trim().as_bytes().to_vec(),
        });
    }
    if text.contains("-----BEGIN ") {
        return decode_pem(text);
    }
    if text.starts_with("ssh-rsa ") || text.starts_with("ssh-ed25519 ") || text.starts_with("ecdsa-") {
        return Err(KekError::OpenSshPublicKey);
    }
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if !compact.is_empty()
        && compact.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
    {
        let der = LENIENT.decode(&compact).map_err(|_| KekError::BadBase64)?;
        return Ok(Decoded { container: Container::Base64, label: String::new(), der });
    }
    Err(KekError::NotAKey)
}

fn decode_pem(text: &str) -> Result<Decoded, KekError> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for raw in text.lines() {
        let line = raw.trim_matches(|c: char| c == '\r' || c.is_whitespace());
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            let label = rest.trim_end_matches('-').trim().to_string();
            if current.is_some() {
                return Err(KekError::Truncated);
            }
            current = Some((label, String::new()));
        } else if let Some(rest) = line.strip_prefix("-----END ") {
            let label = rest.trim_end_matches('-').trim();
            match current.take() {
                Some((begin, body)) if begin == label => blocks.push((begin, body)),
                Some((begin, _)) => return Err(KekError::PemLabelMismatch { begin, end: label.to_string() }),
                None => return Err(KekError::NotAKey),
            }
        } else if let Some((label, body)) = current.as_mut() {
            if line.contains(':') {
                // RFC 1421 headers: only legacy encrypted private keys carry them.
                if line.starts_with("Proc-Type") || line.starts_with("DEK-Info") {
                    return Err(KekError::PrivateKey(label.clone()));
                }
                continue;
            }
            body.push_str(line);
        }
    }
    if current.is_some() {
        return Err(KekError::Truncated);
    }
    let keys: Vec<&(String, String)> = blocks.iter().filter(|(l, _)| l != "EC PARAMETERS").collect();
    if let Some((label, _)) = keys.iter().find(|(l, _)| l.contains("PRIVATE KEY")) {
        return Err(KekError::PrivateKey(label.clone()));
    }
    let (label, body) = match keys.as_slice() {
        [] => return Err(KekError::NotAKey),
        [one] => *one,
        _ => return Err(KekError::SeveralKeys(keys.len())),
    };
    if body.is_empty() {
        return Err(KekError::EmptyPem(label.clone()));
    }
    let der = LENIENT.decode(body).map_err(|_| KekError::BadBase64)?;
    if der.is_empty() {
        return Err(KekError::EmptyPem(label.clone()));
    }
    let name = LABELS.iter().find(|l| **l == label).copied().unwrap_or("UNKNOWN");
    if name == "UNKNOWN" {
        return Err(KekError::UnknownLabel(label.clone()));
    }
    Ok(Decoded { container: Container::Pem(name), label: label.clone(), der })
}
