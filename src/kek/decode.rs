//! Telling SPKI, PKCS#1, certificates and JWKs apart, whatever the PEM label claims, and building
//! the RSA key after checking its size and exponent ourselves (so each refusal has its own message).

use rsa::pkcs1::{DecodeRsaPrivateKey, RsaPublicKey as Pkcs1PublicKey};
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{BigUint, RsaPublicKey};

use super::cert::{self, CertificateInfo};
use super::read::{Container, Decoded};
use super::{jwk, KekError, KekForm, MAX_BITS, MIN_BITS};

/// What a file held.
pub struct Parsed {
    pub key: RsaPublicKey,
    pub form: KekForm,
    pub notes: Vec<String>,
    pub certificate: Option<CertificateInfo>,
    pub kid: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Structure {
    Spki,
    Pkcs1,
    Certificate,
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";

/// Names a public-key algorithm OID for refusals.
pub fn algorithm_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.2.1" => "EC".into(),
        "1.3.101.112" => "Ed25519".into(),
        "1.3.101.113" => "Ed448".into(),
        "1.3.101.110" => "X25519".into(),
        "1.2.840.10040.4.1" => "DSA".into(),
        "1.2.840.113549.1.1.10" => "RSASSA-PSS (signature-only RSA)".into(),
        other => format!("non-RSA (algorithm {other})"),
    }
}

/// Decodes the object [`super::read::decode`] found.
pub fn parse(found: &Decoded) -> Result<Parsed, KekError> {
    if found.container == Container::Json {
        return jwk::parse(&found.der);
    }
    let der = found.der.as_slice();
    let (key, structure, certificate) = if let Ok(info) = SubjectPublicKeyInfoRef::from_der(der) {
        let oid = info.algorithm.oid.to_string();
        if oid != OID_RSA {
            return Err(KekError::NotRsa(algorithm_name(&oid)));
        }
        (from_pkcs1(info.subject_public_key.raw_bytes())?, Structure::Spki, None)
    } else if Pkcs1PublicKey::from_der(der).is_ok() {
        (from_pkcs1(der)?, Structure::Pkcs1, None)
    } else if let Some(parsed) = cert::parse(der) {
        let (pkcs1, info) = parsed?;
        (from_pkcs1(&pkcs1)?, Structure::Certificate, Some(info))
    } else {
        return Err(refuse_other_der(der, &found.label));
    };
    let mut notes = Vec::new();
    let claimed = match found.label.as_str() {
        "PUBLIC KEY" => Some(Structure::Spki),
        "RSA PUBLIC KEY" => Some(Structure::Pkcs1),
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Some(Structure::Certificate),
        _ => None,
    };
    if claimed.is_some_and(|c| c != structure) {
        notes.push(format!(
            "the PEM label says '{}' but the block holds {}; read it as such",
            found.label,
            match structure {
                Structure::Spki => "a SubjectPublicKeyInfo",
                Structure::Pkcs1 => "a PKCS#1 RSAPublicKey",
                Structure::Certificate => "an X.509 certificate",
            }
        ));
    }
    let form = match (found.container, structure) {
        (Container::Pem(_), Structure::Spki) => KekForm::PemSpki,
        (Container::Pem(_), Structure::Pkcs1) => KekForm::PemPkcs1,
        (Container::Pem(_), Structure::Certificate) => KekForm::PemCertificate,
        (Container::Der, Structure::Spki) => KekForm::DerSpki,
        (Container::Der, Structure::Pkcs1) => KekForm::DerPkcs1,
        (Container::Der, Structure::Certificate) => KekForm::DerCertificate,
        (_, Structure::Spki) => KekForm::Base64Spki,
        (_, Structure::Pkcs1) => KekForm::Base64Pkcs1,
        (_, Structure::Certificate) => KekForm::Base64Certificate,
    };
    Ok(Parsed { key, form, notes, certificate, kid: None })
}

/// A key from the PKCS#1 RSAPublicKey DER (also the BIT STRING inside an SPKI).
fn from_pkcs1(der: &[u8]) -> Result<RsaPublicKey, KekError> {
    let parsed = Pkcs1PublicKey::from_der(der).map_err(|_| KekError::MalformedDer)?;
    from_parts(parsed.modulus.as_bytes(), parsed.public_exponent.as_bytes())
}

/// Builds a key from big-endian modulus and exponent, refusing sizes and exponents first.
pub fn from_parts(n: &[u8], e: &[u8]) -> Result<RsaPublicKey, KekError> {
    let n = BigUint::from_bytes_be(n);
    let e = BigUint::from_bytes_be(e);
    let bits = n.bits();
    if bits < MIN_BITS {
        return Err(KekError::TooSmall(bits));
    }
    if bits > MAX_BITS {
        return Err(KekError::TooLarge);
    }
    let odd = e.to_bytes_be().last().is_some_and(|b| b & 1 == 1);
    if e.bits() < 2 || e.bits() > 32 || !odd {
        return Err(KekError::BadExponent(e.to_string()));
    }
    RsaPublicKey::new(n, e).map_err(|_| KekError::MalformedDer)
}

/// DER that is not a public key: say what it is when we can tell.
fn refuse_other_der(der: &[u8], label: &str) -> KekError {
    let name = if label.is_empty() { "DER" } else { label };
    if rsa::RsaPrivateKey::from_pkcs8_der(der).is_ok()
        || rsa::RsaPrivateKey::from_pkcs1_der(der).is_ok()
        || rsa::pkcs8::PrivateKeyInfo::from_der(der).is_ok()
    {
        return KekError::PrivateKey(name.into());
    }
    KekError::MalformedDer
}
