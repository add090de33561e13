//! The custodian handout on a terminal: one share at a time, its words numbered in big print with
//! its QR code; then the screen is cleared and the custodian types two words the tool asks for.
//! Only on a terminal: non-interactive runs just write the share files (and their sheets).

use byok_ceremony::ceremony::Summary;
use byok_ceremony::escrow::{self, handout};
use byok_ceremony::exit;
use byok_ceremony::qr::TextStyle;
use std::io::Write;
use std::path::PathBuf;

use crate::output::{interactive, print_json, prompt, prompt_secret, Failure};

/// Clears the screen and its scrollback, and moves the cursor to the top left.
const CLEAR: &str = "\x1b[2J\x1b[3J\x1b[H";

#[derive(clap::Args)]
pub struct SharesHandoutArgs {
    /// The share files of one set, in order (`shares/share-*-of-*.txt`); each is shown to its
    /// custodian in turn
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// When every share is handed out, print `{"ok": true, "handed_out": N}` on stdout (errors as
    /// one JSON object too); the handout itself stays on the terminal
    #[arg(long)]
    pub json: bool,
}

/// `shares handout`: the handout of a finished ceremony (`generate --no-handout`, or a handout that
/// stopped), on a terminal only.
pub fn run(a: SharesHandoutArgs) -> Result<(), Failure> {
    let (json, count) = (a.json, a.files.len());
    check_and_hand_out(a).map_err(|f| f.json(json))?;
    if json {
        print_json(&serde_json::json!({"ok": true, "handed_out": count}));
    }
    Ok(())
}

fn check_and_hand_out(a: SharesHandoutArgs) -> Result<(), Failure> {
    if !interactive() {
        return Err(Failure::usage("shares handout shows each share on this terminal: run it on a terminal"));
    }
    let mut set: Option<(String, u8, usize)> = None;
    let mut members: Vec<(&PathBuf, zeroize::Zeroizing<String>, Option<u8>)> = Vec::new();
    for (i, path) in a.files.iter().enumerate() {
        let input = escrow::read_share_file(path, i + 1).map_err(crate::output::fail)?;
        let words = zeroize::Zeroizing::new(input.mnemonic.split_whitespace().collect::<Vec<_>>().join(" "));
        let member = byok_ceremony::slip39::parse(&words).ok().map(|s| s.member_index());
        for (other, other_words, other_member) in &members {
            let clash = if *other_words == words {
                "hold the same share: each share is handed out once, to its own custodian"
            } else if member.is_some() && *other_member == member {
                "are the same member of the set but differ: keep the files byok-ceremony wrote, one per custodian"
            } else {
                continue;
            };
            return Err(Failure::new(
                exit::VERIFICATION,
                format!("{} and {} {clash}; nothing was shown", other.display(), path.display()),
            ));
        }
        members.push((path, words, member));
        let c = input.comments;
        let (Some(id), Some(threshold), Some((_, count))) = (c.ceremony_id, c.threshold, c.number) else {
            return Err(Failure::usage(format!(
                "{}: no '# ceremony:', '# share:' or '# threshold:' line: hand out the files byok-ceremony wrote",
                path.display()
            )));
        };
        let this = (id, u8::try_from(threshold).unwrap_or(u8::MAX), count);
        match &set {
            Some(first) if *first != this => {
                return Err(Failure::usage(format!(
                    "{} belongs to another share set (ceremony {}, {} of {}) than the first file: hand out one set at a time",
                    path.display(),
                    this.0,
                    this.1,
                    this.2
                )))
            }
            _ => set = Some(this),
        }
    }
    let (id, threshold, _) = set.unwrap_or_default();
    hand_out_files(&a.files, threshold, &id)
}

/// Hands out every share of `s`, one custodian after the other.
pub fn hand_out(s: &Summary) -> Result<(), Failure> {
    hand_out_files(&s.share_files, s.threshold, &s.ceremony_id)
}

/// Hands out the share files `files` (all of one set, in order), one custodian after the other.
pub fn hand_out_files(files: &[PathBuf], threshold: u8, ceremony_id: &str) -> Result<(), Failure> {
    let count = files.len();
    for (i, path) in files.iter().enumerate() {
        let number = i + 1;
        let share = escrow::read_share_file(path, number).map_err(crate::output::fail)?;
        clear();
        eprintln!("Share {number} of {count}: only its custodian should see the screen now.");
        eprintln!("The printable sheet is {}", path.with_extension("html").display());
        prompt("Press Enter to show the share: ")?;
        loop {
            clear();
            let screen = handout::share_screen(
                &share.mnemonic,
                number,
                count,
                threshold,
                ceremony_id,
                TextStyle::Ansi,
            )
            .map_err(|e| Failure::new(exit::FAILED, e.to_string()))?;
            eprint!("{screen}");
            prompt("Write the words down (or keep the printed sheet), then press Enter to hide them: ")?;
            clear();
            if confirm(&share.mnemonic, number)? {
                break;
            }
            prompt("Press Enter to show the share again: ")?;
        }
    }
    clear();
    eprintln!("All {count} shares handed out and confirmed.");
    Ok(())
}

/// Asks for two words chosen at random; true when both match.
fn confirm(mnemonic: &str, number: usize) -> Result<bool, Failure> {
    let words = mnemonic.split_whitespace().count();
    let (a, b) = handout::pick_positions(words, &mut rand_core::OsRng);
    eprintln!("Share {number}: type two words from your copy (the first 4 letters are enough).");
    for position in [a, b] {
        let typed = prompt_secret(&format!("  word {position}: "))?;
        if !handout::confirms(mnemonic, position, &typed) {
            eprintln!("  That is not word {position} of share {number}: correct your copy.");
            return Ok(false);
        }
    }
    eprintln!("  Both words match: share {number} is in its custodian's hands.");
    Ok(true)
}

fn clear() {
    eprint!("{CLEAR}");
    let _ = std::io::stderr().flush();
}
