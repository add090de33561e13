//! `generate --dice`: reading the operators' dice rolls from the terminal or a file descriptor.

use byok_ceremony::dice::{self, Rolls, ROLLS_NEEDED};
use byok_ceremony::exit;
use std::io::{BufRead, Read};
use zeroize::Zeroizing;

use crate::output::{fail, interactive, Failure};

/// Largest dice input read from `--dice-fd` (far more than any number of rolls anyone types).
const MAX_INPUT: u64 = 64 * 1024;

/// Reads the rolls from `fd` (for scripts) or, on a terminal, as the operators type them.
pub fn read_rolls(fd: Option<i32>) -> Result<Rolls, Failure> {
    if let Some(fd) = fd {
        return read_fd(fd);
    }
    if !interactive() {
        return Err(Failure::usage(
            "--dice needs a terminal to type the rolls on: run it there, or give them with --dice-fd N",
        ));
    }
    eprintln!("Dice: roll a six-sided die {ROLLS_NEEDED} times ({ROLLS_NEEDED} rolls = 258.5 bits, enough for 256) and type each face, 1 to 6.");
    eprintln!("      Spaces and new lines are ignored; Enter after each group. The rolls are mixed with the OS RNG (HKDF-SHA256) and never logged.");
    eprintln!("      What you type is not shown (echo is off until the last roll, also after Ctrl-C).");
    let _echo_off = byok_ceremony::hardening::EchoOff::new(0)
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot turn terminal echo off: {e}")))?;
    let mut all = Zeroizing::new(String::new());
    let stdin = std::io::stdin();
    while dice::count_faces(&all) < ROLLS_NEEDED {
        let mut line = Zeroizing::new(String::new());
        let n = stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::new(exit::FAILED, format!("cannot read the terminal: {e}")))?;
        if n == 0 {
            break;
        }
        if let Some(bad) = line.trim_end().chars().position(|c| !matches!(c, '1'..='6' | ' ' | '\t' | ',')) {
            eprintln!("  character {} of that line is not a die face (1-6): type the line again", bad + 1);
            continue;
        }
        all.push_str(line.trim_end());
        all.push('\n');
        eprintln!("  {} of {ROLLS_NEEDED} rolls", dice::count_faces(&all).min(ROLLS_NEEDED));
    }
    dice::parse_rolls(&all).map_err(fail)
}

fn read_fd(fd: i32) -> Result<Rolls, Failure> {
    let io = |e: std::io::Error| {
        Failure::usage(format!(
            "--dice-fd {fd}: cannot read it ({e}): open it for reading, e.g. `3< rolls.txt`"
        ))
    };
    let mut text = Zeroizing::new(Vec::new());
    byok_ceremony::hardening::inherited_file(fd)
        .map_err(io)?
        .take(MAX_INPUT)
        .read_to_end(&mut text)
        .map_err(io)?;
    let text = std::str::from_utf8(&text)
        .map_err(|_| Failure::usage(format!("--dice-fd {fd}: not text: give the faces 1 to 6 as digits")))?;
    dice::parse_rolls(text).map_err(fail)
}
