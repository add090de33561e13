//! `qr split` and `qr join`.

use byok_ceremony::exit;
use byok_ceremony::fsutil;
use byok_ceremony::qr::{self, ChunkOptions, Joiner, Progress};
use serde_json::json;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use crate::output::{print_json, Failure};

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
    /// Largest QR version (1 to 40)
    #[arg(long, default_value_t = 12, value_name = "V")]
    pub max_version: i16,
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

fn qr_failure(e: qr::QrError) -> Failure {
    let code = if e.is_integrity_error() { exit::VERIFICATION } else { exit::FAILED };
    Failure::new(code, e.to_string())
}

pub fn split(a: QrSplitArgs) -> Result<(), Failure> {
    let data = std::fs::read(&a.file)
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot read {}: {e}", a.file.display())))?;
    let opts = ChunkOptions { max_version: a.max_version, ..ChunkOptions::default() };
    if !(1..=40).contains(&a.max_version) {
        return Err(Failure::usage(format!("--max-version {} is outside 1..40", a.max_version)));
    }
    fsutil::check_fresh_dir(&a.out).map_err(crate::output::fail)?;
    let set = qr::split(&data, &opts).map_err(qr_failure)?;
    fsutil::create_fresh_dir(&a.out, 0o755).map_err(crate::output::fail)?;
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
    staging.commit(&mut Vec::new()).map_err(crate::output::fail)?;
    let sha = fsutil::hex_lower(&set.sha256);
    if a.json {
        print_json(
            &json!({"ok": true, "chunks": set.chunks.len(), "version": set.version, "sha256": sha, "out": a.out.display().to_string()}),
        );
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

pub fn join(a: QrJoinArgs) -> Result<(), Failure> {
    let mut joiner = Joiner::new();
    let feed = |line: &str, joiner: &mut Joiner| -> Result<bool, Failure> {
        if line.trim().is_empty() {
            return Ok(false);
        }
        match joiner.push_line(line).map_err(|e| qr_failure(e).json(a.json))? {
            Progress::Added => eprintln!("qr join: {}", joiner.describe()),
            Progress::Repeat => {}
            Progress::Complete => {
                eprintln!("qr join: {}", joiner.describe());
                return Ok(true);
            }
        }
        Ok(false)
    };
    let mut done = false;
    if a.inputs.is_empty() {
        let mut stdin = std::io::stdin().lock();
        let mut raw = Vec::new();
        loop {
            raw.clear();
            let n = stdin
                .read_until(b'\n', &mut raw)
                .map_err(|e| Failure::new(exit::FAILED, format!("cannot read stdin: {e}")))?;
            if n == 0 {
                break;
            }
            if feed(&String::from_utf8_lossy(&raw), &mut joiner)? {
                done = true;
                break;
            }
        }
    } else {
        'files: for path in &a.inputs {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::new(exit::FAILED, format!("cannot read {}: {e}", path.display())))?;
            let text = String::from_utf8_lossy(&bytes);
            for line in text.lines() {
                if feed(line, &mut joiner)? {
                    done = true;
                    break 'files;
                }
            }
        }
    }
    let _ = done;
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

#[derive(clap::Args)]
pub struct QrShowArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn show(a: QrShowArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "`qr show` is not implemented in this release").json(a.json))
}
