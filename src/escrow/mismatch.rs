//! What a key check value mismatch says: which comparison failed and its likely causes. A share
//! passphrase is named as a cause only when one is involved or possible: SLIP-39 cannot tell a
//! wrong passphrase (it gives another key), but `# passphrase: none` with none given rules it out.

use super::file::ShareInput;
use super::SharePassphrase;

/// What is known about the share passphrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PassphraseState {
    /// A passphrase was given.
    pub given: bool,
    /// The share files' `# passphrase:` lines: `Some(true)` if any says one was set,
    /// `Some(false)` if they all say `none`, `None` if no file says.
    pub files: Option<bool>,
}

impl PassphraseState {
    pub fn of(inputs: &[ShareInput], passphrase: &SharePassphrase) -> PassphraseState {
        let said: Vec<bool> = inputs.iter().filter_map(|i| i.comments.passphrase).collect();
        let files = if said.is_empty() { None } else { Some(said.contains(&true)) };
        PassphraseState { given: passphrase.is_set(), files }
    }

    /// No passphrase given and the files say none was set.
    fn ruled_out(self) -> bool {
        !self.given && self.files == Some(false)
    }
}

const SLIP39_CANNOT_TELL: &str =
    "a wrong or missing share passphrase gives a different key (SLIP-39 cannot tell, the key check value does)";

/// The shares against their own files' `# kcv:` line.
pub(super) fn vs_share_files(p: PassphraseState) -> String {
    match (p.given, p.files) {
        (true, Some(false)) => "the share files say '# passphrase: none', but a share passphrase was given, which gives a different key: leave the passphrase out".into(),
        (false, Some(false)) => "no passphrase is involved (the files say '# passphrase: none'), so the '# kcv:' lines were edited or belong to other shares: check the files against the paper transcript".into(),
        (false, Some(true)) => format!("the share files say a passphrase protects them and none was given; {SLIP39_CANNOT_TELL}: give the passphrase used at the ceremony"),
        _ => format!("{SLIP39_CANNOT_TELL}; give the passphrase used at the ceremony"),
    }
}

/// The shares against `--expect-kcv`; `files_agree`: the files' `# kcv:` line matched the shares.
pub(super) fn vs_expect_kcv(p: PassphraseState, files_agree: bool) -> String {
    if files_agree {
        return "the share files' '# kcv:' line agrees with the shares, so --expect-kcv is mistyped or from another ceremony: check it against the paper transcript".into();
    }
    if p.ruled_out() {
        return "--expect-kcv is mistyped or from another ceremony (no passphrase is involved: the files say '# passphrase: none'): check it against the paper transcript".into();
    }
    format!("--expect-kcv is mistyped or from another ceremony, or {SLIP39_CANNOT_TELL}: check the value on the paper transcript, then the passphrase")
}

/// The shares against the original log. `ids`: the log's and the share files' ceremony ids.
pub(super) fn vs_original_log(
    p: PassphraseState,
    files_agree: bool,
    ids: (Option<&str>, Option<&str>),
) -> String {
    if let (Some(log), Some(files)) = ids {
        if log != files {
            return format!("the log is of ceremony {log}, the share files of ceremony {files}: give the log of the ceremony that made these shares");
        }
    }
    if files_agree {
        return "the share files' '# kcv:' line agrees with the shares, so the log is of another key: give the log of the ceremony that made these shares".into();
    }
    if p.ruled_out() {
        return "the log is of another ceremony (no passphrase is involved: the files say '# passphrase: none'): give the log of the ceremony that made these shares".into();
    }
    format!("the log is of another ceremony, or {SLIP39_CANNOT_TELL}: check the log's ceremony id, then the passphrase")
}
