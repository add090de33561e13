//! How the binary talks: progress and human text on stderr, results on stdout, one-line errors.

use byok_ceremony::exit::{self, ExitStatus};
use std::io::{IsTerminal, Write};

/// A failed command: its exit code and one line that says what to do.
pub struct Failure {
    pub code: u8,
    pub message: String,
    pub json: bool,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into(), json: false }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(exit::USAGE, message)
    }

    pub fn json(mut self, json: bool) -> Failure {
        self.json = json;
        self
    }

    /// Prints only the JSON object (clap already printed its message on stderr).
    pub fn print_json_only(self) -> std::process::ExitCode {
        let doc = serde_json::json!({"ok": false, "exit_code": self.code, "error": self.message});
        println!("{doc}");
        std::process::ExitCode::from(self.code)
    }

    pub fn report(self) -> std::process::ExitCode {
        let line = self.message.replace('\n', " ");
        eprintln!("byok-ceremony: error: {line}");
        if self.json {
            let doc = serde_json::json!({"ok": false, "exit_code": self.code, "error": line});
            println!("{doc}");
        }
        std::process::ExitCode::from(self.code)
    }
}

/// Any library error becomes a failure with its own exit code.
pub fn fail<E: ExitStatus + std::fmt::Display>(e: E) -> Failure {
    Failure::new(e.exit_code(), e.to_string())
}

/// Progress on stderr.
pub struct Stderr;

impl byok_ceremony::ceremony::Progress for Stderr {
    fn step(&mut self, message: &str) {
        eprintln!("  - {message}");
    }
}

/// Prints one JSON document on stdout.
pub fn print_json(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{value}");
}

/// From here on, SIGINT/SIGTERM/SIGHUP stop the ceremony at its next step instead of killing it.
/// Which signal it was is recorded too: the exit code is 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP).
pub fn catch_interrupts() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>, Failure> {
    let failed =
        |e: std::io::Error| Failure::new(exit::FAILED, format!("cannot install signal handlers: {e}"));
    let flag = byok_ceremony::hardening::catch_interrupts().map_err(failed)?;
    byok_ceremony::ceremony::signals::record_interrupt_signals().map_err(failed)?;
    Ok(flag)
}

/// Whether we may prompt (stdin and stderr are terminals).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks a question on the terminal and returns the trimmed answer.
pub fn prompt(question: &str) -> Result<String, Failure> {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot read the terminal: {e}")))?;
    Ok(line.trim().to_string())
}

/// Like [`prompt`], for share words: the line and its trimmed copy are wiped when dropped.
pub fn prompt_secret(question: &str) -> Result<zeroize::Zeroizing<String>, Failure> {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = zeroize::Zeroizing::new(String::with_capacity(256));
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot read the terminal: {e}")))?;
    Ok(zeroize::Zeroizing::new(line.trim().to_string()))
}

/// Like [`prompt`], but returns `Ok(None)` as soon as `interrupted` is set (Ctrl-C, SIGTERM): the
/// signal handlers restart a blocked read, so the line is read on a helper thread while this one
/// watches the flag. Once interrupted, the process is on its way out; the helper is left blocked.
pub fn prompt_interruptible(
    question: &str,
    interrupted: &std::sync::atomic::AtomicBool,
) -> Result<Option<String>, Failure> {
    use std::sync::atomic::Ordering;
    use std::sync::mpsc::{channel, RecvTimeoutError};
    if interrupted.load(Ordering::SeqCst) {
        return Ok(None);
    }
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let (tx, rx) = channel();
    // A small stack: with mlockall(MCL_FUTURE) every page of it is locked, and a failed spawn
    // (RLIMIT_MEMLOCK) is an error here, not a panic.
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || {
            let mut line = String::new();
            let read = std::io::stdin().read_line(&mut line).map(|_| line);
            let _ = tx.send(read);
        })
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot read the terminal: {e}")))?;
    loop {
        if interrupted.load(Ordering::SeqCst) {
            eprintln!();
            return Ok(None);
        }
        match rx.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(Ok(line)) if line.is_empty() => return Err(Failure::new(exit::FAILED, "the terminal closed")),
            Ok(Ok(line)) => return Ok(Some(line.trim().to_string())),
            Ok(Err(e)) => return Err(Failure::new(exit::FAILED, format!("cannot read the terminal: {e}"))),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Failure::new(exit::FAILED, "cannot read the terminal"))
            }
        }
    }
}
