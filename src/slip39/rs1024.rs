//! The RS1024 checksum of SLIP-39: a Reed-Solomon code over GF(1024) whose
//! three check words detect any error affecting at most three words.
//!
//! The checksum is customized by a string mixed in before the data:
//! `"shamir"` for ordinary shares, `"shamir_extendable"` for shares whose
//! extendable flag is set.

use zeroize::Zeroizing;

use super::share;

/// Customization string of non-extendable shares (also the Feistel salt prefix).
pub const CUSTOMIZATION_ORIGINAL: &[u8] = b"shamir";
/// Customization string of extendable shares.
pub const CUSTOMIZATION_EXTENDABLE: &[u8] = b"shamir_extendable";
/// Number of checksum words at the end of a mnemonic.
pub const CHECKSUM_WORDS: usize = 3;

const GENERATOR: [u32; 10] = [
    0x00E0_E040,
    0x01C1_C080,
    0x0383_8100,
    0x0707_0200,
    0x0E0E_0009,
    0x1C0C_2412,
    0x3808_6C24,
    0x3090_FC48,
    0x21B1_F890,
    0x03F3_F120,
];

/// The customization string for the given extendable flag.
pub fn customization(extendable: bool) -> &'static [u8] {
    if extendable {
        CUSTOMIZATION_EXTENDABLE
    } else {
        CUSTOMIZATION_ORIGINAL
    }
}

/// Feeds one 10-bit value into the checksum state.
#[inline]
fn step(chk: u32, value: u32) -> u32 {
    let top = chk >> 20;
    let mut chk = ((chk & 0x000F_FFFF) << 10) ^ value;
    for (i, g) in GENERATOR.iter().enumerate() {
        // Mask instead of a branch: the values may be secret share data.
        let mask = 0u32.wrapping_sub((top >> i) & 1);
        chk ^= g & mask;
    }
    chk
}

/// Polynomial remainder of customization string followed by `words`.
fn polymod(custom: &[u8], words: impl IntoIterator<Item = u16>) -> u32 {
    let mut chk = 1u32;
    for &c in custom {
        chk = step(chk, u32::from(c));
    }
    for w in words {
        chk = step(chk, u32::from(w));
    }
    chk
}

/// The three checksum words for `data` (the mnemonic without its checksum).
pub fn create_checksum(data: &[u16], extendable: bool) -> [u16; CHECKSUM_WORDS] {
    let pm = polymod(customization(extendable), data.iter().copied().chain([0u16; CHECKSUM_WORDS])) ^ 1;
    let mut out = [0u16; CHECKSUM_WORDS];
    for (i, o) in out.iter_mut().enumerate() {
        // Truncation intended: each word is the 10-bit slice.
        *o = ((pm >> (10 * (CHECKSUM_WORDS - 1 - i))) & 0x3ff) as u16;
    }
    out
}

/// Whether `words` (data followed by checksum) carries a valid checksum.
pub fn verify_checksum(words: &[u16], extendable: bool) -> bool {
    polymod(customization(extendable), words.iter().copied()) == 1
}

/// The raw remainder over `words` (1 means the checksum verifies).
pub fn remainder(words: &[u16], extendable: bool) -> u32 {
    polymod(customization(extendable), words.iter().copied())
}

/// One checksum step with a zero input word: the linear map that moves a
/// difference one word further from the end.
pub fn zero_step(chk: u32) -> u32 {
    step(chk, 0)
}

/// For a mnemonic whose checksum fails, the 1-based position of the single
/// word whose replacement makes it verify, if exactly one position does.
///
/// The checksum is linear over GF(2) in the words, so a change `d` at
/// position `p` moves the remainder by `M^(n-1-p)(d)`, where `M` is one
/// zero-input step; this scans all positions and values in O(n * 1024).
/// Word 2 also holds the extendable flag (which picks the customization
/// string), so it is checked by brute force.
pub fn locate_single_error(words: &[u16]) -> Option<usize> {
    let n = words.len();
    let ext = share::extendable_flag(words);
    let syndrome = remainder(words, ext) ^ 1;
    let mut shifted: Vec<u32> = (0..1024u32).collect();
    let mut hits = Vec::new();
    for p in (0..n).rev() {
        if p == 1 {
            let mut trial = Zeroizing::new(words.to_vec());
            let fixable = (0..1024u16).any(|v| {
                trial[1] = v;
                v != words[1] && verify_checksum(&trial, share::extendable_flag(&trial))
            });
            if fixable {
                hits.push(p + 1);
            }
        } else if shifted[1..].contains(&syndrome) {
            hits.push(p + 1);
        }
        for s in shifted.iter_mut() {
            *s = zero_step(*s);
        }
    }
    if hits.len() == 1 {
        hits.pop()
    } else {
        None
    }
}
