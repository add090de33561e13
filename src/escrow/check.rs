//! Checking shares: each share's words and checksum, one set, no repeats, the threshold met, then
//! the combination in memory. With more shares than the threshold every threshold-sized subset must
//! give the same key, so a share that passes its checksum but is wrong is found and named.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::{EscrowError, ShareName};
use super::file::ShareInput;
use super::SharePassphrase;
use crate::ceremony::verify::combinations;
use crate::kcv::aes_check_values;
use crate::slip39::{self, Share, Slip39Error};

/// Subsets are also combined one by one (each costs a PBKDF2 run) when there are at most this many.
const MAX_EXPLICIT_SUBSETS: usize = 20;

/// What one share turned out to be.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ShareLine {
    /// 1-based position.
    pub position: usize,
    /// File name or `typed`.
    pub name: String,
    /// The share's set identifier (15 bits), when it parsed.
    pub identifier: Option<u16>,
    /// 1-based member number, when it parsed.
    pub member: Option<usize>,
    /// `None` when the words and checksum are fine, else the error.
    pub error: Option<String>,
}

/// A successful check: the set, the threshold and the key check values; never the key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// The set identifier.
    pub identifier: u16,
    /// Shares needed.
    pub threshold: usize,
    /// Distinct shares given.
    pub shares: usize,
    /// Every threshold-sized subset of the given shares.
    pub subsets: usize,
    /// How many of them were also combined one by one.
    pub subsets_combined: usize,
    /// `# ceremony:` of the share files, if any.
    pub ceremony_id: Option<String>,
    /// `# label:` of the share files, if any.
    pub label: Option<String>,
    /// AES-ECB key check value of the combined key.
    pub kcv: String,
    /// AES-CMAC key check value.
    pub kcv_cmac: String,
    /// The `# kcv:` comment it was compared with, if any.
    pub comment_kcv: Option<String>,
}

/// The outcome of [`check`]: a line per share, and the result.
pub struct Checked<T> {
    /// One line per input share, in order.
    pub lines: Vec<ShareLine>,
    /// The report (and, for recovery, the key), or why not.
    pub result: Result<T, EscrowError>,
}

/// Checks `inputs` and combines them with `passphrase`; returns only check values.
pub fn check(inputs: &[ShareInput], passphrase: &SharePassphrase) -> Checked<CheckReport> {
    let c = combine_checked(inputs, passphrase);
    Checked { lines: c.lines, result: c.result.map(|(report, _key)| report) }
}

/// Like [`check`], also returning the combined secret (wiped on drop).
pub fn combine_checked(
    inputs: &[ShareInput],
    passphrase: &SharePassphrase,
) -> Checked<(CheckReport, Zeroizing<Vec<u8>>)> {
    let mut lines = Vec::new();
    let mut shares = Vec::new();
    let mut first_error = None;
    for input in inputs {
        let mut line = ShareLine {
            position: input.name.position,
            name: input.name.name.clone(),
            identifier: None,
            member: None,
            error: None,
        };
        let words = input.mnemonic.split_whitespace().count();
        let parsed = if super::typed::SHARE_LENGTHS.contains(&words) {
            slip39::parse_nth(&input.mnemonic, input.name.position)
        } else {
            // Before the checksum: a missing or extra word is the likelier story than a typo.
            Err(Slip39Error::WrongLength { share: input.name.position, words })
        };
        match parsed {
            Ok(share) => {
                line.identifier = Some(share.identifier());
                line.member = Some(usize::from(share.member_index()) + 1);
                shares.push(share);
            }
            Err(e) => {
                let err = parse_error(e, &input.name);
                line.error = Some(err.to_string());
                first_error.get_or_insert(err);
            }
        }
        lines.push(line);
    }
    let result = match first_error {
        Some(e) => Err(e),
        None if inputs.is_empty() => Err(EscrowError::NoShares),
        None => combine_parsed(inputs, &shares, passphrase),
    };
    Checked { lines, result }
}

fn parse_error(e: Slip39Error, share: &ShareName) -> EscrowError {
    let share = share.clone();
    match e {
        Slip39Error::UnknownWord { position, .. } => EscrowError::Word { share, position },
        Slip39Error::Checksum { likely_word, .. } => EscrowError::Checksum { share, likely_word },
        Slip39Error::InvalidPadding { .. } => {
            EscrowError::Corrupted { share, detail: "invalid padding bits".into() }
        }
        Slip39Error::WrongLength { words, .. } => EscrowError::Corrupted {
            share,
            detail: format!("{words} words is not a share length (20, 27 or 33 for AES keys)"),
        },
        Slip39Error::InvalidHeader { reason, .. } => {
            EscrowError::Corrupted { share, detail: format!("invalid share header ({reason})") }
        }
        other => EscrowError::Slip39(other),
    }
}

/// The parameters every share of one set has in common.
fn set_key(s: &Share) -> (u16, bool, u8, u8, u8, u8, usize) {
    let words = s.mnemonic().split(' ').count();
    (
        s.identifier(),
        s.extendable(),
        s.iteration_exponent(),
        s.group_threshold(),
        s.group_count(),
        s.member_threshold(),
        words,
    )
}

fn combine_parsed(
    inputs: &[ShareInput],
    shares: &[Share],
    passphrase: &SharePassphrase,
) -> Result<(CheckReport, Zeroizing<Vec<u8>>), EscrowError> {
    let name = |i: usize| inputs[i].name.clone();
    for (i, s) in shares.iter().enumerate().skip(1) {
        if set_key(s) != set_key(&shares[0]) {
            return Err(EscrowError::DifferentSets { share: name(i), reference: name(0) });
        }
    }
    for (j, b) in shares.iter().enumerate() {
        for (i, a) in shares.iter().enumerate().take(j) {
            if (a.group_index(), a.member_index()) == (b.group_index(), b.member_index()) {
                return Err(if bool::from(a.mnemonic().as_bytes().ct_eq(b.mnemonic().as_bytes())) {
                    EscrowError::Duplicate { first: name(i), second: name(j) }
                } else {
                    EscrowError::SameIndex {
                        first: name(i),
                        second: name(j),
                        member: usize::from(b.member_index()) + 1,
                    }
                });
            }
        }
    }
    let ceremony_id = agree(inputs, "ceremony", |i| i.comments.ceremony_id.clone())?;
    let comment_kcv = agree(inputs, "kcv", |i| i.comments.kcv.clone())?;
    let label = inputs.iter().find_map(|i| i.comments.label.clone());
    let first = &shares[0];
    if first.group_count() > 1 {
        return multi_group(inputs, shares, passphrase, ceremony_id, label, comment_kcv);
    }
    let (n, k) = (shares.len(), usize::from(first.member_threshold()));
    if n < k {
        return Err(EscrowError::TooFew { have: n, need: k });
    }
    let secret = match slip39::combine_shares(shares, passphrase.expose()) {
        Ok(secret) => secret,
        Err(Slip39Error::InconsistentShare { .. } | Slip39Error::DigestMismatch) => {
            return Err(find_wrong_share(inputs, shares, k, passphrase))
        }
        Err(e) => return Err(EscrowError::Slip39(e)),
    };
    let cv = aes_check_values(&secret).ok_or(EscrowError::NotAesKey { len: secret.len() })?;
    let subsets = combinations(n, k);
    let mut combined = 0;
    if n > k && subsets.len() <= MAX_EXPLICIT_SUBSETS {
        for subset in &subsets {
            let picked = reparse(shares, subset.iter().copied());
            let other =
                slip39::combine_shares(&picked, passphrase.expose()).map_err(|_| EscrowError::Disagree)?;
            if !bool::from(other.ct_eq(&secret)) {
                return Err(EscrowError::Disagree);
            }
            combined += 1;
        }
    }
    if let Some(want) = &comment_kcv {
        if *want != cv.kcv {
            return Err(EscrowError::KcvMismatch {
                got: cv.kcv,
                want: want.clone(),
                against: "the share files' '# kcv:' line".into(),
                why: super::mismatch::vs_share_files(super::mismatch::PassphraseState::of(
                    inputs, passphrase,
                )),
            });
        }
    }
    let report = CheckReport {
        identifier: first.identifier(),
        threshold: k,
        shares: n,
        subsets: subsets.len(),
        subsets_combined: combined,
        ceremony_id,
        label,
        kcv: cv.kcv,
        kcv_cmac: cv.kcv_cmac,
        comment_kcv,
    };
    Ok((report, secret))
}

/// The value every share that has the comment gives, or which two disagree.
fn agree(
    inputs: &[ShareInput],
    field: &'static str,
    get: impl Fn(&ShareInput) -> Option<String>,
) -> Result<Option<String>, EscrowError> {
    let mut seen: Option<(usize, String)> = None;
    for (i, input) in inputs.iter().enumerate() {
        let Some(value) = get(input) else { continue };
        match &seen {
            None => seen = Some((i, value)),
            Some((r, other)) if *other != value => {
                return Err(EscrowError::CommentsDisagree(format!(
                    "{} says {field} {value}, {} says {other}",
                    input.name, inputs[*r].name
                )))
            }
            Some(_) => {}
        }
    }
    Ok(seen.map(|(_, v)| v))
}

/// Fresh copies of some shares (shares are not `Clone`; their mnemonics re-parse).
fn reparse(shares: &[Share], picked: impl Iterator<Item = usize>) -> Vec<Share> {
    picked.filter_map(|i| slip39::parse(shares[i].mnemonic()).ok()).collect()
}

/// The shares disagree: leave each out in turn; if exactly one leaves the others consistent, it is
/// the wrong one.
fn find_wrong_share(
    inputs: &[ShareInput],
    shares: &[Share],
    k: usize,
    passphrase: &SharePassphrase,
) -> EscrowError {
    let n = shares.len();
    if n == k {
        return EscrowError::Inconsistent { have: n };
    }
    let mut culprits = Vec::new();
    for left_out in 0..n {
        let others = reparse(shares, (0..n).filter(|&i| i != left_out));
        if let Ok(secret) = slip39::combine_shares(&others, passphrase.expose()) {
            let kcv = aes_check_values(&secret).map(|c| c.kcv).unwrap_or_default();
            culprits.push((left_out, kcv));
        }
    }
    match culprits.as_slice() {
        [(i, kcv)] => {
            EscrowError::WrongShare { share: inputs[*i].name.clone(), threshold: k, kcv: kcv.clone() }
        }
        _ => EscrowError::Disagree,
    }
}

/// Sets of several groups (not made by byok-ceremony, accepted from other tools): SLIP-39's own checks.
fn multi_group(
    inputs: &[ShareInput],
    shares: &[Share],
    passphrase: &SharePassphrase,
    ceremony_id: Option<String>,
    label: Option<String>,
    comment_kcv: Option<String>,
) -> Result<(CheckReport, Zeroizing<Vec<u8>>), EscrowError> {
    let secret = slip39::combine_shares(shares, passphrase.expose()).map_err(EscrowError::Slip39)?;
    let cv = aes_check_values(&secret).ok_or(EscrowError::NotAesKey { len: secret.len() })?;
    if let Some(want) = &comment_kcv {
        if *want != cv.kcv {
            let source = "the share files' '# kcv:' line".into();
            let why =
                super::mismatch::vs_share_files(super::mismatch::PassphraseState::of(inputs, passphrase));
            return Err(EscrowError::KcvMismatch { got: cv.kcv, want: want.clone(), against: source, why });
        }
    }
    let report = CheckReport {
        identifier: shares[0].identifier(),
        threshold: usize::from(shares[0].member_threshold()),
        shares: shares.len(),
        subsets: 0,
        subsets_combined: 0,
        ceremony_id,
        label,
        kcv: cv.kcv,
        kcv_cmac: cv.kcv_cmac,
        comment_kcv,
    };
    Ok((report, secret))
}
