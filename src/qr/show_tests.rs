//! Tests of the console rendering (turned back into an image and decoded),
//! the A4 sheet, what `qr show` loads, and its keys.

use super::tests::{chunk_lines, random_bytes};
use super::*;

/// Pixels per module when a text or SVG rendering is turned back into an image.
const SCALE: usize = 4;

/// Decodes a greyscale image with rqrr: every text found.
fn decode(w: usize, h: usize, pixels: &[u8]) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    img.detect_grids().iter().map(|g| g.decode().expect("rqrr decode").1).collect()
}

/// The text without ANSI colour sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A half-block rendering as an image: each character is two modules, one
/// above the other; every module becomes SCALE×SCALE pixels.
pub(super) fn text_to_image(text: &str) -> (usize, usize, Vec<u8>) {
    let rows: Vec<Vec<char>> = strip_ansi(text).lines().map(|l| l.chars().collect()).collect();
    let cols = rows.iter().map(Vec::len).max().unwrap();
    assert!(rows.iter().all(|r| r.len() == cols), "every line is as wide");
    let (w, h) = (cols * SCALE, rows.len() * 2 * SCALE);
    let mut pixels = vec![255u8; w * h];
    for (y, row) in rows.iter().enumerate() {
        for (x, c) in row.iter().enumerate() {
            let (top, bottom) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected character {other:?}"),
            };
            for (half, dark) in [(0, top), (1, bottom)] {
                if !dark {
                    continue;
                }
                for py in 0..SCALE {
                    let row_start = ((2 * y + half) * SCALE + py) * w + x * SCALE;
                    pixels[row_start..row_start + SCALE].fill(0);
                }
            }
        }
    }
    (w, h, pixels)
}

/// The inline SVG codes of a sheet (our own path syntax) as images, with the label after each.
fn sheet_codes(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for cell in html.split("<div class=\"cell\">").skip(1) {
        let side: usize =
            cell.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let path = cell.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let label = cell.split("<div class=\"label\">").nth(1).unwrap().split('<').next().unwrap();
        let w = side * SCALE;
        let mut pixels = vec![255u8; w * w];
        for run in path.split('M').filter(|r| !r.is_empty()) {
            // "X Yh{run}v1h-{run}z"
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let len: usize = rest.split('v').next().unwrap().parse().unwrap();
            for py in y * SCALE..(y + 1) * SCALE {
                pixels[py * w + x * SCALE..py * w + (x + len) * SCALE].fill(0);
            }
        }
        let texts = decode(w, w, &pixels);
        assert_eq!(texts.len(), 1);
        out.push((texts[0].clone(), label.to_owned()));
    }
    out
}

#[test]
fn console_rendering_decodes_back_to_every_chunk_text() {
    for (len, max_version, ec_level) in
        [(0, 12, EcLevel::M), (996, 12, EcLevel::M), (1250, 15, EcLevel::L), (736, 10, EcLevel::Q)]
    {
        let set =
            split(&random_bytes(len, len as u64 + 40), &ChunkOptions { max_version, ec_level }).unwrap();
        let side = 17 + 4 * set.version as usize + 2 * QUIET_ZONE;
        for (i, chunk) in set.chunks.iter().enumerate() {
            for style in [TextStyle::Ansi, TextStyle::Plain] {
                let text = render_text(&chunk.text, Some(set.version), ec_level, style).unwrap();
                assert_eq!(text.lines().count(), side.div_ceil(2));
                let (w, h, pixels) = text_to_image(&text);
                assert_eq!(w, side * SCALE);
                assert_eq!(decode(w, h, &pixels), vec![chunk.text.clone()]);
            }
            let frame = render_text_frame(&set, i, TextStyle::Ansi).unwrap();
            let (label, code) = frame.split_once('\n').unwrap();
            assert!(label.starts_with(&format!(
                "  {} of {}   (QR version {}",
                i + 1,
                set.chunks.len(),
                set.version
            )));
            let (w, h, pixels) = text_to_image(code);
            assert_eq!(decode(w, h, &pixels), vec![chunk.text.clone()]);
        }
    }
}

#[test]
fn console_rendering_sets_dark_on_light_colours_on_every_line() {
    let text = render_text("BQR1:1:1:X", None, EcLevel::M, TextStyle::Ansi).unwrap();
    for line in text.lines() {
        assert!(line.starts_with(ANSI_DARK_ON_LIGHT) && line.ends_with(ANSI_RESET), "{line:?}");
    }
    // The quiet zone: the first two lines are blank (4 light rows), and so is every line's start.
    let plain = render_text("BQR1:1:1:X", None, EcLevel::M, TextStyle::Plain).unwrap();
    let lines: Vec<&str> = plain.lines().collect();
    assert!(lines[..2].iter().all(|l| l.trim().is_empty()));
    assert!(lines.iter().all(|l| l.starts_with("    ") && l.ends_with("    ")));
    assert!(!plain.contains('\x1b'));
}

#[test]
fn sheet_holds_every_code_labelled_with_the_sha256_and_ceremony_id() {
    let data = random_bytes(3000, 77);
    let set = split(&data, &ChunkOptions::default()).unwrap();
    let info = SheetInfo { title: "contoso <key>.byok", ceremony_id: Some("C-2026-0001") };
    let html = render_sheet(&set, &info).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    assert!(html.contains("size: A4"));
    assert!(html.contains("contoso &lt;key&gt;.byok") && !html.contains("<key>"));
    let pages = set.chunks.len().div_ceil(SHEET_CODES_PER_PAGE);
    assert_eq!(html.matches("<section class=\"page\">").count(), pages);
    assert_eq!(html.matches("Ceremony: <span class=\"mono\">C-2026-0001</span>").count(), pages);
    let hex = data_encoding::HEXLOWER.encode(&set.sha256);
    let grouped: Vec<String> =
        hex.as_bytes().chunks(4).map(|g| String::from_utf8(g.to_vec()).unwrap()).collect();
    assert_eq!(html.matches(&grouped.join(" ")).count(), pages);
    assert!(html.contains(&format!("page {pages} of {pages}")));
    let codes = sheet_codes(&html);
    let want: Vec<(String, String)> =
        set.chunks.iter().map(|c| (c.text.clone(), format!("{} of {}", c.index, c.count))).collect();
    assert_eq!(codes, want);
    let no_id = render_sheet(&set, &SheetInfo { title: "x", ceremony_id: None }).unwrap();
    assert!(!no_id.contains("Ceremony:"));
}

#[test]
fn show_loads_a_chunks_txt_a_directory_or_any_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = random_bytes(2000, 78);
    let opts = ChunkOptions::default();
    let set = split(&data, &opts).unwrap();
    let file = tmp.path().join("blob.byok");
    std::fs::write(&file, &data).unwrap();
    assert_eq!(load_for_show(&file, &opts).unwrap(), set);

    // chunks.txt in any order with repeats, CRLF and zbar prefixes: the same set.
    let mut lines = chunk_lines(&set);
    lines.reverse();
    lines.push(format!("QR-Code:{}\r", lines[0]));
    let txt = tmp.path().join("chunks.txt");
    std::fs::write(&txt, lines.join("\n")).unwrap();
    assert_eq!(load_for_show(&txt, &opts).unwrap(), set);
    assert_eq!(load_for_show(tmp.path(), &opts).unwrap(), set);
    let ceremony = tmp.path().join("ceremony");
    std::fs::create_dir_all(ceremony.join("qr")).unwrap();
    std::fs::write(ceremony.join("qr/chunks.txt"), chunks_txt(&set)).unwrap();
    assert_eq!(load_for_show(&ceremony, &opts).unwrap(), set);

    // A chunks.txt at EC Q draws at the version Q needs.
    let q = split(&data, &ChunkOptions { ec_level: EcLevel::Q, ..opts }).unwrap();
    std::fs::write(&txt, chunks_txt(&q)).unwrap();
    assert_eq!(load_for_show(&txt, &ChunkOptions { ec_level: EcLevel::Q, ..opts }).unwrap(), q);

    // Incomplete or broken chunk lists are refused as a join refuses them.
    std::fs::write(&txt, &lines[1]).unwrap();
    let err = load_for_show(&txt, &opts).unwrap_err();
    assert!(matches!(err, QrError::Missing { .. }), "{err}");
    std::fs::write(&txt, "BQR2:1:1:AB:CD\n").unwrap();
    assert!(matches!(load_for_show(&txt, &opts), Err(QrError::UnknownFormat { .. })));
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let err = load_for_show(&empty, &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} holds neither qr/chunks.txt nor chunks.txt; give a ceremony directory, a qr directory or a file",
            empty.display()
        )
    );
    let err = load_for_show(&tmp.path().join("absent"), &opts).unwrap_err();
    assert!(matches!(err, QrError::Read { .. }), "{err}");
}

#[test]
fn keys_page_through_the_codes_and_wrap_around() {
    assert_eq!(ShowKey::parse("\n"), ShowKey::Next);
    assert_eq!(ShowKey::parse(" \n"), ShowKey::Next);
    assert_eq!(ShowKey::parse("N\n"), ShowKey::Next);
    assert_eq!(ShowKey::parse("p"), ShowKey::Previous);
    assert_eq!(ShowKey::parse("b\r\n"), ShowKey::Previous);
    assert_eq!(ShowKey::parse("q"), ShowKey::Quit);
    assert_eq!(ShowKey::parse("3"), ShowKey::Goto(3));
    assert_eq!(ShowKey::parse("x"), ShowKey::Other);
    let mut pager = Pager::new(3);
    assert_eq!(pager.current(), 0);
    assert!(pager.apply(ShowKey::Previous));
    assert_eq!(pager.current(), 2);
    assert!(pager.apply(ShowKey::Next));
    assert_eq!(pager.current(), 0);
    assert!(pager.apply(ShowKey::Goto(2)));
    assert_eq!(pager.current(), 1);
    assert!(pager.apply(ShowKey::Goto(4)) && pager.apply(ShowKey::Goto(0)) && pager.apply(ShowKey::Other));
    assert_eq!(pager.current(), 1);
    assert!(!pager.apply(ShowKey::Quit));
}

#[test]
fn error_level_names() {
    assert_eq!(parse_ec_level("l"), Some(EcLevel::L));
    assert_eq!(parse_ec_level("M"), Some(EcLevel::M));
    assert_eq!(parse_ec_level(" q "), Some(EcLevel::Q));
    assert_eq!(parse_ec_level("H"), Some(EcLevel::H));
    assert_eq!(parse_ec_level("X"), None);
    assert_eq!(ChunkOptions::default().ec_level, DEFAULT_EC_LEVEL);
}
