//! Joining chunk texts back into the file, with integrity checks.

use sha2::{Digest, Sha256};

use super::error::number_list;
use super::format::{hex_id, parse_line, ParsedChunk};
use super::QrError;

/// What one line added to a [`Joiner`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A new chunk; more are needed.
    Added,
    /// Nothing new: an identical repeat of a chunk already read, or a blank line.
    Repeat,
    /// The last missing chunk: the set is complete and its SHA-256 checks.
    Complete,
}

/// The set being joined, fixed by the first chunk read.
#[derive(Debug)]
struct SetId {
    count: u32,
    sha256: [u8; 32],
}

/// A received chunk: its data field as written, and decoded.
#[derive(Debug)]
struct Part {
    text: String,
    data: Vec<u8>,
}

/// Collects chunk lines in any order, refusing anything that does not belong.
///
/// The first chunk read fixes the set (its id and count); later chunks of
/// another set are refused, as is a chunk number read twice with different
/// data. A line that is not a chunk is refused with what is wrong with it.
#[derive(Debug, Default)]
pub struct Joiner {
    set: Option<SetId>,
    parts: Vec<Option<Part>>,
    received: u32,
}

impl Joiner {
    /// An empty joiner.
    pub fn new() -> Self {
        Joiner::default()
    }

    /// Adds one line (surrounding whitespace trimmed; a blank line is a
    /// [`Progress::Repeat`]). When the set becomes complete its SHA-256 is
    /// checked at once and a mismatch is an error.
    pub fn push_line(&mut self, line: &str) -> Result<Progress, QrError> {
        let Some(chunk) = parse_line(line)? else {
            return Ok(Progress::Repeat);
        };
        let set = self.set.get_or_insert(SetId { count: chunk.count, sha256: chunk.sha256 });
        if chunk.count != set.count || chunk.sha256 != set.sha256 {
            return Err(foreign(&chunk, set));
        }
        if self.parts.is_empty() {
            self.parts.resize_with(set.count as usize, || None);
        }
        let slot = &mut self.parts[(chunk.index - 1) as usize];
        if let Some(part) = slot {
            return if part.text == chunk.data_text {
                Ok(Progress::Repeat)
            } else {
                Err(QrError::AlteredChunk(chunk.index))
            };
        }
        *slot = Some(Part { text: chunk.data_text, data: chunk.data });
        self.received += 1;
        if self.is_complete() {
            self.joined()?;
            Ok(Progress::Complete)
        } else {
            Ok(Progress::Added)
        }
    }

    /// The chunk numbers not read yet, ascending (empty before the first chunk).
    pub fn missing(&self) -> Vec<u32> {
        self.parts.iter().zip(1u32..).filter(|(part, _)| part.is_none()).map(|(_, index)| index).collect()
    }

    /// A one-line progress report, e.g. "3 of 5, missing 2 and 5".
    pub fn describe(&self) -> String {
        match &self.set {
            None => "no chunks read yet".to_owned(),
            Some(set) if self.is_complete() => format!("{0} of {0}, complete", set.count),
            Some(set) => format!(
                "{} of {}, missing {}",
                self.received,
                set.count,
                number_list(&self.missing(), " and ")
            ),
        }
    }

    /// Whether every chunk of the set has been read.
    pub fn is_complete(&self) -> bool {
        self.set.as_ref().is_some_and(|s| self.received == s.count)
    }

    /// The joined bytes, after checking that no chunk is missing and that
    /// their SHA-256 is the set id.
    pub fn finish(self) -> Result<Vec<u8>, QrError> {
        let Some(set) = &self.set else {
            return Err(QrError::NoChunks);
        };
        if !self.is_complete() {
            return Err(QrError::Missing { missing: self.missing(), count: set.count });
        }
        self.joined()
    }

    /// Concatenates the parts (all present) and checks the hash.
    fn joined(&self) -> Result<Vec<u8>, QrError> {
        let Some(set) = &self.set else {
            return Err(QrError::NoChunks);
        };
        let mut out = Vec::new();
        for part in self.parts.iter().flatten() {
            out.extend_from_slice(&part.data);
        }
        let digest: [u8; 32] = Sha256::digest(&out).into();
        if digest == set.sha256 {
            Ok(out)
        } else {
            Err(QrError::HashMismatch)
        }
    }
}

/// Joins all the chunk lines of `text` (any order, repeats and blank lines
/// allowed) and checks the result; stops at the first refused line.
pub fn join(text: &str) -> Result<Vec<u8>, QrError> {
    let mut joiner = Joiner::new();
    for line in text.lines() {
        joiner.push_line(line)?;
    }
    joiner.finish()
}

/// The error for a chunk whose id or count differs from the set's.
fn foreign(chunk: &ParsedChunk, set: &SetId) -> QrError {
    let short = |sha: &[u8; 32]| hex_id(sha)[..12].to_owned();
    QrError::ForeignChunk {
        index: chunk.index,
        count: chunk.count,
        id: short(&chunk.sha256),
        expected_id: short(&set.sha256),
        expected_count: set.count,
    }
}
