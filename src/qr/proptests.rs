//! Property tests: split then join round-trips, chunk texts stay in the QR
//! alphanumeric set and share one version, and no input makes the joiner panic.

use proptest::prelude::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::chunk::fits;
use super::format::QR_ALPHANUMERIC;
use super::*;

fn ec_level() -> impl Strategy<Value = EcLevel> {
    prop_oneof![Just(EcLevel::L), Just(EcLevel::M), Just(EcLevel::Q), Just(EcLevel::H)]
}

/// The chunk lines shuffled, some of them repeated, driven by `seed`.
fn shuffled_with_repeats(set: &ChunkSet, seed: u64) -> Vec<String> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut lines: Vec<String> = set.chunks.iter().map(|c| c.text.clone()).collect();
    let repeats = (rng.next_u32() % 4) as usize;
    for _ in 0..repeats {
        let i = rng.next_u32() as usize % set.chunks.len();
        lines.push(set.chunks[i].text.clone());
    }
    for i in (1..lines.len()).rev() {
        let j = rng.next_u32() as usize % (i + 1);
        lines.swap(i, j);
    }
    lines
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn split_then_join_round_trips(
        data in proptest::collection::vec(any::<u8>(), 0..4000),
        max_version in 8i16..=40,
        ec in ec_level(),
        seed in any::<u64>(),
    ) {
        let opts = ChunkOptions { max_version, ec_level: ec };
        let set = split(&data, &opts).unwrap();
        prop_assert!(set.version >= 1 && set.version <= max_version);
        prop_assert_eq!(set.ec_level, ec);
        let count = set.chunks.len() as u32;
        for (chunk, index) in set.chunks.iter().zip(1u32..) {
            prop_assert_eq!(chunk.index, index);
            prop_assert_eq!(chunk.count, count);
            prop_assert!(chunk.text.chars().all(|c| QR_ALPHANUMERIC.contains(c)));
            prop_assert!(!chunk.text.contains(' '));
            prop_assert!(fits(&chunk.text, set.version, ec));
        }
        // The version is the smallest that fits them all.
        if set.version > 1 {
            prop_assert!(!set.chunks.iter().all(|c| fits(&c.text, set.version - 1, ec)));
        }
        // Nearly equal lengths: at most one 8-character block plus a partial one apart.
        let lens: Vec<usize> = set.chunks.iter().map(|c| c.text.len()).collect();
        let spread = lens.iter().max().unwrap() - lens.iter().min().unwrap();
        prop_assert!(spread <= 15 + 2 * 2, "spread {}", spread);

        let lines = shuffled_with_repeats(&set, seed);
        let text = lines.join("\n") + "\n";
        prop_assert_eq!(join(&text).unwrap(), data.clone());
        prop_assert_eq!(chunks_txt(&set), set.chunks.iter().map(|c| c.text.clone() + "\n").collect::<String>());
        let mut joiner = Joiner::new();
        let mut completes = 0;
        for line in &lines {
            if joiner.push_line(line).unwrap() == Progress::Complete {
                completes += 1;
            }
        }
        prop_assert_eq!(completes, 1);
        prop_assert_eq!(joiner.finish().unwrap(), data);
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in proptest::collection::vec(".{0,120}", 0..8)) {
        let mut joiner = Joiner::new();
        for line in &lines {
            let _ = joiner.push_line(line);
            let _ = joiner.describe();
            let _ = joiner.missing();
        }
        let _ = joiner.finish();
    }

    #[test]
    fn chunk_like_lines_never_panic(
        n in "[0-9]{0,12}",
        m in "[0-9]{0,12}",
        id in "[0-9A-Fa-f]{0,66}",
        data in "[A-Z2-7=a-z]{0,40}",
    ) {
        let line = format!("BQR1:{n}:{m}:{id}:{data}");
        let mut joiner = Joiner::new();
        let _ = joiner.push_line(&line);
        let _ = joiner.push_line(&line);
        let _ = joiner.describe();
        let _ = joiner.finish();
    }

    #[test]
    fn a_corrupted_set_never_joins_to_other_data(
        data in proptest::collection::vec(any::<u8>(), 1..1500),
        which in any::<prop::sample::Index>(),
        pos in any::<prop::sample::Index>(),
        replacement in prop::sample::select(QR_ALPHANUMERIC.chars().collect::<Vec<_>>()),
    ) {
        let set = split(&data, &ChunkOptions::default()).unwrap();
        let mut lines: Vec<String> = set.chunks.iter().map(|c| c.text.clone()).collect();
        let line = &mut lines[which.index(set.chunks.len())];
        let mut chars: Vec<char> = line.chars().collect();
        let p = pos.index(chars.len());
        chars[p] = replacement;
        *line = chars.into_iter().collect();
        match join(&lines.join("\n")) {
            Ok(joined) => prop_assert_eq!(joined, data),
            Err(e) => prop_assert!(e.is_integrity_error(), "{}", e),
        }
    }
}
