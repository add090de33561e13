//! The files of the directory against the log and `SHA256SUMS`.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use super::error::AuditError;
use super::facts::{Facts, LoggedArtifact};
use super::report::Report;
use super::sums::{parse_sha256sums, SumLine};
use crate::fsutil::sha256_hex;

/// Files the log cannot list: the log, its signature, and SHA256SUMS (written after the seal).
const AFTER_SEAL: [&str; 3] = ["ceremony.log", "ceremony.log.sig", "SHA256SUMS"];

/// One entry below the directory.
#[derive(Clone, Debug)]
pub struct Listed {
    /// Relative path with `/` separators.
    pub rel: String,
    /// True for a regular file (false: a symlink, socket, device...).
    pub regular: bool,
}

/// Everything below `dir` except directories themselves (hidden entries included; symlinks
/// are listed, never followed).
pub fn list(dir: &Path) -> Result<Vec<Listed>, AuditError> {
    if !std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Err(AuditError::NotADirectory(dir.to_path_buf()));
    }
    let mut out = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let io = |source| AuditError::Io { path: here.clone(), source };
        for entry in std::fs::read_dir(&here).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let ft = entry.file_type().map_err(io)?;
            if ft.is_dir() {
                stack.push(path);
            } else {
                out.push(Listed { rel: path, regular: ft.is_file() });
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// A logged path that stays inside the directory: relative, no `..`, `.` or empty parts.
fn inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains("//")
        && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// A share file, its QR code or its printable sheet, which custodians take away (the runbook says to remove them).
fn is_share_file(a: &LoggedArtifact, facts: &Facts<'_>) -> bool {
    facts.shares().iter().any(|s| {
        let stem = s.file.strip_suffix(".txt").unwrap_or(&s.file);
        a.path == s.file || a.path == format!("{stem}.png") || a.path == format!("{stem}.html")
    })
}

/// `artifact`: one check per `artifact.written` line. Returns the parsed SHA256SUMS, if any.
pub fn artifacts(r: &mut Report, dir: &Path, facts: &Facts<'_>, listing: &[Listed]) -> Option<Vec<SumLine>> {
    let mut seen = BTreeSet::new();
    for a in facts.artifacts() {
        let a = match a {
            Ok(a) => a,
            Err(seq) => {
                r.push("artifact", Some(format!("log line {}", seq + 1)), Err("no path or sha256".into()));
                continue;
            }
        };
        let subject = Some(a.path.clone());
        if !seen.insert(a.path.clone()) {
            r.push("artifact", subject, Err("logged twice".into()));
            continue;
        }
        let absolute = a.path.starts_with('/');
        if !absolute && !inside(&a.path) {
            r.push("artifact", subject, Err("the logged path leaves the ceremony directory".into()));
            continue;
        }
        let present = if absolute {
            Path::new(&a.path).is_file()
        } else {
            listing.iter().any(|l| l.rel == a.path && l.regular)
        };
        if !present {
            if absolute {
                r.skip_about(
                    "artifact",
                    a.path,
                    "outside the ceremony directory (--shares-dir) and not here",
                );
            } else if is_share_file(&a, facts) {
                r.skip_about("artifact", a.path, "absent: a share file, handed to its custodian");
            } else {
                r.push("artifact", subject, Err("missing".into()));
            }
            continue;
        }
        let path = if absolute { a.path.clone().into() } else { dir.join(&a.path) };
        r.push("artifact", subject, compare(&path, &a));
    }
    std::fs::read(dir.join("SHA256SUMS")).ok().and_then(|b| parse_sha256sums(&b).ok())
}

fn compare(path: &Path, a: &LoggedArtifact) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    let sha = sha256_hex(&bytes);
    if sha != a.sha256 {
        return Err(format!("SHA-256 is {sha}, the log says {}", a.sha256));
    }
    if a.bytes.is_some_and(|n| n != bytes.len() as u64) {
        return Err(format!("{} bytes, the log says {}", bytes.len(), a.bytes.unwrap_or(0)));
    }
    Ok(format!("{} bytes, SHA-256 as logged", bytes.len()))
}

/// `sha256sums`: each line agrees with the log (artifacts) or the file (the log and its
/// signature), every logged file of the directory is listed, nothing else is. A share file that is
/// neither here nor listed is not missing from SHA256SUMS: it was written outside the directory (a
/// relative --shares-dir, which older versions logged as a relative path) or handed out.
pub fn sha256sums(
    r: &mut Report,
    dir: &Path,
    facts: &Facts<'_>,
    parsed: Option<&[SumLine]>,
    listing: &[Listed],
) {
    let Some(lines) = parsed else {
        let why = match std::fs::read(dir.join("SHA256SUMS")) {
            Err(e) => format!("SHA256SUMS: {e}"),
            Ok(b) => parse_sha256sums(&b).err().unwrap_or_default(),
        };
        r.add("sha256sums", Err(why));
        return;
    };
    let logged: Vec<LoggedArtifact> = facts.artifacts().into_iter().flatten().collect();
    let mut problems = Vec::new();
    for line in lines {
        let want = match logged.iter().find(|a| a.path == line.name) {
            Some(a) => Some(a.sha256.clone()),
            None if AFTER_SEAL[..2].contains(&line.name.as_str()) => {
                std::fs::read(dir.join(&line.name)).ok().map(|b| sha256_hex(&b))
            }
            None => {
                problems.push(format!("lists {}, which the log does not", line.name));
                continue;
            }
        };
        if want.as_deref() != Some(line.sha256.as_str()) {
            problems.push(format!("the line for {} does not match", line.name));
        }
    }
    let away = |a: &LoggedArtifact| is_share_file(a, facts) && !listing.iter().any(|l| l.rel == a.path);
    let relative = logged.iter().filter(|a| !a.path.starts_with('/') && !away(a)).map(|a| a.path.as_str());
    for name in relative.chain(AFTER_SEAL[..2].iter().copied()) {
        if !lines.iter().any(|l| l.name == name) {
            problems.push(format!("does not list {name}"));
        }
    }
    r.add(
        "sha256sums",
        if problems.is_empty() {
            Ok(format!("{} lines, each equal to the log (or to ceremony.log and its signature)", lines.len()))
        } else {
            Err(format!("SHA256SUMS {}", problems.join("; ")))
        },
    );
}

/// `files.unlogged`: nothing in the directory that the log does not account for.
pub fn unlogged(r: &mut Report, facts: &Facts<'_>, listing: &[Listed], aborted: bool) {
    let logged: BTreeSet<String> = facts.artifacts().into_iter().flatten().map(|a| a.path).collect();
    let expected: &[&str] =
        if aborted { &["ceremony.log", "ceremony.log.sig", "ceremony.pub"] } else { &AFTER_SEAL };
    let extra: Vec<String> = listing
        .iter()
        .filter(|l| !(l.regular && (logged.contains(&l.rel) || expected.contains(&l.rel.as_str()))))
        .map(|l| if l.regular { l.rel.clone() } else { format!("{} (not a regular file)", l.rel) })
        .collect();
    r.add(
        "files.unlogged",
        if extra.is_empty() {
            Ok(format!("every one of the {} files is accounted for by the log", listing.len()))
        } else {
            Err(format!("not in the log: {}", extra.join(", ")))
        },
    );
}
