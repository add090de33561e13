//! Process hardening and environment checks.
//!
//! Before any secret exists the ceremony locks all memory (so nothing can be swapped out) and turns
//! off core dumps; then it checks the machine (swap, network, RNG). Failures are reported with what
//! to do; the caller decides whether they stop the ceremony (exit 4) or, with an override, are logged.

mod sys;

use serde::Serialize;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The least RLIMIT_MEMLOCK (bytes) that lets `mlockall(MCL_FUTURE)` cover a whole ceremony without
/// later allocations failing. With CAP_IPC_LOCK the limit does not apply.
pub const MEMLOCK_NEEDED: u64 = 256 * 1024 * 1024;

/// Why the process could not be hardened. Both are exit 4 unless overridden.
#[derive(Debug, thiserror::Error)]
pub enum HardeningError {
    /// Memory could not be locked.
    #[error("memory cannot be locked ({0}): raise RLIMIT_MEMLOCK with `ulimit -l unlimited` as root (or run as root), or pass --allow-unlocked-memory to accept that secrets may reach swap")]
    MemoryLock(String),
    /// Core dumps could not be disabled.
    #[error("core dumps cannot be disabled ({0}): run on the ceremony live system, where this works")]
    CoreDumps(String),
}

impl crate::exit::ExitStatus for HardeningError {
    fn exit_code(&self) -> u8 {
        crate::exit::UNSAFE_ENVIRONMENT
    }
}

fn limit_text(v: u64) -> String {
    if v >= u64::MAX / 2 {
        "unlimited".into()
    } else if v >= 1024 * 1024 && v.is_multiple_of(1024 * 1024) {
        format!("{} MiB", v / (1024 * 1024))
    } else {
        format!("{} KiB", v / 1024)
    }
}

/// Whether the process holds CAP_IPC_LOCK (bit 14 of CapEff in /proc/self/status).
fn has_cap_ipc_lock() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << 14) != 0)
}

/// Locks all current and future memory. Refuses (rather than risking a later allocation failure)
/// when RLIMIT_MEMLOCK is below [`MEMLOCK_NEEDED`] and the process lacks CAP_IPC_LOCK.
pub fn lock_memory() -> Result<String, HardeningError> {
    let (soft, hard) =
        sys::get_rlimit(sys::Resource::Memlock).map_err(|e| HardeningError::MemoryLock(e.to_string()))?;
    let mut soft = soft;
    if soft < hard && sys::set_rlimit(sys::Resource::Memlock, hard, hard).is_ok() {
        soft = hard;
    }
    if soft < MEMLOCK_NEEDED && !has_cap_ipc_lock() {
        return Err(HardeningError::MemoryLock(format!(
            "RLIMIT_MEMLOCK is {}, the ceremony needs {} or CAP_IPC_LOCK",
            limit_text(soft),
            limit_text(MEMLOCK_NEEDED)
        )));
    }
    sys::mlockall().map_err(|e| {
        HardeningError::MemoryLock(format!("mlockall: {e}; RLIMIT_MEMLOCK is {}", limit_text(soft)))
    })?;
    let cap = if has_cap_ipc_lock() { " (CAP_IPC_LOCK: not limited)" } else { "" };
    Ok(format!("mlockall(MCL_CURRENT|MCL_FUTURE); RLIMIT_MEMLOCK {}{cap}", limit_text(soft)))
}

/// Turns off core dumps: PR_SET_DUMPABLE 0 and RLIMIT_CORE 0.
pub fn disable_core_dumps() -> Result<(), HardeningError> {
    sys::set_rlimit(sys::Resource::Core, 0, 0)
        .map_err(|e| HardeningError::CoreDumps(format!("RLIMIT_CORE: {e}")))?;
    sys::set_not_dumpable().map_err(|e| HardeningError::CoreDumps(format!("PR_SET_DUMPABLE: {e}")))?;
    match sys::is_dumpable() {
        Ok(false) => Ok(()),
        Ok(true) => Err(HardeningError::CoreDumps("the process is still dumpable".into())),
        Err(e) => Err(HardeningError::CoreDumps(e.to_string())),
    }
}

/// Free bytes on the file system that holds `path` (or its nearest existing ancestor).
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    let mut p = path;
    loop {
        if p.exists() {
            return sys::free_bytes(p);
        }
        match p.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => p = parent,
            _ => return sys::free_bytes(Path::new(".")),
        }
    }
}

/// A flag that SIGINT, SIGTERM and SIGHUP set instead of killing the process, so a ceremony that is
/// interrupted stops at its next step, removes what it staged, and seals and signs its log.
/// (SIGKILL cannot be caught; see the runbook.) No thread is started: the handler only sets the flag.
pub fn catch_interrupts() -> std::io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&flag))?;
    }
    Ok(flag)
}

/// Turns the echo of the terminal on standard input off (`on == false`) or back on, for typing a
/// passphrase unseen; returns whether it was on. Fails when standard input is not a terminal.
pub fn set_stdin_echo(on: bool) -> std::io::Result<bool> {
    sys::set_echo(0, on)
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Safe.
    Pass,
    /// Unsafe: a ceremony refuses unless overridden.
    Fail,
    /// Could not be determined.
    Unknown,
}

/// One environment check.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Short machine name (`swap`, `network`, `rng`).
    pub name: &'static str,
    /// Pass, fail or unknown.
    pub status: Status,
    /// What was seen.
    pub detail: String,
}

/// Swap, network and RNG checks (memory lock and core dumps are reported by their own calls).
pub fn environment_checks() -> Vec<Check> {
    vec![check_swap(Path::new("/proc/swaps")), check_network(Path::new("/sys/class/net")), check_rng()]
}

fn check_swap(path: &Path) -> Check {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let devices: Vec<&str> =
                text.lines().skip(1).filter_map(|l| l.split_whitespace().next()).collect();
            if devices.is_empty() {
                Check { name: "swap", status: Status::Pass, detail: "no swap active".into() }
            } else {
                Check {
                    name: "swap",
                    status: Status::Fail,
                    detail: format!("swap active on {} (turn it off with `swapoff -a`)", devices.join(", ")),
                }
            }
        }
        Err(e) => Check {
            name: "swap",
            status: Status::Unknown,
            detail: format!("cannot read {}: {e}", path.display()),
        },
    }
}

fn check_network(dir: &Path) -> Check {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return Check {
                name: "network",
                status: Status::Unknown,
                detail: format!("cannot read {}: {e}", dir.display()),
            }
        }
    };
    let mut up: Vec<String> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "lo" {
            continue;
        }
        let flags = std::fs::read_to_string(entry.path().join("flags")).unwrap_or_default();
        let flags = u64::from_str_radix(flags.trim().trim_start_matches("0x"), 16).unwrap_or(0);
        if flags & 1 != 0 {
            up.push(name);
        }
    }
    up.sort();
    if up.is_empty() {
        Check { name: "network", status: Status::Pass, detail: "no interface up but lo".into() }
    } else {
        Check {
            name: "network",
            status: Status::Fail,
            detail: format!("interfaces up: {} (unplug the cable, or `ip link set DEV down`)", up.join(", ")),
        }
    }
}

fn check_rng() -> Check {
    match sys::rng_ready() {
        Ok(true) => {
            Check { name: "rng", status: Status::Pass, detail: "kernel RNG initialised (getrandom)".into() }
        }
        Ok(false) => Check {
            name: "rng",
            status: Status::Fail,
            detail: "kernel RNG not yet initialised: wait, then try again".into(),
        },
        Err(e) => Check { name: "rng", status: Status::Unknown, detail: format!("getrandom: {e}") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_file_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("swaps");
        std::fs::write(&p, "Filename\tType\tSize\tUsed\tPriority\n").unwrap();
        assert_eq!(check_swap(&p).status, Status::Pass);
        std::fs::write(&p, "Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 100 0 -2\n").unwrap();
        let c = check_swap(&p);
        assert_eq!(c.status, Status::Fail);
        assert!(c.detail.contains("/dev/sda2"));
    }

    #[test]
    fn network_flags_parsing() {
        let dir = tempfile::tempdir().unwrap();
        for (name, flags) in [("lo", "0x9"), ("eth0", "0x1003"), ("wlan0", "0x1002")] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
            std::fs::write(dir.path().join(name).join("flags"), flags).unwrap();
        }
        let c = check_network(dir.path());
        assert_eq!(c.status, Status::Fail);
        assert!(c.detail.contains("eth0") && !c.detail.contains("wlan0"));
    }

    #[test]
    fn rng_is_ready_here() {
        assert_eq!(check_rng().status, Status::Pass);
    }
}
