//! `shares check`: each share's words and checksum, one set, threshold met, every threshold subset
//! agreeing; combines in memory and prints only the key check value.

use byok_ceremony::escrow::{self, CheckReport, ShareInput, ShareLine};
use byok_ceremony::exit::ExitStatus;
use serde_json::json;
use std::path::PathBuf;

use crate::output::{fail, interactive, print_json, Failure};

#[derive(clap::Args)]
pub struct SharesCheckArgs {
    /// Share files (`shares/share-NN-of-MM.txt`, or any file holding one SLIP-39 mnemonic line);
    /// none on a terminal: type the shares word by word
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The shares have a SLIP-39 passphrase: type it on the terminal (echo off)
    #[arg(long)]
    pub share_passphrase: bool,
    /// Read the share passphrase from this open file descriptor (scripts; never put it in argv)
    #[arg(long, value_name = "N", conflicts_with = "share_passphrase")]
    pub share_passphrase_fd: Option<i32>,
    /// Go on when memory cannot be locked (the shares and the combined key may then reach swap)
    #[arg(long)]
    pub allow_unlocked_memory: bool,
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SharesCheckArgs) -> Result<(), Failure> {
    let json = a.json;
    check(a).map_err(|f| f.json(json))
}

/// The shares from files, or typed on a terminal when no file is named.
pub fn inputs(files: &[PathBuf], flag: &str) -> Result<Vec<ShareInput>, Failure> {
    if files.is_empty() {
        if !interactive() {
            return Err(Failure::usage(format!(
                "no share given: name the share files ({flag}), or run on a terminal to type them"
            )));
        }
        return crate::typed_shares::type_shares();
    }
    files.iter().enumerate().map(|(i, f)| escrow::read_share_file(f, i + 1).map_err(fail)).collect()
}

fn check(a: SharesCheckArgs) -> Result<(), Failure> {
    crate::cmd_preflight::lock_before_shares(a.allow_unlocked_memory)?;
    let inputs = inputs(&a.files, "FILE...")?;
    let passphrase = crate::passphrase::read(a.share_passphrase, a.share_passphrase_fd, false)?;
    eprintln!("Checking {} share(s), combining in memory (PBKDF2 takes a moment):", inputs.len());
    let checked = escrow::check(&inputs, &passphrase);
    show_lines(&checked.lines);
    let report = checked.result.map_err(|e| Failure::new(e.exit_code(), e.to_string()))?;
    if a.json {
        print_json(&json!({
            "ok": true,
            "ceremony_id": report.ceremony_id,
            "label": report.label,
            "identifier": report.identifier,
            "threshold": report.threshold,
            "shares": report.shares,
            "threshold_met": true,
            "subsets": report.subsets,
            "subsets_combined": report.subsets_combined,
            "kcv": report.kcv,
            "kcv_cmac": report.kcv_cmac,
            "kcv_matches_share_files": report.comment_kcv.as_ref().map(|k| *k == report.kcv),
            "share_files": checked.lines,
        }));
    } else {
        print_report(&report);
    }
    Ok(())
}

/// One line per share on stderr: ok, or what is wrong with it.
pub fn show_lines(lines: &[ShareLine]) {
    for l in lines {
        match (&l.error, l.identifier, l.member) {
            (Some(e), _, _) => eprintln!("  [FAIL] share {} ({}): {e}", l.position, l.name),
            (None, Some(id), Some(m)) => {
                eprintln!(
                    "  [ok  ] share {} ({}): set {id}, member {m}, words and checksum valid",
                    l.position, l.name
                )
            }
            _ => {}
        }
    }
}

fn print_report(r: &CheckReport) {
    if let Some(id) = &r.ceremony_id {
        println!("ceremony:         {id}{}", r.label.as_ref().map(|l| format!(" ({l})")).unwrap_or_default());
    }
    println!("share set:        {}, any {} shares recover the key", r.identifier, r.threshold);
    let agree = if r.shares > r.threshold {
        format!("; all {} subsets of {} agree", r.subsets, r.threshold)
    } else {
        String::new()
    };
    println!("shares:           {} given, threshold met{agree}", r.shares);
    let compared = match &r.comment_kcv {
        Some(_) => "equal to the share files' kcv",
        None => "compare it with the paper transcript",
    };
    println!("key check value:  {}   (kcv_cmac {}; {compared})", r.kcv, r.kcv_cmac);
}
