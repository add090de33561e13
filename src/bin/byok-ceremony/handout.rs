//! The custodian handout on a terminal: one share at a time, its words numbered in big print with
//! its QR code; then the screen is cleared and the custodian types two words the tool asks for.
//! Only on a terminal: non-interactive runs just write the share files (and their sheets).

use byok_ceremony::ceremony::Summary;
use byok_ceremony::escrow::{self, handout};
use byok_ceremony::exit;
use byok_ceremony::qr::TextStyle;
use std::io::Write;

use crate::output::{prompt, Failure};

/// Clears the screen and its scrollback, and moves the cursor to the top left.
const CLEAR: &str = "\x1b[2J\x1b[3J\x1b[H";

/// Hands out every share of `s`, one custodian after the other.
pub fn hand_out(s: &Summary) -> Result<(), Failure> {
    let count = s.share_files.len();
    for (i, path) in s.share_files.iter().enumerate() {
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
                s.threshold,
                &s.ceremony_id,
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
        let typed = prompt(&format!("  word {position}: "))?;
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
