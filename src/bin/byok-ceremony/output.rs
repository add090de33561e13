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
pub fn catch_interrupts() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>, Failure> {
    byok_ceremony::hardening::catch_interrupts()
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot install signal handlers: {e}")))
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
