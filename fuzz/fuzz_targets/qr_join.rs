//! QR chunk lines: any text, never a panic; whatever joins must hash to its own id.
//! Also what `qr show` reads (a chunks.txt) and the keys it takes.
#![no_main]
use byok_ceremony::qr::{self, ChunkOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = qr::join(text);
        if let Ok(set) = qr::chunk_set_from_lines(text, qr::EcLevel::M) {
            // A set that loads is one that joins, and its texts are canonical.
            let joined = qr::join(&qr::chunks_txt(&set)).unwrap();
            assert_eq!(qr::join(text).unwrap(), joined);
        }
        for line in text.lines().take(4) {
            let _ = qr::ShowKey::parse(line);
        }
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
