//! `qr split` and `qr join` (`qr show` is in cmd_qr_show.rs), and the QR options they share.

use byok_ceremony::exit;
use byok_ceremony::fsutil;
use byok_ceremony::qr::{self, ChunkOptions, EcLevel, Joiner, Progress, SheetInfo};
use serde_json::json;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::output::{print_json, Failure};

pub use crate::cmd_qr_show::{show, QrShowArgs};

#[derive(clap::Args)]
pub struct QrJoinArgs {
    /// Chunk text files (default: stdin), e.g. the output of `zbarimg --raw`
    pub inputs: Vec<PathBuf>,
    /// Write the joined file here (default: stdout)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print one JSON object on stdout (requires --out)
    #[arg(long, requires = "out")]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct QrSplitArgs {
    /// The file to split
    pub file: PathBuf,
    /// Directory for chunk-NN-of-MM.png/.svg and chunks.txt (must not exist, or be empty)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub qr: QrOptions,
    /// Also write sheet.html: every code on printable A4 pages, labelled, with the file's SHA-256
    #[arg(long)]
    pub sheet: bool,
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

/// Density and error correction of the codes (see docs/qr-chunks.md for the measurements).
#[derive(clap::Args)]
pub struct QrOptions {
    /// Largest QR version (1 to 40); smaller versions scan more easily, larger need fewer codes
    #[arg(long, alias = "qr-max-version", default_value_t = qr::DEFAULT_MAX_VERSION, value_name = "V")]
    pub max_version: i16,
    /// Error correction: L (7% of a code may be damaged), M (15%), Q (25%) or H (30%)
    #[arg(long, alias = "qr-ec", default_value = "M", value_name = "L|M|Q|H", value_parser = parse_ec)]
    pub ec: EcLevel,
}

impl QrOptions {
    /// The chunk options, after checking the version range (a usage error).
    pub fn chunk_options(&self) -> Result<ChunkOptions, Failure> {
        if !(1..=40).contains(&self.max_version) {
            return Err(Failure::usage(format!("--max-version {} is outside 1..40", self.max_version)));
        }
        Ok(ChunkOptions { max_version: self.max_version, ec_level: self.ec })
    }
}

/// Parses `--ec` / `--qr-ec`.
pub fn parse_ec(s: &str) -> Result<EcLevel, String> {
    qr::parse_ec_level(s).ok_or_else(|| format!("{s:?} is not an error-correction level; use L, M, Q or H"))
}

/// A QR error as a failure: exit 3 for chunk integrity, 2 for a directory without chunks, else 1.
pub fn qr_failure(e: qr::QrError) -> Failure {
    crate::output::fail(e)
}

/// A refused split as a usage error (exit 2) that names the flag to change.
fn split_failure(e: qr::QrError, opts: &ChunkOptions) -> Failure {
    match e {
        qr::QrError::VersionTooSmall { max_version, needed } => Failure::usage(format!(
            "--max-version {max_version} is too small for the chunk headers; use --max-version {needed} or more (up to 40)"
        )),
        qr::QrError::DataTooLarge { len, max } if opts.max_version < 40 => Failure::usage(format!(
            "{len} bytes need more than {max} QR codes at --max-version {}; use a larger --max-version (up to 40)",
            opts.max_version
        )),
        qr::QrError::DataTooLarge { len, max } => Failure::usage(format!(
            "{len} bytes need more than {max} QR codes even at version 40; QR chunks carry small files such as the transfer blob: split the file first"
        )),
        other => qr_failure(other),
    }
}

pub fn split(a: QrSplitArgs) -> Result<(), Failure> {
    let data = std::fs::read(&a.file)
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot read {}: {e}", a.file.display())))?;
    let opts = a.qr.chunk_options()?;
    fsutil::check_fresh_dir(&a.out, "--out").map_err(crate::output::fail)?;
    let set = qr::split(&data, &opts).map_err(|e| split_failure(e, &opts))?;
    fsutil::create_fresh_dir(&a.out, 0o755, "--out").map_err(crate::output::fail)?;
    let staging = fsutil::Staging::new(&a.out, "qr").map_err(crate::output::fail)?;
    let write = |name: &str, bytes: &[u8]| fsutil::write_new(&staging.path().join(name), bytes, 0o644);
    for c in &set.chunks {
        let base = format!("chunk-{:02}-of-{:02}", c.index, c.count);
        let png = qr::render_png(&c.text, Some(set.version), set.ec_level).map_err(qr_failure)?;
        write(&format!("{base}.png"), &png).map_err(crate::output::fail)?;
        let svg = qr::render_svg(&c.text, Some(set.version), set.ec_level).map_err(qr_failure)?;
        write(&format!("{base}.svg"), svg.as_bytes()).map_err(crate::output::fail)?;
    }
    write("chunks.txt", qr::chunks_txt(&set).as_bytes()).map_err(crate::output::fail)?;
    if a.sheet {
        let name = a.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let html =
            qr::render_sheet(&set, &SheetInfo { title: &name, ceremony_id: None }).map_err(qr_failure)?;
        write("sheet.html", html.as_bytes()).map_err(crate::output::fail)?;
    }
    staging.commit(&mut Vec::new()).map_err(crate::output::fail)?;
    let sha = fsutil::hex_lower(&set.sha256);
    if a.json {
        print_json(&json!({"ok": true, "chunks": set.chunks.len(), "version": set.version,
                "ec_level": format!("{:?}", set.ec_level), "sha256": sha, "out": a.out.display().to_string()}));
    } else {
        println!(
            "{} QR codes (version {}, EC {:?}) in {}",
            set.chunks.len(),
            set.version,
            set.ec_level,
            a.out.display()
        );
        println!("SHA-256 of {}: {sha}", a.file.display());
    }
    Ok(())
}

/// After the set is complete, how long stdin may stay silent before the join
/// ends: a webcam scanner (`zbarcam --raw`) never closes its output, while
/// lines already sent (a pipe, a file) arrive well within this.
const SETTLE: Duration = Duration::from_millis(500);

/// Where a line came from, for messages: "stdin" or the file name.
struct Source<'a> {
    name: String,
    hint: &'a str,
}

/// Feeds one line (number `n`, 1-based) of `source` to the joiner; a refusal names the line.
fn feed(joiner: &mut Joiner, source: &Source, n: usize, raw: &[u8], json: bool) -> Result<(), Failure> {
    if n == 1 && is_image(raw) {
        return Err(Failure::usage(format!(
            "{} is an image: decode it first, e.g. zbarimg --raw {}",
            source.name, source.hint
        ))
        .json(json));
    }
    let line = String::from_utf8_lossy(raw);
    let progress = joiner.push_line(&line).map_err(|e| {
        if matches!(e, qr::QrError::HashMismatch) {
            // The whole failed, not this line: BQR1 has no per-chunk check to blame one.
            return qr_failure(e).json(json);
        }
        let f = qr_failure(e);
        Failure::new(f.code, format!("{} line {n}: {}", source.name, f.message)).json(json)
    })?;
    if matches!(progress, Progress::Added | Progress::Complete) {
        eprintln!("qr join: {}", joiner.describe());
    }
    Ok(())
}

/// PNG or JPEG magic at the start of the input: a picture of a code, not its text.
fn is_image(first_line: &[u8]) -> bool {
    first_line.starts_with(b"\x89PNG") || first_line.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// Reads stdin lines on a thread, so that the join can stop waiting once the set is complete.
fn stdin_lines() -> mpsc::Receiver<std::io::Result<Vec<u8>>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let mut raw = Vec::new();
            match stdin.read_until(b'\n', &mut raw) {
                Ok(0) => break,
                Ok(_) => {
                    if tx.send(Ok(raw)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        }
    });
    rx
}

/// Reads every line of the inputs (stdin: until it closes, or until it has been
/// silent for [`SETTLE`] after the set is complete), so that a foreign, out-of-range
/// or conflicting chunk anywhere is refused, even after the last needed one.
pub fn join(a: QrJoinArgs) -> Result<(), Failure> {
    let mut joiner = Joiner::new();
    if a.inputs.is_empty() {
        let source = Source { name: "stdin".to_owned(), hint: "FILE" };
        let rx = stdin_lines();
        let mut n = 0;
        loop {
            let next = if joiner.is_complete() { rx.recv_timeout(SETTLE).ok() } else { rx.recv().ok() };
            let Some(line) = next else { break };
            let raw = line.map_err(|e| Failure::new(exit::FAILED, format!("cannot read stdin: {e}")))?;
            n += 1;
            feed(&mut joiner, &source, n, &raw, a.json)?;
        }
    } else {
        for path in &a.inputs {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::new(exit::FAILED, format!("cannot read {}: {e}", path.display())))?;
            let name = path.display().to_string();
            let source = Source { name: name.clone(), hint: &name };
            for (i, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
                feed(&mut joiner, &source, i + 1, raw, a.json)?;
            }
        }
    }
    let bytes = joiner.finish().map_err(|e| qr_failure(e).json(a.json))?;
    let sha = fsutil::sha256_hex(&bytes);
    match &a.out {
        Some(path) => {
            if path.exists() {
                return Err(Failure::usage(format!(
                    "{} exists: choose another --out (qr join never overwrites)",
                    path.display()
                )));
            }
            fsutil::write_atomic(path, &bytes, 0o644).map_err(crate::output::fail)?;
            eprintln!(
                "qr join: {} bytes verified (SHA-256 {sha}) written to {}",
                bytes.len(),
                path.display()
            );
            if a.json {
                print_json(
                    &json!({"ok": true, "bytes": bytes.len(), "sha256": sha, "out": path.display().to_string()}),
                );
            }
        }
        None => {
            eprintln!("qr join: {} bytes verified (SHA-256 {sha})", bytes.len());
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .map_err(|e| Failure::new(exit::FAILED, format!("cannot write stdout: {e}")))?;
        }
    }
    Ok(())
}
