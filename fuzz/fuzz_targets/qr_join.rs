//! QR chunk lines: any text, never a panic; whatever joins must hash to its own id.
#![no_main]
use byok_ceremony::qr::{self, ChunkOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = qr::join(text);
        let mut joiner = qr::Joiner::new();
        for line in text.lines() {
            if joiner.push_line(line).is_err() {
                break;
            }
        }
    }
    // And the round trip on the raw bytes as data.
    if data.len() < 2000 {
        if let Ok(set) = qr::split(data, &ChunkOptions::default()) {
            assert_eq!(qr::join(&qr::chunks_txt(&set)).unwrap(), data);
        }
    }
});
