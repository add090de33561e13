//! SLIP-39 share reading and combining: any text, never a panic. Lines are mnemonics; the same text
//! split at blank lines is also read as share files (`#` comments, one mnemonic line) and checked
//! as `shares check` does.
#![no_main]
use byok_ceremony::escrow::{self, SharePassphrase, ShareName};
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
        let files: Vec<escrow::ShareInput> = text
            .split("\n\n")
            .take(8)
            .enumerate()
            .filter_map(|(i, part)| {
                let name = ShareName { position: i + 1, name: format!("f{}", i + 1) };
                escrow::parse_share_text(part, name).ok()
            })
            .collect();
        let checked = escrow::check(&files, &SharePassphrase::none());
        assert_eq!(checked.lines.len(), files.len());
        if let Err(e) = checked.result {
            assert!(!e.to_string().is_empty());
        }
    }
});
