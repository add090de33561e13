//! A printable A4 sheet (HTML with inline SVG codes) of a whole chunk set.

use std::fmt::Write as _;

use super::render::{encode, svg_path};
use super::{ChunkSet, QrError};

/// Codes per A4 page: two columns of three, each code 64 mm wide (a
/// version-12 code then has modules of 0.88 mm).
pub const SHEET_CODES_PER_PAGE: usize = 6;

/// What the sheet says about the set besides its codes.
#[derive(Debug, Clone, Copy)]
pub struct SheetInfo<'a> {
    /// What the codes carry, e.g. the file name `contoso-key.byok`.
    pub title: &'a str,
    /// The ceremony id, when the set comes from a ceremony.
    pub ceremony_id: Option<&'a str>,
}

const STYLE: &str = "@page { size: A4 portrait; margin: 12mm; }
body { margin: 0; font-family: sans-serif; color: #000; background: #fff; }
.page { width: 186mm; height: 272mm; box-sizing: border-box; overflow: hidden;
  break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 14pt; margin: 0 0 2mm 0; }
.meta { font-size: 9pt; line-height: 1.4; margin: 0 0 4mm 0; }
.mono { font-family: monospace; }
.grid { display: grid; grid-template-columns: 90mm 90mm; column-gap: 6mm; row-gap: 3mm; }
.cell { text-align: center; }
.cell svg { width: 64mm; height: 64mm; display: block; margin: 0 auto; }
.label { font-size: 16pt; font-weight: bold; }
";

/// The sheet as one HTML document: A4 pages of [`SHEET_CODES_PER_PAGE`] codes,
/// each labelled "N of M", every page headed with the title, the ceremony id,
/// the SHA-256 of the whole (lowercase hex in groups of four, as `sha256sum`
/// prints it but grouped), the QR version and level, and how to join.
pub fn render_sheet(set: &ChunkSet, info: &SheetInfo<'_>) -> Result<String, QrError> {
    let pages = set.chunks.len().div_ceil(SHEET_CODES_PER_PAGE).max(1);
    let title = escape(info.title);
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>QR transfer sheet: {title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    for (page, chunks) in set.chunks.chunks(SHEET_CODES_PER_PAGE).enumerate() {
        html.push_str("<section class=\"page\">\n");
        let _ = writeln!(html, "<h1>QR transfer sheet: {title}</h1>");
        html.push_str("<p class=\"meta\">\n");
        if let Some(id) = info.ceremony_id {
            let _ = writeln!(html, "Ceremony: <span class=\"mono\">{}</span><br>", escape(id));
        }
        let _ = writeln!(html, "SHA-256: <span class=\"mono\">{}</span><br>", grouped_hex(&set.sha256));
        let _ = writeln!(
            html,
            "{} QR codes, version {}, error correction {:?}; page {} of {pages}<br>",
            set.chunks.len(),
            set.version,
            set.ec_level,
            page + 1
        );
        html.push_str(
            "Scan every code, in any order: <span class=\"mono\">zbarcam --raw | byok-ceremony qr join \
             --out FILE</span> (the join checks the SHA-256)\n</p>\n<div class=\"grid\">\n",
        );
        for chunk in chunks {
            let code = encode(&chunk.text, Some(set.version), set.ec_level)?;
            let (side, path) = svg_path(&code);
            let _ = writeln!(
                html,
                "<div class=\"cell\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
                 shape-rendering=\"crispEdges\"><rect x=\"0\" y=\"0\" width=\"{side}\" height=\"{side}\" \
                 fill=\"#ffffff\"/><path fill=\"#000000\" d=\"{path}\"/></svg>\
                 <div class=\"label\">{} of {}</div></div>",
                chunk.index, chunk.count
            );
        }
        html.push_str("</div>\n</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    Ok(html)
}

/// Lowercase hex in groups of four separated by spaces.
fn grouped_hex(bytes: &[u8]) -> String {
    let hex = data_encoding::HEXLOWER.encode(bytes);
    let groups: Vec<&str> = hex.as_bytes().chunks(4).map(|g| std::str::from_utf8(g).unwrap_or("")).collect();
    groups.join(" ")
}

/// Text safe inside HTML elements and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}
