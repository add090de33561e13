//! `shares check` (not yet implemented).

use crate::output::Failure;

#[derive(clap::Args)]
pub struct SharesCheckArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SharesCheckArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "`shares check` is not implemented in this release").json(a.json))
}
