//! The Key Exchange Key (KEK): the cloud HSM's RSA public key that the target key is wrapped for.
//!
//! [`Kek::from_bytes`] reads every form in [`read`], refuses private keys, non-RSA keys, keys under
//! 2048 bits and odd exponents, and computes the SPKI fingerprint that the operators compare with
//! the value printed on the online side.

mod fingerprint;
pub mod read;

pub use fingerprint::{Fingerprint, FingerprintError};

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;
use std::path::Path;

use read::Container;

/// The smallest RSA modulus accepted as a KEK.
pub const MIN_BITS: usize = 2048;

/// Why a KEK file was refused. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KekError {
    /// The file could not be read.
    #[error("cannot read the KEK file {path}: {source}; check the path and that the USB stick is mounted")]
    Unreadable {
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Nothing in the file.
    #[error("the KEK file is empty: download the public key again on the online machine")]
    Empty,
    /// Not PEM, DER or base64.
    #[error("the KEK file is not a PEM, DER or base64 public key: give the file that `az keyvault key download` wrote")]
    NotAKey,
    /// An OpenSSH-format public key.
    #[error("the KEK file is an OpenSSH public key, not a cloud KEK: give the PEM file that `az keyvault key download` wrote")]
    OpenSshPublicKey,
    /// A private key, in any form.
    #[error("the KEK file holds a PRIVATE key ({0}): the KEK must be the public half; export it with `openssl pkey -pubout` on the machine that owns it, and keep the private key off this machine")]
    PrivateKey(String),
    /// A PEM block without its END line, or a mismatched END.
    #[error(
        "the KEK file is truncated or damaged (a PEM block without its END line): copy it again"
    )]
    Truncated,
    /// Invalid base64 inside PEM or a bare base64 file.
    #[error("the KEK file's base64 is damaged: copy the file again")]
    BadBase64,
    /// A PEM label we do not read.
    #[error(
        "the KEK file holds a '{0}' PEM block, not a public key: give the KEK's PUBLIC KEY file"
    )]
    UnknownLabel(String),
    /// Two or more keys in one file.
    #[error("the KEK file holds {0} keys: give a file with exactly one public key")]
    SeveralKeys(usize),
    /// A certificate (reading certificates comes with a later release).
    #[error("the KEK file is an X.509 certificate: extract its key with `openssl x509 -pubkey -noout -in FILE > kek.pem` and give kek.pem")]
    Certificate,
    /// Not an RSA key.
    #[error("the KEK is a {0} key, not RSA: the cloud KEK for BYOK is always RSA; download the right key")]
    NotRsa(String),
    /// DER that is neither SPKI nor PKCS#1.
    #[error("the KEK file's DER is not an RSA public key (neither SubjectPublicKeyInfo nor PKCS#1): download the public key again")]
    MalformedDer,
    /// Too small.
    #[error("the KEK is RSA-{0}, under the 2048-bit minimum: ask the cloud for a 2048, 3072 or 4096-bit KEK")]
    TooSmall(usize),
    /// Too large for the RSA implementation (over 4096 bits).
    #[error("the KEK is larger than 4096 bits, which no supported cloud issues: check that this is the cloud's KEK")]
    TooLarge,
    /// An even or tiny public exponent.
    #[error("the KEK's public exponent {0} is not valid for RSA-OAEP (it must be odd and at least 3): download the key again")]
    BadExponent(String),
}

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
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";

fn algorithm_name(oid: &str) -> String {
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

impl Kek {
    /// Reads a KEK file.
    pub fn from_file(path: &Path) -> Result<Kek, KekError> {
        let bytes = std::fs::read(path).map_err(|source| KekError::Unreadable {
            path: path.display().to_string(),
            source,
        })?;
        Kek::from_bytes(&bytes)
    }

    /// Reads a KEK from the bytes of a file in any accepted form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Kek, KekError> {
        let decoded = read::decode(bytes)?;
        let der = decoded.der.as_slice();
        let spki = match decoded.container {
            Container::Pem("CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE") => {
                return Err(KekError::Certificate)
            }
            Container::Pem("RSA PUBLIC KEY") => false,
            _ => SubjectPublicKeyInfoRef::from_der(der).is_ok(),
        };
        if spki {
            let info =
                SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KekError::MalformedDer)?;
            let oid = info.algorithm.oid.to_string();
            if oid != OID_RSA {
                return Err(KekError::NotRsa(algorithm_name(&oid)));
            }
        }
        let key = if spki {
            rsa::pkcs8::DecodePublicKey::from_public_key_der(der).map_err(map_rsa_error)?
        } else if let Ok(key) = RsaPublicKey::from_pkcs1_der(der) {
            key
        } else {
            return Err(refuse_other_der(der, &decoded.label));
        };
        let form = match (decoded.container, spki) {
            (Container::Pem(_), true) => KekForm::PemSpki,
            (Container::Pem(_), false) => KekForm::PemPkcs1,
            (Container::Der, true) => KekForm::DerSpki,
            (Container::Der, false) => KekForm::DerPkcs1,
            (Container::Base64, true) => KekForm::Base64Spki,
            (Container::Base64, false) => KekForm::Base64Pkcs1,
        };
        Kek::from_public_key(key, form)
    }

    /// Validates an already-decoded RSA public key.
    pub fn from_public_key(key: RsaPublicKey, form: KekForm) -> Result<Kek, KekError> {
        let bits = key.n().bits();
        if bits < MIN_BITS {
            return Err(KekError::TooSmall(bits));
        }
        let e = key.e();
        let odd = e.to_bytes_be().last().is_some_and(|b| b & 1 == 1);
        if e.bits() < 2 || !odd {
            return Err(KekError::BadExponent(e.to_string()));
        }
        let spki_der = key
            .to_public_key_der()
            .map_err(|_| KekError::MalformedDer)?
            .as_bytes()
            .to_vec();
        let fingerprint = Fingerprint::of_spki_der(&spki_der);
        Ok(Kek {
            key,
            spki_der,
            form,
            fingerprint,
        })
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
}

fn map_rsa_error(e: rsa::pkcs8::spki::Error) -> KekError {
    let text = e.to_string();
    if text.contains("too large") || text.contains("TooLarge") {
        KekError::TooLarge
    } else {
        KekError::MalformedDer
    }
}

/// DER that is not a public key: say what it is when we can tell.
fn refuse_other_der(der: &[u8], label: &str) -> KekError {
    if rsa::RsaPrivateKey::from_pkcs8_der(der).is_ok()
        || rsa::RsaPrivateKey::from_pkcs1_der(der).is_ok()
    {
        return KekError::PrivateKey(if label.is_empty() {
            "DER".into()
        } else {
            label.into()
        });
    }
    if rsa::pkcs8::PrivateKeyInfo::from_der(der).is_ok() {
        return KekError::PrivateKey("PKCS#8".into());
    }
    KekError::MalformedDer
}

#[cfg(test)]
mod tests;
