//! One SLIP-39 share and its mnemonic encoding.
//!
//! Layout, in 10-bit words: identifier (15 bits), extendable flag (1),
//! iteration exponent (4) | group index (4), group threshold - 1 (4),
//! group count - 1 (4), member index (4), member threshold - 1 (4) |
//! zero padding to a multiple of 10 bits, share value | 3 checksum words.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use super::rs1024::{self, CHECKSUM_WORDS};
use super::wordlist;
use super::Slip39Error;

/// Words before the share value (identifier/exponent and share parameters).
const HEADER_WORDS: usize = 4;
/// Non-value words of a mnemonic.
const METADATA_WORDS: usize = HEADER_WORDS + CHECKSUM_WORDS;
/// Shortest mnemonic: 128-bit value in 13 words plus metadata.
pub const MIN_MNEMONIC_WORDS: usize = METADATA_WORDS + 13;

/// One SLIP-39 share: parameters, secret value and mnemonic.
///
/// Deliberately not `Clone`; its `Debug` shows only public parameters, never
/// the words; the value and the mnemonic are wiped when it is dropped.
pub struct Share {
    pub(super) identifier: u16,
    pub(super) extendable: bool,
    pub(super) iteration_exponent: u8,
    pub(super) group_index: u8,
    pub(super) group_threshold: u8,
    pub(super) group_count: u8,
    pub(super) member_index: u8,
    pub(super) member_threshold: u8,
    pub(super) member_count: Option<u8>,
    pub(super) value: Zeroizing<Vec<u8>>,
    mnemonic: Zeroizing<String>,
}

impl fmt::Debug for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Share")
            .field("identifier", &self.identifier)
            .field("group_index", &self.group_index)
            .field("member_index", &self.member_index)
            .field("member_threshold", &self.member_threshold)
            .finish_non_exhaustive()
    }
}

impl Share {
    /// The 15-bit random identifier common to all shares of one split.
    pub fn identifier(&self) -> u16 {
        self.identifier
    }
    /// Member index within its group, 0-based as in the standard.
    pub fn member_index(&self) -> u8 {
        self.member_index
    }
    /// Number of member shares of the group needed to recover it.
    pub fn member_threshold(&self) -> u8 {
        self.member_threshold
    }
    /// Number of member shares created in the group, known only for shares
    /// produced by [`split`](super::split); the mnemonic does not record it.
    pub fn member_count(&self) -> Option<u8> {
        self.member_count
    }
    /// Group index, 0-based (always 0 for single-group splits).
    pub fn group_index(&self) -> u8 {
        self.group_index
    }
    /// Number of groups needed to recover the secret.
    pub fn group_threshold(&self) -> u8 {
        self.group_threshold
    }
    /// Number of groups of the split.
    pub fn group_count(&self) -> u8 {
        self.group_count
    }
    /// Iteration exponent `e`: the passphrase encryption uses
    /// 10000 * 2^e PBKDF2 iterations in total.
    pub fn iteration_exponent(&self) -> u8 {
        self.iteration_exponent
    }
    /// Whether the extendable flag is set (the encryption does not depend on
    /// the identifier, so more shares sets of the same secret can be made).
    pub fn extendable(&self) -> bool {
        self.extendable
    }
    /// The mnemonic: lowercase words separated by single spaces.
    pub fn mnemonic(&self) -> &str {
        &self.mnemonic
    }

    /// Builds a share from its fields and encodes its mnemonic.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        identifier: u16,
        extendable: bool,
        iteration_exponent: u8,
        group: (u8, u8, u8),
        member: (u8, u8, Option<u8>),
        value: Zeroizing<Vec<u8>>,
    ) -> Share {
        let (group_index, group_threshold, group_count) = group;
        let (member_index, member_threshold, member_count) = member;
        let mut share = Share {
            identifier,
            extendable,
            iteration_exponent,
            group_index,
            group_threshold,
            group_count,
            member_index,
            member_threshold,
            member_count,
            value,
            mnemonic: Zeroizing::new(String::new()),
        };
        let words = share.encode_words();
        let mut text = Zeroizing::new(String::with_capacity(words.len() * 9));
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            wordlist::push_word(&mut text, w);
        }
        share.mnemonic = text;
        // Best effort, as for the target key: core dumps are off already; this keeps the share's
        // pages out of one even if something turned them back on.
        let _ = crate::hardening::exclude_from_core_dumps(&share.value);
        let _ = crate::hardening::exclude_from_core_dumps(share.mnemonic.as_bytes());
        share
    }

    /// The 10-bit words of the mnemonic, checksum included.
    fn encode_words(&self) -> Zeroizing<Vec<u16>> {
        let mut w = BitWriter::new(HEADER_WORDS + self.value.len() + CHECKSUM_WORDS);
        w.push(self.identifier.into(), 15);
        w.push(self.extendable.into(), 1);
        w.push(self.iteration_exponent.into(), 4);
        w.push(self.group_index.into(), 4);
        w.push((self.group_threshold - 1).into(), 4);
        w.push((self.group_count - 1).into(), 4);
        w.push(self.member_index.into(), 4);
        w.push((self.member_threshold - 1).into(), 4);
        let value_bits = 8 * self.value.len();
        let padding = (10 - value_bits % 10) % 10;
        w.push(0, padding);
        for &b in self.value.iter() {
            w.push(b.into(), 8);
        }
        let mut words = w.finish();
        let checksum = rs1024::create_checksum(&words, self.extendable);
        words.extend_from_slice(&checksum);
        words
    }
}

/// Packs bit fields, most significant bit first, into 10-bit words.
struct BitWriter {
    words: Zeroizing<Vec<u16>>,
    acc: u32,
    bits: usize,
}

impl BitWriter {
    fn new(capacity: usize) -> Self {
        BitWriter { words: Zeroizing::new(Vec::with_capacity(capacity)), acc: 0, bits: 0 }
    }
    fn push(&mut self, value: u32, bits: usize) {
        debug_assert!(bits <= 16);
        self.acc = (self.acc << bits) | (value & ((1u32 << bits) - 1));
        self.bits += bits;
        while self.bits >= 10 {
            self.bits -= 10;
            self.words.push(((self.acc >> self.bits) & 0x3ff) as u16);
            self.acc &= (1u32 << self.bits) - 1;
        }
    }
    fn finish(mut self) -> Zeroizing<Vec<u16>> {
        debug_assert_eq!(self.bits, 0, "fields must fill whole words");
        self.acc.zeroize();
        std::mem::take(&mut self.words)
    }
}

/// Extendable flag as encoded in the first two words.
pub(super) fn extendable_flag(words: &[u16]) -> bool {
    (words[1] >> 4) & 1 == 1
}

/// Parses a mnemonic; `share` is its 1-based position, used in errors.
///
/// Tolerates upper case and any run of whitespace between words.
pub fn parse_at(mnemonic: &str, share: usize) -> Result<Share, Slip39Error> {
    let mut words: Zeroizing<Vec<u16>> = Zeroizing::new(Vec::new());
    for (i, raw) in mnemonic.split_whitespace().enumerate() {
        let lower = Zeroizing::new(raw.to_ascii_lowercase());
        match wordlist::index_of(&lower) {
            Some(idx) => words.push(idx),
            None => return Err(Slip39Error::UnknownWord { share, position: i + 1 }),
        }
    }
    let n = words.len();
    if n < MIN_MNEMONIC_WORDS {
        return Err(Slip39Error::WrongLength { share, words: n });
    }
    let value_word_count = n - METADATA_WORDS;
    let padding = (10 * value_word_count) % 16;
    if padding > 8 {
        return Err(Slip39Error::WrongLength { share, words: n });
    }
    if !rs1024::verify_checksum(&words, extendable_flag(&words)) {
        return Err(Slip39Error::Checksum { share, likely_word: rs1024::locate_single_error(&words) });
    }
    let id_exp = (u32::from(words[0]) << 10) | u32::from(words[1]);
    let params = (u32::from(words[2]) << 10) | u32::from(words[3]);
    let nibble = |k: u32| ((params >> (4 * k)) & 0xf) as u8;
    let group_index = nibble(4);
    let group_threshold = nibble(3) + 1;
    let group_count = nibble(2) + 1;
    let member_index = nibble(1);
    let member_threshold = nibble(0) + 1;
    if group_threshold > group_count {
        return Err(Slip39Error::InvalidHeader { share, reason: "group threshold greater than group count" });
    }

    // Share value: `padding` leading zero bits, then whole bytes.
    let value_words = &words[HEADER_WORDS..n - CHECKSUM_WORDS];
    let mut value = Zeroizing::new(Vec::with_capacity((10 * value_word_count) / 8));
    let mut acc = 0u32;
    let mut bits = 0usize;
    let mut to_skip = padding;
    let mut padding_bits = 0u32;
    for &w in value_words {
        acc = (acc << 10) | u32::from(w);
        bits += 10;
        if to_skip > 0 {
            let take = to_skip.min(bits);
            padding_bits |= acc >> (bits - take);
            bits -= take;
            acc &= (1u32 << bits) - 1;
            to_skip -= take;
        }
        while bits >= 8 {
            bits -= 8;
            value.push(((acc >> bits) & 0xff) as u8);
            acc &= (1u32 << bits) - 1;
        }
    }
    acc.zeroize();
    if padding_bits != 0 {
        return Err(Slip39Error::InvalidPadding { share });
    }

    Ok(Share::new(
        (id_exp >> 5) as u16,
        (id_exp >> 4) & 1 == 1,
        (id_exp & 0xf) as u8,
        (group_index, group_threshold, group_count),
        (member_index, member_threshold, None),
        value,
    ))
}
