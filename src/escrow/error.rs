//! Why a share check or a recovery was refused. Every message names the share at fault by its
//! 1-based position and its name (file name, or "typed"), and ends with what to do. No message ever
//! carries a share word, a share value or a key.

use crate::exit::{self, ExitStatus};

/// A share as shown in messages: `share 2 (share-02-of-03.txt)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareName {
    /// 1-based position in the input.
    pub position: usize,
    /// The file name (without folders), or `typed`.
    pub name: String,
}

impl std::fmt::Display for ShareName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "share {} ({})", self.position, self.name)
    }
}

/// Everything that stops `shares check` or `recover` before the ceremony.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EscrowError {
    /// No share was given.
    #[error("no share given: name the share files (or type the shares on a terminal)")]
    NoShares,
    /// A share file cannot be read.
    #[error("{0}: cannot read the file ({1}); check the path")]
    Read(String, String),
    /// A share file is far larger than any share file.
    #[error("{0}: over 64 KiB, not a share file; give the share's .txt file")]
    TooLarge(ShareName),
    /// Only comments and blank lines.
    #[error("{0}: no mnemonic line (only comments or blank lines); give the share's .txt file")]
    NoMnemonic(ShareName),
    /// Several mnemonics in one file (share files concatenated).
    #[error("{share} holds {count} shares: give one share per file")]
    SeveralShares {
        /// The file.
        share: ShareName,
        /// How many mnemonic lines it has.
        count: usize,
    },
    /// A word not in the SLIP-39 list.
    #[error("{share}: word {position} is not a SLIP-39 word; correct it from the paper copy")]
    Word {
        /// The share.
        share: ShareName,
        /// 1-based word position.
        position: usize,
    },
    /// The RS1024 checksum does not verify.
    #[error("{share}: checksum mismatch{}; re-read the words from the paper copy", match .likely_word {
        Some(p) => format!(", word {p} is most likely wrong"),
        None => String::new(),
    })]
    Checksum {
        /// The share.
        share: ShareName,
        /// The single word whose correction would fix the checksum, when there is one.
        likely_word: Option<usize>,
    },
    /// Wrong word count, bad padding or header.
    #[error("{share}: {detail}; re-read the share from the paper copy")]
    Corrupted {
        /// The share.
        share: ShareName,
        /// What is wrong.
        detail: String,
    },
    /// The same share twice.
    #[error("{second} is the same share as {first}: remove one and add another custodian's share")]
    Duplicate {
        /// First occurrence.
        first: ShareName,
        /// Repetition.
        second: ShareName,
    },
    /// Two different shares claim the same index.
    #[error("{second} and {first} are different shares with the same index (member {member}): one is corrupted or from another set; compare both with their paper copies")]
    SameIndex {
        /// Earlier share.
        first: ShareName,
        /// Later share.
        second: ShareName,
        /// 1-based member number.
        member: usize,
    },
    /// Shares of two different splits.
    #[error("{share} is from a different share set than {reference}: use the shares of one ceremony only")]
    DifferentSets {
        /// The share of the other set.
        share: ShareName,
        /// The share of the first set.
        reference: ShareName,
    },
    /// The comments of two shares of one set disagree (`share 2 (b.txt) says kcv X, share 1 (a.txt) says Y`).
    #[error("{0}: the files were edited or mixed up; check them against the paper transcript")]
    CommentsDisagree(String),
    /// Fewer distinct shares than the threshold.
    #[error("too few shares: have {have}, need {need}; add another custodian's share of this set")]
    TooFew {
        /// Shares given.
        have: usize,
        /// The threshold.
        need: usize,
    },
    /// One share passes its checksum but disagrees with all the others.
    #[error("{share} passes its checksum but is wrong: every {threshold} of the other shares agree (key check value {kcv}) and it does not; set it aside and fetch its paper copy")]
    WrongShare {
        /// The share.
        share: ShareName,
        /// The threshold.
        threshold: usize,
        /// What the other shares combine to.
        kcv: String,
    },
    /// Exactly the threshold, and they do not combine: which one is wrong cannot be told.
    #[error("the {have} shares do not combine to a consistent key: one of them is wrong, which cannot be told with exactly the threshold; add another share of this set to find it")]
    Inconsistent {
        /// Shares given.
        have: usize,
    },
    /// More than the threshold, and no single share explains the disagreement.
    #[error("the shares disagree and no single share explains it: several are wrong or from another set; check each against its paper copy")]
    Disagree,
    /// The combined key's check value differs from the expected one.
    #[error("the shares combine to key check value {got}, but {against} says {want}: {why}")]
    KcvMismatch {
        /// What the shares combine to.
        got: String,
        /// What was expected.
        want: String,
        /// Where the expected value came from.
        against: String,
        /// The likely causes and what to do (see `mismatch.rs`).
        why: String,
    },
    /// Nothing to compare the combined key with (recover only).
    #[error("no key check value to compare with: the shares carry none (no '# kcv:' line in the share files); give --expect-kcv HEX from the paper transcript or --original-log DIR/ceremony.log")]
    NoExpectedKcv,
    /// The secret is not an AES key.
    #[error("the shares hold a {len}-byte secret, not an AES key (16, 24 or 32 bytes): these are not byok-ceremony escrow shares")]
    NotAesKey {
        /// Secret length in bytes.
        len: usize,
    },
    /// The original ceremony log cannot be used.
    #[error("--original-log {path}: {reason}")]
    OriginalLog {
        /// The log file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The passphrase is not printable ASCII.
    #[error(
        "the share passphrase must be printable ASCII (space to '~'), as SLIP-39 requires; type it again"
    )]
    InvalidPassphrase,
    /// Anything else SLIP-39 refused (multi-group sets).
    #[error("{0}")]
    Slip39(crate::slip39::Slip39Error),
}

impl ExitStatus for EscrowError {
    fn exit_code(&self) -> u8 {
        match self {
            EscrowError::NoShares
            | EscrowError::Read(..)
            | EscrowError::TooLarge(_)
            | EscrowError::SeveralShares { .. }
            | EscrowError::NoExpectedKcv
            | EscrowError::InvalidPassphrase => exit::USAGE,
            EscrowError::NoMnemonic(_) => exit::USAGE,
            EscrowError::OriginalLog { reason, .. }
                if reason.starts_with("cannot read") || reason.starts_with("over ") =>
            {
                exit::USAGE
            }
            _ => exit::VERIFICATION,
        }
    }
}
