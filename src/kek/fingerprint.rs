//! The KEK fingerprint: SHA-256 over the DER SubjectPublicKeyInfo, as
//! `openssl pkey -pubin -in KEK.pem -outform DER | sha256sum` prints it on the online machine.

use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 fingerprint of a public key's DER SubjectPublicKeyInfo.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

/// Why a typed fingerprint was not accepted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FingerprintError {
    /// A character that is neither a hex digit nor an accepted separator.
    #[error("the fingerprint has '{0}', which is not a hex digit: type the 64 hex digits printed on the paper (spaces and colons are fine)")]
    BadCharacter(char),
    /// Too few or too many digits.
    #[error("the fingerprint has {} hex digit{}, it needs all 64: type the whole value printed on the paper", .0, plural(*.0))]
    WrongLength(usize),
    /// PGP words: not 32 of them.
    #[error("the fingerprint has {} PGP word{}, it needs all 32: read every word from the paper", .0, plural(*.0))]
    WordCount(usize),
    /// PGP words: one is not in the list.
    #[error("PGP word {0} is not a PGP word: check its spelling on the paper")]
    UnknownWord(usize),
    /// PGP words: a word from the other list (a word dropped, repeated or swapped before it).
    #[error("PGP word {0} is from the wrong list: a word before it was dropped, repeated or swapped")]
    MisplacedWord(usize),
}

impl FingerprintError {
    /// What is wrong, without the advice (for a caller that gives its own), e.g.
    /// "it has 1 word, not the 32 PGP words".
    pub fn problem(&self) -> String {
        match self {
            FingerprintError::BadCharacter(c) => format!("it has '{c}', which is not a hex digit"),
            FingerprintError::WrongLength(n) => format!("it has {n} hex digit{}, not 64", plural(*n)),
            FingerprintError::WordCount(n) => format!("it has {n} word{}, not the 32 PGP words", plural(*n)),
            FingerprintError::UnknownWord(i) => format!("PGP word {i} is not a PGP word"),
            FingerprintError::MisplacedWord(i) => {
                format!(
                    "PGP word {i} is from the wrong list (a word before it was dropped, repeated or swapped)"
                )
            }
        }
    }
}

/// "s" unless `n` is 1.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl Fingerprint {
    /// Hashes a DER SubjectPublicKeyInfo.
    pub fn of_spki_der(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }

    /// Reads a typed fingerprint: any case, spaces, tabs, colons and dashes between digits,
    /// an optional `SHA256:` (or `sha256=`) prefix; all 64 hex digits are required.
    /// Also accepts the 32 PGP words of [`Fingerprint::pgp_words`], separated by spaces, commas or dashes.
    pub fn parse(typed: &str) -> Result<Fingerprint, FingerprintError> {
        let words: Vec<&str> = typed
            .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
            .filter(|w| !w.is_empty())
            .collect();
        // Hex never has letters past 'f'; every PGP word does (checked in the tests).
        let wordy = !typed.trim_start().to_ascii_lowercase().starts_with("sha256")
            && words.iter().any(|w| {
                w.len() >= 4
                    && w.chars().all(|c| c.is_ascii_alphabetic())
                    && w.chars().any(|c| !c.is_ascii_hexdigit())
            });
        if wordy {
            return Fingerprint::from_words(&words);
        }
        let mut s = typed.trim();
        for prefix in ["sha256:", "sha256=", "sha256 "] {
            if s.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)) {
                s = s[prefix.len()..].trim_start();
                break;
            }
        }
        let mut digits = Vec::with_capacity(64);
        for c in s.chars() {
            match c {
                ' ' | '\t' | ':' | '-' => continue,
                c if c.is_ascii_hexdigit() => digits.push(c.to_ascii_lowercase() as u8),
                other => return Err(FingerprintError::BadCharacter(other)),
            }
        }
        if digits.len() != 64 {
            return Err(FingerprintError::WrongLength(digits.len()));
        }
        let mut out = [0u8; 32];
        for (i, pair) in digits.chunks(2).enumerate() {
            out[i] = (nibble(pair[0]) << 4) | nibble(pair[1]);
        }
        Ok(Fingerprint(out))
    }

    fn from_words(words: &[&str]) -> Result<Fingerprint, FingerprintError> {
        use super::pgp_words::{decode, WordError};
        if words.len() != 32 {
            return Err(FingerprintError::WordCount(words.len()));
        }
        let bytes = decode(words).map_err(|e| match e {
            WordError::Unknown { position } => FingerprintError::UnknownWord(position),
            WordError::WrongList { position } => FingerprintError::MisplacedWord(position),
        })?;
        let mut out = [0u8; 32];
        out.copy_from_slice(&bytes);
        Ok(Fingerprint(out))
    }

    /// The 32 PGP words, for reading the fingerprint aloud.
    pub fn pgp_words(&self) -> String {
        super::pgp_words::encode(&self.0).join(" ")
    }

    /// The raw 32 bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex without separators (what `sha256sum` prints).
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Lowercase hex in groups of four, the form printed for reading aloud and on paper.
    pub fn grouped(&self) -> String {
        let hex = self.hex();
        hex.as_bytes().chunks(4).map(|g| std::str::from_utf8(g).unwrap_or("")).collect::<Vec<_>>().join(" ")
    }

    /// A line of markers under [`Fingerprint::grouped`]: `^^^^` under each group of four that
    /// differs from `other`, blanks elsewhere. Tells a typo (one group) from another key (all).
    pub fn diff_marker(&self, other: &Fingerprint) -> String {
        let (a, b) = (self.hex(), other.hex());
        let marks: Vec<&str> = a
            .as_bytes()
            .chunks(4)
            .zip(b.as_bytes().chunks(4))
            .map(|(x, y)| if x == y { "    " } else { "^^^^" })
            .collect();
        marks.join(" ").trim_end().to_string()
    }

    /// How many of the 16 groups of four differ.
    pub fn differing_groups(&self, other: &Fingerprint) -> usize {
        self.diff_marker(other).matches("^^^^").count()
    }
}

fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        _ => c - b'a' + 10,
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

    #[test]
    fn accepts_the_forms_people_type() {
        let want = Fingerprint::parse(HEX).unwrap();
        for typed in [
            "BA3B161E0C65708ECFB9EF2BBEA7FDF032B74444ABAB54E35EFEF67EDD694111",
            "ba3b 161e 0c65 708e cfb9 ef2b bea7 fdf0 32b7 4444 abab 54e3 5efe f67e dd69 4111",
            "SHA256:ba:3b:16:1e:0c:65:70:8e:cf:b9:ef:2b:be:a7:fd:f0:32:b7:44:44:ab:ab:54:e3:5e:fe:f6:7e:dd:69:41:11",
            "  sha256: ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111  -",
        ] {
            assert_eq!(Fingerprint::parse(typed).unwrap(), want, "{typed}");
        }
        assert_eq!(want.hex(), HEX);
        assert!(want.grouped().starts_with("ba3b 161e 0c65"));
    }

    #[test]
    fn refuses_short_long_and_foreign() {
        assert_eq!(Fingerprint::parse(&HEX[..63]), Err(FingerprintError::WrongLength(63)));
        assert_eq!(Fingerprint::parse(&format!("{HEX}0")), Err(FingerprintError::WrongLength(65)));
        assert_eq!(Fingerprint::parse("xyz"), Err(FingerprintError::BadCharacter('x')));
        assert_eq!(Fingerprint::parse(""), Err(FingerprintError::WrongLength(0)));
    }

    #[test]
    fn pgp_words_round_trip_and_refusals() {
        let f = Fingerprint::parse(HEX).unwrap();
        let words = f.pgp_words();
        assert_eq!(words.split(' ').count(), 32);
        assert_eq!(Fingerprint::parse(&words).unwrap(), f);
        assert_eq!(Fingerprint::parse(&words.to_uppercase().replace(' ', ", ")).unwrap(), f);
        let mut w: Vec<&str> = words.split(' ').collect();
        w.swap(3, 4);
        assert_eq!(Fingerprint::parse(&w.join(" ")), Err(FingerprintError::MisplacedWord(4)));
        assert_eq!(Fingerprint::parse(&w[..31].join(" ")), Err(FingerprintError::WordCount(31)));
        let mut w: Vec<&str> = words.split(' ').collect();
        w[9] = "banana";
        assert_eq!(Fingerprint::parse(&w.join(" ")), Err(FingerprintError::UnknownWord(10)));
    }

    /// Found by the `fingerprint` fuzz target: slicing a prefix inside a multi-byte character.
    #[test]
    fn regression_prefix_check_inside_a_multibyte_character() {
        assert_eq!(Fingerprint::parse("sha25\u{fc}x"), Err(FingerprintError::BadCharacter('s')));
        assert!(Fingerprint::parse("\u{fc}\u{fc}\u{fc}\u{fc}").is_err());
    }

    #[test]
    fn marks_the_differing_groups() {
        let a = Fingerprint::parse(HEX).unwrap();
        let b = Fingerprint::parse(&HEX.replace("4111", "4112")).unwrap();
        assert_eq!(a.differing_groups(&b), 1);
        assert!(a.diff_marker(&b).ends_with("^^^^"));
        assert_eq!(a.differing_groups(&a), 0);
    }
}
