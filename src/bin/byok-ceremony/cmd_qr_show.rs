//! `qr show`: the codes in a text console, one at a time, or all at once when not on a terminal.

use byok_ceremony::exit;
use byok_ceremony::qr::{self, ChunkSet, Pager, ShowKey, TextStyle};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::cmd_qr::{qr_failure, QrOptions};
use crate::output::{print_json, Failure};

/// Clears the screen and moves the cursor to the top left.
const CLEAR: &str = "\x1b[2J\x1b[H";

#[derive(clap::Args)]
pub struct QrShowArgs {
    /// A ceremony directory (its qr/chunks.txt), a qr directory (chunks.txt), a chunks.txt,
    /// or any other file (split on the fly with the QR options below)
    #[arg(value_name = "FILE|DIR")]
    pub input: PathBuf,
    #[command(flatten)]
    pub qr: QrOptions,
    /// Show the next code every SECONDS (0.2 to 600) instead of waiting for a key; q and Enter still work
    #[arg(long, value_name = "SECONDS")]
    pub cycle: Option<f64>,
    /// No colour sequences: only half-block characters (reads right only as dark text on a light background)
    #[arg(long)]
    pub plain: bool,
    /// Print one JSON object on stdout; the codes go to stderr
    #[arg(long)]
    pub json: bool,
}

pub fn show(a: QrShowArgs) -> Result<(), Failure> {
    let json = a.json;
    run(a).map_err(|f| f.json(json))
}

fn run(a: QrShowArgs) -> Result<(), Failure> {
    let opts = a.qr.chunk_options()?;
    let cycle = cycle_period(a.cycle)?;
    let set = qr::load_for_show(&a.input, &opts).map_err(qr_failure)?;
    let style = if a.plain { TextStyle::Plain } else { TextStyle::Ansi };
    if a.json {
        show_set(&set, cycle, style, &mut std::io::stderr(), std::io::stderr().is_terminal())?;
        print_json(&json!({
            "ok": true,
            "chunks": set.chunks.len(),
            "version": set.version,
            "ec_level": format!("{:?}", set.ec_level),
            "sha256": byok_ceremony::fsutil::hex_lower(&set.sha256),
        }));
        Ok(())
    } else {
        show_set(&set, cycle, style, &mut std::io::stdout(), std::io::stdout().is_terminal())
    }
}

/// `generate --show-qr`: the codes of the ceremony directory `dir`, one at a time on a terminal.
pub fn show_dir(dir: &std::path::Path, opts: qr::ChunkOptions) -> Result<(), Failure> {
    let set = qr::load_for_show(dir, &opts).map_err(qr_failure)?;
    show_set(&set, None, TextStyle::Ansi, &mut std::io::stdout(), std::io::stdout().is_terminal())
}

/// `--cycle` as a duration: a usage error outside 0.2..=600 seconds.
pub fn cycle_period(seconds: Option<f64>) -> Result<Option<Duration>, Failure> {
    match seconds {
        None => Ok(None),
        Some(s) if (0.2..=600.0).contains(&s) => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(Failure::usage(format!("--cycle {s} is outside 0.2..600 seconds"))),
    }
}

/// Shows every code of `set` on `out`: on a terminal one at a time (keys read as lines from
/// stdin, or cycling every `cycle`), otherwise all of them one after another.
pub fn show_set(
    set: &ChunkSet,
    cycle: Option<Duration>,
    style: TextStyle,
    out: &mut dyn Write,
    terminal: bool,
) -> Result<(), Failure> {
    let frames = (0..set.chunks.len())
        .map(|i| qr::render_text_frame(set, i, style))
        .collect::<Result<Vec<_>, _>>()
        .map_err(qr_failure)?;
    let write_err = |e: std::io::Error| Failure::new(exit::FAILED, format!("cannot write the codes: {e}"));
    if !terminal {
        for frame in &frames {
            writeln!(out, "{frame}").map_err(write_err)?;
        }
        return out.flush().map_err(write_err);
    }
    let keys = spawn_key_reader();
    let mut pager = Pager::new(frames.len());
    let hint = match cycle {
        Some(d) => format!("  next code every {:.1} s; q Enter quits", d.as_secs_f64()),
        None => "  Enter or n: next   p: previous   a number: that code   q: quit".to_owned(),
    };
    loop {
        write!(out, "{CLEAR}{}{hint}\n> ", frames[pager.current()]).map_err(write_err)?;
        out.flush().map_err(write_err)?;
        let key = match cycle {
            Some(period) => match keys.recv_timeout(period) {
                Ok(line) => ShowKey::parse(&line),
                Err(RecvTimeoutError::Timeout) => ShowKey::Next,
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(period);
                    ShowKey::Next
                }
            },
            None => keys.recv().map(|line| ShowKey::parse(&line)).unwrap_or(ShowKey::Quit),
        };
        if !pager.apply(key) {
            break;
        }
    }
    writeln!(
        out,
        "{CLEAR}qr show: {} codes, set SHA-256 {}",
        frames.len(),
        byok_ceremony::fsutil::hex_lower(&set.sha256)
    )
    .map_err(write_err)
}

/// Lines typed on stdin, read on their own thread so that cycling need not wait for them.
fn spawn_key_reader() -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
