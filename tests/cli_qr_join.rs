//! `qr join` as the online side uses it: lines as they arrive, repeats, progress,
//! refusals with the chunk named, and scanner output piped in.

mod common;

use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Splits `len` bytes (seeded pattern) with `qr split`; returns (data, qr dir, chunk lines).
fn split_file(dir: &Path, name: &str, len: usize, seed: u32) -> (Vec<u8>, PathBuf, Vec<String>) {
    let file = dir.join(name);
    let data: Vec<u8> = (0..len as u32).map(|i| (i.wrapping_mul(seed) % 251) as u8 ^ (seed as u8)).collect();
    std::fs::write(&file, &data).unwrap();
    let out = dir.join(format!("{name}.qr"));
    let o = run(&["qr", "split", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = std::fs::read_to_string(out.join("chunks.txt")).unwrap().lines().map(str::to_owned).collect();
    (data, out, lines)
}

fn spawn_join(args: &[&str]) -> Child {
    Command::new(bin())
        .args(["qr", "join"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Feeds `lines` on stdin, closes it, and waits.
fn join_stdin(lines: &[&str], args: &[&str]) -> Output {
    let mut child = spawn_join(args);
    let mut input = lines.join("\n");
    input.push('\n');
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn repeats_are_ignored_and_progress_names_the_missing_chunks() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, lines) = split_file(tmp.path(), "blob", 996, 7);
    assert_eq!(lines.len(), 5);
    let fed = [&lines[0], &lines[2], &lines[2], &lines[0], &lines[3], &lines[3]].map(String::as_str);
    let o = join_stdin(&fed, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let progress: Vec<String> =
        stderr(&o).lines().filter(|l| l.starts_with("qr join:")).map(str::to_owned).collect();
    assert_eq!(
        progress,
        [
            "qr join: 1 of 5, missing 2-5",
            "qr join: 2 of 5, missing 2, 4 and 5",
            "qr join: 3 of 5, missing 2 and 5"
        ]
    );
    assert_eq!(error_line(&o), "byok-ceremony: error: missing chunks 2, 5 of 5");
    assert!(o.stdout.is_empty());
}

#[test]
fn join_stops_as_soon_as_the_set_is_complete_and_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, _, lines) = split_file(tmp.path(), "blob", 1250, 11);
    let out = tmp.path().join("joined.byok");
    let mut child = spawn_join(&["--out", out.to_str().unwrap()]);
    let mut stdin = child.stdin.take().unwrap();
    for line in lines.iter().rev() {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    // stdin stays open, as with a webcam scanner: the join must end by itself.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("qr join kept reading after the set was complete");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    drop(stdin);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("qr join: {0} of {0}, complete", lines.len())), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), data);
}

#[test]
fn a_chunk_of_another_set_or_format_version_or_altered_is_refused_by_number() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, a) = split_file(tmp.path(), "a", 996, 7);
    let (_, _, b) = split_file(tmp.path(), "b", 996, 13);
    let id = |line: &str| line.split(':').nth(3).unwrap()[..12].to_owned();

    let o = join_stdin(&[&a[0], &b[1]], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        error_line(&o),
        format!(
            "byok-ceremony: error: stdin line 2: chunk 2 of 5 (id {}) is from another set than the first chunk read (id {}, 5 chunks); scan only one set",
            id(&b[1]),
            id(&a[0])
        )
    );

    let newer = a[1].replacen("BQR1:", "BQR2:", 1);
    let o = join_stdin(&[&a[0], &newer], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: stdin line 2: unsupported chunk format \"BQR2\"; this tool reads BQR1 chunks"
    );

    let mut altered = a[1].clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    let o = join_stdin(&[&a[1], &a[0], &altered], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: stdin line 3: chunk 2 differs from the chunk 2 read before"
    );

    // Altered and read only once: the whole-file SHA-256 refuses the join.
    let mut fed: Vec<&str> = a.iter().map(String::as_str).collect();
    fed[1] = &altered;
    let o = join_stdin(&fed, &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: joined data fails its SHA-256 check: a chunk was misread or altered, and BQR1 chunks have no checksum of their own to say which; scan every code again"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn zbarimg_raw_output_piped_in_joins_in_any_order() {
    if !peer_available("zbarimg") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (data, qr_dir, lines) = split_file(tmp.path(), "blob", 3000, 5);
    let mut pngs: Vec<String> = names(&qr_dir).into_iter().filter(|n| n.ends_with(".png")).collect();
    assert_eq!(pngs.len(), lines.len());
    pngs.sort();
    pngs.reverse();
    pngs.push(pngs[0].clone());
    let out = tmp.path().join("joined.bin");
    let script = format!(
        "cd '{}' && zbarimg --raw -q {} | '{}' qr join --out '{}' --json",
        qr_dir.display(),
        pngs.join(" "),
        bin(),
        out.display()
    );
    let o = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), data);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["bytes"], 3000);

    // Without --raw zbarimg prefixes "QR-Code:", which join removes.
    let out2 = tmp.path().join("joined2.bin");
    let script = format!(
        "cd '{}' && zbarimg -q *.png | '{}' qr join --out '{}'",
        qr_dir.display(),
        bin(),
        out2.display()
    );
    let o = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out2).unwrap(), data);
}

#[test]
fn qr_join_reads_all_input_and_refuses_a_bad_line_after_the_last_chunk() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, _, a) = split_file(tmp.path(), "a", 996, 7);
    let (_, _, b) = split_file(tmp.path(), "b", 700, 13);
    let id = a[0].split(':').nth(3).unwrap().to_owned();
    let out_of_range = format!("BQR1:5:4:{id}:AAAAAAAA");
    let mut conflicting = a[0].clone();
    let last = conflicting.pop().unwrap();
    conflicting.push(if last == 'A' { 'B' } else { 'A' });
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let cases: [(&str, String); 4] = [
        ("garbage from the scanner", "malformed chunk line (does not start with BQR1:): \"garbage from the scanner\"".to_owned()),
        (&b[0], format!("chunk 1 of 4 (id {}) is from another set than the first chunk read (id {}, 5 chunks); scan only one set", &b[0].split(':').nth(3).unwrap()[..12], &id[..12])),
        (&out_of_range, "malformed chunk line (chunk number is not from 1 to the count): \"BQR1:5:4:".to_owned() + &id[..31] + "…\""),
        (&conflicting, "chunk 1 differs from the chunk 1 read before".to_owned()),
    ];
    for (extra, message) in &cases {
        let mut fed = all.clone();
        fed.push(extra);
        let o = join_stdin(&fed, &[]);
        assert_eq!(o.status.code(), Some(3), "{extra}: {}", stderr(&o));
        assert_eq!(error_line(&o), format!("byok-ceremony: error: stdin line 6: {message}"));
        assert!(o.stdout.is_empty());
        // The same from a file.
        let file = tmp.path().join("chunks.txt");
        std::fs::write(&file, fed.join("\n")).unwrap();
        let o = run(&["qr", "join", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(3), "{extra}: {}", stderr(&o));
        assert_eq!(error_line(&o), format!("byok-ceremony: error: {} line 6: {message}", file.display()));
    }
    // Identical repeats and blank lines anywhere are fine.
    let fed = [&a[4], "", &a[0], &a[1], &a[2], &a[3], "  ", &a[0], &a[4]];
    let o = join_stdin(&fed, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, data);
}

#[test]
fn qr_join_of_an_image_says_to_decode_it_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, qr_dir, _) = split_file(tmp.path(), "blob", 200, 3);
    let png = qr_dir.join("chunk-01-of-01.png");
    let o = run(&["qr", "join", png.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        format!(
            "byok-ceremony: error: {0} is an image: decode it first, e.g. zbarimg --raw {0}",
            png.display()
        )
    );
    let mut child = spawn_join(&[]);
    child.stdin.take().unwrap().write_all(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'\n', 1, 2]).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: stdin is an image: decode it first, e.g. zbarimg --raw FILE"
    );
    assert!(o.stdout.is_empty());
}
