//! OpenSSH (SSHSIG, Ed25519) signing and verification of the ceremony log.

use std::io::Read;
use std::path::Path;

use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use zeroize::Zeroizing;

use super::error::LogError;
use super::NAMESPACE;

/// Largest private key file read (an OpenSSH Ed25519 key is about 400 bytes).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// The ceremony's log-signing key: an Ed25519 private key.
///
/// There is deliberately no way to export the private half, no `Clone`, and `Debug`
/// shows only the public fingerprint. The key material is zeroised on drop.
pub struct Signer {
    key: PrivateKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("fingerprint", &self.fingerprint()).finish_non_exhaustive()
    }
}

impl Signer {
    /// Generates a fresh Ed25519 key for one ceremony; its private half is never written.
    pub fn generate(rng: &mut impl rand_core::CryptoRngCore) -> Result<Signer, LogError> {
        let key = PrivateKey::random(rng, Algorithm::Ed25519)
            .map_err(|e| LogError::Signing(format!("key generation: {e}")))?;
        Ok(Signer { key })
    }

    /// Loads an unencrypted OpenSSH Ed25519 private key file (as made by
    /// `ssh-keygen -t ed25519 -N ''`). Passphrase-protected and non-Ed25519 keys are
    /// refused with a message saying so.
    pub fn from_openssh_file(path: &Path) -> Result<Signer, LogError> {
        let io = |e| LogError::Io { op: "read signing key", path: path.to_path_buf(), source: e };
        let mut text = Zeroizing::new(Vec::new());
        std::fs::File::open(path).map_err(io)?.take(MAX_KEY_FILE + 1).read_to_end(&mut text).map_err(io)?;
        if text.len() as u64 > MAX_KEY_FILE {
            return Err(LogError::BadKey(path.to_path_buf(), "file too large".into()));
        }
        let key = PrivateKey::from_openssh(&*text)
            .map_err(|e| LogError::BadKey(path.to_path_buf(), e.to_string()))?;
        if key.is_encrypted() {
            return Err(LogError::EncryptedKey(path.to_path_buf()));
        }
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(LogError::NotEd25519(path.to_path_buf(), key.algorithm().to_string()));
        }
        Ok(Signer { key })
    }

    /// The public key as one OpenSSH line, `ssh-ed25519 AAAA... byok-ceremony`, WITHOUT a
    /// trailing newline (add one when writing `ceremony.pub`). The comment is always
    /// `byok-ceremony`, whatever the key file said, so no user or host name leaks.
    pub fn public_openssh(&self) -> String {
        public_line(self.key.public_key())
    }

    /// One `allowed_signers` line for `ssh-keygen -Y verify -I <principal>`, restricted to
    /// the `byok-ceremony` namespace, WITHOUT a trailing newline.
    pub fn allowed_signers_line(&self, principal: &str) -> String {
        format!("{principal} namespaces=\"{NAMESPACE}\" {}", self.public_openssh())
    }

    /// The SHA-256 fingerprint, `SHA256:...`, as `ssh-keygen -lf ceremony.pub` prints it.
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }

    /// Signs `message` as an armored SSHSIG (`-----BEGIN SSH SIGNATURE-----` ...,
    /// LF line endings, final newline), namespace `byok-ceremony`, hash SHA-512.
    /// The signature is verified before it is returned.
    pub fn sign(&self, message: &[u8]) -> Result<String, LogError> {
        let sig = self
            .key
            .sign(NAMESPACE, HashAlg::Sha512, message)
            .map_err(|e| LogError::Signing(e.to_string()))?;
        self.key
            .public_key()
            .verify(NAMESPACE, message, &sig)
            .map_err(|e| LogError::Signing(format!("fresh signature does not verify: {e}")))?;
        let mut pem = sig.to_pem(LineEnding::LF).map_err(|e| LogError::Signing(e.to_string()))?;
        if !pem.ends_with('\n') {
            pem.push('\n');
        }
        Ok(pem)
    }
}

/// `ssh-ed25519 AAAA... byok-ceremony` for a public key.
fn public_line(key: &PublicKey) -> String {
    PublicKey::new(key.key_data().clone(), NAMESPACE)
        .to_openssh()
        .expect("encoding an Ed25519 public key cannot fail")
}

/// Verifies an armored SSHSIG over `message` against a one-line OpenSSH Ed25519 public
/// key (`ssh-ed25519 AAAA... [comment]`). Only SSHSIG version 1, Ed25519, namespace
/// `byok-ceremony` and hash SHA-512 are accepted, in the canonical armor that
/// `ssh-keygen -Y sign` writes (LF or CRLF line ends, trailing whitespace ignored).
/// Returns the signer's `SHA256:...` fingerprint.
pub fn verify_signature(message: &[u8], armored_sig: &str, public_openssh: &str) -> Result<String, LogError> {
    let line = public_openssh.trim();
    if line.lines().count() != 1 {
        return Err(LogError::BadPublicKey("expected exactly one line".into()));
    }
    let public = PublicKey::from_openssh(line).map_err(|e| LogError::BadPublicKey(e.to_string()))?;
    if public.algorithm() != Algorithm::Ed25519 {
        return Err(LogError::BadPublicKey(format!("{} is not ssh-ed25519", public.algorithm())));
    }
    let armored = armored_sig.replace("\r\n", "\n");
    let armored = armored.trim_end();
    let sig =
        SshSig::from_pem(armored.as_bytes()).map_err(|e| LogError::Signature(format!("malformed ({e})")))?;
    // The decoder tolerates some non-canonical encodings: accept only the canonical one.
    let canonical = sig.to_pem(LineEnding::LF).unwrap_or_default();
    if canonical.trim_end() != armored {
        return Err(LogError::Signature("not in canonical encoding".into()));
    }
    if sig.version() != SshSig::VERSION {
        return Err(LogError::Signature(format!("version {} is not 1", sig.version())));
    }
    if sig.algorithm() != Algorithm::Ed25519 {
        return Err(LogError::Signature(format!("algorithm {} is not ssh-ed25519", sig.algorithm())));
    }
    if sig.namespace() != NAMESPACE {
        return Err(LogError::Signature(format!("namespace {:?} is not {NAMESPACE:?}", sig.namespace())));
    }
    if sig.hash_alg() != HashAlg::Sha512 {
        return Err(LogError::Signature("hash is not sha512".into()));
    }
    if sig.public_key() != public.key_data() {
        return Err(LogError::Signature("made by a different key".into()));
    }
    public.verify(NAMESPACE, message, &sig).map_err(|_| LogError::Signature("does not verify".into()))?;
    Ok(public.fingerprint(HashAlg::Sha256).to_string())
}
