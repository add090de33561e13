//! The SLIP-39 word list: 1024 words, sorted, each 4 to 8 lowercase letters,
//! each uniquely identified by its first 4 letters.
//!
//! Conversions between words and indices scan the whole list with
//! constant-time comparisons and selections, so that the memory access pattern
//! does not depend on which word (that is, which secret bits) is handled.

use std::sync::OnceLock;

use subtle::{ConditionallySelectable, ConstantTimeEq};

const RAW: &str = include_str!("slip39-wordlist.txt");

/// Number of words in the list (10 bits per word).
pub const WORD_COUNT: usize = 1024;
/// Longest word, in bytes.
const MAX_WORD_LEN: usize = 8;

/// The word list, in standard order (index = 10-bit value).
pub fn wordlist() -> &'static [&'static str; WORD_COUNT] {
    static LIST: OnceLock<[&'static str; WORD_COUNT]> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list = [""; WORD_COUNT];
        let mut n = 0;
        for w in RAW.lines().map(str::trim).filter(|w| !w.is_empty()) {
            assert!(n < WORD_COUNT, "SLIP-39 word list has more than 1024 words");
            list[n] = w;
            n += 1;
        }
        assert_eq!(n, WORD_COUNT, "SLIP-39 word list must have 1024 words");
        list
    })
}

/// Words padded with zeros to [`MAX_WORD_LEN`] bytes, for constant-time scans.
fn padded() -> &'static [[u8; MAX_WORD_LEN]; WORD_COUNT] {
    static PADDED: OnceLock<[[u8; MAX_WORD_LEN]; WORD_COUNT]> = OnceLock::new();
    PADDED.get_or_init(|| {
        let mut out = [[0u8; MAX_WORD_LEN]; WORD_COUNT];
        for (o, w) in out.iter_mut().zip(wordlist().iter()) {
            assert!(w.len() <= MAX_WORD_LEN);
            o[..w.len()].copy_from_slice(w.as_bytes());
        }
        out
    })
}

/// Index of a lowercase word, or `None` if it is not in the list.
pub fn index_of(word: &str) -> Option<u16> {
    if word.is_empty() || word.len() > MAX_WORD_LEN {
        return None;
    }
    let mut probe = [0u8; MAX_WORD_LEN];
    probe[..word.len()].copy_from_slice(word.as_bytes());
    let mut found = subtle::Choice::from(0u8);
    let mut index = 0u16;
    for (i, w) in padded().iter().enumerate() {
        let eq = w.ct_eq(&probe);
        // i < 1024, the cast is lossless.
        index.conditional_assign(&(i as u16), eq);
        found |= eq;
    }
    if bool::from(found) {
        Some(index)
    } else {
        None
    }
}

/// Appends the word of a 10-bit `index` to `out`, selecting it in constant time.
pub fn push_word(out: &mut String, index: u16) {
    let mut word = [0u8; MAX_WORD_LEN];
    for (i, w) in padded().iter().enumerate() {
        let eq = (i as u16).ct_eq(&(index & 0x3ff));
        for (b, &c) in word.iter_mut().zip(w.iter()) {
            b.conditional_assign(&c, eq);
        }
    }
    for &b in word.iter().take_while(|&&b| b != 0) {
        out.push(char::from(b));
    }
    // Best effort: the stack copy is overwritten before it goes out of scope.
    zeroize::Zeroize::zeroize(&mut word);
}

/// All words starting with `prefix` (case-insensitive), in list order.
///
/// SLIP-39 words are unique by their first 4 letters, so a prefix of 4 or
/// more letters yields at most one word.
pub fn complete(prefix: &str) -> Vec<&'static str> {
    let p = prefix.trim().to_ascii_lowercase();
    wordlist().iter().copied().filter(|w| w.starts_with(p.as_str())).collect()
}
