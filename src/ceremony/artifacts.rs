//! Writing the ceremony's artifacts into staging folders, remembering each file's hash for the log.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

use super::CeremonyError;
use crate::fsutil::{self, io_err, sha256_hex};
use crate::qr::{self, ChunkSet};
use crate::slip39::Share;

/// A file written for the ceremony: where it will be after commit, and its hash.
pub struct Artifact {
    /// Path as shown to people and in the log (relative to the ceremony directory when inside it).
    pub display: String,
    /// SHA-256 of the content.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
}

impl Artifact {
    /// The log fields for this artifact.
    pub fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![("path", json!(self.display)), ("sha256", json!(self.sha256)), ("bytes", json!(self.bytes))]
    }
}

/// Collects artifacts written into one staging folder.
pub struct Writer<'a> {
    /// The staging folder.
    pub root: &'a Path,
    /// How paths are shown (prefix before the relative path).
    pub shown_prefix: String,
    /// What was written.
    pub written: Vec<Artifact>,
}

impl<'a> Writer<'a> {
    /// A writer into `root`, showing paths as `prefix` + relative path.
    pub fn new(root: &'a Path, shown_prefix: impl Into<String>) -> Writer<'a> {
        Writer { root, shown_prefix: shown_prefix.into(), written: Vec::new() }
    }

    /// Writes `rel` (creating parent folders with mode 0700) and records it.
    pub fn put(&mut self, rel: &str, bytes: &[u8], mode: u32) -> Result<(), CeremonyError> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            if !parent.exists() {
                std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                use std::os::unix::fs::PermissionsExt;
                let mode = if rel.starts_with("qr/") { 0o755 } else { 0o700 };
                std::fs::set_permissions(parent, std::fs::Permissions::from_mode(mode))
                    .map_err(io_err(parent))?;
            }
        }
        fsutil::write_new(&path, bytes, mode)?;
        self.written.push(Artifact {
            display: format!("{}{rel}", self.shown_prefix),
            sha256: sha256_hex(bytes),
            bytes: bytes.len(),
        });
        Ok(())
    }
}

/// What a share file says about its ceremony.
pub struct ShareContext<'a> {
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

/// The recovery hint of a share file whose shares need the ceremony's passphrase.
pub const RECOVER_WITH_PASSPHRASE: &str = "# recover with any SLIP-39 tool, e.g. `pip install shamir-mnemonic; shamir recover -p`, and give the passphrase set at the ceremony\n";

/// The recovery hint of a share file without a passphrase.
pub const RECOVER_WITHOUT_PASSPHRASE: &str =
    "# recover with any SLIP-39 tool, e.g. `pip install shamir-mnemonic; shamir recover` (empty passphrase)\n";

/// The text of one share file: `#` comment lines, then the mnemonic on one line.
pub fn share_file_text(
    share: &Share,
    number: usize,
    count: usize,
    ctx: &ShareContext<'_>,
) -> zeroize::Zeroizing<String> {
    let mut s = zeroize::Zeroizing::new(String::new());
    s.push_str("# byok-ceremony SLIP-39 escrow share\n");
    s.push_str(&format!("# ceremony: {}\n# label: {}\n", ctx.ceremony_id, ctx.label));
    s.push_str(&format!("# share: {number} of {count}; any {} of them recover the key\n", ctx.threshold));
    s.push_str(&format!("# threshold: {}\n# kcv: {}\n# date: {}\n", ctx.threshold, ctx.kcv, ctx.date));
    if ctx.passphrase {
        s.push_str("# passphrase: set at the ceremony (not written here; a wrong one gives another kcv)\n");
        s.push_str(RECOVER_WITH_PASSPHRASE);
    } else {
        s.push_str("# passphrase: none (empty)\n");
        s.push_str(RECOVER_WITHOUT_PASSPHRASE);
    }
    s.push_str(share.mnemonic());
    s.push('\n');
    s
}

/// Writes share files (`.txt`, mode 0600), their QR codes (`.png`) and printable A4 sheets (`.html`).
pub fn write_shares(
    w: &mut Writer<'_>,
    shares: &[Share],
    ctx: &ShareContext<'_>,
) -> Result<Vec<Value>, CeremonyError> {
    let count = shares.len();
    let mut logged = Vec::new();
    for (i, share) in shares.iter().enumerate() {
        let number = i + 1;
        let base = format!("share-{number:02}-of-{count:02}");
        let text = share_file_text(share, number, count, ctx);
        w.put(&format!("{base}.txt"), text.as_bytes(), 0o600)?;
        let upper = zeroize::Zeroizing::new(share.mnemonic().to_uppercase());
        let png = zeroize::Zeroizing::new(qr::render_png(&upper, None, qr::EcLevel::M)?);
        w.put(&format!("{base}.png"), &png, 0o600)?;
        let info = crate::escrow::sheet::SheetInfo {
            ceremony_id: ctx.ceremony_id,
            label: ctx.label,
            kcv: ctx.kcv,
            date: ctx.date,
            threshold: ctx.threshold,
            passphrase: ctx.passphrase,
        };
        let sheet = crate::escrow::sheet::share_sheet_html(share.mnemonic(), number, count, &info)?;
        w.put(&format!("{base}.html"), sheet.as_bytes(), 0o600)?;
        logged.push(json!({
            "number": number,
            "member_index": share.member_index(),
            "commitment_sha256": sha256_hex(share.mnemonic().as_bytes()),
            "file": format!("{}{base}.txt", w.shown_prefix),
        }));
    }
    Ok(logged)
}

/// Writes `qr/chunk-NN-of-MM.png|svg`, `qr/chunks.txt` and the printable `qr/sheet.html`
/// (titled `blob_name`, with the ceremony id).
pub fn write_qr(
    w: &mut Writer<'_>,
    set: &ChunkSet,
    blob_name: &str,
    ceremony_id: &str,
) -> Result<(), CeremonyError> {
    for chunk in &set.chunks {
        let base = format!("qr/chunk-{:02}-of-{:02}", chunk.index, chunk.count);
        let png = qr::render_png(&chunk.text, Some(set.version), set.ec_level)?;
        w.put(&format!("{base}.png"), &png, 0o644)?;
        let svg = qr::render_svg(&chunk.text, Some(set.version), set.ec_level)?;
        w.put(&format!("{base}.svg"), svg.as_bytes(), 0o644)?;
    }
    let sheet = qr::render_sheet(set, &qr::SheetInfo { title: blob_name, ceremony_id: Some(ceremony_id) })?;
    w.put("qr/sheet.html", sheet.as_bytes(), 0o644)?;
    w.put("qr/chunks.txt", qr::chunks_txt(set).as_bytes(), 0o644)
}

/// The path where a share file ends up.
pub fn share_path(dir: &Path, number: usize, count: usize) -> PathBuf {
    dir.join(format!("share-{number:02}-of-{count:02}.txt"))
}
