//! Process hardening and environment checks.
//!
//! Before any secret exists the ceremony locks all memory (so nothing can be swapped out) and turns
//! off core dumps; then it checks the machine ([`environment_checks`]: locked memory, limits, core
//! dumps, swap, hibernation, network, radios, RNG, threads). Failures are reported with what
//! to do; the caller decides whether they stop the ceremony (exit 4) or, with an override, are logged.

mod checks;
mod sys;

pub use checks::*;
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

pub(crate) fn limit_text(v: u64) -> String {
    if v >= u64::MAX / 2 {
        "unlimited".into()
    } else if v >= 1024 * 1024 && v.is_multiple_of(1024 * 1024) {
        format!("{} MiB", v / (1024 * 1024))
    } else {
        format!("{} KiB", v / 1024)
    }
}

/// Whether the process holds CAP_IPC_LOCK (bit 14 of CapEff in /proc/self/status).
pub(crate) fn has_cap_ipc_lock() -> bool {
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

/// Marks the whole pages that hold `buf` MADV_DONTDUMP, so a core dump (should one happen despite
/// [`disable_core_dumps`]) leaves them out. Other data sharing those pages is left out too, which is
/// harmless. Best effort where the platform lacks it; used for [`crate::secret::TargetKey`].
pub fn exclude_from_core_dumps(buf: &[u8]) -> std::io::Result<()> {
    sys::dont_dump(buf)
}
