//! `preflight`, and the hardening every ceremony does first.

use byok_ceremony::ceremony::Environment;
use byok_ceremony::exit;
use byok_ceremony::hardening::{self, Status};
use serde_json::json;

use crate::output::{print_json, Failure};

#[derive(clap::Args)]
pub struct PreflightArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

/// What the operators allowed.
#[derive(Default, Clone, Copy)]
pub struct Overrides {
    pub unlocked_memory: bool,
    pub swap: bool,
    pub network: bool,
}

/// Disables core dumps, locks memory and checks the machine. With `strict`, an unsafe finding
/// without its override is a failure (exit 4); without `strict` (demo, preflight) it is only reported.
pub fn harden(strict: bool, allow: Overrides) -> Result<Environment, Failure> {
    let mut env = Environment::default();
    match hardening::disable_core_dumps() {
        Ok(()) => {
            env.core_dumps_disabled = true;
            env.core_dumps_detail = "PR_SET_DUMPABLE 0, RLIMIT_CORE 0".into();
        }
        Err(e) if strict => return Err(Failure::new(exit::UNSAFE_ENVIRONMENT, e.to_string())),
        Err(e) => env.core_dumps_detail = e.to_string(),
    }
    match hardening::lock_memory() {
        Ok(detail) => {
            env.memory_locked = true;
            env.memory_detail = detail;
        }
        Err(e) if strict && !allow.unlocked_memory => {
            return Err(Failure::new(exit::UNSAFE_ENVIRONMENT, e.to_string()))
        }
        Err(e) => {
            env.memory_detail = e.to_string();
            if allow.unlocked_memory {
                env.overrides.push("allow-unlocked-memory".into());
            }
        }
    }
    env.checks = hardening::environment_checks();
    for check in &env.checks {
        if check.status != Status::Fail {
            continue;
        }
        let (allowed, flag) = match check.name {
            "swap" => (allow.swap, "--allow-swap"),
            "network" => (allow.network, "--allow-network"),
            _ => (false, ""),
        };
        if allowed {
            env.overrides.push(flag.trim_start_matches("--").into());
        } else if strict {
            let how = if flag.is_empty() {
                String::new()
            } else {
                format!(", or pass {flag} (recorded in the log)")
            };
            return Err(Failure::new(
                exit::UNSAFE_ENVIRONMENT,
                format!("unsafe environment: {}{how}", check.detail),
            ));
        }
    }
    Ok(env)
}

/// Prints the checklist on stderr; returns whether a real ceremony would start.
pub fn show(env: &Environment) -> bool {
    let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
    eprintln!("Environment checks:");
    eprintln!("  [{}] memory locked: {}", mark(env.memory_locked), env.memory_detail);
    eprintln!("  [{}] core dumps off: {}", mark(env.core_dumps_disabled), env.core_dumps_detail);
    for c in &env.checks {
        let m = match c.status {
            Status::Pass => "ok  ",
            Status::Fail => "FAIL",
            Status::Unknown => "??  ",
        };
        eprintln!("  [{m}] {}: {}", c.name, c.detail);
    }
    env.memory_locked && env.core_dumps_disabled && env.checks.iter().all(|c| c.status == Status::Pass)
}

pub fn run(a: PreflightArgs) -> Result<(), Failure> {
    let env = harden(false, Overrides::default())?;
    let safe = show(&env);
    if a.json {
        print_json(&json!({
            "ok": safe,
            "memory_locked": env.memory_locked,
            "memory_detail": env.memory_detail,
            "core_dumps_disabled": env.core_dumps_disabled,
            "checks": env.checks,
        }));
    }
    if safe {
        eprintln!("A ceremony can start on this machine.");
        Ok(())
    } else {
        Err(Failure::new(exit::UNSAFE_ENVIRONMENT, "this machine is not safe for a ceremony: fix each FAIL above (or accept it in `generate` with --allow-swap, --allow-network or --allow-unlocked-memory, which the log records)"))
    }
}
