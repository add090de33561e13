//! `preflight`, and the hardening every ceremony does first.

use byok_ceremony::ceremony::Environment;
use byok_ceremony::exit;
use byok_ceremony::hardening::{self, Status};
use serde_json::json;

use crate::output::{interactive, print_json, prompt, Failure};

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
        match check.override_flag() {
            Some(flag) if allowed(allow, flag) => {
                let name = flag.trim_start_matches("--").to_string();
                if !env.overrides.contains(&name) {
                    env.overrides.push(name);
                }
            }
            flag if strict => {
                let how = flag.map(|f| format!(", or pass {f} (recorded in the log)")).unwrap_or_default();
                return Err(Failure::new(
                    exit::UNSAFE_ENVIRONMENT,
                    format!("unsafe environment: {}{how}", check.detail),
                ));
            }
            _ => {}
        }
    }
    Ok(env)
}

fn allowed(allow: Overrides, flag: &str) -> bool {
    match flag {
        "--allow-unlocked-memory" => allow.unlocked_memory,
        "--allow-swap" => allow.swap,
        "--allow-network" => allow.network,
        _ => false,
    }
}

/// On a terminal, the operators acknowledge each warning (y/N): every check that warns, could not be
/// determined, or failed and was accepted with its `--allow-*` flag (in a ceremony any other failure
/// has stopped it already). A "no" stops the ceremony before anything exists (exit 4). The
/// acknowledged checks are recorded in the log. Off a terminal, warnings are only shown and logged.
pub fn acknowledge_warnings(env: &mut Environment) -> Result<(), Failure> {
    if !interactive() {
        return Ok(());
    }
    let warnings: Vec<(&'static str, String)> = env
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| {
            let how = match (c.status, c.override_flag()) {
                (Status::Fail, Some(flag)) => format!(" (accepted with {flag})"),
                (Status::Unknown, _) => " (could not be checked)".to_string(),
                _ => String::new(),
            };
            (c.name, format!("{}{how}", c.detail))
        })
        .collect();
    for (name, detail) in warnings {
        let answer = prompt(&format!("WARNING {name}: {detail}\n  Both operators accept this? [y/N] "))?;
        if !matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes") {
            return Err(Failure::new(
                exit::UNSAFE_ENVIRONMENT,
                format!(
                    "the operators did not accept the {name} warning: fix it, then start the ceremony again; nothing was generated"
                ),
            ));
        }
        env.acknowledged.push(name.to_string());
    }
    Ok(())
}

/// What a real `generate` (without overrides) would refuse in this environment, each with the flag
/// that accepts it, if any. A failed lock is named once, not again by its checks.
pub fn refusals(env: &Environment) -> Vec<String> {
    let mut out = Vec::new();
    if !env.core_dumps_disabled {
        out.push("core dumps".to_string());
    }
    if !env.memory_locked {
        out.push("memory not locked (--allow-unlocked-memory)".to_string());
    }
    for c in env.checks.iter().filter(|c| c.status == Status::Fail) {
        let flag = c.override_flag();
        let named_already = match c.name {
            "core_dumps" => !env.core_dumps_disabled,
            _ => flag == Some("--allow-unlocked-memory") && !env.memory_locked,
        };
        if !named_already {
            out.push(match flag {
                Some(f) => format!("{} ({f})", c.name),
                None => c.name.to_string(),
            });
        }
    }
    out
}

/// Prints the checklist on stderr; returns whether a real ceremony would start (warnings aside).
pub fn show(env: &Environment) -> bool {
    let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
    eprintln!("Environment checks:");
    eprintln!("  [{}] memory locked: {}", mark(env.memory_locked), env.memory_detail);
    eprintln!("  [{}] core dumps off: {}", mark(env.core_dumps_disabled), env.core_dumps_detail);
    for c in &env.checks {
        let m = match c.status {
            Status::Pass => "ok  ",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
            Status::Unknown => "??  ",
        };
        eprintln!("  [{m}] {}: {}", c.name, c.detail);
    }
    refusals(env).is_empty()
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
            "refusals": refusals(&env),
        }));
    }
    if safe {
        eprintln!("A ceremony can start on this machine.");
        Ok(())
    } else {
        Err(Failure::new(exit::UNSAFE_ENVIRONMENT, "this machine is not safe for a ceremony: fix each FAIL above (or accept it in `generate` with --allow-swap, --allow-network or --allow-unlocked-memory, which the log records)"))
    }
}

/// Before any share is read or typed (`recover`, `shares check`, `audit --share`): core dumps off
/// and memory locked, so the shares and the key they combine to never reach swap or a core file.
/// A lock that fails is exit 4 unless `allow_unlocked` (`--allow-unlocked-memory`), then a note.
pub fn lock_before_shares(allow_unlocked: bool) -> Result<(), Failure> {
    hardening::disable_core_dumps().map_err(|e| Failure::new(exit::UNSAFE_ENVIRONMENT, e.to_string()))?;
    match hardening::lock_memory() {
        Ok(detail) => eprintln!("Memory locked before reading the shares: {detail}"),
        Err(e) if !allow_unlocked => return Err(Failure::new(exit::UNSAFE_ENVIRONMENT, e.to_string())),
        Err(e) => eprintln!("note: going on with unlocked memory (--allow-unlocked-memory): {e}"),
    }
    Ok(())
}
