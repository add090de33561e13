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

/// The least RLIMIT_MEMLOCK (bytes) a ceremony asks for: 8 MiB, the kernel's default since Linux
/// 5.16, so a ceremony runs unprivileged. Only writable memory is locked (see [`lock_memory`]), and a
/// whole AES-256 ceremony keeps that well below this (`benches/footprint.sh`, docs/hardening.md).
/// With CAP_IPC_LOCK the limit does not apply.
pub const MEMLOCK_NEEDED: u64 = 8 * 1024 * 1024;

/// What must still be lockable once the process is locked, for the ceremony's own allocations
/// (heap, stack, QR images); a smaller margin refuses to start rather than fail an allocation later.
pub const MEMLOCK_HEADROOM: u64 = 4 * 1024 * 1024;

/// Why the process could not be hardened. Both are exit 4 unless overridden.
#[derive(Debug, thiserror::Error)]
pub enum HardeningError {
    /// Memory could not be locked.
    #[error("memory cannot be locked ({0}): raise RLIMIT_MEMLOCK with `ulimit -l 8192` (or more) before starting, or pass --allow-unlocked-memory to accept that secrets may reach swap")]
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

/// The writable mappings of `/proc/self/maps` text, as (start, length): the memory that can hold a
/// secret (heap, stack, anonymous mappings, the writable data of the binary and its libraries).
pub fn writable_mappings(maps: &str) -> Vec<(usize, usize)> {
    writable_mapping_iter(maps).collect()
}

fn writable_mapping_iter(maps: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    maps.lines().filter_map(|line| {
        let mut fields = line.split_whitespace();
        let (range, perms) = (fields.next()?, fields.next()?);
        let (lo, hi) = range.split_once('-')?;
        let (lo, hi) = (usize::from_str_radix(lo, 16).ok()?, usize::from_str_radix(hi, 16).ok()?);
        (perms.as_bytes().get(1) == Some(&b'w') && hi > lo).then(|| (lo, hi - lo))
    })
}

/// `mlock` on every writable mapping of `/proc/self/maps`.
///
/// Nothing may be freed between the read of the maps and the last `mlock`: musl's allocator
/// returns freed pages to the kernel at once, and `mlock` of a range that is no longer mapped fails
/// with ENOMEM although nothing is wrong (the static binary failed every ceremony so). So the text
/// is read into a buffer reserved beforehand and the ranges go into a vector with room for every
/// line, and both live until the locks are done; anything mapped later is locked by MCL_FUTURE.
/// A pass that still fails is tried again (a pass frees its buffers before the next one reads).
/// Regression: `regression_musl_static_binary_could_not_lock_memory`.
fn lock_writable_mappings() -> Result<(), String> {
    let mut error = String::new();
    for _ in 0..3 {
        let mut maps = String::with_capacity(64 * 1024);
        std::fs::File::open("/proc/self/maps")
            .and_then(|mut f| std::io::Read::read_to_string(&mut f, &mut maps))
            .map_err(|e| format!("/proc/self/maps: {e}"))?;
        let mut ranges = Vec::with_capacity(maps.lines().count());
        ranges.extend(writable_mapping_iter(&maps));
        let failed =
            ranges.iter().find_map(|&(start, len)| sys::mlock_range(start, len).err().map(|e| (len, e)));
        match failed {
            None => return Ok(()),
            Some((len, e)) if e.kind() == std::io::ErrorKind::OutOfMemory => {
                error = format!("mlock of {} KiB: {e}", len / 1024)
            }
            Some((len, e)) => return Err(format!("mlock of {} KiB: {e}", len / 1024)),
        }
    }
    Err(error)
}

/// Locks the memory that can hold secrets, now and later, and returns what it did (for the log).
///
/// `mlockall(MCL_FUTURE)` first, so that every page mapped from then on is locked; then `mlock` on
/// every writable mapping that already exists. Read-only and executable file mappings (the code of
/// the binary and its libraries) are left alone: they hold no secret, and the kernel never writes
/// clean file pages to swap, so locking them would only inflate the footprint past the default
/// RLIMIT_MEMLOCK. Refuses (rather than risk an allocation failing mid-ceremony) when
/// RLIMIT_MEMLOCK is below [`MEMLOCK_NEEDED`] or leaves less than [`MEMLOCK_HEADROOM`] free once
/// locked, unless the process holds CAP_IPC_LOCK. On refusal every lock is undone.
pub fn lock_memory() -> Result<String, HardeningError> {
    let (soft, hard) =
        sys::get_rlimit(sys::Resource::Memlock).map_err(|e| HardeningError::MemoryLock(e.to_string()))?;
    let mut soft = soft;
    if soft < hard && sys::set_rlimit(sys::Resource::Memlock, hard, hard).is_ok() {
        soft = hard;
    }
    let cap = has_cap_ipc_lock();
    if soft < MEMLOCK_NEEDED && !cap {
        return Err(HardeningError::MemoryLock(format!(
            "RLIMIT_MEMLOCK is {}, a ceremony needs {} or CAP_IPC_LOCK",
            limit_text(soft),
            limit_text(MEMLOCK_NEEDED)
        )));
    }
    let undo = |why: String| {
        let _ = sys::munlockall();
        HardeningError::MemoryLock(format!("{why}; RLIMIT_MEMLOCK is {}", limit_text(soft)))
    };
    sys::mlockall_future().map_err(|e| undo(format!("mlockall(MCL_FUTURE): {e}")))?;
    lock_writable_mappings().map_err(undo)?;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let locked_kb = checks::status_field(&status, "VmLck").unwrap_or(0);
    let free = soft.saturating_sub(locked_kb * 1024);
    if !cap && free < MEMLOCK_HEADROOM {
        return Err(undo(format!(
            "{locked_kb} kB locked leaves {} of the limit, a ceremony needs {} more",
            limit_text(free),
            limit_text(MEMLOCK_HEADROOM)
        )));
    }
    let cap = if cap { " (CAP_IPC_LOCK: not limited)" } else { "" };
    Ok(format!(
        "{locked_kb} kB of writable memory locked (mlock), and every later mapping (mlockall MCL_FUTURE); RLIMIT_MEMLOCK {}{cap}",
        limit_text(soft)
    ))
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

/// Terminal echo turned off on a file descriptor until dropped, also if the operators press Ctrl-C
/// (or the process gets SIGTERM/SIGHUP) meanwhile: the handler puts the settings back and exits
/// with 128 + the signal. For typed secrets (dice rolls, passphrases), before any key exists.
pub struct EchoOff {
    fd: i32,
    saved: sys::TermState,
    handlers: Vec<signal_hook::SigId>,
}

impl EchoOff {
    /// Turns echo off on the terminal `fd` (an error when `fd` is not a terminal).
    pub fn new(fd: i32) -> std::io::Result<EchoOff> {
        let saved = sys::term_state(fd)?;
        let handlers = sys::restore_on_signals(fd, saved)?;
        if let Err(e) = sys::set_term_state(fd, &sys::without_echo(&saved)) {
            sys::unregister(handlers);
            return Err(e);
        }
        Ok(EchoOff { fd, saved, handlers })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = sys::set_term_state(self.fd, &self.saved);
        sys::unregister(std::mem::take(&mut self.handlers));
    }
}

/// Opens an inherited file descriptor for reading (`--dice-fd N`): a duplicate of it, closed on drop.
pub fn inherited_file(fd: i32) -> std::io::Result<std::fs::File> {
    sys::dup_inherited(fd).map(std::fs::File::from)
}

#[cfg(test)]
mod lock_tests {
    /// The static musl binary failed `preflight` and every ceremony with "mlock of 4 KiB: Out of
    /// memory": the buffer that held /proc/self/maps was freed (and unmapped by musl's allocator)
    /// before the mlock of its own pages. Locking must succeed however often it is repeated.
    #[test]
    fn regression_musl_static_binary_could_not_lock_memory() {
        for _ in 0..20 {
            match super::lock_writable_mappings() {
                Ok(()) => {}
                // A test machine's RLIMIT_MEMLOCK may be too low for the whole test binary.
                Err(e) if e.contains("Cannot allocate memory") || e.contains("Out of memory") => {
                    assert!(super::sys::get_rlimit(super::sys::Resource::Memlock).unwrap().0 < 64 << 20)
                }
                Err(e) => panic!("{e}"),
            }
        }
        let _ = super::sys::munlockall();
    }
}
