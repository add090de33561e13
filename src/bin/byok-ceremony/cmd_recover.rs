//! `recover` (not yet implemented).

use crate::output::Failure;

#[derive(clap::Args)]
pub struct RecoverArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: RecoverArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "`recover` is not implemented in this release").json(a.json))
}
