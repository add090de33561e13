//! Splitting bytes into chunks that each fit one QR code of a bounded version.

use qrcode::bits::Bits;
use qrcode::{EcLevel, Version};
use sha2::{Digest, Sha256};

use super::format::{chunk_text, hex_id};
use super::{Chunk, ChunkOptions, ChunkSet, QrError, MAX_CHUNKS};

/// Bytes per base32 block: 5 bytes make 8 characters with no padding, so
/// pieces cut on 5-byte boundaries concatenate to the base32 of the whole.
const BLOCK: usize = 5;

/// Most bytes one version-40 code can hold (binary mode, level L); anything
/// above `MAX_CHUNKS` times this is refused without trying.
const MAX_BYTES_PER_CODE: usize = 2953;

/// Splits `data` into the fewest chunks that each fit one QR code of at most
/// `opts.max_version` at `opts.ec_level`, of nearly equal length, all drawn at
/// the same (smallest sufficient) version.
///
/// Empty data gives one chunk with an empty data field.
pub fn split(data: &[u8], opts: &ChunkOptions) -> Result<ChunkSet, QrError> {
    check_version(opts.max_version)?;
    let sha256: [u8; 32] = Sha256::digest(data).into();
    let id = hex_id(&sha256);
    if data.len() > MAX_BYTES_PER_CODE * MAX_CHUNKS as usize {
        return Err(too_large(data.len()));
    }
    let blocks = data.len().div_ceil(BLOCK);
    let max_count = blocks.clamp(1, MAX_CHUNKS as usize);
    let max_bits = capacity_bits(opts.max_version, opts.ec_level);
    for count in 1..=max_count {
        let pieces = cut(data, count);
        // The first chunk carries the most data: test it alone before building
        // all. No character takes fewer than 10/3 bits (numeric mode), so a
        // text longer than that bound is hopeless without encoding it.
        let first = chunk_text(1, count as u32, &id, pieces[0]);
        if first.len() * 10 / 3 > max_bits || !fits(&first, opts.max_version, opts.ec_level) {
            continue;
        }
        let chunks: Vec<Chunk> = pieces
            .iter()
            .zip(1u32..)
            .map(|(piece, index)| Chunk {
                index,
                count: count as u32,
                text: chunk_text(index, count as u32, &id, piece),
            })
            .collect();
        if let Some(version) = smallest_common_version(&chunks, opts) {
            return Ok(ChunkSet { chunks, version, ec_level: opts.ec_level, sha256 });
        }
    }
    // Nothing fits: either the header alone is too big, or there is too much data.
    let minimal = chunk_text(MAX_CHUNKS, MAX_CHUNKS, &id, &[0; BLOCK]);
    if !fits(&minimal, opts.max_version, opts.ec_level) {
        let needed = (opts.max_version..=40).find(|&v| fits(&minimal, v, opts.ec_level)).unwrap_or(40);
        return Err(QrError::VersionTooSmall { max_version: opts.max_version, needed });
    }
    Err(too_large(data.len()))
}

/// The chunk texts of `set`, one per line in chunk order, with a trailing newline.
pub fn chunks_txt(set: &ChunkSet) -> String {
    let mut out = String::new();
    for chunk in &set.chunks {
        out.push_str(&chunk.text);
        out.push('\n');
    }
    out
}

/// Refuses a QR version outside `1..=40`.
pub(crate) fn check_version(version: i16) -> Result<(), QrError> {
    if (1..=40).contains(&version) {
        Ok(())
    } else {
        Err(QrError::BadVersion(version))
    }
}

/// Whether `text` fits one QR code of `version` at `ec` (with the encoder's
/// own optimal segmentation, exactly as `QrCode::with_version` encodes it).
pub(crate) fn fits(text: &str, version: i16, ec: EcLevel) -> bool {
    let mut bits = Bits::new(Version::Normal(version));
    bits.push_optimal_data(text.as_bytes()).is_ok() && bits.push_terminator(ec).is_ok()
}

/// Data bits available in a code of `version` at `ec`.
fn capacity_bits(version: i16, ec: EcLevel) -> usize {
    Bits::new(Version::Normal(version)).max_len(ec).unwrap_or(0)
}

/// The smallest version up to the maximum that every chunk fits.
pub(crate) fn smallest_common_version(chunks: &[Chunk], opts: &ChunkOptions) -> Option<i16> {
    (1..=opts.max_version).find(|&v| chunks.iter().all(|c| fits(&c.text, v, opts.ec_level)))
}

/// Cuts `data` into `count` pieces on 5-byte boundaries, the first ones one
/// block longer when the blocks do not divide evenly; the last piece holds the
/// final partial block. `count` is at least 1 and at most the number of blocks
/// (or 1 for empty data), so no piece is empty unless the data is.
fn cut(data: &[u8], count: usize) -> Vec<&[u8]> {
    let blocks = data.len().div_ceil(BLOCK);
    let (base, extra) = (blocks / count, blocks % count);
    let mut pieces = Vec::with_capacity(count);
    let mut start = 0;
    for i in 0..count {
        let n_blocks = base + usize::from(i < extra);
        let end = (start + n_blocks * BLOCK).min(data.len());
        pieces.push(&data[start..end]);
        start = end;
    }
    pieces
}

fn too_large(len: usize) -> QrError {
    QrError::DataTooLarge { len, max: MAX_CHUNKS }
}
