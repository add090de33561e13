//! The single error type of the SLIP-39 module.
//!
//! Every message names the share it is about by its 1-based position in the
//! list the caller gave (`share 2: ...`). No message ever contains a share
//! word, a share value or a secret.

/// Why a SLIP-39 operation was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Slip39Error {
    /// A word of a mnemonic is not in the SLIP-39 word list.
    #[error(
        "share {share}: word {position} is not a SLIP-39 word; check its spelling against the word list"
    )]
    UnknownWord {
        /// 1-based position of the share in the input list.
        share: usize,
        /// 1-based position of the word in the mnemonic.
        position: usize,
    },

    /// The RS1024 checksum of a mnemonic does not verify.
    #[error(
        "share {share}: the checksum does not match{}; re-read the share and correct the mistyped word",
        match .likely_word { Some(p) => format!(" (word {p} is most likely wrong)"), None => String::new() }
    )]
    Checksum {
        /// 1-based position of the share in the input list.
        share: usize,
        /// 1-based position of the single word whose replacement would make the
        /// checksum verify, when exactly one such position exists.
        likely_word: Option<usize>,
    },

    /// The padding bits in front of the share value are not zero.
    #[error("share {share}: invalid padding; the share is corrupted, re-read it")]
    InvalidPadding {
        /// 1-based position of the share in the input list.
        share: usize,
    },

    /// The mnemonic has a number of words no SLIP-39 share can have.
    #[error(
        "share {share}: {words} words is not a valid share length (at least 20 words, e.g. 20 or 33); check for missing or extra words"
    )]
    WrongLength {
        /// 1-based position of the share in the input list.
        share: usize,
        /// Number of words found.
        words: usize,
    },

    /// The header of a single mnemonic is self-contradictory (for example a
    /// group threshold greater than the group count).
    #[error("share {share}: the share header is invalid ({reason}); the share is corrupted")]
    InvalidHeader {
        /// 1-based position of the share in the input list.
        share: usize,
        /// What is wrong.
        reason: &'static str,
    },

    /// The same share was given twice.
    #[error("shares {first} and {second} are the same share; remove one and add a different share")]
    DuplicateShare {
        /// 1-based position of the first occurrence.
        first: usize,
        /// 1-based position of the repetition.
        second: usize,
    },

    /// Two shares claim the same member index but carry different values.
    #[error(
        "shares {first} and {second} have the same member index but different values: one of them is corrupted or from another set"
    )]
    ConflictingShares {
        /// 1-based position of the first share.
        first: usize,
        /// 1-based position of the second share.
        second: usize,
    },

    /// A share's set parameters (identifier, iteration exponent, extendable
    /// flag, thresholds, counts, length) differ from those of an earlier share.
    #[error(
        "share {share} belongs to another share set than share {reference}; remove it and use shares of one set only"
    )]
    ForeignShare {
        /// 1-based position of the offending share.
        share: usize,
        /// 1-based position of the share it was compared with.
        reference: usize,
    },

    /// Not enough shares to reach the member threshold.
    #[error("too few shares: have {have}, need {need}; add more shares of this set")]
    TooFewShares {
        /// Distinct shares given.
        have: usize,
        /// Member threshold.
        need: usize,
    },

    /// Not enough groups to reach the group threshold.
    #[error("too few groups: have {have}, need {need}; add shares from more groups")]
    TooFewGroups {
        /// Distinct groups given.
        have: usize,
        /// Group threshold.
        need: usize,
    },

    /// One group (multi-group sets only) has fewer shares than its threshold.
    #[error(
        "group {group}: too few shares: have {have}, need {need}; add more shares of that group or remove it"
    )]
    GroupTooFewShares {
        /// 1-based group number.
        group: usize,
        /// Shares given for that group.
        have: usize,
        /// Member threshold of that group.
        need: usize,
    },

    /// More shares than the threshold were given and one does not lie on the
    /// polynomial defined by the others.
    #[error(
        "share {share} does not agree with the other shares: it, or one of the others, is corrupted or from another set"
    )]
    InconsistentShare {
        /// 1-based position of the disagreeing share.
        share: usize,
    },

    /// More groups than the group threshold were given and one does not agree.
    #[error(
        "group {group} does not agree with the other groups: one of them is corrupted or from another set"
    )]
    InconsistentGroup {
        /// 1-based group number.
        group: usize,
    },

    /// The recovered secret fails the SLIP-39 digest check.
    #[error(
        "the shares do not combine to a consistent secret: one of them is corrupted or from another set"
    )]
    DigestMismatch,

    /// `combine` was called with no share at all.
    #[error("no share given; provide at least the threshold number of shares")]
    NoShares,

    /// The master secret cannot be split (SLIP-39 requires an even number of
    /// bytes, at least 16).
    #[error("the master secret is {len} bytes; SLIP-39 needs an even length of at least 16 bytes")]
    InvalidSecretLength {
        /// Length given, in bytes.
        len: usize,
    },

    /// The split parameters are outside what SLIP-39 allows.
    #[error("invalid split parameters: {0}")]
    BadParams(&'static str),

    /// The passphrase contains bytes outside printable ASCII (32..=126).
    #[error("the passphrase must contain only printable ASCII characters (space to '~')")]
    InvalidPassphrase,
}
