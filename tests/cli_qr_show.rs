//! `qr show` (not on a terminal: every code, one after another), `qr split --sheet`
//! and the error-correction option; the console codes are decoded by rqrr and zbarimg.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// Pixels per module when console text is turned back into an image.
const SCALE: usize = 3;

/// The frames of `qr show` output: ("N of M" label line, code text).
fn frames(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with("  ") && line.contains(" of ") && !line.contains('\x1b') {
            out.push((line.to_owned(), String::new()));
        } else if !line.is_empty() {
            let last = out.last_mut().expect("a label before the code");
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    out
}

/// Half-block text (ANSI colours allowed) as a greyscale image, SCALE px per module.
fn to_image(code: &str) -> (usize, usize, Vec<u8>) {
    let rows: Vec<Vec<char>> = code
        .lines()
        .map(|l| {
            let l = l.replace("\x1b[0;30;47;107m", "").replace("\x1b[0m", "");
            l.chars().collect()
        })
        .collect();
    let (w, h) = (rows[0].len() * SCALE, rows.len() * 2 * SCALE);
    let mut px = vec![255u8; w * h];
    for (y, row) in rows.iter().enumerate() {
        for (x, c) in row.iter().enumerate() {
            let halves = match c {
                '█' => [true, true],
                '▀' => [true, false],
                '▄' => [false, true],
                _ => [false, false],
            };
            for (half, dark) in halves.iter().enumerate() {
                for py in 0..SCALE {
                    let start = ((2 * y + half) * SCALE + py) * w + x * SCALE;
                    if *dark {
                        px[start..start + SCALE].fill(0);
                    }
                }
            }
        }
    }
    (w, h, px)
}

fn rqrr_decode(code: &str) -> Vec<String> {
    let (w, h, px) = to_image(code);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| px[y * w + x]);
    img.detect_grids().iter().map(|g| g.decode().unwrap().1).collect()
}

fn write_png(path: &Path, code: &str) {
    let (w, h, px) = to_image(code);
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(file, w as u32, h as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&px).unwrap();
}

fn split_to(dir: &Path, len: usize, extra: &[&str]) -> (std::path::PathBuf, std::path::PathBuf, Vec<String>) {
    let file = dir.join("blob.byok");
    std::fs::write(&file, (0..len).map(|i| (i * 31 % 256) as u8).collect::<Vec<u8>>()).unwrap();
    let out = dir.join("qr");
    let mut args = vec!["qr", "split", file.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = std::fs::read_to_string(out.join("chunks.txt")).unwrap().lines().map(str::to_owned).collect();
    (file, out, lines)
}

#[test]
fn show_prints_every_code_labelled_and_each_decodes() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, qr_dir, lines) = split_to(tmp.path(), 996, &[]);
    let o = run(&["qr", "show", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = stdout(&o);
    let got = frames(&shown);
    assert_eq!(got.len(), lines.len());
    let zbar = peer_available("zbarimg");
    for (i, (label, code)) in got.iter().enumerate() {
        assert_eq!(
            label,
            &format!("  {} of {}   (QR version 12, EC M; scan in any order)", i + 1, lines.len())
        );
        assert_eq!(rqrr_decode(code), vec![lines[i].clone()]);
        if zbar {
            let png = tmp.path().join(format!("console-{i}.png"));
            write_png(&png, code);
            let z = Command::new("zbarimg").args(["--raw", "-q"]).arg(&png).output().unwrap();
            assert!(z.status.success(), "zbarimg could not read the console code {}", i + 1);
            assert_eq!(String::from_utf8(z.stdout).unwrap().trim_end(), lines[i]);
        }
    }
    // The split directory, a chunks.txt and a ceremony directory show the same codes.
    let ceremony = tmp.path().join("ceremony");
    std::fs::create_dir_all(ceremony.join("qr")).unwrap();
    std::fs::copy(qr_dir.join("chunks.txt"), ceremony.join("qr/chunks.txt")).unwrap();
    for other in [qr_dir.clone(), qr_dir.join("chunks.txt"), ceremony] {
        let o = run(&["qr", "show", other.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), shown, "{}", other.display());
    }
}

#[test]
fn show_json_puts_the_codes_on_stderr_and_plain_has_no_colours() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, _, lines) = split_to(tmp.path(), 100, &[]);
    let o = run(&["qr", "show", file.to_str().unwrap(), "--json", "--qr-ec", "Q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["ec_level"], "Q");
    assert_eq!(doc["chunks"], 1);
    assert_eq!(frames(&stderr(&o)).len(), 1);
    let o = run(&["qr", "show", file.to_str().unwrap(), "--plain"]);
    assert!(!stdout(&o).contains('\x1b'));
    assert_eq!(rqrr_decode(&frames(&stdout(&o))[0].1), lines);
}

#[test]
fn show_refusals() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&["qr", "show", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        error_line(&o),
        format!(
            "byok-ceremony: error: {} holds neither qr/chunks.txt nor chunks.txt; give a ceremony directory, a qr directory or a file",
            tmp.path().display()
        )
    );
    let (_, qr_dir, lines) = split_to(tmp.path(), 996, &[]);
    std::fs::write(qr_dir.join("chunks.txt"), format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let o = run(&["qr", "show", qr_dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(error_line(&o), "byok-ceremony: error: missing chunks 2, 4, 5 of 5");
    let o = run(&["qr", "show", qr_dir.to_str().unwrap(), "--cycle", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(error_line(&o), "byok-ceremony: error: --cycle 0 is outside 0.2..600 seconds");
    let o = run(&["qr", "show", "/nonexistent/blob"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(error_line(&o).starts_with("byok-ceremony: error: cannot read /nonexistent/blob: "));
}

#[test]
fn split_with_sheet_and_error_correction() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, qr_dir, lines) = split_to(tmp.path(), 996, &["--sheet", "--ec", "q", "--json"]);
    assert_eq!(lines.len(), 8, "EC Q needs more codes than M");
    let sheet = std::fs::read_to_string(qr_dir.join("sheet.html")).unwrap();
    assert!(sheet.contains("QR transfer sheet: blob.byok"));
    assert!(sheet.contains("8 QR codes, version 12, error correction Q; page 1 of 2"));
    for n in 1..=8 {
        assert!(sheet.contains(&format!("<div class=\"label\">{n} of 8</div>")));
    }
    if peer_available("zbarimg") {
        let pngs: Vec<String> = names(&qr_dir).into_iter().filter(|n| n.ends_with(".png")).collect();
        let z =
            Command::new("zbarimg").current_dir(&qr_dir).args(["--raw", "-q"]).args(&pngs).output().unwrap();
        assert!(z.status.success());
        let mut got: Vec<String> = String::from_utf8(z.stdout).unwrap().lines().map(str::to_owned).collect();
        got.sort_by_key(|l| l.split(':').nth(1).unwrap().parse::<u32>().unwrap());
        assert_eq!(got, lines);
    }
    let o = run(&["qr", "split", "x", "--out", "y", "--ec", "X"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"X\" is not an error-correction level; use L, M, Q or H"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn generate_show_qr_ends_with_the_codes_and_writes_the_sheet() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, public, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("ceremony");
    let mut args = generate_args(&public, &fpr, &out);
    args.extend(["--show-qr", "--qr-ec", "L"].map(String::from));
    let o = run_owned(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> =
        std::fs::read_to_string(out.join("qr/chunks.txt")).unwrap().lines().map(str::to_owned).collect();
    let text = stdout(&o);
    let shown = frames(&text[text.find("\n  1 of ").unwrap()..]);
    assert_eq!(shown.len(), lines.len());
    for (i, (label, code)) in shown.iter().enumerate() {
        assert!(label.ends_with("EC L; scan in any order)"), "{label}");
        assert_eq!(rqrr_decode(code), vec![lines[i].clone()]);
    }
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains("\"ec_level\":\"L\""));
    let sheet = std::fs::read_to_string(out.join("qr/sheet.html")).unwrap();
    assert!(sheet.contains("QR transfer sheet: contoso-key.byok"));
    assert!(sheet.contains("Ceremony: <span class=\"mono\">"));
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert!(sums.contains("qr/sheet.html"), "{sums}");
    let o = run_owned(&[args, vec!["--json".to_owned()]].concat());
    assert_eq!(o.status.code(), Some(2), "--show-qr and --json conflict");
}
