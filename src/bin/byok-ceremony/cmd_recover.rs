//! `recover`: the recovery ceremony. Combines escrow shares, refuses unless the key check value is
//! the one on record, then runs the same ceremony as `generate` with the recovered key.

use byok_ceremony::ceremony::{KeyOrigin, KeyPlan};
use byok_ceremony::dice::CeremonyRng;
use byok_ceremony::escrow::{self, recovery, Expected, OriginalLog};
use byok_ceremony::exit::ExitStatus;
use byok_ceremony::keytype::KeyType;
use std::path::PathBuf;

use crate::cmd_generate::{build_request, harden_request, report, run_ceremony, summary_json, GenerateArgs};
use crate::output::{fail, print_json, Failure};

/// `recover --help` for the `generate` flags that mean something else here.
pub const KEY_TYPE_HELP: &str = "The type of the key being recovered: aes-256, aes-192 or aes-128. \
    Read from the shares (their word count); give it only to double-check, a different type is refused";
/// See [`KEY_TYPE_HELP`].
pub const SHARE_PASSPHRASE_HELP: &str = "The old shares have a SLIP-39 passphrase: type it once on the \
    terminal (echo off). It unlocks the old shares and also protects the new ones (docs/escrow.md). \
    A wrong passphrase gives a different key, which the key check value catches";
/// See [`KEY_TYPE_HELP`].
pub const SHARE_PASSPHRASE_FD_HELP: &str = "Read the share passphrase from this open file descriptor \
    (scripts; never put it in argv): it unlocks the old shares and also protects the new ones";

#[derive(clap::Args)]
pub struct RecoverArgs {
    /// A share file (give --share once per share, at least the threshold); none on a terminal: type
    /// the shares word by word
    #[arg(long = "share", value_name = "FILE")]
    pub share_files: Vec<PathBuf>,
    /// The key check value from the original ceremony's paper transcript (needed when the share
    /// files carry no '# kcv:' line, e.g. shares made by another SLIP-39 tool)
    #[arg(long, value_name = "HEX")]
    pub expect_kcv: Option<String>,
    /// The original ceremony's log (DIR/ceremony.log): its chain (and signature, when
    /// ceremony.log.sig and ceremony.pub are beside it) is verified and its key check value compared
    #[arg(long, value_name = "FILE")]
    pub original_log: Option<PathBuf>,
    /// The new ceremony: the same flags as `generate` (new KEK, fingerprint, kid, label, out,
    /// operators, --shares/--threshold for new shares or --no-escrow, --allow-*). The share
    /// passphrase flags apply to the old shares and to the new ones
    #[command(flatten)]
    pub ceremony: GenerateArgs,
}

pub fn run(a: RecoverArgs) -> Result<(), Failure> {
    let json = a.ceremony.json;
    recover(a).map_err(|f| f.json(json))
}

fn recover(a: RecoverArgs) -> Result<(), Failure> {
    if a.ceremony.dice || a.ceremony.dice_fd.is_some() {
        return Err(Failure::usage(
            "--dice is for generating a key; recover takes the key from the shares: leave --dice out",
        ));
    }
    let expected = Expected {
        kcv: a.expect_kcv.as_deref().map(parse_kcv).transpose()?,
        original_log: a.original_log.as_deref().map(OriginalLog::read).transpose().map_err(fail)?,
    };
    // Typed shares have no '# kcv:' line: refuse before the custodians type every word.
    let typed = a.share_files.is_empty() && crate::output::interactive();
    if typed && expected.kcv.is_none() && expected.original_log.is_none() {
        return Err(Failure::usage(
            "typed shares carry no key check value to compare the recovered key with: give --expect-kcv HEX from the paper transcript or --original-log DIR/ceremony.log before typing the shares",
        ));
    }
    crate::cmd_preflight::lock_before_shares(a.ceremony.allow_unlocked_memory)?;
    let inputs = crate::cmd_shares::inputs(&a.share_files, "--share FILE")?;
    let from_shares = inputs.first().and_then(recovery::key_type_of);
    let key_type = match (a.ceremony.key_type, from_shares) {
        (Some(asked), Some(found)) if asked != found => {
            return Err(Failure::usage(format!(
                "--key-type {asked}, but the shares hold an {found} key: leave --key-type out"
            )))
        }
        (_, Some(found)) => found,
        (asked, None) => asked.unwrap_or(KeyType::Aes256),
    };
    let mut req = build_request(&a.ceremony, key_type)?;
    let c = &a.ceremony;
    harden_request(&mut req, c)?;
    let passphrase = crate::passphrase::read(c.share_passphrase, c.share_passphrase_fd, false)?;
    eprintln!("Combining {} share(s) in memory (PBKDF2 takes a moment):", inputs.len());
    let checked = escrow::recover_key(&inputs, &passphrase, &expected);
    crate::cmd_shares::show_lines(&checked.lines);
    let recovered = checked.result.map_err(|e| Failure::new(e.exit_code(), e.to_string()))?;
    drop(inputs);
    let original = recovered.original_ceremony.clone();
    eprintln!(
        "  key recovered: key check value {}, equal to {}; original ceremony {}",
        recovered.report.kcv,
        recovered.kcv_checked_against.join(", "),
        original.as_deref().unwrap_or("unknown")
    );
    let plan = KeyPlan { origin: KeyOrigin::Recovered(Box::new(recovered)), share_passphrase: passphrase };
    let summary = run_ceremony(&req, plan, &mut CeremonyRng::Os(rand_core::OsRng), c)?;
    crate::cmd_generate::hand_out(&summary, c);
    if c.json {
        let mut doc = summary_json(&summary);
        doc["recovered"] = serde_json::json!(true);
        doc["original_ceremony_id"] = serde_json::json!(original);
        print_json(&doc);
    } else {
        report(&summary, false);
        println!("  recovered from:             ceremony {}", original.as_deref().unwrap_or("unknown"));
    }
    Ok(())
}

/// A key check value as typed from paper: 6 hex digits, any case, spaces allowed.
fn parse_kcv(typed: &str) -> Result<String, Failure> {
    let hex: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(Failure::usage(
            "--expect-kcv: give the 6 hex digits of the key check value (kcv) from the transcript",
        ))
    }
}
