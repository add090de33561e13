//! The only `unsafe` code in the crate: thin wrappers over the Linux syscalls that lock memory,
//! stop core dumps and probe the RNG. Each wrapper passes plain integers or a pointer to a local
//! that lives for the whole call, and turns the C return value into an `io::Result`.
#![allow(unsafe_code)]

use std::io;

fn check(ret: libc::c_int) -> io::Result<()> {
    if ret == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `mlockall(MCL_CURRENT | MCL_FUTURE)`: every page now mapped, and every page mapped later, stays in RAM.
pub fn mlockall() -> io::Result<()> {
    // SAFETY: mlockall takes only flags and touches no Rust-visible memory.
    check(unsafe { libc::mlockall(libc::MCL_CURRENT | libc::MCL_FUTURE) })
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

/// Turns the terminal's echo on or off for `fd` (`tcgetattr`/`tcsetattr`, `ECHO` flag), for typing a
/// passphrase unseen. Returns whether echo was on before.
pub fn set_echo(fd: libc::c_int, on: bool) -> io::Result<bool> {
    // SAFETY: an all-zero termios is a valid value of this plain C struct; tcgetattr overwrites it.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is a writable termios that outlives the call.
    check(unsafe { libc::tcgetattr(fd, &mut t) })?;
    let was_on = t.c_lflag & libc::ECHO != 0;
    if on {
        t.c_lflag |= libc::ECHO;
    } else {
        t.c_lflag &= !libc::ECHO;
    }
    // SAFETY: `t` is a valid termios read back from the same fd; the kernel only reads it.
    check(unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) })?;
    Ok(was_on)
}
