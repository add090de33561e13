//! Each check judged on fixture text, as the kernel writes it.

use super::*;

const STATUS: &str = "Name:\tbyok-ceremony\nUmask:\t0022\nState:\tR (running)\nVmPeak:\t   12345 kB\nVmLck:\t    5120 kB\nVmPin:\t       0 kB\nThreads:\t1\nCapEff:\t0000000000000000\n";

#[test]
fn locked_memory_reads_vmlck() {
    let c = locked_memory(STATUS);
    assert_eq!((c.status, c.detail.as_str()), (Status::Pass, "VmLck 5120 kB locked in RAM"));
    let c = locked_memory(&STATUS.replace("    5120 kB", "       0 kB"));
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.starts_with("VmLck 0 kB"));
    assert_eq!(locked_memory("Name:\tx\n").status, Status::Unknown);
    // A field whose name only starts the same is not VmLck.
    assert_eq!(status_field("VmLckX:\t9 kB\n", "VmLck"), None);
}

#[test]
fn memlock_limit_against_the_need() {
    let c = memlock_limit(64 << 10, 64 << 10, false);
    assert_eq!(c.status, Status::Fail);
    assert_eq!(
        c.detail,
        "RLIMIT_MEMLOCK 64 KiB (hard 64 KiB), below the 8 MiB a ceremony needs: raise it with `ulimit -l 8192` (or more) before starting"
    );
    assert_eq!(memlock_limit(64 << 10, 64 << 10, true).status, Status::Pass);
    // The kernel's default since 5.16 is enough.
    assert_eq!(memlock_limit(8 << 20, 8 << 20, false).status, Status::Pass);
    let c = memlock_limit(u64::MAX, u64::MAX, false);
    assert_eq!((c.status, c.detail.as_str()), (Status::Pass, "RLIMIT_MEMLOCK unlimited (hard unlimited)"));
    assert_eq!(c.override_flag(), Some("--allow-unlocked-memory"));
}

#[test]
fn core_dumps_need_both_the_flag_and_the_limit() {
    let c = core_dumps(false, 0, 0);
    assert_eq!(
        (c.status, c.detail.as_str()),
        (Status::Pass, "PR_GET_DUMPABLE 0, RLIMIT_CORE 0 KiB (hard 0 KiB)")
    );
    assert_eq!(core_dumps(true, 0, 0).status, Status::Fail);
    assert_eq!(core_dumps(false, u64::MAX, u64::MAX).status, Status::Fail);
    assert_eq!(core_dumps(true, 0, 0).override_flag(), None);
}

#[test]
fn core_pattern_piped_to_a_program_warns() {
    let c = core_pattern("|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n");
    assert_eq!(c.status, Status::Warn);
    assert!(c.detail.starts_with("core dumps are piped to /usr/lib/systemd/systemd-coredump,"));
    let c = core_pattern("core\n");
    assert_eq!(
        (c.status, c.detail.as_str()),
        (Status::Pass, "core dumps go to a file ('core'), not a program")
    );
    assert_eq!(core_pattern("|/usr/share/apport/apport -p%p -s%s -c%c\n").status, Status::Warn);
}

#[test]
fn swap_file_parsing() {
    assert_eq!(swap("Filename\tType\tSize\tUsed\tPriority\n").status, Status::Pass);
    let c =
        swap("Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 100 0 -2\n/swapfile file 8 0 -3\n");
    assert_eq!(c.status, Status::Fail);
    assert_eq!(c.detail, "swap active on /dev/sda2, /swapfile (turn it off with `swapoff -a`)");
    assert_eq!(c.override_flag(), Some("--allow-swap"));
}

#[test]
fn hibernation_resume_device() {
    assert_eq!(hibernation("0:0\n").status, Status::Pass);
    let c = hibernation("259:3\n");
    assert_eq!(c.status, Status::Warn);
    assert!(c.detail.starts_with("hibernation resume device 259:3 is set"));
    let dir = tempfile::tempdir().unwrap();
    let c = hibernation_from(&dir.path().join("resume"));
    assert_eq!(c.status, Status::Pass);
    assert!(c.detail.ends_with("the kernel cannot hibernate"));
    std::fs::write(dir.path().join("resume"), "8:2\n").unwrap();
    assert_eq!(hibernation_from(&dir.path().join("resume")).status, Status::Warn);
}

fn fake_net(dir: &std::path::Path, ifaces: &[(&str, &str, bool)]) {
    for (name, flags, wireless) in ifaces {
        std::fs::create_dir(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join("flags"), flags).unwrap();
        if *wireless {
            std::fs::create_dir(dir.join(name).join("wireless")).unwrap();
        }
    }
}

#[test]
fn network_flags_parsing() {
    assert!(interface_up("0x1003\n") && interface_up("0x9") && !interface_up("0x1002") && !interface_up(""));
    let dir = tempfile::tempdir().unwrap();
    fake_net(dir.path(), &[("lo", "0x9", false), ("eth0", "0x1003", false), ("wlan0", "0x1002", true)]);
    let c = network_from(dir.path());
    assert_eq!(c.status, Status::Fail);
    assert_eq!(c.detail, "interfaces up: eth0 (unplug the cable, or `ip link set DEV down`)");
    assert_eq!(network(&[]).detail, "no interface up but lo");
}

fn radio(name: &str, kind: &str, soft: &str, hard: &str) -> Radio {
    Radio {
        name: format!("{name}\n"),
        kind: format!("{kind}\n"),
        soft: format!("{soft}\n"),
        hard: format!("{hard}\n"),
    }
}

#[test]
fn radios_and_wireless_interfaces() {
    let c = wireless(&[], &[radio("phy0", "wlan", "0", "0"), radio("hci0", "bluetooth", "1", "0")]);
    assert_eq!(c.status, Status::Warn);
    assert_eq!(c.detail, "radios not blocked: phy0 (wlan); block them with `rfkill block all`");
    let c =
        wireless(&["wlan0".into()], &[radio("phy0", "wlan", "0", "1"), radio("hci0", "bluetooth", "1", "0")]);
    assert_eq!((c.status, c.detail.as_str()), (Status::Pass, "all 2 radios blocked"));
    let c = wireless(&["wlan0".into()], &[]);
    assert_eq!(c.status, Status::Warn);
    assert!(c.detail.starts_with("wireless interfaces wlan0 without rfkill state"));
    assert_eq!(wireless(&[], &[]).detail, "no wireless interface or radio");
}

#[test]
fn wireless_from_sysfs_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let (net, rfkill) = (dir.path().join("net"), dir.path().join("rfkill"));
    std::fs::create_dir(&net).unwrap();
    fake_net(&net, &[("lo", "0x9", false), ("wlp2s0", "0x1002", true)]);
    assert_eq!(wireless_from(&net, &rfkill).status, Status::Warn, "no rfkill folder at all");
    std::fs::create_dir_all(rfkill.join("rfkill0")).unwrap();
    for (f, v) in [("name", "phy0\n"), ("type", "wlan\n"), ("soft", "1\n"), ("hard", "0\n")] {
        std::fs::write(rfkill.join("rfkill0").join(f), v).unwrap();
    }
    assert_eq!(wireless_from(&net, &rfkill).status, Status::Pass);
    std::fs::write(rfkill.join("rfkill0").join("soft"), "0\n").unwrap();
    let c = wireless_from(&net, &rfkill);
    assert_eq!(
        (c.status, c.detail.as_str()),
        (Status::Warn, "radios not blocked: phy0 (wlan); block them with `rfkill block all`")
    );
}

#[test]
fn rng_and_threads() {
    assert_eq!(rng(Ok(true)).status, Status::Pass);
    assert_eq!(rng(Ok(false)).status, Status::Fail);
    assert_eq!(rng(Err(std::io::Error::from_raw_os_error(libc::ENOSYS))).status, Status::Unknown);
    assert_eq!(check_rng_here().status, Status::Pass);
    assert_eq!(threads(STATUS).status, Status::Pass);
    let c = threads(&STATUS.replace("Threads:\t1", "Threads:\t3"));
    assert_eq!((c.status, c.detail.as_str()), (Status::Warn, "3 threads: a ceremony should run on one"));
}

fn check_rng_here() -> Check {
    rng(sys::rng_ready())
}

#[test]
fn every_check_is_made_in_order() {
    let names: Vec<&str> = environment_checks().iter().map(|c| c.name).collect();
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
}

#[test]
fn dont_dump_marks_the_pages_of_a_buffer() {
    let buf = vec![7u8; 100];
    sys::dont_dump(&buf).unwrap();
    sys::dont_dump(&[]).unwrap();
    let addr = buf.as_ptr() as usize;
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let flags = vma_flags(&smaps, addr).expect("the buffer's mapping is in smaps");
    assert!(flags.split_whitespace().any(|f| f == "dd"), "VmFlags: {flags}");
}

#[test]
fn writable_mappings_from_maps_text() {
    let maps = "55d0c0a00000-55d0c0a52000 r--p 00000000 fd:01 123 /usr/bin/byok-ceremony\n\
55d0c0a52000-55d0c0c00000 r-xp 00052000 fd:01 123 /usr/bin/byok-ceremony\n\
55d0c0e00000-55d0c0e04000 rw-p 00200000 fd:01 123 /usr/bin/byok-ceremony\n\
55d0c1000000-55d0c1021000 rw-p 00000000 00:00 0 [heap]\n\
7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]\n\
7ffd1c100000-7ffd1c101000 ---p 00000000 00:00 0\n\
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";
    assert_eq!(
        crate::hardening::writable_mappings(maps),
        [(0x55d0c0e00000, 0x4000), (0x55d0c1000000, 0x21000), (0x7ffd1c000000, 0x21000)]
    );
}
