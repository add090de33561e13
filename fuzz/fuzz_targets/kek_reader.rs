//! The KEK reader takes any bytes: it must refuse or accept, never panic, and an accepted key
//! must have a fingerprint that equals SHA-256 of its DER SubjectPublicKeyInfo.
#![no_main]
use byok_ceremony::kek::{Fingerprint, Kek};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(kek) = Kek::from_bytes(data) {
        assert!(kek.bits() >= 2048);
        assert_eq!(kek.fingerprint(), Fingerprint::of_spki_der(kek.spki_der()));
        let again = Kek::from_bytes(kek.spki_der()).expect("our own SPKI reads back");
        assert_eq!(again.fingerprint(), kek.fingerprint());
    }
});
