//! `version`: what this binary is, so auditors can compare it with a reproducible build.

use byok_ceremony::build_info;
use serde_json::json;

use crate::output::{print_json, Failure};

#[derive(clap::Args)]
pub struct VersionArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: VersionArgs) -> Result<(), Failure> {
    let sha = build_info::running_binary_sha256();
    if a.json {
        let deps: Vec<_> = build_info::DEPENDENCIES
            .iter()
            .map(|(name, version, source)| json!({"name": name, "version": version, "source": source}))
            .collect();
        print_json(&json!({
            "ok": true,
            "name": "byok-ceremony",
            "version": byok_ceremony::VERSION,
            "binary_sha256": sha,
            "toolchain": build_info::RUSTC,
            "target": build_info::TARGET,
            "dependencies": deps,
        }));
        return Ok(());
    }
    println!("{}", byok_ceremony::generator());
    println!("binary SHA-256: {}", sha.as_deref().unwrap_or("unknown (/proc/self/exe unreadable)"));
    println!("toolchain:      {}", build_info::RUSTC);
    println!("target:         {}", build_info::TARGET);
    println!("dependencies:   {} packages (--json lists them)", build_info::DEPENDENCIES.len());
    Ok(())
}
