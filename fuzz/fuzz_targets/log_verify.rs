//! The ceremony log verifier: any bytes, never a panic.
#![no_main]
use byok_ceremony::log;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = log::verify_chain(data) {
        assert!(!entries.is_empty());
        assert_eq!(entries.last().unwrap().event, "ceremony.sealed");
    }
});
