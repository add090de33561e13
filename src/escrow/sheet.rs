//! The printable share sheet: one A4 page per share, in plain HTML with the QR code inline (SVG), so
//! any browser prints it without the tool. It carries the numbered words, the QR code, the ceremony
//! id, share n of N, the threshold, the key check value, a line for the custodian's signature, and how
//! to recover with any SLIP-39 tool. It holds the share's words: it is as secret as the share file.

use std::fmt::Write as _;
use zeroize::Zeroizing;

use crate::qr::{self, QrError};

/// What a sheet says about its ceremony.
pub struct SheetInfo<'a> {
    /// Ceremony id.
    pub ceremony_id: &'a str,
    /// Key label.
    pub label: &'a str,
    /// AES-ECB key check value.
    pub kcv: &'a str,
    /// Date (YYYY-MM-DD).
    pub date: &'a str,
    /// Shares needed.
    pub threshold: u8,
    /// Whether a share passphrase was set.
    pub passphrase: bool,
}

fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

const STYLE: &str = "@page{size:A4;margin:15mm}\
body{font-family:sans-serif;font-size:11pt;color:#000;max-width:180mm;margin:0 auto}\
h1{font-size:16pt;margin:0 0 2mm}table.meta td{padding:0.5mm 4mm 0.5mm 0}\
ol.words{columns:3;column-gap:8mm;font-family:monospace;font-size:13pt;margin:4mm 0;padding-left:10mm}\
ol.words li{padding:0.7mm 0;break-inside:avoid}.qr{float:right;width:62mm;height:62mm;margin-left:4mm}\
.qr svg{width:100%;height:100%}.sign{margin-top:12mm;border-top:1px solid #000;width:100mm;padding-top:1mm}\
.note{font-size:9pt;clear:both;margin-top:6mm}.warn{font-weight:bold}";

/// The HTML page of share `number` of `count` with `mnemonic` (lowercase words).
pub fn share_sheet_html(
    mnemonic: &str,
    number: usize,
    count: usize,
    info: &SheetInfo<'_>,
) -> Result<Zeroizing<String>, QrError> {
    let upper = Zeroizing::new(mnemonic.to_uppercase());
    let svg = Zeroizing::new(qr::render_svg(&upper, None, qr::EcLevel::M)?);
    let svg_body = svg.split_once("?>\n").map_or(svg.as_str(), |(_, rest)| rest);
    let mut h = Zeroizing::new(String::new());
    let title = format!("Escrow share {number} of {count}: {}", escape(info.label));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n<div class=\"qr\">{svg_body}</div>\n\
         <table class=\"meta\">\n<tr><td>Ceremony</td><td><b>{}</b></td></tr>\n\
         <tr><td>Key</td><td>{}</td></tr>\n<tr><td>Share</td><td><b>{number} of {count}</b></td></tr>\n\
         <tr><td>Threshold</td><td><b>any {} of the {count} shares recover the key</b></td></tr>\n\
         <tr><td>Key check value</td><td><b>{}</b> (kcv)</td></tr>\n<tr><td>Date</td><td>{}</td></tr>\n\
         <tr><td>Passphrase</td><td>{}</td></tr>\n</table>\n<ol class=\"words\">\n",
        escape(info.ceremony_id),
        escape(info.label),
        info.threshold,
        escape(info.kcv),
        escape(info.date),
        if info.passphrase { "yes: set at the ceremony, not written here" } else { "none (empty)" },
    );
    for word in mnemonic.split_whitespace() {
        let _ = writeln!(h, "<li>{}</li>", escape(word));
    }
    let _ = write!(
        h,
        "</ol>\n<p class=\"warn\">Keep this sheet secret and safe: it is one part of a key. \
         Never photograph it or type it into a networked computer.</p>\n\
         <div class=\"sign\">Custodian's name and signature, date</div>\n\
         <div class=\"note\"><p><b>To recover the key</b>, {} shares of this set are needed. This is a \
         standard SLIP-39 share (one group, {} of {count}); any SLIP-39 tool combines it, for example \
         <code>byok-ceremony recover</code> or <code>pip install shamir-mnemonic; shamir recover</code> \
         (passphrase: {}). The recovered key must have key check value <b>{}</b> (the first 3 bytes of \
         AES-ECB of 16 zero bytes under the key); a different value means a wrong share or passphrase.</p>\
         <p>The QR code holds the same words in capitals.</p></div>\n</body></html>\n",
        info.threshold,
        info.threshold,
        if info.passphrase { "the one set at the ceremony" } else { "empty" },
        escape(info.kcv),
    );
    Ok(h)
}
