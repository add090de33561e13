//! Property tests: random secrets and thresholds round-trip through split
//! and combine; too few shares and wrong passphrases behave as documented.

use proptest::prelude::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::*;

/// All `k`-subsets of `0..n` when there are few, else `samples` random ones.
fn subsets(n: usize, k: usize, samples: usize, rng: &mut ChaCha20Rng) -> Vec<Vec<usize>> {
    let mut all = Vec::new();
    let mut cur = Vec::new();
    fn walk(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, all: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            all.push(cur.clone());
            return;
        }
        for i in start..n {
            if all.len() > 64 {
                return;
            }
            cur.push(i);
            walk(i + 1, n, k, cur, all);
            cur.pop();
        }
    }
    walk(0, n, k, &mut cur, &mut all);
    if all.len() <= samples {
        return all;
    }
    (0..samples)
        .map(|_| {
            // Partial Fisher-Yates shuffle, then keep the first k.
            let mut idx: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = i + (rng.next_u32() as usize) % (n - i);
                idx.swap(i, j);
            }
            idx.truncate(k);
            idx
        })
        .collect()
}

fn threshold_and_count() -> impl Strategy<Value = (u8, u8)> {
    prop_oneof![Just((1u8, 1u8)), (2u8..=16).prop_flat_map(|n| (2u8..=n, Just(n))),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn slip39_round_trip_every_subset(
        half in prop_oneof![Just(8usize), Just(12), Just(16), 8usize..=32],
        (threshold, count) in threshold_and_count(),
        extendable in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let mut secret = vec![0u8; 2 * half];
        rng.fill_bytes(&mut secret);
        let params = SplitParams { threshold, count, iteration_exponent: 0, extendable };
        let shares = split(&secret, b"", &params, &mut rng).expect("split");
        prop_assert_eq!(shares.len(), usize::from(count));
        let n = usize::from(count);
        let t = usize::from(threshold);
        for subset in subsets(n, t, 10, &mut rng) {
            let m: Vec<&str> = subset.iter().map(|&i| shares[i].mnemonic()).collect();
            let got = combine(&m, b"").expect("combine");
            prop_assert_eq!(&got[..], &secret[..]);
        }
        if t > 1 {
            for subset in subsets(n, t - 1, 3, &mut rng) {
                let m: Vec<&str> = subset.iter().map(|&i| shares[i].mnemonic()).collect();
                prop_assert_eq!(
                    combine(&m, b"").expect_err("too few"),
                    Slip39Error::TooFewShares { have: t - 1, need: t }
                );
            }
        }
    }

    #[test]
    fn slip39_wrong_passphrase_gives_another_secret(
        secret in prop::collection::vec(any::<u8>(), 16..=16),
        extendable in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let params = SplitParams { threshold: 2, count: 3, iteration_exponent: 0, extendable };
        let shares = split(&secret, b"correct horse", &params, &mut rng).expect("split");
        let m = [shares[0].mnemonic(), shares[2].mnemonic()];
        let right = combine(&m, b"correct horse").expect("combine");
        prop_assert_eq!(&right[..], &secret[..]);
        // Not an error: SLIP-39 gives a different secret of the same length.
        let wrong = combine(&m, b"correct horsf").expect("combine");
        prop_assert_eq!(wrong.len(), secret.len());
        prop_assert_ne!(&wrong[..], &secret[..]);
    }

    #[test]
    fn slip39_parse_never_panics(words in prop::collection::vec(0usize..1024, 0..40)) {
        let list = wordlist();
        let text: Vec<&str> = words.iter().map(|&i| list[i]).collect();
        let _ = parse(&text.join(" "));
        // Random mnemonics that do carry a valid checksum exercise the later checks.
        let mut w: Vec<u16> = words.iter().map(|&i| i as u16).collect();
        if w.len() >= 2 {
            let ext = (w[1] >> 4) & 1 == 1;
            let c = rs1024::create_checksum(&w, ext);
            w.extend_from_slice(&c);
            let text: Vec<&str> = w.iter().map(|&i| list[usize::from(i)]).collect();
            let one = text.join(" ");
            let _ = parse(&one);
            let _ = combine(&[&one, &one], b"");
        }
    }
}
