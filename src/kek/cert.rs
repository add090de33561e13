//! X.509 certificates as KEK files: the key is taken from the certificate, and its subject and
//! validity are shown so the operators can see what they were given. The certificate's signature
//! is not checked: the fingerprint from paper is what ties the key to the cloud.

use rsa::pkcs8::der::{Decode, Encode};
use x509_cert::Certificate;

use super::decode::algorithm_name;
use super::KekError;

/// What a certificate says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject distinguished name (RFC 4514).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Start of validity.
    pub not_before: String,
    /// End of validity.
    pub not_after: String,
}

/// `None` if `der` is not a certificate; else the PKCS#1 key bytes and the certificate's details.
pub fn parse(der: &[u8]) -> Option<Result<(Vec<u8>, CertificateInfo), KekError>> {
    let cert = Certificate::from_der(der).ok()?;
    let tbs = &cert.tbs_certificate;
    let spki = &tbs.subject_public_key_info;
    let oid = spki.algorithm.oid.to_string();
    if oid != "1.2.840.113549.1.1.1" {
        return Some(Err(KekError::CertificateNotRsa(algorithm_name(&oid))));
    }
    let info = CertificateInfo {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        not_before: tbs.validity.not_before.to_string(),
        not_after: tbs.validity.not_after.to_string(),
    };
    let _ = spki.to_der();
    Some(Ok((spki.subject_public_key.raw_bytes().to_vec(), info)))
}
