//! `version` (not yet implemented).

use crate::output::Failure;

#[derive(clap::Args)]
pub struct VersionArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: VersionArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "`version` is not implemented in this release").json(a.json))
}
