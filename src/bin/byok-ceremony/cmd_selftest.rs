//! `selftest` (not yet implemented).

use crate::output::Failure;

#[derive(clap::Args)]
pub struct SelftestArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SelftestArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "`selftest` is not implemented in this release").json(a.json))
}
