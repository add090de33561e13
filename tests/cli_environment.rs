//! The hardened process, seen from outside: as an unprivileged user (`setpriv`, uid 65534) under a
//! given RLIMIT_MEMLOCK (`prlimit`), a ceremony refuses (exit 4) when it cannot lock its memory,
//! goes on with `--allow-unlocked-memory` (logged), completes under the kernel's default 8 MiB with
//! memory locked, and is not dumpable while it runs.

mod common;

use common::*;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";
const NOBODY: u32 = 65534;

fn kek() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kek/wycheproof-2048.pub.pem")
}

/// Whether the unprivileged runs can be made here (root with setpriv and prlimit).
fn can_drop_privileges() -> bool {
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root {
        eprintln!("skipping: these tests switch to uid {NOBODY}, which needs root");
        return false;
    }
    peer_available("setpriv") && peer_available("prlimit")
}

/// A temporary directory the unprivileged user may write in; the ceremony goes to `c` inside it.
fn world_writable() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = tmp.path().join("c");
    (tmp, out)
}

/// `generate` as uid 65534 with RLIMIT_MEMLOCK at `memlock` bytes; `drop` removes flags.
fn nobody(memlock: u64, args: &[String]) -> Command {
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "prlimit"])
        .arg(format!("--memlock={memlock}"))
        .arg(bin())
        .args(args);
    c
}

fn ceremony_args(out: &Path, drop: &[&str], extra: &[&str]) -> Vec<String> {
    let mut args = generate_args(&kek(), FPR, out);
    args.retain(|a| !drop.contains(&a.as_str()));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn output(mut c: Command) -> std::process::Output {
    c.stdin(Stdio::null()).output().unwrap()
}

fn environment_event(out: &Path) -> serde_json::Value {
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    let line = log.lines().find(|l| l.contains("\"event\":\"environment.checked\"")).unwrap();
    serde_json::from_str(line).unwrap()
}

fn check<'a>(event: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    event["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
}

/// The kB of `VmLck 123 kB locked in RAM`.
fn locked_kb(detail: &str) -> u64 {
    detail.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn unprivileged_under_64_kib_a_ceremony_exits_4_and_writes_nothing() {
    if !can_drop_privileges() {
        return;
    }
    let (_tmp, out) = world_writable();
    let o = output(nobody(65536, &ceremony_args(&out, &["--allow-unlocked-memory"], &[])));
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: memory cannot be locked (RLIMIT_MEMLOCK is 64 KiB, a ceremony needs 8 MiB or CAP_IPC_LOCK): raise RLIMIT_MEMLOCK with `ulimit -l 8192` (or more) before starting, or pass --allow-unlocked-memory to accept that secrets may reach swap"
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn unprivileged_under_64_kib_allow_unlocked_memory_completes_and_logs_the_override() {
    if !can_drop_privileges() {
        return;
    }
    let (_tmp, out) = world_writable();
    let o = output(nobody(65536, &ceremony_args(&out, &[], &[])));
    assert!(o.status.success(), "{}", stderr(&o));
    let env = environment_event(&out);
    assert_eq!(env["memory_locked"], false);
    assert!(env["overrides"].as_array().unwrap().contains(&"allow-unlocked-memory".into()), "{env}");
    assert_eq!(check(&env, "locked_memory")["status"], "fail");
    assert_eq!(check(&env, "memlock_limit")["status"], "fail");
}

#[test]
fn unprivileged_under_the_default_8_mib_a_ceremony_completes_with_memory_locked() {
    if !can_drop_privileges() {
        return;
    }
    let (_tmp, out) = world_writable();
    let o = output(nobody(8 << 20, &ceremony_args(&out, &["--allow-unlocked-memory"], &[])));
    assert!(o.status.success(), "{}", stderr(&o));
    let env = environment_event(&out);
    assert_eq!(env["memory_locked"], true, "{env}");
    assert!(!env["overrides"].as_array().unwrap().contains(&"allow-unlocked-memory".into()));
    let locked = check(&env, "locked_memory");
    assert_eq!(locked["status"], "pass");
    assert!(locked_kb(locked["detail"].as_str().unwrap()) > 0, "{locked}");
    assert_eq!(check(&env, "core_dumps")["status"], "pass");
    assert_eq!(check(&env, "threads")["detail"], "1 thread");
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains("\"event\":\"selftest.passed\""));
    // The binary is hashed piece by piece: read whole, it would not fit in the locked 8 MiB.
    let started: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    let sha = started["binary_sha256"].as_str().unwrap_or_default();
    assert!(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()), "{started}");
}

/// The ceremony waits for its dice on stdin (`--dice-fd 0`) after hardening: meanwhile the files
/// of its /proc/PID belong to root although it runs as 65534, which the kernel does for a process that is
/// not dumpable; it runs one thread and holds locked memory.
#[test]
fn the_process_is_not_dumpable_while_a_ceremony_runs() {
    if !can_drop_privileges() {
        return;
    }
    let (_tmp, out) = world_writable();
    let args = ceremony_args(&out, &["--allow-unlocked-memory"], &["--dice-fd", "0"]);
    let mut child = nobody(8 << 20, &args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let proc_dir = PathBuf::from(format!("/proc/{}", child.id()));
    let mut seen = None;
    for _ in 0..600 {
        let status = std::fs::read_to_string(proc_dir.join("status")).unwrap_or_default();
        let ruid =
            status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|v| v.split_whitespace().next());
        let locked = status.lines().find_map(|l| l.strip_prefix("VmLck:")).map(|v| v.trim().to_string());
        // setpriv and prlimit exec the ceremony in the same process; wait for it to lock memory.
        if ruid == Some("65534") && locked.as_deref().is_some_and(|v| v != "0 kB") {
            let owner = std::fs::metadata(proc_dir.join("status")).unwrap().uid();
            let threads = status.lines().find_map(|l| l.strip_prefix("Threads:")).unwrap().trim().to_string();
            seen = Some((owner, threads));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all("123456".repeat(17).as_bytes()).unwrap();
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let (owner, threads) = seen.expect("the ceremony locked memory and waited for its dice");
    assert_eq!(owner, 0, "the /proc/PID files of a non-dumpable process belong to root");
    assert_eq!(threads, "1");
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains("\"dice_rolls\":102"), "the log counts the rolls");
    assert!(!log.contains("123456123456"), "and never holds them");
}

#[test]
fn demo_under_64_kib_never_refuses_and_says_what_generate_would() {
    if !can_drop_privileges() {
        return;
    }
    let (_tmp, out) = world_writable();
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--memlock=65536"])
        .arg(bin())
        .args(["demo", "--out", out.to_str().unwrap()]);
    let o = output(c);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("[FAIL] memory locked: memory cannot be locked (RLIMIT_MEMLOCK is 64 KiB"), "{err}");
    assert!(
        err.contains("(a real `generate` would refuse to start here, exit 4: memory not locked (--allow-unlocked-memory)"),
        "{err}"
    );
}

#[test]
fn preflight_lists_every_check() {
    let o = run(&["preflight", "--json"]);
    assert!(matches!(o.status.code(), Some(0) | Some(4)));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> =
        doc["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "locked_memory",
            "memlock_limit",
            "core_dumps",
            "core_pattern",
            "swap",
            "hibernation",
            "network",
            "wireless",
            "rng",
            "threads"
        ]
    );
    assert!(doc["core_dumps_disabled"].as_bool().unwrap());
    assert_eq!(doc["ok"], o.status.code() == Some(0));
    let err = stderr(&o);
    assert!(err.starts_with("Environment checks:\n"), "{err}");
}

/// On this machine eth0 is up: without --allow-network a ceremony refuses before anything exists.
#[test]
fn a_live_network_without_its_override_exits_4() {
    let up = std::fs::read_dir("/sys/class/net")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name() != "lo")
        .any(|e| {
            std::fs::read_to_string(e.path().join("flags")).is_ok_and(|f| {
                u64::from_str_radix(f.trim().trim_start_matches("0x"), 16).is_ok_and(|f| f & 1 == 1)
            })
        });
    if !up {
        eprintln!("skipping: no network interface is up here");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let o = run_owned(&ceremony_args(&out, &["--allow-network"], &[]));
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let line = error_line(&o);
    assert!(line.starts_with("byok-ceremony: error: unsafe environment: interfaces up: "), "{line}");
    assert!(
        line.ends_with(
            "(unplug the cable, or `ip link set DEV down`), or pass --allow-network (recorded in the log)"
        ),
        "{line}"
    );
    assert!(!out.exists());
}
