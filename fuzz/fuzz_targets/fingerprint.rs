//! A typed fingerprint: any text, never a panic; an accepted one prints back to itself.
#![no_main]
use byok_ceremony::kek::Fingerprint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(f) = Fingerprint::parse(text) {
            assert_eq!(Fingerprint::parse(&f.grouped()).unwrap(), f);
            assert_eq!(Fingerprint::parse(&f.hex()).unwrap(), f);
        }
    }
});
