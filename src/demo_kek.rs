//! The demo KEK: an RSA-3072 key pair compiled into the binary so that `byok-ceremony demo` runs a
//! whole ceremony on any laptop and checks its own result. Its private half is public knowledge
//! (it is in this source tree and written next to every demo result), so `generate` refuses it.

use rsa::pkcs8::DecodePrivateKey;
use rsa::RsaPrivateKey;

use crate::kek::{Kek, KekError, KekForm};

/// The demo KEK's private half, PKCS#8 PEM. NEVER a real KEK.
pub const PRIVATE_PEM: &str = include_str!("demo/demo-kek.private.pem");

/// A Managed HSM key identifier that names the demo clearly; Azure would refuse it.
pub const KID: &str = "https://byok-ceremony-demo.managedhsm.azure.net/keys/demo-kek-not-for-real-use/00000000000000000000000000000000";

/// The demo private key.
pub fn private_key() -> RsaPrivateKey {
    // The PEM is a constant checked by the tests below; failing here is a build defect.
    RsaPrivateKey::from_pkcs8_pem(PRIVATE_PEM).expect("the embedded demo KEK is a valid PKCS#8 RSA key")
}

/// The demo KEK's public half, as a [`Kek`].
pub fn kek() -> Result<Kek, KekError> {
    Kek::from_public_key(private_key().to_public_key(), KekForm::PemSpki)
}

/// Whether `kek` is the demo KEK (which `generate` refuses).
pub fn is_demo(kek: &Kek) -> bool {
    kek_fingerprint_hex().is_some_and(|f| f == kek.fingerprint().hex())
}

fn kek_fingerprint_hex() -> Option<String> {
    kek().ok().map(|k| k.fingerprint().hex())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_kek_is_rsa_3072_and_recognised() {
        let kek = kek().unwrap();
        assert_eq!(kek.bits(), 3072);
        assert!(is_demo(&kek));
        let other = Kek::from_bytes(include_bytes!("../tests/data/kek/wycheproof-2048.pub.pem")).unwrap();
        assert!(!is_demo(&other));
    }
}
