//! Files that are either whole or absent.
//!
//! Artifacts are written into a staging folder inside the output directory and moved into place by
//! `rename` only when the whole ceremony has succeeded; on failure the staging folder is removed, so
//! nothing half-written is ever left where a person would take it for a result.

use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// File-system failures, each naming the path.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// The output directory already holds something.
    #[error("{0} exists and is not empty: choose a new {1} directory (outputs never mix with other files)")]
    NotEmpty(String, &'static str),
    /// The output path is a file.
    #[error("{0} exists and is not a directory (or is a dangling link): choose a new {1} directory")]
    NotADirectory(String, &'static str),
    /// The output directory (or the folder it would be made in) cannot be written.
    #[error("{flag} {path} is not writable: no folder can be made in {at} ({reason}); choose a folder on a disk mounted read-write")]
    NotWritable {
        /// The flag that named it.
        flag: &'static str,
        /// The path.
        path: String,
        /// Where the probe was made: the directory or its deepest existing ancestor.
        at: String,
        /// What the probe said.
        reason: String,
    },
    /// Any I/O error.
    #[error("cannot write {path}: {source}; check the disk is mounted read-write and has space")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

impl crate::exit::ExitStatus for FsError {
    fn exit_code(&self) -> u8 {
        match self {
            FsError::NotEmpty(..) | FsError::NotADirectory(..) => crate::exit::USAGE,
            FsError::Io { .. } | FsError::NotWritable { .. } => crate::exit::FAILED,
        }
    }
}

/// Wraps an I/O error with its path.
pub fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> FsError + '_ {
    move |source| FsError::Io { path: path.display().to_string(), source }
}

/// Refuses an output directory that exists and is not empty (checked before anything happens);
/// `flag` names the option that gave it (`--out`, `--shares-dir`).
pub fn check_fresh_dir(dir: &Path, flag: &'static str) -> Result<(), FsError> {
    let shown = || dir.display().to_string();
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(FsError::NotEmpty(shown(), flag))
            } else {
                Ok(())
            }
        }
        Err(_) if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) => {
            Err(FsError::NotADirectory(shown(), flag))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => Err(FsError::NotADirectory(shown(), flag)),
        Err(e) => Err(io_err(dir)(e)),
    }
}

/// Refuses an output directory that cannot be written: a folder is made and removed again in the
/// directory itself when it exists, else in its deepest existing ancestor (a read-only mount or a
/// pseudo file system such as /proc fails here, before any key or log exists).
pub fn check_writable(dir: &Path, flag: &'static str) -> Result<(), FsError> {
    let mut at = resolve(dir);
    while !at.is_dir() {
        if !at.pop() {
            break;
        }
    }
    let probe = at.join(format!(".byok-ceremony-probe-{}", std::process::id()));
    fs::create_dir(&probe).and_then(|()| fs::remove_dir(&probe)).map_err(|e| FsError::NotWritable {
        flag,
        path: dir.display().to_string(),
        at: at.display().to_string(),
        reason: e.to_string(),
    })
}

/// The real absolute path of `p`, which need not exist yet: its deepest existing ancestor with
/// symbolic links resolved, then the rest (`.` dropped, `..` taken lexically). Two paths that
/// reach the same place through a link compare equal.
pub fn resolve(p: &Path) -> PathBuf {
    let abs =
        if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let parts: Vec<_> = abs.components().collect();
    for keep in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..keep].iter().collect();
        if let Ok(mut out) = fs::canonicalize(&head) {
            for part in &parts[keep..] {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
    }
    abs
}

/// Creates (or reuses, if empty) an output directory with the given mode.
pub fn create_fresh_dir(dir: &Path, mode: u32, flag: &'static str) -> Result<(), FsError> {
    check_fresh_dir(dir, flag)?;
    if !dir.exists() {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(mode)).map_err(io_err(dir))
}

/// Writes `bytes` to a new file with `mode` and fsyncs it (the file must not exist).
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FsError> {
    let mut f =
        OpenOptions::new().write(true).create_new(true).mode(mode).open(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Writes a whole file under a temporary name, fsyncs it, and renames it into place.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FsError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let _ = fs::remove_file(&tmp);
    if let Err(e) = write_new(&tmp, bytes, mode) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(path)(e)
    })?;
    sync_dir(path.parent().unwrap_or(Path::new(".")));
    Ok(())
}

/// fsyncs a directory so renames in it survive a power cut (best effort).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex_lower(&Sha256::digest(bytes))
}

/// Lowercase hex.
pub fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A staging folder whose top-level entries move into `target` on [`Staging::commit`], and which
/// is removed with everything in it if dropped uncommitted.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `target/.staging-TAG` (mode 0700).
    pub fn new(target: &Path, tag: &str) -> Result<Staging, FsError> {
        let dir = target.join(format!(".staging-{tag}"));
        fs::create_dir(&dir).map_err(io_err(&dir))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(io_err(&dir))?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Moves every top-level entry into the target, then removes the empty staging folder.
    /// Records the final path of each entry in `moved` as it moves, so that a failure, here or
    /// later, can take them back out.
    pub fn commit(mut self, moved: &mut Vec<PathBuf>) -> Result<(), FsError> {
        let mut names: Vec<_> =
            fs::read_dir(&self.dir).map_err(io_err(&self.dir))?.flatten().map(|e| e.file_name()).collect();
        names.sort();
        for name in names {
            let to = self.target.join(&name);
            if to.exists() {
                return Err(FsError::NotEmpty(to.display().to_string(), "--out"));
            }
            fs::rename(self.dir.join(&name), &to).map_err(io_err(&to))?;
            moved.push(to);
        }
        fs::remove_dir(&self.dir).map_err(io_err(&self.dir))?;
        sync_dir(&self.target);
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Every regular file below `dir` (relative paths, sorted), skipping hidden staging entries.
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, FsError> {
    fn walk(base: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), FsError> {
        let here = base.join(rel);
        for entry in fs::read_dir(&here).map_err(io_err(&here))?.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with(".staging-") {
                continue;
            }
            let rel_path = rel.join(&name);
            let ft = entry.file_type().map_err(io_err(&entry.path()))?;
            if ft.is_dir() {
                walk(base, &rel_path, out)?;
            } else if ft.is_file() {
                out.push(rel_path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out)?;
    out.sort();
    Ok(out)
}

/// `sha256sum` format (two spaces, text mode) over the given files of `dir`.
pub fn sha256sums(dir: &Path, files: &[PathBuf]) -> Result<String, FsError> {
    let mut out = String::new();
    for rel in files {
        let path = dir.join(rel);
        let bytes = fs::read(&path).map_err(io_err(&path))?;
        out.push_str(&format!("{}  {}\n", sha256_hex(&bytes), rel.display()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_vanishes_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Staging::new(dir.path(), "x").unwrap();
            write_new(&s.path().join("a"), b"1", 0o644).unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let s = Staging::new(dir.path(), "y").unwrap();
        write_new(&s.path().join("a"), b"1", 0o644).unwrap();
        s.commit(&mut Vec::new()).unwrap();
        assert_eq!(fs::read(dir.path().join("a")).unwrap(), b"1");
        assert_eq!(list_files(dir.path()).unwrap(), vec![PathBuf::from("a")]);
    }

    #[test]
    fn fresh_dir_rules() {
        let dir = tempfile::tempdir().unwrap();
        check_fresh_dir(dir.path(), "--out").unwrap();
        check_fresh_dir(&dir.path().join("new"), "--out").unwrap();
        fs::write(dir.path().join("f"), b"").unwrap();
        assert!(matches!(check_fresh_dir(dir.path(), "--out"), Err(FsError::NotEmpty(..))));
        assert!(matches!(check_fresh_dir(&dir.path().join("f"), "--out"), Err(FsError::NotADirectory(..))));
    }

    #[test]
    fn resolve_follows_links_of_the_existing_part() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(real.join("sd7")).unwrap();
        std::os::unix::fs::symlink(real.join("sd7"), real.join("sd7link")).unwrap();
        assert_eq!(resolve(&real.join("sd7link/sh")), real.join("sd7/sh"));
        assert_eq!(resolve(&real.join("new/./a/../b")), real.join("new/b"));
        assert!(resolve(Path::new("rel")).is_absolute());
    }

    #[test]
    fn pseudo_file_systems_are_not_writable() {
        assert!(matches!(check_writable(Path::new("/proc/foo"), "--out"), Err(FsError::NotWritable { .. })));
        let dir = tempfile::tempdir().unwrap();
        check_writable(&dir.path().join("new/deeper"), "--out").unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn atomic_write_replaces_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("SUMS");
        write_atomic(&p, b"one", 0o644).unwrap();
        write_atomic(&p, b"two", 0o644).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(list_files(dir.path()).unwrap().len(), 1);
    }
}
