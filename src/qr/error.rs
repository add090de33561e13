//! Errors of QR chunking, rendering and joining.

use std::fmt::Write as _;

/// What went wrong while splitting, rendering or joining QR chunks.
///
/// Every message is one line. The variants for which
/// [`QrError::is_integrity_error`] is true describe bad or incomplete input
/// to a join (the CLI exits with code 3); the others are caller or internal
/// errors (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// A QR version outside `1..=40` was asked for.
    #[error("QR version {0} is out of range; use a version from 1 to 40")]
    BadVersion(i16),

    /// A PNG module size outside the accepted range was asked for.
    #[error("module size of {0} px is out of range; use 1 to 64 px")]
    BadModuleSize(u32),

    /// The maximum QR version cannot even hold a chunk header.
    #[error("QR version {max_version} is too small for chunk headers; allow a maximum version of at least {needed}")]
    VersionTooSmall {
        /// The maximum version that was given.
        max_version: i16,
        /// The smallest maximum version that can work.
        needed: i16,
    },

    /// The data would need more than [`super::MAX_CHUNKS`] codes.
    #[error("{len} bytes need more than {max} QR codes; allow a larger maximum QR version")]
    DataTooLarge {
        /// Length of the data in bytes.
        len: usize,
        /// The chunk count limit.
        max: u32,
    },

    /// A text does not fit one QR code at the requested (or the largest) version.
    #[error("a text of {len} characters does not fit one QR code of version {version}; shorten it or allow a larger version")]
    TextTooLong {
        /// Length of the text in characters.
        len: usize,
        /// The version that was tried.
        version: i16,
    },

    /// The QR encoder or the PNG writer failed unexpectedly.
    #[error("cannot render the QR code: {0}")]
    Render(String),

    /// A file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        reason: String,
    },

    /// A directory given to `qr show` holds no chunk list.
    #[error(
        "{0} holds neither qr/chunks.txt nor chunks.txt; give a ceremony directory, a qr directory or a file"
    )]
    NoChunkFile(String),

    /// A line is not a well-formed chunk.
    #[error("malformed chunk line ({reason}): \"{excerpt}\"")]
    Malformed {
        /// What is wrong with it.
        reason: &'static str,
        /// At most the first 40 characters of the line, control characters replaced.
        excerpt: String,
    },

    /// A chunk of another format or format version.
    #[error("unsupported chunk format \"{tag}\"; this tool reads BQR1 chunks")]
    UnknownFormat {
        /// The tag found (at most 40 characters).
        tag: String,
    },

    /// A chunk that belongs to another set (other id or other count).
    #[error("chunk {index} of {count} (id {id}) is from another set than the first chunk read (id {expected_id}, {expected_count} chunks); scan only one set")]
    ForeignChunk {
        /// Chunk number of the foreign chunk.
        index: u32,
        /// Its count.
        count: u32,
        /// The first 12 hex digits of its id.
        id: String,
        /// The first 12 hex digits of the id of the set being joined.
        expected_id: String,
        /// The count of the set being joined.
        expected_count: u32,
    },

    /// A chunk number seen twice with different data.
    #[error("chunk {0} differs from the chunk {0} read before")]
    AlteredChunk(u32),

    /// Input ended before every chunk was read.
    #[error("missing {} of {count}", missing_list(.missing))]
    Missing {
        /// The missing chunk numbers, ascending.
        missing: Vec<u32>,
        /// The count of the set.
        count: u32,
    },

    /// No chunk at all was read.
    #[error("no chunk lines found in the input")]
    NoChunks,

    /// The joined bytes do not hash to the set id.
    #[error("joined data fails its SHA-256 check: a chunk was misread or altered, and BQR1 chunks have no checksum of their own to say which; scan every code again")]
    HashMismatch,
}

impl QrError {
    /// True when the error is about the chunks read: malformed, foreign,
    /// altered, missing, or a failed SHA-256 check (CLI exit code 3).
    /// False for bad options, data too large, or rendering failures (exit 1).
    pub fn is_integrity_error(&self) -> bool {
        matches!(
            self,
            QrError::Malformed { .. }
                | QrError::UnknownFormat { .. }
                | QrError::ForeignChunk { .. }
                | QrError::AlteredChunk(_)
                | QrError::Missing { .. }
                | QrError::NoChunks
                | QrError::HashMismatch
        )
    }

    /// A malformed-line error with a safe excerpt of `line`.
    pub(crate) fn malformed(reason: &'static str, line: &str) -> Self {
        QrError::Malformed { reason, excerpt: excerpt(line) }
    }
}

impl crate::exit::ExitStatus for QrError {
    /// 3 for integrity errors; 2 for a directory without chunks and for QR
    /// options that cannot work (a version out of range or too small, data
    /// that needs more than 999 codes); 1 otherwise.
    fn exit_code(&self) -> u8 {
        if self.is_integrity_error() {
            crate::exit::VERIFICATION
        } else if matches!(
            self,
            QrError::NoChunkFile(_)
                | QrError::BadVersion(_)
                | QrError::VersionTooSmall { .. }
                | QrError::DataTooLarge { .. }
        ) {
            crate::exit::USAGE
        } else {
            crate::exit::FAILED
        }
    }
}

/// At most the first 40 characters of `s`, with control characters shown as `?`
/// so that a hostile line cannot drive the terminal.
pub(crate) fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(40).map(|c| if c.is_control() { '?' } else { c }).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// "chunk 2", "chunks 2, 5", "chunks 2-9, 12" — runs of three or more are
/// shown as ranges so that a long list stays one short line.
pub(crate) fn missing_list(missing: &[u32]) -> String {
    let noun = if missing.len() == 1 { "chunk" } else { "chunks" };
    format!("{noun} {}", number_list(missing, ", "))
}

/// Numbers joined with `last_sep` before the last item, ranges for runs of three or more.
pub(crate) fn number_list(numbers: &[u32], last_sep: &str) -> String {
    let mut groups: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j].saturating_add(1) {
            j += 1;
        }
        if j - i >= 2 {
            groups.push(format!("{}-{}", numbers[i], numbers[j]));
        } else {
            groups.extend(numbers[i..=j].iter().map(u32::to_string));
        }
        i = j + 1;
    }
    let mut out = String::new();
    for (k, g) in groups.iter().enumerate() {
        if k > 0 {
            out.push_str(if k + 1 == groups.len() { last_sep } else { ", " });
        }
        let _ = write!(out, "{g}");
    }
    out
}
