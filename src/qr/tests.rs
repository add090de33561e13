//! Unit tests: rendering decodes back, round trips, figures.

use std::io::Cursor;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::*;

/// Deterministic pseudo-random bytes.
pub(super) fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut out = vec![0; len];
    rng.fill_bytes(&mut out);
    out
}

/// Every QR text found in a PNG, decoded with rqrr.
fn decode_png(png_bytes: &[u8]) -> Vec<String> {
    let decoder = png::Decoder::new(Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    img.detect_grids().iter().map(|g| g.decode().expect("rqrr decode").1).collect()
}

pub(super) fn chunk_lines(set: &ChunkSet) -> Vec<String> {
    set.chunks.iter().map(|c| c.text.clone()).collect()
}

#[test]
fn every_png_of_a_split_decodes_to_its_chunk_text() {
    for (len, seed) in [(0, 1), (1, 2), (736, 3), (996, 4), (3000, 5)] {
        let data = random_bytes(len, seed);
        let set = split(&data, &ChunkOptions::default()).unwrap();
        let side = (17 + 4 * set.version as usize + 2 * QUIET_ZONE) * DEFAULT_MODULE_PX as usize;
        for (i, chunk) in set.chunks.iter().enumerate() {
            let png_bytes = set.png(i).unwrap();
            let decoder = png::Decoder::new(Cursor::new(&png_bytes));
            let info = decoder.read_info().unwrap().info().clone();
            assert_eq!((info.width as usize, info.height as usize), (side, side));
            assert_eq!(decode_png(&png_bytes), vec![chunk.text.clone()]);
        }
    }
}

#[test]
fn svg_is_well_formed_with_a_view_box() {
    let set = split(&random_bytes(996, 6), &ChunkOptions::default()).unwrap();
    let side = 17 + 4 * set.version as usize + 2 * QUIET_ZONE;
    for i in 0..set.chunks.len() {
        let svg = set.svg(i).unwrap();
        assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg.matches('<').count(), svg.matches('>').count());
        // Every element other than the prolog and <svg> closes itself.
        assert_eq!(svg.matches("/>").count(), 2);
        assert!(!svg.contains('&'));
    }
}

#[test]
fn short_text_renders_at_the_smallest_version() {
    let mnemonic = "ACADEMIC ACID ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC \
                    ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC ACADEMIC \
                    ACADEMIC ACADEMIC PHANTOM";
    let png_bytes = render_png(mnemonic, None, EcLevel::M).unwrap();
    assert_eq!(decode_png(&png_bytes), vec![mnemonic.to_owned()]);
    let code = qrcode::QrCode::with_error_correction_level(mnemonic, EcLevel::M).unwrap();
    let qrcode::Version::Normal(v) = code.version() else { panic!("micro") };
    let side = (17 + 4 * v as usize + 2 * QUIET_ZONE) * DEFAULT_MODULE_PX as usize;
    let info = png::Decoder::new(Cursor::new(&png_bytes)).read_info().unwrap().info().clone();
    assert_eq!(info.width as usize, side);
    assert!(render_svg(mnemonic, None, EcLevel::M).unwrap().contains("viewBox"));
    assert!(render_png_scaled(mnemonic, None, EcLevel::M, 0).is_err());
    let err = render_png(mnemonic, Some(1), EcLevel::M).unwrap_err();
    assert!(matches!(err, QrError::TextTooLong { version: 1, .. }), "{err}");
    assert!(matches!(render_svg("X", Some(41), EcLevel::M), Err(QrError::BadVersion(41))));
}

/// Prints the tables in docs/qr-chunks.md
/// (`cargo test qr::tests::figures -- --nocapture`) and pins the default row.
#[test]
fn figures() {
    let sizes = [736usize, 996, 1250, 3000];
    println!("| bytes | codes | QR version | longest chunk text (chars) |");
    println!("|---|---|---|---|");
    let mut rows = Vec::new();
    for len in sizes {
        let set = split(&random_bytes(len, len as u64), &ChunkOptions::default()).unwrap();
        let longest = set.chunks.iter().map(|c| c.text.len()).max().unwrap();
        println!("| {len} | {} | {} | {longest} |", set.chunks.len(), set.version);
        rows.push((set.chunks.len(), set.version));
    }
    assert_eq!(rows, [(4, 12), (5, 12), (6, 12), (15, 12)]);

    println!();
    println!("| max version, EC | 736 B | 996 B | 1250 B | 3000 B |");
    println!("|---|---|---|---|---|");
    for (max_version, ec_level, ec) in [
        (10, EcLevel::M, "M"),
        (12, EcLevel::L, "L"),
        (12, EcLevel::Q, "Q"),
        (15, EcLevel::M, "M"),
        (20, EcLevel::M, "M"),
        (25, EcLevel::M, "M"),
    ] {
        let opts = ChunkOptions { max_version, ec_level };
        let cells: Vec<String> = sizes
            .iter()
            .map(|&len| {
                let set = split(&random_bytes(len, len as u64), &opts).unwrap();
                format!("{} × v{}", set.chunks.len(), set.version)
            })
            .collect();
        println!("| {max_version}, {ec} | {} |", cells.join(" | "));
    }
}

#[test]
fn chunk_text_shape_and_file_names() {
    let data = b"hello, ceremony";
    let set = split(data, &ChunkOptions::default()).unwrap();
    assert_eq!(set.chunks.len(), 1);
    let hex = data_encoding::HEXUPPER.encode(&set.sha256);
    let b32 = data_encoding::BASE32_NOPAD.encode(data);
    assert_eq!(set.chunks[0].text, format!("BQR1:1:1:{hex}:{b32}"));
    assert_eq!(chunks_txt(&set), format!("BQR1:1:1:{hex}:{b32}\n"));
    assert_eq!(set.chunks[0].file_stem(), "chunk-01-of-01");
    let c = Chunk { index: 7, count: 120, text: String::new() };
    assert_eq!(c.file_stem(), "chunk-007-of-120");
}

#[test]
fn join_accepts_any_order_repeats_blanks_crlf_and_zbar_prefix() {
    let data = random_bytes(2000, 7);
    let set = split(&data, &ChunkOptions::default()).unwrap();
    let lines = chunk_lines(&set);
    assert!(lines.len() >= 3);
    let mut text = String::from("\n  \r\n");
    for line in lines.iter().rev() {
        text.push_str(&format!("  {line}\r\n\n"));
    }
    text.push_str(&format!("QR-Code:{}\n", lines[0]));
    assert_eq!(join(&text).unwrap(), data);

    let mut j = Joiner::new();
    assert_eq!(j.describe(), "no chunks read yet");
    assert_eq!(j.push_line("").unwrap(), Progress::Repeat);
    assert_eq!(j.push_line(&lines[1]).unwrap(), Progress::Added);
    assert_eq!(j.push_line(&lines[1]).unwrap(), Progress::Repeat);
    let m = lines.len();
    assert_eq!(j.missing().len(), m - 1);
    assert!(j.describe().starts_with(&format!("1 of {m}, missing 1")));
    for line in &lines[2..] {
        assert_eq!(j.push_line(line).unwrap(), Progress::Added);
    }
    assert_eq!(j.describe(), format!("{} of {m}, missing 1", m - 1));
    assert!(!j.is_complete());
    assert_eq!(j.push_line(&lines[0]).unwrap(), Progress::Complete);
    assert!(j.is_complete());
    assert_eq!(j.describe(), format!("{m} of {m}, complete"));
    assert_eq!(j.finish().unwrap(), data);
}

#[test]
fn split_uses_the_fewest_chunks_and_a_higher_version_gives_fewer() {
    let data = random_bytes(996, 13);
    let v12 = split(&data, &ChunkOptions::default()).unwrap();
    let v20 = split(&data, &ChunkOptions { max_version: 20, ..ChunkOptions::default() }).unwrap();
    assert!(v20.chunks.len() < v12.chunks.len());
    assert!(v20.version <= 20);
    let one = split(&data[..100], &ChunkOptions::default()).unwrap();
    assert_eq!(one.chunks.len(), 1);
}
