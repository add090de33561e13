//! The PGP word list (Juola and Zimmermann, 1995; "biometric" words): one word per byte, so a
//! fingerprint can be read aloud between rooms. Bytes at even positions (0, 2, ...) use the
//! two-syllable list, bytes at odd positions the three-syllable one, so a dropped or swapped word
//! is noticed. The table (`pgp-words.txt`: byte, even word, odd word) is the standard's own.

use std::sync::OnceLock;

const TABLE: &str = include_str!("pgp-words.txt");

fn table() -> &'static [(String, String)] {
    static WORDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    WORDS.get_or_init(|| {
        TABLE
            .lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace().skip(1);
                Some((it.next()?.to_string(), it.next()?.to_string()))
            })
            .collect()
    })
}

/// Why a word was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordError {
    /// Not in either list.
    Unknown {
        /// 1-based word position.
        position: usize,
    },
    /// In the other list: a word was dropped, repeated or swapped before this one.
    WrongList {
        /// 1-based word position.
        position: usize,
    },
}

/// The words for `bytes`, lowercase.
pub fn encode(bytes: &[u8]) -> Vec<&'static str> {
    let t = table();
    bytes
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let (even, odd) = &t[b as usize];
            if i % 2 == 0 {
                even.as_str()
            } else {
                odd.as_str()
            }
        })
        .collect()
}

/// The bytes for `words` (any case).
pub fn decode(words: &[&str]) -> Result<Vec<u8>, WordError> {
    let t = table();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let w = w.to_ascii_lowercase();
            let position = i + 1;
            let in_even = t.iter().position(|(e, _)| *e == w);
            let in_odd = t.iter().position(|(_, o)| *o == w);
            match (i % 2 == 0, in_even, in_odd) {
                (true, Some(b), _) | (false, _, Some(b)) => Ok(b as u8),
                (_, None, None) => Err(WordError::Unknown { position }),
                _ => Err(WordError::WrongList { position }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_whole() {
        let t = table();
        assert_eq!(t.len(), 256);
        assert_eq!(t[0], ("aardvark".into(), "adroitness".into()));
        assert_eq!(t[255], ("zulu".into(), "yucatan".into()));
        let mut all: Vec<&String> = t.iter().flat_map(|(a, b)| [a, b]).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 512, "every word is distinct");
    }

    /// The example from the PGPfone manual: E582 94F2 E9A2 2748 6E8B 061B 31CC 528F D7FA 3F19.
    #[test]
    fn known_answer_and_round_trip() {
        let bytes = [0xe5, 0x82, 0x94, 0xf2];
        assert_eq!(encode(&bytes), ["topmost", "istanbul", "pluto", "vagabond"]);
        let all: Vec<u8> = (0..=255).collect();
        let words = encode(&all);
        assert_eq!(decode(&words).unwrap(), all);
    }

    #[test]
    fn refuses_unknown_and_misplaced_words() {
        assert_eq!(decode(&["topmost", "banana"]), Err(WordError::Unknown { position: 2 }));
        assert_eq!(decode(&["istanbul"]), Err(WordError::WrongList { position: 1 }));
    }
}
