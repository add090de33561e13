//! Why a KEK file was refused.

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
    /// Far larger than any key file (refused before reading it into memory).
    #[error("the KEK file is {0} bytes, far larger than any public key or certificate: give the KEK's public key file")]
    TooBig(u64),
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
    /// A PEM block without its END line.
    #[error("the KEK file is truncated or damaged (a PEM block without its END line): copy it again")]
    Truncated,
    /// A PEM block whose END label is not its BEGIN label.
    #[error("the KEK file is damaged (a PEM block BEGIN {begin} ends with END {end}): copy it again")]
    PemLabelMismatch {
        /// The BEGIN label.
        begin: String,
        /// The END label.
        end: String,
    },
    /// BEGIN and END lines with nothing between them.
    #[error("the KEK file's PEM block {0} is empty (no base64 between its BEGIN and END lines): download the public key again")]
    EmptyPem(String),
    /// Invalid base64 inside PEM or a bare base64 file.
    #[error("the KEK file's base64 is damaged: copy the file again")]
    BadBase64,
    /// A PEM label we do not read.
    #[error("the KEK file holds a '{0}' PEM block, not a public key: give the KEK's PUBLIC KEY file")]
    UnknownLabel(String),
    /// Two or more keys in one file.
    #[error("the KEK file holds {0} keys or certificates: give a file with exactly one public key")]
    SeveralKeys(usize),
    /// A certificate whose key is not RSA.
    #[error("the KEK file is a certificate whose key is {0}, not RSA: the cloud KEK for BYOK is always RSA; download the right certificate")]
    CertificateNotRsa(String),
    /// JSON that is not an RSA JWK or `az keyvault key show` output.
    #[error("the KEK file is JSON but not an RSA public JWK ({0}): give the output of `az keyvault key show` or `az keyvault key download`")]
    BadJwk(String),
    /// Not an RSA key.
    #[error(
        "the KEK's algorithm is {0}, not RSA: the cloud KEK for BYOK is always RSA; download the right key"
    )]
    NotRsa(String),
    /// DER that is neither SPKI nor PKCS#1.
    #[error("the KEK file's DER is not an RSA public key (neither SubjectPublicKeyInfo nor PKCS#1): download the public key again")]
    MalformedDer,
    /// Too small.
    #[error(
        "the KEK is RSA-{0}, under the 2048-bit minimum: ask the cloud for a 2048, 3072 or 4096-bit KEK"
    )]
    TooSmall(usize),
    /// Too large for the RSA implementation (over 4096 bits).
    #[error("the KEK is larger than 4096 bits, which no supported cloud issues: check that this is the cloud's KEK")]
    TooLarge,
    /// An even or tiny public exponent.
    #[error("the KEK's public exponent {0} is not valid for RSA-OAEP (it must be odd and at least 3): download the key again")]
    BadExponent(String),
    /// The kid in the KEK file and `--kid` differ.
    #[error("--kid {given} differs from the kid in the KEK file ({in_file}): give the kid of this KEK, or leave --kid out")]
    KidMismatch {
        /// The kid on the command line.
        given: String,
        /// The kid in the file.
        in_file: String,
    },
}

impl crate::exit::ExitStatus for KekError {
    /// 1 when the file cannot be read, else 2: the wrong input was given, and nothing happened.
    fn exit_code(&self) -> u8 {
        match self {
            KekError::Unreadable { .. } => crate::exit::FAILED,
            _ => crate::exit::USAGE,
        }
    }
}
