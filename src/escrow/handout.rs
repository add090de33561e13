//! Handing a share to its custodian on the terminal: the words numbered in big print with the share's
//! QR code, then a cleared screen and two words, chosen at random, that the custodian types back from
//! the copy just written. This module is the terminal-free part: the screen's text, the choice of the
//! two words and the comparison; the binary does the reading and the clearing.

use rand_core::CryptoRngCore;
use subtle::ConstantTimeEq;

use super::typed::{resolve, WordInput};
use crate::qr::{self, QrError, TextStyle};

/// Bold on, bold off (ANSI SGR); kept out of [`TextStyle::Plain`] screens.
const BOLD: &str = "\x1b[1m";
const NORMAL: &str = "\x1b[22m";

/// The screen of one share: a header, the words numbered in large upper case (three columns, each
/// letter spaced so that it reads at arm's length), and the QR code of the mnemonic in upper case.
pub fn share_screen(
    mnemonic: &str,
    number: usize,
    count: usize,
    threshold: u8,
    ceremony_id: &str,
    style: TextStyle,
) -> Result<String, QrError> {
    let (bold, normal) = if style == TextStyle::Ansi { (BOLD, NORMAL) } else { ("", "") };
    let words: Vec<&str> = mnemonic.split_whitespace().collect();
    let rows = words.len().div_ceil(3);
    let mut out = format!(
        "  Ceremony {ceremony_id}: escrow share {bold}{number} of {count}{normal} (any {threshold} recover the key)\n\n"
    );
    for row in 0..rows {
        let mut line = String::new();
        for col in 0..3 {
            let i = col * rows + row;
            if let Some(w) = words.get(i) {
                let spaced: String = w.to_uppercase().chars().flat_map(|c| [c, ' ']).collect();
                line.push_str(&format!("  {:>2}. {bold}{spaced:<18}{normal}", i + 1));
            }
        }
        out.push_str(line.trim_end());
        out.push_str("\n\n");
    }
    out.push_str(&qr::render_text(&mnemonic.to_uppercase(), None, qr::EcLevel::M, style)?);
    Ok(out)
}

/// Two different word positions (1-based, ascending) of a share of `words` words, for the custodian
/// to type back.
pub fn pick_positions(words: usize, rng: &mut impl CryptoRngCore) -> (usize, usize) {
    let words = words.max(2);
    let first = (rng.next_u32() as usize) % words;
    let second = (first + 1 + (rng.next_u32() as usize) % (words - 1)) % words;
    (first.min(second) + 1, first.max(second) + 1)
}

/// Whether `typed` (a word or a unique prefix, any case) is word `position` (1-based) of `mnemonic`.
pub fn confirms(mnemonic: &str, position: usize, typed: &str) -> bool {
    let Some(want) = mnemonic.split_whitespace().nth(position.wrapping_sub(1)) else { return false };
    match resolve(typed) {
        WordInput::Word(w) => bool::from(w.as_bytes().ct_eq(want.to_ascii_lowercase().as_bytes())),
        WordInput::Ambiguous(_) | WordInput::Unknown => false,
    }
}
