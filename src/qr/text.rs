//! Drawing a QR code as text for a plain console: Unicode half blocks, two
//! modules per character cell (one above the other), so that a module is about
//! square in an 8×16 console font.

use qrcode::{Color, EcLevel};

use super::render::encode;
use super::{ChunkSet, QrError, QUIET_ZONE};

/// Sets black text on a white background: `30` black foreground, `47` white
/// background, then `107` bright white for terminals that have it (the Linux
/// console reads 107 as 47). Explicit colours make the code dark-on-light
/// whatever the terminal's own colours are.
pub const ANSI_DARK_ON_LIGHT: &str = "\x1b[0;30;47;107m";

/// Restores the terminal's own colours.
pub const ANSI_RESET: &str = "\x1b[0m";

/// How [`render_text`] marks light and dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// Every line in explicit black-on-white ANSI colours (for terminals).
    Ansi,
    /// Characters only: dark modules are the glyphs, so this reads right only
    /// where text is dark on a light background (a printout, a light editor).
    Plain,
}

/// `text` as a QR code drawn with `▀ ▄ █` and spaces, with a 4-module quiet
/// zone: one line per two rows of modules, `modules + 8` characters wide,
/// each line ending in `\n`. The last line's lower half is quiet zone when the
/// height is odd. `version` as for [`super::render_png`].
pub fn render_text(
    text: &str,
    version: Option<i16>,
    ec: EcLevel,
    style: TextStyle,
) -> Result<String, QrError> {
    let code = encode(text, version, ec)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = modules + 2 * QUIET_ZONE;
    let dark = |x: usize, y: usize| -> bool {
        let inside = (QUIET_ZONE..QUIET_ZONE + modules).contains(&x)
            && (QUIET_ZONE..QUIET_ZONE + modules).contains(&y);
        inside && colors[(y - QUIET_ZONE) * modules + (x - QUIET_ZONE)] == Color::Dark
    };
    let mut out = String::with_capacity(side * side * 2);
    for y in (0..side).step_by(2) {
        if style == TextStyle::Ansi {
            out.push_str(ANSI_DARK_ON_LIGHT);
        }
        for x in 0..side {
            out.push(match (dark(x, y), dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        if style == TextStyle::Ansi {
            out.push_str(ANSI_RESET);
        }
        out.push('\n');
    }
    Ok(out)
}

/// One screen of `qr show`: a line `  N of M  (...)` above chunk `i` (0-based)
/// of `set`, drawn at the set's version and level.
pub fn render_text_frame(set: &ChunkSet, i: usize, style: TextStyle) -> Result<String, QrError> {
    let chunk = set.chunks.get(i).ok_or_else(|| QrError::Render(format!("no chunk at position {i}")))?;
    let mut out = format!(
        "  {} of {}   (QR version {}, EC {:?}; scan in any order)\n",
        chunk.index, chunk.count, set.version, set.ec_level
    );
    out.push_str(&render_text(&chunk.text, Some(set.version), set.ec_level, style)?);
    Ok(out)
}
