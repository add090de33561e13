//! Typing shares on a terminal, one word at a time, unique prefixes completed.

use byok_ceremony::escrow::file::typed_share;
use byok_ceremony::escrow::typed::{resolve, TypedShare, WordInput};
use byok_ceremony::escrow::ShareInput;

use crate::output::{prompt_secret, Failure};

/// Asks for shares until an empty line starts a share; returns them in the order typed.
pub fn type_shares() -> Result<Vec<ShareInput>, Failure> {
    eprintln!("Type each share one word at a time (any case); the first 4 letters of a word are enough.");
    eprintln!(
        "A share ends by itself when its last word makes the checksum valid. An empty line ends the input."
    );
    let mut out = Vec::new();
    loop {
        let n = out.len() + 1;
        let mut share = TypedShare::default();
        loop {
            let typed = prompt_secret(&format!("  share {n}, word {}: ", share.len() + 1))?;
            if typed.is_empty() {
                if share.is_empty() {
                    return Ok(out);
                }
                eprintln!("    share {n} is not complete yet ({} words); go on typing", share.len());
                continue;
            }
            match resolve(&typed) {
                WordInput::Word(word) => {
                    if !word.eq_ignore_ascii_case(typed.trim()) {
                        eprintln!("    -> {word}");
                    }
                    if let Some(mnemonic) = share.push(word) {
                        eprintln!("    share {n} complete: {} words, checksum valid", share.len());
                        out.push(typed_share(mnemonic, n));
                        break;
                    }
                    if let Some(mnemonic) = share.give_up() {
                        eprintln!("    {} words and the checksum is still wrong", share.len());
                        out.push(typed_share(mnemonic, n));
                        break;
                    }
                }
                WordInput::Ambiguous(words) => {
                    eprintln!("    could be {}...: type more letters", words.join(", "));
                }
                WordInput::Unknown => eprintln!("    no SLIP-39 word starts like that: check the paper copy"),
            }
        }
    }
}
