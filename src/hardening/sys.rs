//! The only `unsafe` code in the crate: thin wrappers over the Linux syscalls that lock memory,
//! stop core dumps, probe the RNG and turn terminal echo off. Each wrapper passes plain integers or
//! a pointer to a local that lives for the whole call, and turns the C return value into an
//! `io::Result`.
#![allow(unsafe_code)]

use std::io;

fn check(ret: libc::c_int) -> io::Result<()> {
    if ret == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `mlockall(MCL_FUTURE)`: every page mapped from now on (heap growth, large allocations, stack
/// growth) is locked when it is mapped; a mapping beyond RLIMIT_MEMLOCK fails instead.
pub fn mlockall_future() -> io::Result<()> {
    // SAFETY: mlockall takes only flags and touches no Rust-visible memory.
    check(unsafe { libc::mlockall(libc::MCL_FUTURE) })
}

/// `munlockall()`: undoes [`mlockall_future`] and [`mlock_range`] (used when locking failed, so
/// that an accepted `--allow-unlocked-memory` does not leave later allocations failing).
pub fn munlockall() -> io::Result<()> {
    // SAFETY: munlockall takes no arguments and touches no Rust-visible memory.
    check(unsafe { libc::munlockall() })
}

/// `mlock(start, len)` over a range of this process's address space, as listed in
/// `/proc/self/maps`.
pub fn mlock_range(start: usize, len: usize) -> io::Result<()> {
    // SAFETY: mlock only sets VM_LOCKED on the mappings of the range and faults their pages in;
    // it never changes their contents, protection or placement, so no Rust reference is affected.
    // A range that is not (or no longer) mapped makes it fail with ENOMEM, which is returned.
    check(unsafe { libc::mlock(start as *const libc::c_void, len) })
}

/// `prctl(PR_SET_DUMPABLE, 0)`: no core dump, and no ptrace attach by other processes of the same user.
pub fn set_not_dumpable() -> io::Result<()> {
    // SAFETY: PR_SET_DUMPABLE takes an integer argument; the trailing arguments are ignored zeros.
    check(unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0) })
}

/// `prctl(PR_GET_DUMPABLE)`: whether the process may dump core.
pub fn is_dumpable() -> io::Result<bool> {
    // SAFETY: PR_GET_DUMPABLE reads a flag of the calling process and returns it.
    let ret = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(ret != 0)
}

/// The resource limits the ceremony touches. (glibc and musl give the RLIMIT_* constants different
/// C types, so callers name the resource and each call site passes the constant directly.)
#[derive(Clone, Copy)]
pub enum Resource {
    /// RLIMIT_CORE: largest core dump.
    Core,
    /// RLIMIT_MEMLOCK: most memory that may be locked.
    Memlock,
}

/// Reads a resource limit as (soft, hard); `u64::MAX` is unlimited.
pub fn get_rlimit(resource: Resource) -> io::Result<(u64, u64)> {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `lim` is a valid, writable rlimit that outlives the call.
    check(match resource {
        Resource::Core => unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) },
        Resource::Memlock => unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut lim) },
    })?;
    Ok((lim.rlim_cur, lim.rlim_max))
}

/// Sets a resource limit.
pub fn set_rlimit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let lim = libc::rlimit { rlim_cur: soft, rlim_max: hard };
    // SAFETY: `lim` is a valid rlimit that outlives the call; the kernel only reads it.
    check(match resource {
        Resource::Core => unsafe { libc::setrlimit(libc::RLIMIT_CORE, &lim) },
        Resource::Memlock => unsafe { libc::setrlimit(libc::RLIMIT_MEMLOCK, &lim) },
    })
}

/// Whether the kernel's RNG is initialised: a non-blocking `getrandom` of one byte succeeds.
pub fn rng_ready() -> io::Result<bool> {
    let mut byte = [0u8; 1];
    // SAFETY: the buffer is a valid, writable local of the length passed.
    let ret = unsafe { libc::getrandom(byte.as_mut_ptr().cast(), 1, libc::GRND_NONBLOCK) };
    if ret == 1 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::EAGAIN) {
        Ok(false)
    } else {
        Err(err)
    }
}

/// Bytes available to an unprivileged writer on the file system holding `path` (`statvfs`).
pub fn free_bytes(path: &std::path::Path) -> io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))?;
    // SAFETY: an all-zero statvfs is a valid value of this plain C struct.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c_path` is a NUL-terminated string and `st` a writable statvfs; both outlive the call.
    check(unsafe { libc::statvfs(c_path.as_ptr(), &mut st) })?;
    Ok((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

/// The size of a memory page (`sysconf(_SC_PAGESIZE)`), 4096 if the call fails.
fn page_size() -> usize {
    // SAFETY: sysconf takes an integer name and reads no Rust-visible memory.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).ok().filter(|s| s.is_power_of_two()).unwrap_or(4096)
}

/// `madvise(MADV_DONTDUMP)` over the whole pages that contain `buf`: the kernel leaves them out of
/// any core dump. An empty buffer is left alone.
pub fn dont_dump(buf: &[u8]) -> io::Result<()> {
    if buf.is_empty() {
        return Ok(());
    }
    let page = page_size();
    let start = buf.as_ptr() as usize & !(page - 1);
    let end = (buf.as_ptr() as usize + buf.len()).div_ceil(page) * page;
    // SAFETY: MADV_DONTDUMP only sets a flag (VM_DONTDUMP) on the mappings of the range, which the
    // kernel reads when it writes a core dump; it never changes the contents, the protection or the
    // placement of those pages, so no Rust reference is affected. The range is page-aligned, as
    // madvise requires, and lies in memory this process has mapped, since `buf` lives there.
    check(unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTDUMP) })
}

/// A terminal's settings, as `tcgetattr` returned them.
#[derive(Clone, Copy)]
pub struct TermState(libc::termios);

/// The settings of the terminal on `fd` (ENOTTY when it is not a terminal).
pub fn term_state(fd: libc::c_int) -> io::Result<TermState> {
    // SAFETY: an all-zero termios is a valid value of this plain C struct.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is a writable termios that outlives the call; the kernel only writes it.
    check(unsafe { libc::tcgetattr(fd, &mut t) })?;
    Ok(TermState(t))
}

/// Applies `state` to the terminal on `fd` at once (`TCSANOW`).
pub fn set_term_state(fd: libc::c_int, state: &TermState) -> io::Result<()> {
    // SAFETY: `state.0` is a termios read by tcgetattr (possibly with flags cleared); the kernel only
    // reads it during the call. tcsetattr is async-signal-safe, so this may also run in a handler.
    check(unsafe { libc::tcsetattr(fd, libc::TCSANOW, &state.0) })
}

/// `state` without echo (ECHO, ECHONL cleared); line editing and Ctrl-C keep working.
pub fn without_echo(state: &TermState) -> TermState {
    let mut t = state.0;
    t.c_lflag &= !(libc::ECHO | libc::ECHONL);
    TermState(t)
}

/// On SIGINT, SIGTERM or SIGHUP: put `saved` back on the terminal `fd`, then exit at once with
/// 128 + the signal number, as the default action would (nothing secret exists yet when this is
/// used: it guards typed input before a ceremony starts). Returns the handler ids to
/// [`unregister`].
pub fn restore_on_signals(fd: libc::c_int, saved: TermState) -> io::Result<Vec<signal_hook::SigId>> {
    let mut ids = Vec::new();
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let action = move || {
            let _ = set_term_state(fd, &saved);
            signal_hook::low_level::exit(128 + signal);
        };
        // SAFETY: the action only calls tcsetattr and _exit, both async-signal-safe, allocates
        // nothing and takes no lock; it owns a copy of the saved settings.
        ids.push(unsafe { signal_hook::low_level::register(signal, action) }?);
    }
    Ok(ids)
}

/// Removes handlers installed by [`restore_on_signals`].
pub fn unregister(ids: Vec<signal_hook::SigId>) {
    for id in ids {
        signal_hook::low_level::unregister(id);
    }
}

/// A new descriptor for an inherited open file `fd` (e.g. `--dice-fd 3` with `3< rolls.txt`).
/// Opening `/proc/self/fd/N` instead is refused once the process is not dumpable (its /proc
/// entries then belong to root), so the descriptor itself is duplicated.
pub fn dup_inherited(fd: libc::c_int) -> io::Result<std::os::fd::OwnedFd> {
    // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF when `fd` is not open.
    if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is open (checked just above, and the process runs one thread, so nothing closes
    // it meanwhile); the borrow lives only for this call, which duplicates it (F_DUPFD_CLOEXEC)
    // into a descriptor that the returned OwnedFd alone owns.
    let borrowed = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    borrowed.try_clone_to_owned()
}
