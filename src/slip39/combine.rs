//! Recovery of the master secret from mnemonics: parsing, grouping,
//! validation with errors naming the faulty share, Shamir recovery at member
//! and group level, and decryption.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::shamir::{self, Point};
use super::{check_passphrase, cipher, share, Share, Slip39Error};

/// Recovers the master secret from `mnemonics` (see [`super::combine`]).
pub fn combine(mnemonics: &[&str], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, Slip39Error> {
    check_passphrase(passphrase)?;
    if mnemonics.is_empty() {
        return Err(Slip39Error::NoShares);
    }
    let shares = mnemonics
        .iter()
        .enumerate()
        .map(|(i, m)| share::parse_at(m, i + 1))
        .collect::<Result<Vec<Share>, _>>()?;
    combine_shares(&shares, passphrase)
}

/// One group of the input: its index and the input positions of its shares.
struct Group {
    index: u8,
    members: Vec<usize>,
}

/// Recovers the master secret from parsed shares; share `i` of the slice is
/// called "share i+1" in errors.
pub fn combine_shares(shares: &[Share], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, Slip39Error> {
    check_passphrase(passphrase)?;
    let first = shares.first().ok_or(Slip39Error::NoShares)?;

    // 1. Every share must come from the same set as share 1.
    for (i, s) in shares.iter().enumerate().skip(1) {
        if s.identifier != first.identifier
            || s.extendable != first.extendable
            || s.iteration_exponent != first.iteration_exponent
            || s.group_threshold != first.group_threshold
            || s.group_count != first.group_count
            || s.value.len() != first.value.len()
        {
            return Err(Slip39Error::ForeignShare { share: i + 1, reference: 1 });
        }
    }

    // 2. No share twice, no two different shares with the same index.
    for (j, b) in shares.iter().enumerate() {
        for (i, a) in shares.iter().enumerate().take(j) {
            if a.group_index == b.group_index && a.member_index == b.member_index {
                let same = a.member_threshold == b.member_threshold && bool::from(a.value.ct_eq(&b.value));
                return Err(if same {
                    Slip39Error::DuplicateShare { first: i + 1, second: j + 1 }
                } else {
                    Slip39Error::ConflictingShares { first: i + 1, second: j + 1 }
                });
            }
        }
    }

    // 3. Group the shares, in order of first appearance.
    let mut groups: Vec<Group> = Vec::new();
    for (i, s) in shares.iter().enumerate() {
        match groups.iter_mut().find(|g| g.index == s.group_index) {
            Some(g) => {
                let reference = g.members[0];
                if shares[reference].member_threshold != s.member_threshold {
                    return Err(Slip39Error::ForeignShare { share: i + 1, reference: reference + 1 });
                }
                g.members.push(i);
            }
            None => groups.push(Group { index: s.group_index, members: vec![i] }),
        }
    }

    // 4. Enough groups, and enough members in every group given.
    let group_threshold = usize::from(first.group_threshold);
    if groups.len() < group_threshold {
        return Err(Slip39Error::TooFewGroups { have: groups.len(), need: group_threshold });
    }
    for g in &groups {
        let need = usize::from(shares[g.members[0]].member_threshold);
        if g.members.len() < need {
            return Err(if first.group_count == 1 {
                Slip39Error::TooFewShares { have: g.members.len(), need }
            } else {
                Slip39Error::GroupTooFewShares {
                    group: usize::from(g.index) + 1,
                    have: g.members.len(),
                    need,
                }
            });
        }
    }

    // 5. Recover every group secret; shares beyond the threshold must agree.
    let mut group_points: Vec<Point> = Vec::with_capacity(groups.len());
    for g in &groups {
        let threshold = shares[g.members[0]].member_threshold;
        let points: Vec<Point> = g
            .members
            .iter()
            .map(|&i| Point { x: shares[i].member_index, y: Zeroizing::new(shares[i].value.to_vec()) })
            .collect();
        let t = usize::from(threshold);
        let base: Vec<&Point> = points[..t].iter().collect();
        let secret = shamir::recover_secret(threshold, &base)?;
        for (k, extra) in points.iter().enumerate().skip(t) {
            if !bool::from(shamir::interpolate(&base, extra.x).ct_eq(&extra.y)) {
                return Err(Slip39Error::InconsistentShare { share: g.members[k] + 1 });
            }
        }
        group_points.push(Point { x: g.index, y: secret });
    }

    // 6. Recover the encrypted master secret from the group secrets.
    let base: Vec<&Point> = group_points[..group_threshold].iter().collect();
    let encrypted = shamir::recover_secret(first.group_threshold, &base)?;
    for extra in group_points.iter().skip(group_threshold) {
        if !bool::from(shamir::interpolate(&base, extra.x).ct_eq(&extra.y)) {
            return Err(Slip39Error::InconsistentGroup { group: usize::from(extra.x) + 1 });
        }
    }

    // 7. Remove the passphrase encryption.
    Ok(cipher::decrypt(&encrypted, passphrase, first.iteration_exponent, first.identifier, first.extendable))
}
