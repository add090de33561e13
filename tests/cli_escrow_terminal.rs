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
    assert_eq!(stdout(&o), format!("kcv: {kcv}\nexit: 0\n"), "{}", stderr(&o));
}
