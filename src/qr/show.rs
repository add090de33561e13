//! What `qr show` shows: a chunk set loaded from a chunks.txt, a ceremony or
//! QR directory, or any file split on the fly; and the keys that page through it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::chunk::smallest_common_version;
use super::format::{chunk_text, hex_id, parse_line};
use super::{split, Chunk, ChunkOptions, ChunkSet, EcLevel, Joiner, QrError, TAG};

/// Reads what `path` names as a chunk set:
///
/// * a directory holding `qr/chunks.txt` (a ceremony directory) or `chunks.txt`
///   (a `qr split` directory): those chunks;
/// * a file whose first non-blank line starts with `BQR`: chunk lines (a chunks.txt);
/// * any other file: its bytes, split with `opts`.
///
/// Chunk lines must form one complete set whose SHA-256 checks (as `qr join`
/// would accept); they are drawn at the smallest version all of them fit at
/// `opts.ec_level`.
pub fn load_for_show(path: &Path, opts: &ChunkOptions) -> Result<ChunkSet, QrError> {
    if path.is_dir() {
        let found = ["qr/chunks.txt", "chunks.txt"].iter().map(|n| path.join(n)).find(|p| p.is_file());
        let Some(file) = found else {
            return Err(QrError::NoChunkFile(path.display().to_string()));
        };
        let text = read_text(&file)?;
        return chunk_set_from_lines(&text, opts.ec_level);
    }
    let bytes = std::fs::read(path).map_err(|e| read_error(path, &e))?;
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let first = text.lines().map(str::trim).find(|l| !l.is_empty());
        if first.is_some_and(|l| l.starts_with(&TAG[..3])) {
            return chunk_set_from_lines(text, opts.ec_level);
        }
    }
    split(&bytes, opts)
}

/// The chunk set whose lines are in `text` (any order, repeats and blank lines
/// allowed), after checking, as a join does, that it is complete and that its
/// SHA-256 is its id.
pub fn chunk_set_from_lines(text: &str, ec_level: EcLevel) -> Result<ChunkSet, QrError> {
    let mut joiner = Joiner::new();
    let mut texts = BTreeMap::new();
    for line in text.lines() {
        joiner.push_line(line)?;
        if let Some(chunk) = parse_line(line)? {
            let canonical = chunk_text(chunk.index, chunk.count, &hex_id(&chunk.sha256), &chunk.data);
            texts.entry(chunk.index).or_insert((chunk.count, chunk.sha256, canonical));
        }
    }
    joiner.finish()?;
    let mut sha256 = [0; 32];
    let chunks: Vec<Chunk> = texts
        .into_iter()
        .map(|(index, (count, id, text))| {
            sha256 = id;
            Chunk { index, count, text }
        })
        .collect();
    let opts = ChunkOptions { max_version: 40, ec_level };
    let longest = chunks.iter().map(|c| c.text.len()).max().unwrap_or(0);
    let version =
        smallest_common_version(&chunks, &opts).ok_or(QrError::TextTooLong { len: longest, version: 40 })?;
    Ok(ChunkSet { chunks, version, ec_level, sha256 })
}

fn read_text(path: &PathBuf) -> Result<String, QrError> {
    std::fs::read_to_string(path).map_err(|e| read_error(path, &e))
}

fn read_error(path: &Path, e: &std::io::Error) -> QrError {
    QrError::Read { path: path.display().to_string(), reason: e.to_string() }
}

/// A key typed while codes are shown (a line, so no raw terminal mode is needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowKey {
    /// Enter alone, `n`, or a space: the next code.
    Next,
    /// `p` or `b`: the previous code.
    Previous,
    /// `q`: stop.
    Quit,
    /// A number: that chunk.
    Goto(u32),
    /// Anything else: show the same code again.
    Other,
}

impl ShowKey {
    /// Reads one typed line.
    pub fn parse(line: &str) -> ShowKey {
        let t = line.trim_end_matches(['\r', '\n']);
        if t.trim().is_empty() {
            return ShowKey::Next;
        }
        let t = t.trim().to_ascii_lowercase();
        match t.as_str() {
            "n" | "next" => ShowKey::Next,
            "p" | "b" | "prev" | "previous" => ShowKey::Previous,
            "q" | "quit" => ShowKey::Quit,
            _ => t.parse().map(ShowKey::Goto).unwrap_or(ShowKey::Other),
        }
    }
}

/// Which code of `count` is on screen; moves wrap around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    current: usize,
    count: usize,
}

impl Pager {
    /// At the first of `count` codes (at least one).
    pub fn new(count: usize) -> Pager {
        Pager { current: 0, count: count.max(1) }
    }

    /// The 0-based position of the code on screen.
    pub fn current(&self) -> usize {
        self.current
    }

    /// Applies `key`; false when it says to stop. A number outside the set keeps the current code.
    pub fn apply(&mut self, key: ShowKey) -> bool {
        match key {
            ShowKey::Next => self.current = (self.current + 1) % self.count,
            ShowKey::Previous => self.current = (self.current + self.count - 1) % self.count,
            ShowKey::Goto(n) if (1..=self.count).contains(&(n as usize)) => self.current = n as usize - 1,
            ShowKey::Quit => return false,
            ShowKey::Goto(_) | ShowKey::Other => {}
        }
        true
    }
}
