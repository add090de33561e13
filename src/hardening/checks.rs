//! The environment checks, each split in two: a pure function that judges the text of a kernel file
//! (tested with fixtures in `checks_tests.rs`), and a reader that feeds it from `/proc` or `/sys`.

use serde::Serialize;
use std::path::Path;

use super::{limit_text, sys, MEMLOCK_NEEDED};

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Safe.
    Pass,
    /// Not unsafe by itself, but the operators must know: on a terminal `generate` asks them to
    /// acknowledge it.
    Warn,
    /// Unsafe: a ceremony refuses unless overridden (see [`Check::override_flag`]).
    Fail,
    /// Could not be determined.
    Unknown,
}

/// One environment check.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Short machine name (`locked_memory`, `memlock_limit`, `core_dumps`, `core_pattern`, `swap`,
    /// `hibernation`, `network`, `wireless`, `rng`, `threads`).
    pub name: &'static str,
    /// Pass, warn, fail or unknown.
    pub status: Status,
    /// What was seen, and what to do about it.
    pub detail: String,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
        Check { name, status, detail: detail.into() }
    }

    /// The `generate` flag that accepts this check's failure (recorded in the log), if any.
    /// Failures without one (core dumps, RNG) always stop a ceremony.
    pub fn override_flag(&self) -> Option<&'static str> {
        match self.name {
            "locked_memory" | "memlock_limit" => Some("--allow-unlocked-memory"),
            "swap" => Some("--allow-swap"),
            "network" => Some("--allow-network"),
            _ => None,
        }
    }
}

/// Every check, in the order shown. Call after [`super::lock_memory`] and
/// [`super::disable_core_dumps`], so that the first checks see their effect.
pub fn environment_checks() -> Vec<Check> {
    let status = std::fs::read_to_string("/proc/self/status");
    let status = status.as_deref();
    let memlock = sys::get_rlimit(sys::Resource::Memlock);
    let core = sys::get_rlimit(sys::Resource::Core);
    vec![
        status.map_or_else(|e| unreadable("locked_memory", "/proc/self/status", e), locked_memory),
        match memlock {
            Ok((soft, hard)) => memlock_limit(soft, hard, super::has_cap_ipc_lock()),
            Err(e) => Check::new("memlock_limit", Status::Unknown, format!("getrlimit: {e}")),
        },
        match (sys::is_dumpable(), core) {
            (Ok(dumpable), Ok((soft, hard))) => core_dumps(dumpable, soft, hard),
            (Err(e), _) | (_, Err(e)) => Check::new("core_dumps", Status::Unknown, e.to_string()),
        },
        read_with("core_pattern", "/proc/sys/kernel/core_pattern", core_pattern),
        read_with("swap", "/proc/swaps", swap),
        hibernation_from(Path::new("/sys/power/resume")),
        network_from(Path::new("/sys/class/net")),
        wireless_from(Path::new("/sys/class/net"), Path::new("/sys/class/rfkill")),
        rng(sys::rng_ready()),
        status.map_or_else(|e| unreadable("threads", "/proc/self/status", e), threads),
    ]
}

fn unreadable(name: &'static str, path: &str, e: &std::io::Error) -> Check {
    Check::new(name, Status::Unknown, format!("cannot read {path}: {e}"))
}

fn read_with(name: &'static str, path: &str, judge: fn(&str) -> Check) -> Check {
    match std::fs::read_to_string(path) {
        Ok(text) => judge(&text),
        Err(e) => unreadable(name, path, &e),
    }
}

/// A `Key:   123 kB` field of `/proc/self/status`, in kB.
pub fn status_field(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// How much memory is really locked: `VmLck` of `/proc/self/status`.
pub fn locked_memory(status: &str) -> Check {
    match status_field(status, "VmLck") {
        Some(0) => Check::new(
            "locked_memory",
            Status::Fail,
            "VmLck 0 kB: no memory is locked, secrets could be swapped out",
        ),
        Some(kb) => Check::new("locked_memory", Status::Pass, format!("VmLck {kb} kB locked in RAM")),
        None => Check::new("locked_memory", Status::Unknown, "no VmLck line in /proc/self/status"),
    }
}

/// RLIMIT_MEMLOCK against what a ceremony needs (CAP_IPC_LOCK lifts the limit).
pub fn memlock_limit(soft: u64, hard: u64, cap_ipc_lock: bool) -> Check {
    let seen = format!("RLIMIT_MEMLOCK {} (hard {})", limit_text(soft), limit_text(hard));
    if cap_ipc_lock {
        Check::new("memlock_limit", Status::Pass, format!("{seen}; CAP_IPC_LOCK: not limited"))
    } else if soft >= MEMLOCK_NEEDED {
        Check::new("memlock_limit", Status::Pass, seen)
    } else {
        Check::new(
            "memlock_limit",
            Status::Fail,
            format!(
                "{seen}, below the {} a ceremony needs: raise it with `ulimit -l 8192` (or more) before starting",
                limit_text(MEMLOCK_NEEDED)
            ),
        )
    }
}

/// Core dumps: the process must not be dumpable and RLIMIT_CORE must be 0.
pub fn core_dumps(dumpable: bool, core_soft: u64, core_hard: u64) -> Check {
    let seen = format!(
        "PR_GET_DUMPABLE {}, RLIMIT_CORE {} (hard {})",
        u8::from(dumpable),
        limit_text(core_soft),
        limit_text(core_hard)
    );
    if !dumpable && core_soft == 0 {
        Check::new("core_dumps", Status::Pass, seen)
    } else {
        Check::new("core_dumps", Status::Fail, format!("{seen}: this process could dump its memory"))
    }
}

/// `/proc/sys/kernel/core_pattern`: a pattern starting with `|` pipes dumps to a program
/// (systemd-coredump, apport), which may keep them on disk.
pub fn core_pattern(text: &str) -> Check {
    let pattern = text.trim_end_matches('\n');
    if let Some(program) = pattern.strip_prefix('|') {
        let program = program.split_whitespace().next().unwrap_or("");
        Check::new(
            "core_pattern",
            Status::Warn,
            format!("core dumps are piped to {program}, which may store them on disk; this process is not dumpable, but `sysctl kernel.core_pattern=core` removes the risk"),
        )
    } else {
        Check::new(
            "core_pattern",
            Status::Pass,
            format!("core dumps go to a file ('{pattern}'), not a program"),
        )
    }
}

/// `/proc/swaps`: a header line, then one line per active swap device.
pub fn swap(text: &str) -> Check {
    let devices: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split_whitespace().next()).collect();
    if devices.is_empty() {
        Check::new("swap", Status::Pass, "no swap active")
    } else {
        Check::new(
            "swap",
            Status::Fail,
            format!("swap active on {} (turn it off with `swapoff -a`)", devices.join(", ")),
        )
    }
}

/// `/sys/power/resume`: `0:0` when no hibernation image device is set.
pub fn hibernation(text: &str) -> Check {
    let device = text.trim();
    if device.is_empty() || device == "0:0" {
        Check::new("hibernation", Status::Pass, "no resume device: the machine cannot hibernate to disk")
    } else {
        Check::new(
            "hibernation",
            Status::Warn,
            format!("hibernation resume device {device} is set: hibernating would write all RAM, locked memory included, to disk; do not suspend the machine (boot with `nohibernate`)"),
        )
    }
}

fn hibernation_from(path: &Path) -> Check {
    match std::fs::read_to_string(path) {
        Ok(text) => hibernation(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Check::new(
            "hibernation",
            Status::Pass,
            format!("no {}: the kernel cannot hibernate", path.display()),
        ),
        Err(e) => unreadable("hibernation", &path.display().to_string(), &e),
    }
}

/// Whether the `flags` file of a network interface has IFF_UP (0x1).
pub fn interface_up(flags: &str) -> bool {
    u64::from_str_radix(flags.trim().trim_start_matches("0x"), 16).is_ok_and(|f| f & 1 != 0)
}

/// Interfaces up, other than `lo`.
pub fn network(up: &[String]) -> Check {
    if up.is_empty() {
        Check::new("network", Status::Pass, "no interface up but lo")
    } else {
        Check::new(
            "network",
            Status::Fail,
            format!("interfaces up: {} (unplug the cable, or `ip link set DEV down`)", up.join(", ")),
        )
    }
}

/// The interfaces of `/sys/class/net` (sorted), with their `flags` text; `lo` left out.
fn interfaces(dir: &Path) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let mut out: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| name != "lo")
        .collect();
    out.sort();
    Ok(out)
}

pub(super) fn network_from(dir: &Path) -> Check {
    match interfaces(dir) {
        Ok(list) => {
            let up: Vec<String> = list
                .into_iter()
                .filter(|(_, p)| interface_up(&std::fs::read_to_string(p.join("flags")).unwrap_or_default()))
                .map(|(n, _)| n)
                .collect();
            network(&up)
        }
        Err(e) => unreadable("network", &dir.display().to_string(), &e),
    }
}

/// One radio of `/sys/class/rfkill/rfkillN`: its `name`, `type`, `soft` and `hard` files as read.
#[derive(Clone, Debug, Default)]
pub struct Radio {
    /// `name`, e.g. `phy0` or `hci0`.
    pub name: String,
    /// `type`, e.g. `wlan`, `bluetooth`, `wwan`.
    pub kind: String,
    /// `soft`: `1` when blocked by software (`rfkill block`).
    pub soft: String,
    /// `hard`: `1` when blocked by a switch.
    pub hard: String,
}

impl Radio {
    fn blocked(&self) -> bool {
        self.soft.trim() == "1" || self.hard.trim() == "1"
    }
}

/// Wireless interfaces (those with a `wireless` folder in `/sys/class/net/DEV`) and radios.
/// A radio that is not blocked can be brought up again by anyone who reaches the machine.
pub fn wireless(wireless_interfaces: &[String], radios: &[Radio]) -> Check {
    let on: Vec<String> = radios
        .iter()
        .filter(|r| !r.blocked())
        .map(|r| format!("{} ({})", r.name.trim(), r.kind.trim()))
        .collect();
    if !on.is_empty() {
        return Check::new(
            "wireless",
            Status::Warn,
            format!("radios not blocked: {}; block them with `rfkill block all`", on.join(", ")),
        );
    }
    if radios.is_empty() && !wireless_interfaces.is_empty() {
        return Check::new(
            "wireless",
            Status::Warn,
            format!(
                "wireless interfaces {} without rfkill state: remove the adapter or its driver",
                wireless_interfaces.join(", ")
            ),
        );
    }
    if radios.is_empty() {
        Check::new("wireless", Status::Pass, "no wireless interface or radio")
    } else {
        Check::new("wireless", Status::Pass, format!("all {} radios blocked", radios.len()))
    }
}

pub(super) fn wireless_from(net: &Path, rfkill: &Path) -> Check {
    let wireless_interfaces: Vec<String> = interfaces(net)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, p)| p.join("wireless").is_dir() || p.join("phy80211").exists())
        .map(|(n, _)| n)
        .collect();
    let mut radios: Vec<(String, Radio)> = match std::fs::read_dir(rfkill) {
        Ok(entries) => entries
            .flatten()
            .map(|e| {
                let read = |f: &str| std::fs::read_to_string(e.path().join(f)).unwrap_or_default();
                let radio =
                    Radio { name: read("name"), kind: read("type"), soft: read("soft"), hard: read("hard") };
                (e.file_name().to_string_lossy().into_owned(), radio)
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return unreadable("wireless", &rfkill.display().to_string(), &e),
    };
    radios.sort_by(|a, b| a.0.cmp(&b.0));
    let radios: Vec<Radio> = radios.into_iter().map(|(_, r)| r).collect();
    wireless(&wireless_interfaces, &radios)
}

/// The kernel RNG: a non-blocking `getrandom` succeeds once it is initialised.
pub fn rng(ready: std::io::Result<bool>) -> Check {
    match ready {
        Ok(true) => Check::new("rng", Status::Pass, "kernel RNG initialised (getrandom)"),
        Ok(false) => Check::new("rng", Status::Fail, "kernel RNG not yet initialised: wait, then try again"),
        Err(e) => Check::new("rng", Status::Unknown, format!("getrandom: {e}")),
    }
}

/// `Threads` of `/proc/self/status`: a ceremony runs on one thread, so nothing else holds secrets
/// or grows the locked footprint.
pub fn threads(status: &str) -> Check {
    match status_field(status, "Threads") {
        Some(1) => Check::new("threads", Status::Pass, "1 thread"),
        Some(n) => Check::new("threads", Status::Warn, format!("{n} threads: a ceremony should run on one")),
        None => Check::new("threads", Status::Unknown, "no Threads line in /proc/self/status"),
    }
}

#[cfg(test)]
/// The `VmFlags` of the mapping of `/proc/self/smaps` that contains `addr`.
pub(crate) fn vma_flags(smaps: &str, addr: usize) -> Option<String> {
    let mut inside = false;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some((lo, hi)) = first.split_once('-').filter(|_| !first.ends_with(':')) {
            if let (Ok(lo), Ok(hi)) = (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16)) {
                inside = (lo..hi).contains(&addr);
                continue;
            }
        }
        if inside {
            if let Some(flags) = line.strip_prefix("VmFlags:") {
                return Some(flags.trim().to_string());
            }
        }
    }
    None
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
