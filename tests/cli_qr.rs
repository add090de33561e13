//! `qr split` / `qr join` through the binary, and zbarimg as the independent decoder.

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn split_then_join_through_stdin_in_any_order() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("data.bin");
    let data: Vec<u8> = (0..2500u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let out = tmp.path().join("qr");
    let o = run(&["qr", "split", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(out.join("chunks.txt")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 1);
    lines.reverse();
    lines.push(lines[0]);
    let mut child = Command::new(bin())
        .args(["qr", "join"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(lines.join("\n").as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, data);

    if peer_available("zbarimg") {
        let mut pngs: Vec<String> = names(&out)
            .into_iter()
            .filter(|n| n.ends_with(".png"))
            .map(|n| out.join(n).display().to_string())
            .collect();
        pngs.sort();
        let z = Command::new("zbarimg").args(["--quiet", "--raw"]).args(&pngs).output().unwrap();
        assert!(z.status.success());
        let decoded = tmp.path().join("zbar.txt");
        std::fs::write(&decoded, &z.stdout).unwrap();
        let joined = tmp.path().join("joined.bin");
        let o = run(&["qr", "join", "--out", joined.to_str().unwrap(), decoded.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(std::fs::read(&joined).unwrap(), data);
    }
}

#[test]
fn join_names_missing_chunks_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("data.bin");
    std::fs::write(&file, vec![42u8; 3000]).unwrap();
    let out = tmp.path().join("qr");
    assert!(run(&["qr", "split", file.to_str().unwrap(), "--out", out.to_str().unwrap()]).status.success());
    let text = std::fs::read_to_string(out.join("chunks.txt")).unwrap();
    let first_only = tmp.path().join("one.txt");
    std::fs::write(&first_only, text.lines().next().unwrap()).unwrap();
    let joined = tmp.path().join("joined");
    let o = run(&["qr", "join", "--out", joined.to_str().unwrap(), first_only.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(error_line(&o).contains("missing"), "{}", error_line(&o));
    assert!(!joined.exists(), "no partial output");
}

#[test]
fn qr_split_usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("data.bin");
    std::fs::write(&file, vec![7u8; 20_000]).unwrap();
    let f = file.to_str().unwrap();
    let out = tmp.path().join("qr");
    let o = run(&["qr", "split", f, "--out", out.to_str().unwrap(), "--max-version", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --max-version 1 is too small for the chunk headers; use --max-version 4 or more (up to 40)"
    );
    let o = run(&["qr", "split", f, "--out", out.to_str().unwrap(), "--max-version", "4"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: 20000 bytes need more than 999 QR codes at --max-version 4; use a larger --max-version (up to 40)"
    );
    assert!(!out.exists());
}
