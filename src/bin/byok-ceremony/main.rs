//! `byok-ceremony`: argument parsing and one function per subcommand. All logic is in the library.
#![forbid(unsafe_code)]

mod args;
mod cmd_audit;
mod cmd_demo;
mod cmd_generate;
mod cmd_kek;
mod cmd_preflight;
mod cmd_qr;
mod cmd_qr_show;
mod cmd_recover;
mod cmd_selftest;
mod cmd_shares;
mod cmd_version;
mod dice_input;
mod handout;
mod output;
mod passphrase;
mod typed_shares;
mod witness_args;

use clap::error::ErrorKind;
use clap::Parser;

use args::{Cli, Command, KekCommand, QrCommand, SharesCommand};

fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Command::Demo(a) => cmd_demo::run(a),
        Command::Generate(a) => cmd_generate::run(a),
        Command::Kek { command: KekCommand::Inspect(a) } => cmd_kek::inspect(a),
        Command::Qr { command: QrCommand::Split(a) } => cmd_qr::split(a),
        Command::Qr { command: QrCommand::Join(a) } => cmd_qr::join(a),
        Command::Preflight(a) => cmd_preflight::run(a),
        Command::Recover(a) => cmd_recover::run(a),
        Command::Shares { command: SharesCommand::Check(a) } => cmd_shares::run(a),
        Command::Shares { command: SharesCommand::Handout(a) } => handout::run(a),
        Command::Qr { command: QrCommand::Show(a) } => cmd_qr::show(a),
        Command::Audit(a) => cmd_audit::run(a),
        Command::Selftest(a) => cmd_selftest::run(a),
        Command::Version(a) => cmd_version::run(a),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// clap's own errors: help and version as clap prints them; usage errors exit 2, and with `--json`
/// also as one JSON object on stdout, as every other failure.
fn usage_error(e: clap::Error) -> std::process::ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || !std::env::args().any(|a| a == "--json")
    {
        e.exit();
    }
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("usage error").trim_start_matches("error: ").to_string();
    let _ = e.print();
    output::Failure::usage(first).json(true).print_json_only()
}
