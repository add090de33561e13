//! Shares interoperate with the reference implementation (python `shamir-mnemonic`): its shares are
//! accepted by `shares check` and `recover` (passphrase included), and ours combine in it.
//! Skipped when it is missing, except with CI=true.

mod common;

use byok_ceremony::kcv::aes_check_values;
use common::*;
use std::path::PathBuf;
use std::process::Command;

const SECRET_HEX: &str = "8f1d3c5b7a99e0214365a7c9eb0d2f41607182a3b4c5d6e7f8091a2b3c4d5e6f";

/// The reference implementation splits the secret: one group, `t` of `n`, with `passphrase`.
fn py_split(py: &str, t: u8, n: u8, passphrase: &str, extendable: bool) -> Vec<String> {
    let script = "import sys, shamir_mnemonic as s\n\
        g = s.generate_mnemonics(1, [(int(sys.argv[1]), int(sys.argv[2]))], bytes.fromhex(sys.argv[3]), \
        sys.argv[4].encode(), extendable=(sys.argv[5] == '1'), iteration_exponent=0)\n\
        print('\\n'.join(g[0]))";
    let o = Command::new(py)
        .args(["-c", script, &t.to_string(), &n.to_string(), SECRET_HEX, passphrase])
        .arg(if extendable { "1" } else { "0" })
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn reference_shares_are_checked_and_recovered_and_ours_combine_in_it() {
    let Some(py) = python_shamir() else { return };
    if !peer_available("openssl") {
        return;
    }
    let secret = hex::decode(SECRET_HEX).unwrap();
    let cv = aes_check_values(&secret).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let pass = d.join("passphrase");
    std::fs::write(&pass, "an old secret\n").unwrap();

    for extendable in [true, false] {
        let mnemonics = py_split(py, 3, 5, "an old secret", extendable);
        assert_eq!(mnemonics.len(), 5);
        let files: Vec<PathBuf> = mnemonics
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let p = d.join(format!("ref-{extendable}-{}.txt", i + 1));
                std::fs::write(&p, format!("{m}\n")).unwrap();
                p
            })
            .collect();
        let mut args = vec!["shares".to_string(), "check".into(), "--share-passphrase-fd".into(), "3".into()];
        args.extend([&files[4], &files[0], &files[2], &files[3]].iter().map(|p| p.display().to_string()));
        let o = run_with_fd3(&args, &pass);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!(
                "key check value:  {}   (kcv_cmac {}; compare it with the paper transcript)",
                cv.kcv, cv.kcv_cmac
            )),
            "{}",
            stdout(&o)
        );
        assert!(stdout(&o).contains("4 given, threshold met; all 4 subsets of 3 agree"));
    }

    // recover: the reference's shares, the passphrase on fd 3, the kcv from the paper transcript.
    let mnemonics = py_split(py, 2, 3, "an old secret", true);
    let files: Vec<PathBuf> = mnemonics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let p = d.join(format!("r{}.txt", i + 1));
            std::fs::write(&p, m).unwrap();
            p
        })
        .collect();
    let (private, kek, fpr) = openssl_kek(d, 2048);
    let out = d.join("recovered");
    let mut args = recover_args(&[&files[2], &files[1]], &kek, &fpr, &out);
    args.extend(["--expect-kcv".into(), cv.kcv.to_uppercase(), "--share-passphrase-fd".into(), "3".into()]);
    let o = run_with_fd3(&args, &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("  recovered from:             ceremony unknown\n"), "{}", stdout(&o));
    assert_eq!(openssl_unwrap(&out.join("contoso-key.byok"), &private, "sha1", d), secret);
    for text in [stdout(&o), stderr(&o)] {
        assert!(!text.contains(SECRET_HEX) && !text.contains("an old secret"));
    }
    assert_no_leak(&out, &secret);

    // The new shares (same passphrase) combine in the reference implementation.
    let ours: Vec<String> = [1, 3]
        .iter()
        .map(|i| {
            let text = std::fs::read_to_string(out.join(format!("shares/share-0{i}-of-03.txt"))).unwrap();
            assert!(text.contains("# passphrase: set at the ceremony"), "{text}");
            text.lines().find(|l| !l.starts_with('#')).unwrap().to_string()
        })
        .collect();
    assert_eq!(py_combine(py, &ours, "an old secret"), SECRET_HEX);
    assert_ne!(py_combine(py, &ours, ""), SECRET_HEX);
}
