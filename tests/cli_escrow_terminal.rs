//! On a terminal (a pseudo-terminal driven by tests/data/pty/escrow_terminal.py): the custodian
//! handout shows each share with its QR code, clears the screen and refuses a wrong word; shares typed
//! by 4-letter prefixes complete and check.

mod common;

use common::*;
use std::process::Command;

fn driver() -> String {
    format!("{}/tests/data/pty/escrow_terminal.py", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn handout_then_typed_shares_on_a_terminal() {
    if !peer_available("python3") || !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("c");
    let o = Command::new("python3")
        .arg(driver())
        .arg("handout")
        .arg(bin())
        .args(generate_args(&kek, &fpr, &out))
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "share 1: 33 words, qr yes\nwrong word: refused\nshare 1: confirmed\n\
         share 2: 33 words, qr yes\nshare 2: confirmed\nshare 3: 33 words, qr yes\nshare 3: confirmed\n\
         summary: cleared\nexit: 0\n",
        "{}",
        stderr(&o)
    );
    let kcv = std::fs::read_to_string(out.join("shares/share-01-of-03.txt")).unwrap();
    let kcv = kcv.lines().find_map(|l| l.strip_prefix("# kcv: ")).unwrap().to_string();
    let o = Command::new("python3")
        .arg(driver())
        .arg("typed")
        .arg(bin())
        .arg(out.join("shares/share-03-of-03.txt"))
        .arg(out.join("shares/share-01-of-03.txt"))
        .output()
        .unwrap();
    // Memory is locked before the first word is typed (as root here, where locking cannot fail).
    let root = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap()) == 0;
    let seen = stdout(&o);
    let not_root = seen.lines().next().unwrap_or("").rsplit(' ').next().unwrap_or("");
    let locked = if root { "yes" } else { not_root };
    assert_eq!(
        seen,
        format!("locked at the first prompt: {locked}\nkcv: {kcv}\nexit: 0\n"),
        "{}",
        stderr(&o)
    );

    // regression: recover with typed shares and nothing to compare the key with had the custodians
    // type every word, then refused; now it refuses before the first prompt.
    let o = Command::new("python3")
        .arg(driver())
        .arg("refused")
        .arg(bin())
        .args(recover_args(&[], &kek, &fpr, &tmp.path().join("r")))
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "prompted: no\nerror: byok-ceremony: error: typed shares carry no key check value to compare the recovered key with: give --expect-kcv HEX from the paper transcript or --original-log DIR/ceremony.log before typing the shares\nexit: 2\n",
        "{}",
        stderr(&o)
    );
}
