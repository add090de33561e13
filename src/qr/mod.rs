//! QR-code chunking of arbitrary bytes, for carrying a file from the
//! air-gapped machine to an online one through a webcam or a phone.
//!
//! A file is split into chunks whose texts use only the QR alphanumeric set:
//!
//! ```text
//! BQR1:N:M:SHA256HEX:BASE32DATA
//! ```
//!
//! `BQR1` is the format tag and version, `N` the chunk number (1-based), `M`
//! the chunk count (both decimal without leading zeros), `SHA256HEX` the
//! uppercase hex SHA-256 of the whole file (the id of the set), and
//! `BASE32DATA` a piece of the file in RFC 4648 base32 without padding. Every
//! chunk but the last carries a multiple of 5 bytes, so the data fields
//! concatenated in chunk order are the base32 of the whole file. The format is
//! described in full in `docs/qr-chunks.md`.
//!
//! [`split`] makes a [`ChunkSet`], [`render_png`] and [`render_svg`] draw one
//! code, and [`Joiner`] (or [`join`]) puts the chunk texts back together and
//! checks the SHA-256 of the result. [`render_text`] draws a code for a text
//! console, [`render_sheet`] a printable A4 sheet of a whole set, and
//! [`load_for_show`] with [`Pager`] is what `qr show` pages through.

mod chunk;
mod error;
mod format;
mod join;
mod render;
mod sheet;
mod show;
mod text;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod refusal_tests;
#[cfg(test)]
mod show_tests;
#[cfg(test)]
mod tests;

pub use qrcode::EcLevel;

pub use chunk::{chunks_txt, split};
pub use error::QrError;
pub use join::{join, Joiner, Progress};
pub use render::{render_png, render_png_scaled, render_svg, DEFAULT_MODULE_PX, QUIET_ZONE};
pub use sheet::{render_sheet, SheetInfo, SHEET_CODES_PER_PAGE};
pub use show::{chunk_set_from_lines, load_for_show, Pager, ShowKey};
pub use text::{render_text, render_text_frame, TextStyle, ANSI_DARK_ON_LIGHT, ANSI_RESET};

/// The format tag and version that starts every chunk text.
pub const TAG: &str = "BQR1";

/// The largest chunk count written or accepted (keeps `N` and `M` to three digits).
pub const MAX_CHUNKS: u32 = 999;

/// The default maximum QR version: modest enough to scan off a laptop
/// screen or a printed A4 page.
pub const DEFAULT_MAX_VERSION: i16 = 12;

/// The default error-correction level: M, about 15% of a code may be damaged.
pub const DEFAULT_EC_LEVEL: EcLevel = EcLevel::M;

/// Reads an error-correction level name: `L`, `M`, `Q` or `H` (any case).
pub fn parse_ec_level(name: &str) -> Option<EcLevel> {
    match name.trim().to_ascii_uppercase().as_str() {
        "L" => Some(EcLevel::L),
        "M" => Some(EcLevel::M),
        "Q" => Some(EcLevel::Q),
        "H" => Some(EcLevel::H),
        _ => None,
    }
}

/// How [`split`] cuts data into QR codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkOptions {
    /// The largest QR version a chunk may need (`1..=40`; default 12).
    pub max_version: i16,
    /// The error-correction level of every code (default M, ~15% recovery).
    pub ec_level: EcLevel,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        ChunkOptions { max_version: DEFAULT_MAX_VERSION, ec_level: DEFAULT_EC_LEVEL }
    }
}

/// One chunk of a set: its number, the set's count, and its QR text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Chunk number, from 1 to `count`.
    pub index: u32,
    /// Number of chunks in the set.
    pub count: u32,
    /// The text to put in the QR code (`BQR1:N:M:SHA256HEX:BASE32DATA`).
    pub text: String,
}

impl Chunk {
    /// The file name stem for this chunk, `chunk-NN-of-MM`, numbers zero-padded
    /// to at least two digits so that the files sort in chunk order.
    pub fn file_stem(&self) -> String {
        let width = self.count.to_string().len().max(2);
        format!("chunk-{:0width$}-of-{:0width$}", self.index, self.count, width = width)
    }
}

/// The chunks of one file, all to be drawn at the same QR version and level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkSet {
    /// The chunks, in order (`chunks[i].index == i + 1`).
    pub chunks: Vec<Chunk>,
    /// The QR version every chunk fits (the smallest that fits the longest).
    pub version: i16,
    /// The error-correction level every chunk is to be drawn at.
    pub ec_level: EcLevel,
    /// SHA-256 of the whole file: the set id.
    pub sha256: [u8; 32],
}

impl ChunkSet {
    /// The PNG of chunk `i` (0-based position in `chunks`) at the set's version
    /// and level, 8 px per module.
    pub fn png(&self, i: usize) -> Result<Vec<u8>, QrError> {
        let chunk = self.chunk_at(i)?;
        render_png(&chunk.text, Some(self.version), self.ec_level)
    }

    /// The SVG of chunk `i` (0-based position in `chunks`) at the set's version and level.
    pub fn svg(&self, i: usize) -> Result<String, QrError> {
        let chunk = self.chunk_at(i)?;
        render_svg(&chunk.text, Some(self.version), self.ec_level)
    }

    fn chunk_at(&self, i: usize) -> Result<&Chunk, QrError> {
        self.chunks.get(i).ok_or_else(|| QrError::Render(format!("no chunk at position {i}")))
    }
}
