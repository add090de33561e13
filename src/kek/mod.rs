//! The Key Exchange Key (KEK): the cloud HSM's RSA public key that the target key is wrapped for.
//!
//! [`Kek::from_bytes`] reads every form users bring ([`read`] finds the object, `decode` tells SPKI,
//! PKCS#1, certificate and JWK apart), refuses private keys, non-RSA keys, keys under 2048 bits and
//! bad exponents, and computes the SPKI fingerprint the operators compare with the paper.

mod cert;
mod decode;
mod error;
mod fingerprint;
mod jwk;
pub mod pgp_words;
pub mod read;

pub use cert::CertificateInfo;
pub use error::KekError;
pub use fingerprint::{Fingerprint, FingerprintError};

use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;
use std::path::Path;

/// The smallest RSA modulus accepted as a KEK.
pub const MIN_BITS: usize = 2048;
/// The largest RSA modulus read (no cloud issues larger KEKs).
pub const MAX_BITS: usize = 4096;

/// How the KEK was found in the file, as `kek inspect` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KekForm {
    /// PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    PemSpki,
    /// PEM `RSA PUBLIC KEY` (PKCS#1).
    PemPkcs1,
    /// DER SubjectPublicKeyInfo.
    DerSpki,
    /// DER PKCS#1 RSAPublicKey.
    DerPkcs1,
    /// Bare base64 of a DER SubjectPublicKeyInfo (what AWS returns).
    Base64Spki,
    /// Bare base64 of a DER PKCS#1 RSAPublicKey.
    Base64Pkcs1,
    /// PEM X.509 certificate.
    PemCertificate,
    /// DER X.509 certificate.
    DerCertificate,
    /// Bare base64 of a DER X.509 certificate.
    Base64Certificate,
    /// The JSON that `az keyvault key show` prints.
    AzureKeyJson,
    /// A bare RSA JSON Web Key.
    Jwk,
}

impl KekForm {
    /// A short description for humans and the log.
    pub fn describe(self) -> &'static str {
        match self {
            KekForm::PemSpki => "PEM PUBLIC KEY (SubjectPublicKeyInfo)",
            KekForm::PemPkcs1 => "PEM RSA PUBLIC KEY (PKCS#1)",
            KekForm::DerSpki => "DER SubjectPublicKeyInfo",
            KekForm::DerPkcs1 => "DER PKCS#1 RSAPublicKey",
            KekForm::Base64Spki => "base64 DER SubjectPublicKeyInfo",
            KekForm::Base64Pkcs1 => "base64 DER PKCS#1 RSAPublicKey",
            KekForm::PemCertificate => "PEM X.509 certificate",
            KekForm::DerCertificate => "DER X.509 certificate",
            KekForm::Base64Certificate => "base64 DER X.509 certificate",
            KekForm::AzureKeyJson => "JSON of `az keyvault key show`",
            KekForm::Jwk => "JSON Web Key (JWK)",
        }
    }
}

/// A validated RSA KEK.
#[derive(Clone)]
pub struct Kek {
    key: RsaPublicKey,
    spki_der: Vec<u8>,
    form: KekForm,
    fingerprint: Fingerprint,
    notes: Vec<String>,
    certificate: Option<CertificateInfo>,
    kid: Option<String>,
}

impl Kek {
    /// Reads a KEK file.
    pub fn from_file(path: &Path) -> Result<Kek, KekError> {
        let unreadable = |source| KekError::Unreadable { path: path.display().to_string(), source };
        let meta = std::fs::metadata(path).map_err(unreadable)?;
        if meta.is_dir() {
            return Err(unreadable(std::io::Error::other("it is a directory")));
        }
        if meta.len() > read::MAX_FILE_BYTES {
            return Err(KekError::TooBig(meta.len()));
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        Kek::from_bytes(&bytes)
    }

    /// Reads a KEK from the bytes of a file in any accepted form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Kek, KekError> {
        let found = read::decode(bytes)?;
        let parsed = decode::parse(&found)?;
        let mut kek = Kek::from_public_key(parsed.key, parsed.form)?;
        kek.notes = parsed.notes;
        kek.certificate = parsed.certificate;
        kek.kid = parsed.kid;
        Ok(kek)
    }

    /// Validates an already-decoded RSA public key.
    pub fn from_public_key(key: RsaPublicKey, form: KekForm) -> Result<Kek, KekError> {
        let bits = key.n().bits();
        if bits < MIN_BITS {
            return Err(KekError::TooSmall(bits));
        }
        if bits > MAX_BITS {
            return Err(KekError::TooLarge);
        }
        let e = key.e();
        let odd = e.to_bytes_be().last().is_some_and(|b| b & 1 == 1);
        if e.bits() < 2 || e.bits() > 32 || !odd {
            return Err(KekError::BadExponent(e.to_string()));
        }
        let spki_der = key.to_public_key_der().map_err(|_| KekError::MalformedDer)?.as_bytes().to_vec();
        let fingerprint = Fingerprint::of_spki_der(&spki_der);
        Ok(Kek { key, spki_der, form, fingerprint, notes: Vec::new(), certificate: None, kid: None })
    }

    /// The RSA public key.
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.key
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bits()
    }

    /// Modulus length in bytes: the exact length of the RSA part of every wrap.
    pub fn modulus_len(&self) -> usize {
        self.key.size()
    }

    /// The public exponent, in decimal.
    pub fn exponent(&self) -> String {
        self.key.e().to_string()
    }

    /// The canonical DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// SHA-256 of the DER SubjectPublicKeyInfo.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The form the key was read from.
    pub fn form(&self) -> KekForm {
        self.form
    }

    /// Things worth telling the operators about the file (e.g. a PEM label that did not match).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The certificate the key came from, if any.
    pub fn certificate(&self) -> Option<&CertificateInfo> {
        self.certificate.as_ref()
    }

    /// The key identifier found in the file (JWK or `az keyvault key show` JSON).
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The kid to use: `--kid` and the file's must agree when both are present.
    pub fn resolve_kid(&self, given: Option<&str>) -> Result<Option<String>, KekError> {
        match (given, self.kid()) {
            (Some(g), Some(f)) if g != f => {
                Err(KekError::KidMismatch { given: g.to_string(), in_file: f.to_string() })
            }
            (Some(g), _) => Ok(Some(g.to_string())),
            (None, f) => Ok(f.map(str::to_string)),
        }
    }
}

#[cfg(test)]
mod tests;
