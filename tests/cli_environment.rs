//! Exit 4: memory that cannot be locked stops a ceremony unless the operators accept it.

mod common;

use common::*;
use std::process::Command;

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

/// Runs `generate` with RLIMIT_MEMLOCK at 64 KiB and without CAP_IPC_LOCK (setpriv drops it for root).
fn generate_without_memlock(extra: &[&str], out: &std::path::Path) -> std::process::Output {
    let kek = format!("{}/tests/data/kek/wycheproof-2048.pub.pem", env!("CARGO_MANIFEST_DIR"));
    let mut args = generate_args(std::path::Path::new(&kek), FPR, out);
    args.retain(|a| a != "--allow-unlocked-memory");
    args.extend(extra.iter().map(|s| s.to_string()));
    let script = "ulimit -l 64 && exec setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock \"$@\"";
    Command::new("sh").arg("-c").arg(script).arg("sh").arg(bin()).args(&args).output().unwrap()
}

#[test]
fn unlockable_memory_exits_4_naming_the_limit_and_writes_nothing() {
    if !peer_available("setpriv") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let o = generate_without_memlock(&[], &out);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: memory cannot be locked (RLIMIT_MEMLOCK is 64 KiB, the ceremony needs 256 MiB or CAP_IPC_LOCK): raise RLIMIT_MEMLOCK with `ulimit -l unlimited` as root (or run as root), or pass --allow-unlocked-memory to accept that secrets may reach swap"
    );
    assert!(!out.exists());
}

#[test]
fn allow_unlocked_memory_goes_on_and_is_logged() {
    if !peer_available("setpriv") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let o = generate_without_memlock(&["--allow-unlocked-memory"], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains("\"memory_locked\":false"));
    assert!(log.contains("\"allow-unlocked-memory\""));
}

#[test]
fn preflight_lists_every_check() {
    let o = run(&["preflight", "--json"]);
    assert!(matches!(o.status.code(), Some(0) | Some(4)));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> =
        doc["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["swap", "network", "rng"]);
    assert!(doc["core_dumps_disabled"].as_bool().unwrap());
}
