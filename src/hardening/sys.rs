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
