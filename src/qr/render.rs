//! Drawing one QR code as PNG (grayscale, black on white) or SVG.

use std::fmt::Write as _;

use qrcode::types::QrError as EncodeError;
use qrcode::{Color, EcLevel, QrCode, Version};

use super::chunk::{check_version, fits};
use super::QrError;

/// Light modules around the code on every side, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// Pixels per module in PNGs drawn by [`render_png`] (and the nominal size of SVGs).
pub const DEFAULT_MODULE_PX: u32 = 8;

/// The largest accepted module size in pixels.
const MAX_MODULE_PX: u32 = 64;

/// `text` as a QR code PNG: 8-bit grayscale, black on white, a 4-module
/// quiet zone, 8 px per module. `version` `None` picks the smallest version
/// that fits; `Some(v)` draws at version `v` exactly (so that every chunk of a
/// set looks alike).
pub fn render_png(text: &str, version: Option<i16>, ec: EcLevel) -> Result<Vec<u8>, QrError> {
    render_png_scaled(text, version, ec, DEFAULT_MODULE_PX)
}

/// As [`render_png`], with `module_px` pixels per module (1 to 64).
pub fn render_png_scaled(
    text: &str,
    version: Option<i16>,
    ec: EcLevel,
    module_px: u32,
) -> Result<Vec<u8>, QrError> {
    if !(1..=MAX_MODULE_PX).contains(&module_px) {
        return Err(QrError::BadModuleSize(module_px));
    }
    let code = encode(text, version, ec)?;
    let px = module_px as usize;
    let modules = code.width();
    let side = (modules + 2 * QUIET_ZONE) * px;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * px..(my + 1) * px {
            pixels[y * side + mx * px..y * side + (mx + 1) * px].fill(0);
        }
    }
    let side_u32 = u32::try_from(side).map_err(|e| QrError::Render(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        let mut writer = encoder.write_header().map_err(|e| QrError::Render(e.to_string()))?;
        writer.write_image_data(&pixels).map_err(|e| QrError::Render(e.to_string()))?;
        writer.finish().map_err(|e| QrError::Render(e.to_string()))?;
    }
    Ok(out)
}

/// `text` as a QR code SVG: black modules on a white square, a 4-module quiet
/// zone, a `viewBox` in module units and a nominal size of 8 px per module.
/// `version` as for [`render_png`].
pub fn render_svg(text: &str, version: Option<i16>, ec: EcLevel) -> Result<String, QrError> {
    let code = encode(text, version, ec)?;
    let (side, path) = svg_path(&code);
    let nominal = side * DEFAULT_MODULE_PX as usize;
    let mut svg = String::new();
    let _ = write!(
        svg,
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" ",
            "width=\"{n}\" height=\"{n}\" viewBox=\"0 0 {s} {s}\" ",
            "shape-rendering=\"crispEdges\">\n",
            "<rect x=\"0\" y=\"0\" width=\"{s}\" height=\"{s}\" fill=\"#ffffff\"/>\n",
            "<path fill=\"#000000\" d=\"{d}\"/>\n",
            "</svg>\n"
        ),
        n = nominal,
        s = side,
        d = path
    );
    Ok(svg)
}

/// The side of `code` in modules with its quiet zone, and an SVG path of its
/// dark modules as horizontal runs (`M x y h run v1 h -run z`, module units).
pub(crate) fn svg_path(code: &QrCode) -> (usize, String) {
    let modules = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for y in 0..modules {
        let row = &colors[y * modules..(y + 1) * modules];
        let mut x = 0;
        while x < modules {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - start;
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE);
        }
    }
    (modules + 2 * QUIET_ZONE, path)
}

/// Encodes `text` at `version`, or at the smallest version that fits.
pub(crate) fn encode(text: &str, version: Option<i16>, ec: EcLevel) -> Result<QrCode, QrError> {
    let version = match version {
        Some(v) => {
            check_version(v)?;
            v
        }
        None => (1..=40).find(|&v| fits(text, v, ec)).unwrap_or(40),
    };
    QrCode::with_version(text.as_bytes(), Version::Normal(version), ec).map_err(|e| match e {
        EncodeError::DataTooLong => QrError::TextTooLong { len: text.chars().count(), version },
        other => QrError::Render(other.to_string()),
    })
}
