//! SLIP-39: Shamir secret sharing of a master secret as mnemonic word lists
//! (<https://github.com/satoshilabs/slips/blob/master/slip-0039.md>),
//! written from the specification and compatible with the reference
//! implementation `shamir-mnemonic` 0.3.
//!
//! The master secret (an even number of bytes, at least 16) is first
//! encrypted with the passphrase (4-round Feistel network over
//! PBKDF2-HMAC-SHA256), then split with Shamir's scheme over GF(256) into
//! groups and member shares; each share is written as a mnemonic of 10-bit
//! words protected by an RS1024 checksum.
//!
//! # Passphrases
//! A wrong passphrase is *not* detected: combining the right shares with a
//! different passphrase yields a different master secret of the same length.
//! This is SLIP-39's design (plausible deniability); callers who need to
//! detect it must compare a key check value of the result. Passphrases are
//! restricted to printable ASCII, as the standard requires.
//!
//! # Thresholds
//! [`split`] makes one group (group threshold 1 of 1) of `count <= 16`
//! member shares, `threshold` of which recover the secret. Following the
//! reference implementation, a threshold of 1 is accepted only with a
//! count of 1 (several 1-of-n shares would all be the same secret in
//! clear); ask for 1-of-1 instead.
//!
//! # Recovery
//! [`combine`] refuses, naming the share at fault by its 1-based position:
//! unknown words, bad lengths, checksums and padding, a repeated share
//! (never silently ignored), two different shares with the same index,
//! shares of another set, too few shares, and combinations whose digest
//! does not verify. Shares beyond the threshold are accepted only if they
//! agree with the others.
//!
//! # Side channels
//! GF(256) arithmetic uses no tables and no data-dependent branches; word
//! lookups scan the whole word list with constant-time comparisons; secret
//! buffers are wiped after use (`Zeroizing`).

mod cipher;
mod combine;
mod error;
pub mod gf256;
mod rs1024;
mod shamir;
mod share;
mod wordlist;

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod primitive_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use rand_core::CryptoRngCore;
use zeroize::Zeroizing;

pub use combine::combine_shares;
pub use error::Slip39Error;
pub use share::Share;
pub use wordlist::{complete, wordlist, WORD_COUNT};

/// Smallest master secret, in bytes.
pub const MIN_SECRET_LEN: usize = 16;
/// Largest iteration exponent (4 bits).
pub const MAX_ITERATION_EXPONENT: u8 = 15;
/// Largest number of shares in a group, and of groups.
pub const MAX_SHARE_COUNT: u8 = shamir::MAX_SHARE_COUNT;

/// Parameters of a single-group split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitParams {
    /// Member shares needed to recover (1 only with `count == 1`).
    pub threshold: u8,
    /// Member shares created, at most 16.
    pub count: u8,
    /// The passphrase encryption runs 10000 * 2^e PBKDF2 iterations (0..=15).
    pub iteration_exponent: u8,
    /// Set the extendable flag (encryption independent of the identifier).
    pub extendable: bool,
}

impl Default for SplitParams {
    /// 2 of 3, iteration exponent 1, extendable: what `shamir-mnemonic` 0.3
    /// generates by default.
    fn default() -> Self {
        SplitParams { threshold: 2, count: 3, iteration_exponent: 1, extendable: true }
    }
}

/// One group of a multi-group split: `threshold` of `count` member shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupParams {
    /// Member shares of the group needed (1 only with `count == 1`).
    pub threshold: u8,
    /// Member shares of the group created, at most 16.
    pub count: u8,
}

/// Refuses passphrases outside printable ASCII (32..=126).
pub(crate) fn check_passphrase(passphrase: &[u8]) -> Result<(), Slip39Error> {
    if passphrase.iter().all(|&b| (32..=126).contains(&b)) {
        Ok(())
    } else {
        Err(Slip39Error::InvalidPassphrase)
    }
}

/// Splits `master_secret` into one group of `params.count` shares, any
/// `params.threshold` of which recover it with the same `passphrase`.
///
/// The identifier and all random coefficients come from `rng`. Errors:
/// [`Slip39Error::InvalidSecretLength`], [`Slip39Error::BadParams`],
/// [`Slip39Error::InvalidPassphrase`].
pub fn split(
    master_secret: &[u8],
    passphrase: &[u8],
    params: &SplitParams,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<Share>, Slip39Error> {
    let groups = [GroupParams { threshold: params.threshold, count: params.count }];
    let mut sets = split_groups(
        master_secret,
        passphrase,
        1,
        &groups,
        params.iteration_exponent,
        params.extendable,
        rng,
    )?;
    Ok(sets.pop().unwrap_or_default())
}

/// Splits `master_secret` into groups: any `group_threshold` groups, each
/// with its own member threshold met, recover it. Returns the shares group
/// by group.
pub fn split_groups(
    master_secret: &[u8],
    passphrase: &[u8],
    group_threshold: u8,
    groups: &[GroupParams],
    iteration_exponent: u8,
    extendable: bool,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<Vec<Share>>, Slip39Error> {
    let len = master_secret.len();
    if len < MIN_SECRET_LEN || !len.is_multiple_of(2) {
        return Err(Slip39Error::InvalidSecretLength { len });
    }
    check_passphrase(passphrase)?;
    if iteration_exponent > MAX_ITERATION_EXPONENT {
        return Err(Slip39Error::BadParams("the iteration exponent must be at most 15"));
    }
    if groups.is_empty() || groups.len() > usize::from(MAX_SHARE_COUNT) {
        return Err(Slip39Error::BadParams("there must be 1 to 16 groups"));
    }
    if group_threshold < 1 || usize::from(group_threshold) > groups.len() {
        return Err(Slip39Error::BadParams("the group threshold must be between 1 and the number of groups"));
    }
    for g in groups {
        if g.count < 1 || g.count > MAX_SHARE_COUNT {
            return Err(Slip39Error::BadParams("the share count must be between 1 and 16"));
        }
        if g.threshold < 1 || g.threshold > g.count {
            return Err(Slip39Error::BadParams("the threshold must be between 1 and the share count"));
        }
        if g.threshold == 1 && g.count > 1 {
            return Err(Slip39Error::BadParams(
                "threshold 1 with several shares would copy the secret into each; use 1 of 1",
            ));
        }
    }

    let mut id_bytes = Zeroizing::new([0u8; 2]);
    rng.fill_bytes(&mut id_bytes[..]);
    let identifier = u16::from_be_bytes(*id_bytes) & 0x7fff;
    let encrypted = cipher::encrypt(master_secret, passphrase, iteration_exponent, identifier, extendable);
    // `groups.len() <= 16` was checked, the cast is lossless.
    let group_count = groups.len() as u8;
    let group_secrets = shamir::split_secret(group_threshold, group_count, &encrypted, rng)?;
    let mut out = Vec::with_capacity(groups.len());
    for (g, group_secret) in groups.iter().zip(group_secrets.iter()) {
        let members = shamir::split_secret(g.threshold, g.count, &group_secret.y, rng)?;
        out.push(
            members
                .into_iter()
                .map(|m| {
                    Share::new(
                        identifier,
                        extendable,
                        iteration_exponent,
                        (group_secret.x, group_threshold, group_count),
                        (m.x, g.threshold, Some(g.count)),
                        m.y,
                    )
                })
                .collect(),
        );
    }
    Ok(out)
}

/// Parses one mnemonic (case-insensitive, any whitespace between words),
/// checking words, length, checksum and padding. Errors call it "share 1";
/// use [`parse_nth`] to number it as the caller does.
pub fn parse(mnemonic: &str) -> Result<Share, Slip39Error> {
    share::parse_at(mnemonic, 1)
}

/// Like [`parse`], with errors calling it "share `position`" (1-based).
pub fn parse_nth(mnemonic: &str, position: usize) -> Result<Share, Slip39Error> {
    share::parse_at(mnemonic, position)
}

/// Recovers the master secret from mnemonics of one share set (one or
/// several groups) and the passphrase used at split time.
///
/// Errors name the faulty share by its 1-based position in `mnemonics`. A
/// wrong passphrase is not detected (see the module documentation); a
/// passphrase outside printable ASCII is refused, as no split could use it.
pub fn combine(mnemonics: &[&str], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, Slip39Error> {
    combine::combine(mnemonics, passphrase)
}
