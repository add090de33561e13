//! KEKs as JSON: a bare RSA JSON Web Key (RFC 7517/7518), or what `az keyvault key show` prints
//! (the JWK under `"key"`). The kid, when present, comes along.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;
use serde_json::Value;

use super::decode::{from_parts, Parsed};
use super::{KekError, KekForm};

const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Members that only a private RSA JWK has.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// Parses JSON text into an RSA public key.
pub fn parse(json: &[u8]) -> Result<Parsed, KekError> {
    let doc: Value = serde_json::from_slice(json)
        .map_err(|e| KekError::BadJwk(format!("invalid JSON at line {}", e.line())))?;
    let (jwk, form) = match &doc {
        Value::Object(o) if o.get("key").is_some_and(Value::is_object) => (&o["key"], KekForm::AzureKeyJson),
        Value::Object(o) if o.get("keys").is_some_and(Value::is_array) => {
            let keys = o["keys"].as_array().map(Vec::len).unwrap_or(0);
            if keys != 1 {
                return Err(KekError::SeveralKeys(keys));
            }
            (&o["keys"][0], KekForm::Jwk)
        }
        Value::Object(_) => (&doc, KekForm::Jwk),
        Value::Array(a) => return Err(KekError::SeveralKeys(a.len())),
        _ => return Err(KekError::BadJwk("not a JSON object".into())),
    };
    let member = |name: &str| jwk.get(name).and_then(Value::as_str);
    if PRIVATE_MEMBERS.iter().any(|m| jwk.get(m).is_some_and(|v| !v.is_null())) {
        return Err(KekError::PrivateKey("JWK with private members".into()));
    }
    let kty = member("kty").ok_or_else(|| KekError::BadJwk("no \"kty\"".into()))?;
    if !matches!(kty, "RSA" | "RSA-HSM") {
        let name = match kty {
            "EC" | "EC-HSM" => "EC",
            "oct" | "oct-HSM" => "symmetric (oct)",
            "OKP" => "Ed25519/X25519 (OKP)",
            other => other,
        };
        return Err(KekError::NotRsa(name.to_string()));
    }
    let decode = |name: &str| -> Result<Vec<u8>, KekError> {
        let text = member(name).ok_or_else(|| KekError::BadJwk(format!("no \"{name}\"")))?;
        B64URL.decode(text).map_err(|_| KekError::BadJwk(format!("\"{name}\" is not base64url")))
    };
    let key = from_parts(&decode("n")?, &decode("e")?)?;
    Ok(Parsed { key, form, notes: Vec::new(), certificate: None, kid: member("kid").map(str::to_string) })
}
