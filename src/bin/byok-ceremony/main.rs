//! `byok-ceremony`: argument parsing and one function per subcommand. All logic is in the library.
#![forbid(unsafe_code)]

mod args;
mod cmd_demo;
mod cmd_generate;
mod cmd_kek;
mod cmd_preflight;
mod cmd_qr;
mod output;

use clap::Parser;

use args::{Cli, Command, KekCommand, QrCommand};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(a) => cmd_demo::run(a),
        Command::Generate(a) => cmd_generate::run(a),
        Command::Kek {
            command: KekCommand::Inspect(a),
        } => cmd_kek::inspect(a),
        Command::Qr {
            command: QrCommand::Split(a),
        } => cmd_qr::split(a),
        Command::Qr {
            command: QrCommand::Join(a),
        } => cmd_qr::join(a),
        Command::Preflight(a) => cmd_preflight::run(a),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
