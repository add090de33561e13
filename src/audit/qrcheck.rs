//! The QR side: chunk texts join to the blob, and every image scans to its chunk text.

use std::collections::BTreeMap;
use std::path::Path;

use super::facts::Facts;
use super::report::Report;

/// Largest image side accepted (a version-40 code at 8 px per module is 1480 px).
const MAX_PNG_SIDE: u32 = 4096;
/// Largest SVG side in modules (version 40 with its quiet zone is 185).
const MAX_SVG_MODULES: usize = 200;
/// Pixels per module when an SVG is drawn for the decoder.
const SVG_PX: usize = 4;

/// `qr.chunks` and one `qr.image` per PNG and SVG.
pub fn check(r: &mut Report, dir: &Path, facts: &Facts<'_>, blob: Option<&[u8]>) {
    let text = match std::fs::read_to_string(dir.join("qr/chunks.txt")) {
        Ok(t) => t,
        Err(e) => return r.add("qr.chunks", Err(format!("qr/chunks.txt: {e}"))),
    };
    let count = facts.u64("qr.chunked", "count").unwrap_or(0) as usize;
    let lines: Vec<&str> = text.lines().collect();
    let joined = crate::qr::join(&text).map_err(|e| e.to_string());
    r.add(
        "qr.chunks",
        match (joined, blob) {
            (Err(e), _) => Err(format!("qr/chunks.txt: {e}")),
            (Ok(_), _) if lines.len() != count => {
                Err(format!("qr/chunks.txt has {} lines, qr.chunked logs {count}", lines.len()))
            }
            (Ok(j), Some(b)) if j == b => {
                Ok(format!("the {count} chunk texts of qr/chunks.txt join to the blob"))
            }
            (Ok(_), Some(_)) => Err("the chunk texts join to something other than the blob".into()),
            (Ok(_), None) => Err("no blob to compare with".into()),
        },
    );
    let by_index: BTreeMap<usize, &str> =
        lines.iter().filter_map(|l| Some((l.split(':').nth(1)?.parse().ok()?, *l))).collect();
    for i in 1..=count {
        let stem = format!("qr/chunk-{i:02}-of-{count:02}");
        let want = by_index.get(&i).copied();
        for (ext, decode) in [("png", decode_png as fn(&[u8]) -> _), ("svg", decode_svg)] {
            let name = format!("{stem}.{ext}");
            let got = std::fs::read(dir.join(&name)).map_err(|e| format!("cannot read it: {e}"));
            r.push("qr.image", Some(name), got.and_then(|b| decode(&b)).and_then(|t| scans_to(t, want, i)));
        }
    }
}

fn scans_to(texts: Vec<String>, want: Option<&str>, i: usize) -> Result<String, String> {
    match (texts.as_slice(), want) {
        ([one], Some(w)) if one == w => Ok(format!("scans to chunk text {i} of qr/chunks.txt")),
        ([_], Some(_)) => Err(format!("scans to a text other than chunk {i} of qr/chunks.txt")),
        (_, None) => Err(format!("qr/chunks.txt has no chunk {i}")),
        ([], _) => Err("no QR code found in it".into()),
        (many, _) => Err(format!("{} QR codes found in it, expected one", many.len())),
    }
}

/// Decodes every QR code in an 8-bit grayscale PNG (as byok-ceremony draws them).
pub fn decode_png(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_limits(png::Limits { bytes: (MAX_PNG_SIDE * MAX_PNG_SIDE) as usize });
    let mut reader = decoder.read_info().map_err(|e| format!("not a PNG: {e}"))?;
    let (w, h) = reader.info().size();
    if w > MAX_PNG_SIDE || h > MAX_PNG_SIDE {
        return Err(format!("{w}x{h} pixels is too large for a chunk"));
    }
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).map_err(|e| format!("damaged PNG: {e}"))?;
    if info.color_type != png::ColorType::Grayscale || info.bit_depth != png::BitDepth::Eight {
        return Err("not an 8-bit grayscale PNG".into());
    }
    let (w, h) = (info.width as usize, info.height as usize);
    Ok(decode_gray(w, h, |x, y| buf[y * w + x]))
}

/// Decodes the QR code of an SVG in the form byok-ceremony writes: a `viewBox="0 0 S S"` in
/// modules and one path of `Mx yhNv1h-Nz` runs.
pub fn decode_svg(bytes: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    let attr = |name: &str| {
        let start = text.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&text[start..start + text[start..].find('"')?])
    };
    let view = attr("viewBox").ok_or("no viewBox")?;
    let side = match view.split(' ').collect::<Vec<_>>().as_slice() {
        ["0", "0", w, h] if w == h => w.parse::<usize>().map_err(|_| "bad viewBox")?,
        _ => return Err("the viewBox is not a square from 0 0".into()),
    };
    if side == 0 || side > MAX_SVG_MODULES {
        return Err(format!("{side} modules is not a chunk's size"));
    }
    let path = attr("d").ok_or("no path")?;
    let mut dark = vec![false; side * side];
    for run in path.split('z').filter(|s| !s.is_empty()) {
        let (x, y, n) = parse_run(run).ok_or_else(|| format!("path segment {run:?} is not a module run"))?;
        if y >= side || x.checked_add(n).is_none_or(|end| end > side) {
            return Err("a module run lies outside the viewBox".into());
        }
        dark[y * side + x..y * side + x + n].fill(true);
    }
    let px = side * SVG_PX;
    Ok(decode_gray(px, px, |x, y| if dark[(y / SVG_PX) * side + x / SVG_PX] { 0 } else { 255 }))
}

/// `Mx yhNv1h-N` (the `z` already split off).
fn parse_run(s: &str) -> Option<(usize, usize, usize)> {
    let (x, rest) = s.strip_prefix('M')?.split_once(' ')?;
    let (y, rest) = rest.split_once('h')?;
    let (n, back) = rest.split_once("v1h-")?;
    if n != back {
        return None;
    }
    Some((x.parse().ok()?, y.parse().ok()?, n.parse().ok()?))
}

fn decode_gray(w: usize, h: usize, pixel: impl FnMut(usize, usize) -> u8) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, pixel);
    img.detect_grids().iter().map(|g| g.decode().map(|(_, t)| t).unwrap_or_default()).collect()
}
