//! Reading a share file: `#` comment lines (what byok-ceremony writes, all optional) and one
//! mnemonic line. Files from other SLIP-39 tools (just the mnemonic) are read as well.

use std::path::Path;
use zeroize::Zeroizing;

use super::error::{EscrowError, ShareName};

/// Largest share file read (a share file is well under 2 KiB).
pub const MAX_SHARE_FILE: u64 = 64 * 1024;

/// What the comments of a share file say. Every field is optional: typed shares and files of
/// other tools have none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareComments {
    /// `# ceremony: ID`.
    pub ceremony_id: Option<String>,
    /// `# label: NAME`.
    pub label: Option<String>,
    /// `# share: n of N; ...`: (n, N).
    pub number: Option<(usize, usize)>,
    /// `# threshold: K`.
    pub threshold: Option<usize>,
    /// `# kcv: HEX` (lowercased).
    pub kcv: Option<String>,
    /// `# date: YYYY-MM-DD`.
    pub date: Option<String>,
    /// `# passphrase: ...`: whether a passphrase was set (`none` means no).
    pub passphrase: Option<bool>,
}

/// One share as given: its name for messages, its comments and its mnemonic.
pub struct ShareInput {
    /// Position and name, for messages.
    pub name: ShareName,
    /// The comments (empty for typed shares).
    pub comments: ShareComments,
    /// The mnemonic line, as given (parsed later).
    pub mnemonic: Zeroizing<String>,
}

impl std::fmt::Debug for ShareInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareInput").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Fewest words of a SLIP-39 share: a line this long is taken for a whole mnemonic.
const MIN_SHARE_WORDS: usize = 20;

/// Splits a share file's text into its comments and its mnemonic line (the first line that is
/// neither blank nor a comment). A BOM and CRLF line ends are tolerated. A file with two or more
/// lines long enough to be whole mnemonics (files concatenated) is refused: reading only the first
/// would quietly drop a share.
pub fn parse_share_text(text: &str, name: ShareName) -> Result<ShareInput, EscrowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut comments = ShareComments::default();
    let mut mnemonic = None;
    let mut whole = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            read_comment(comment, &mut comments);
            continue;
        }
        if line.split_whitespace().count() >= MIN_SHARE_WORDS {
            whole += 1;
        }
        if mnemonic.is_none() {
            mnemonic = Some(Zeroizing::new(line.to_string()));
        }
    }
    if whole > 1 {
        return Err(EscrowError::SeveralShares { share: name, count: whole });
    }
    match mnemonic {
        Some(mnemonic) => Ok(ShareInput { name, comments, mnemonic }),
        None => Err(EscrowError::NoMnemonic(name)),
    }
}

fn read_comment(comment: &str, c: &mut ShareComments) {
    let Some((key, value)) = comment.split_once(':') else { return };
    let value = value.trim();
    let short = || Some(value.chars().take(100).collect::<String>());
    match key.trim() {
        "ceremony" => c.ceremony_id = short(),
        "label" => c.label = short(),
        "date" => c.date = short(),
        "kcv" => c.kcv = short().map(|v| v.to_ascii_lowercase()),
        "threshold" => c.threshold = value.parse().ok(),
        "passphrase" => c.passphrase = Some(!value.starts_with("none")),
        "share" => {
            let head = value.split(';').next().unwrap_or("");
            let mut parts = head.split(" of ");
            if let (Some(n), Some(total)) = (parts.next(), parts.next()) {
                if let (Ok(n), Ok(total)) = (n.trim().parse(), total.trim().parse()) {
                    c.number = Some((n, total));
                }
            }
        }
        _ => {}
    }
}

/// Reads share file `path` as share number `position` (1-based), refusing files over 64 KiB.
pub fn read_share_file(path: &Path, position: usize) -> Result<ShareInput, EscrowError> {
    let name = ShareName {
        position,
        name: path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
    };
    let shown = format!("{name}: {}", path.display());
    let meta = std::fs::metadata(path).map_err(|e| EscrowError::Read(shown.clone(), e.to_string()))?;
    if meta.len() > MAX_SHARE_FILE {
        return Err(EscrowError::TooLarge(name));
    }
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| EscrowError::Read(shown, e.to_string()))?);
    let text = String::from_utf8_lossy(&bytes);
    let input = parse_share_text(&text, name);
    if let std::borrow::Cow::Owned(mut s) = text {
        zeroize::Zeroize::zeroize(&mut s);
    }
    input
}

/// A share typed on the terminal, as share number `position`.
pub fn typed_share(mnemonic: Zeroizing<String>, position: usize) -> ShareInput {
    ShareInput {
        name: ShareName { position, name: "typed".into() },
        comments: ShareComments::default(),
        mnemonic,
    }
}
