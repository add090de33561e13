//! The command tree. Each command's argument struct (clap derive) lives in its `cmd_*.rs` file,
//! next to the one function that runs it.

use clap::{Parser, Subcommand};

use crate::cmd_audit::AuditArgs;
use crate::cmd_demo::DemoArgs;
use crate::cmd_generate::GenerateArgs;
use crate::cmd_kek::KekInspectArgs;
use crate::cmd_preflight::PreflightArgs;
use crate::cmd_qr::{QrJoinArgs, QrShowArgs, QrSplitArgs};
use crate::cmd_recover::RecoverArgs;
use crate::cmd_selftest::SelftestArgs;
use crate::cmd_shares::SharesCheckArgs;
use crate::cmd_version::VersionArgs;
use crate::handout::SharesHandoutArgs;

/// Offline BYOK key ceremony: generate a key, escrow it as SLIP-39 shares, wrap it for a cloud HSM
/// KEK (CKM_RSA_AES_KEY_WRAP), and hand it over as a .byok file, QR codes and a signed log.
///
/// Start with `byok-ceremony demo`. Exit codes: 0 done, 1 failed (I/O), 2 usage or refused input,
/// 3 a verification failed (fingerprint, integrity), 4 the environment is unsafe.
#[derive(Parser)]
#[command(name = "byok-ceremony", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// A whole ceremony against the built-in DEMO KEK, then checks its own result (start here)
    ///
    /// Writes a ceremony directory like `generate` does, plus `demo-kek.private.pem`: the demo KEK's
    /// private half, public by design (it is in the source), so that anyone can unwrap the demo blob.
    /// The demo never refuses: where a real ceremony would refuse (network, swap, unlocked memory...)
    /// it shows what would be refused and carries on.
    Demo(DemoArgs),
    /// The key ceremony: verify the KEK, generate, escrow, wrap, write blob, QR codes and signed log
    Generate(GenerateArgs),
    /// Recovery ceremony: combine escrow shares, check the key check value, wrap for a (new) KEK
    #[command(
        mut_arg("key_type", |a| a.help(crate::cmd_recover::KEY_TYPE_HELP)),
        mut_arg("share_passphrase", |a| a.help(crate::cmd_recover::SHARE_PASSPHRASE_HELP)),
        mut_arg("share_passphrase_fd", |a| a.help(crate::cmd_recover::SHARE_PASSPHRASE_FD_HELP)),
        // The key comes from the shares: recover refuses --dice, so its help does not offer it.
        mut_arg("dice", |a| a.hide(true)),
        mut_arg("dice_fd", |a| a.hide(true)),
    )]
    Recover(RecoverArgs),
    /// Commands on escrow shares
    Shares {
        #[command(subcommand)]
        command: SharesCommand,
    },
    /// Commands on a KEK file
    Kek {
        #[command(subcommand)]
        command: KekCommand,
    },
    /// Move a file through QR codes: split on the offline side, join on the online side
    Qr {
        #[command(subcommand)]
        command: QrCommand,
    },
    /// Verify a ceremony directory: log chain, signature, artifacts, KEK, QR chunks, shares
    Audit(AuditArgs),
    /// The environment checks alone: memory lock, core dumps, swap, network, RNG
    Preflight(PreflightArgs),
    /// Known-answer tests of every primitive
    Selftest(SelftestArgs),
    /// Version, the running binary's SHA-256, toolchain and dependencies
    Version(VersionArgs),
}

#[derive(Subcommand)]
pub enum SharesCommand {
    /// Check share files: checksums, set, threshold; combine in memory and print only the key check value
    Check(SharesCheckArgs),
    /// Hand share files out on this terminal, one custodian at a time, each confirming two words
    Handout(SharesHandoutArgs),
}

#[derive(Subcommand)]
pub enum KekCommand {
    /// Show a KEK's type, size, exponent, SHA-256 fingerprint and the form it was read from
    Inspect(KekInspectArgs),
}

#[derive(Subcommand)]
pub enum QrCommand {
    /// Any file to chunked QR codes (PNG and SVG) and chunks.txt
    Split(QrSplitArgs),
    /// Chunk texts (files or stdin, one per line, any order, repeats allowed) back to the file, verified
    Join(QrJoinArgs),
    /// Show QR codes in a text console, one at a time
    Show(QrShowArgs),
}
