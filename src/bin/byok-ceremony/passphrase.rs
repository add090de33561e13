//! Reading the SLIP-39 share passphrase: never from argv; from a file descriptor (scripts) or typed
//! on the terminal with echo off.

use byok_ceremony::escrow::SharePassphrase;
use byok_ceremony::exit;
use std::io::{Read, Write};
use zeroize::Zeroizing;

use crate::output::{interactive, Failure};

/// Longest passphrase read from a file descriptor.
const MAX_FD_BYTES: u64 = 1024;

/// The passphrase the flags ask for: `--share-passphrase-fd N` reads descriptor N (one trailing
/// newline removed; an empty one is refused); `--share-passphrase` prompts on the terminal, twice when `confirm`; neither
/// gives the empty passphrase.
pub fn read(prompt: bool, fd: Option<i32>, confirm: bool) -> Result<SharePassphrase, Failure> {
    let usage = |e: byok_ceremony::escrow::EscrowError| Failure::usage(e.to_string());
    if let Some(fd) = fd {
        let file = byok_ceremony::hardening::inherited_file(fd).map_err(|e| {
            Failure::usage(format!("--share-passphrase-fd {fd}: cannot read it ({e}); open it in the shell, e.g. 3<passphrase.txt"))
        })?;
        let mut bytes = Zeroizing::new(Vec::new());
        file.take(MAX_FD_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::new(exit::FAILED, format!("--share-passphrase-fd {fd}: {e}")))?;
        if bytes.len() as u64 > MAX_FD_BYTES {
            return Err(Failure::usage(format!(
                "--share-passphrase-fd {fd}: over {MAX_FD_BYTES} bytes, not a passphrase"
            )));
        }
        if bytes.is_empty() || bytes.as_slice() == b"\n" {
            return Err(Failure::usage(format!(
                "--share-passphrase-fd {fd}: the file is empty: put the passphrase in it, or leave out --share-passphrase-fd for shares without one"
            )));
        }
        // Nothing was typed: say what is wrong with the descriptor's content, not "type it again".
        let several_lines = bytes.strip_suffix(b"\n").is_some_and(|b| b.contains(&b'\n'));
        return SharePassphrase::from_line(bytes).map_err(|_| {
            Failure::usage(if several_lines {
                format!("--share-passphrase-fd {fd}: it holds more than one line: write the passphrase alone on one line")
            } else {
                format!("--share-passphrase-fd {fd}: the passphrase in it is not printable ASCII (space to '~'), as SLIP-39 requires: write it with ASCII characters only")
            })
        });
    }
    if !prompt {
        return Ok(SharePassphrase::none());
    }
    if !interactive() {
        return Err(Failure::usage(
            "--share-passphrase is typed on a terminal: in scripts use --share-passphrase-fd N",
        ));
    }
    loop {
        let first = SharePassphrase::from_line(typed("Share passphrase (not shown): ")?).map_err(usage)?;
        if !confirm {
            return Ok(first);
        }
        let second = SharePassphrase::from_line(typed("The same passphrase again: ")?).map_err(usage)?;
        if first.expose() == second.expose() {
            return Ok(first);
        }
        eprintln!("The two passphrases differ; type them again.");
    }
}

/// One line typed with echo off; echo is restored when reading ends or fails, and also when the
/// operators press Ctrl-C meanwhile (the process then exits with 130).
fn typed(question: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let echo_off = byok_ceremony::hardening::EchoOff::new(0)
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot turn the terminal's echo off: {e}")))?;
    let mut line = Zeroizing::new(String::new());
    let read = std::io::stdin().read_line(&mut line);
    drop(echo_off);
    eprintln!();
    read.map_err(|e| Failure::new(exit::FAILED, format!("cannot read the terminal: {e}")))?;
    Ok(Zeroizing::new(std::mem::take(&mut *line).into_bytes()))
}
