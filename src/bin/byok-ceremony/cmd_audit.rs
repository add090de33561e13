//! `audit` (not yet implemented).

use crate::output::Failure;

#[derive(clap::Args)]
pub struct AuditArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: AuditArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "`audit` is not implemented in this release").json(a.json))
}
