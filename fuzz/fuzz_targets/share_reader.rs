//! SLIP-39 share reading and combining: any text, never a panic. Lines are mnemonics.
#![no_main]
use byok_ceremony::slip39;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lines: Vec<&str> = text.lines().take(20).collect();
        for line in &lines {
            if let Ok(share) = slip39::parse(line) {
                assert_eq!(slip39::parse(share.mnemonic()).unwrap().identifier(), share.identifier());
            }
        }
        let _ = slip39::combine(&lines, b"");
    }
});
