//! Typing a share on a terminal, one word at a time: a unique prefix is completed (SLIP-39 words are
//! unique by their first four letters), an ambiguous one lists the candidates, an unknown one is
//! refused at once instead of at the checksum.

use zeroize::Zeroizing;

use crate::slip39;

/// Share lengths in words for AES-128, AES-192 and AES-256 keys.
pub const SHARE_LENGTHS: [usize; 3] = [20, 27, 33];

/// What one typed word or prefix stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WordInput {
    /// Exactly one word: this one.
    Word(&'static str),
    /// Several words start like this (at most the first 8 are given).
    Ambiguous(Vec<&'static str>),
    /// No SLIP-39 word starts like this.
    Unknown,
}

/// Resolves a typed word or prefix (any case, surrounding blanks ignored).
pub fn resolve(typed: &str) -> WordInput {
    let t = typed.trim().to_ascii_lowercase();
    if t.is_empty() {
        return WordInput::Unknown;
    }
    let candidates = slip39::complete(&t);
    if let Some(exact) = candidates.iter().find(|w| **w == t) {
        return WordInput::Word(exact);
    }
    match candidates.len() {
        0 => WordInput::Unknown,
        1 => WordInput::Word(candidates[0]),
        _ => WordInput::Ambiguous(candidates.into_iter().take(8).collect()),
    }
}

/// A share being typed: the words so far (wiped on drop).
#[derive(Default)]
pub struct TypedShare {
    words: Zeroizing<String>,
    count: usize,
}

impl TypedShare {
    /// Adds a resolved word. Returns the complete mnemonic once the words so far form a valid share
    /// (checksum included) of one of the [`SHARE_LENGTHS`].
    pub fn push(&mut self, word: &'static str) -> Option<Zeroizing<String>> {
        if self.count > 0 {
            self.words.push(' ');
        }
        self.words.push_str(word);
        self.count += 1;
        if SHARE_LENGTHS.contains(&self.count) && slip39::parse(&self.words).is_ok() {
            return Some(std::mem::take(&mut self.words));
        }
        None
    }

    /// Words typed so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no word was typed yet.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Past the longest share length without a valid share: the words so far, to report the error.
    pub fn give_up(&mut self) -> Option<Zeroizing<String>> {
        (self.count >= SHARE_LENGTHS[SHARE_LENGTHS.len() - 1]).then(|| std::mem::take(&mut self.words))
    }
}
