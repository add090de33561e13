//! Command-line arguments: one struct per command (clap derive).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Offline BYOK key ceremony: generate a key, escrow it as SLIP-39 shares, wrap it for a cloud HSM
/// KEK (CKM_RSA_AES_KEY_WRAP), and hand it over as a .byok file, QR codes and a signed log.
///
/// Start with `byok-ceremony demo`. Exit codes: 0 done, 1 failed (I/O), 2 usage or refused input,
/// 3 a verification failed (fingerprint, integrity), 4 the environment is unsafe.
#[derive(Parser)]
#[command(name = "byok-ceremony", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// A whole ceremony against the built-in DEMO KEK, then checks its own result (start here)
    Demo(DemoArgs),
    /// The key ceremony: verify the KEK, generate, escrow, wrap, write blob, QR codes and signed log
    Generate(GenerateArgs),
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
    /// The environment checks alone: memory lock, core dumps, swap, network, RNG
    Preflight(PreflightArgs),
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
}

#[derive(Args)]
pub struct DemoArgs {
    /// Ceremony directory to create (default: ./byok-demo-YYYYMMDD-HHMMSS)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the result as one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct GenerateArgs {
    /// The KEK public key file (PEM, DER or base64), e.g. from `az keyvault key download`
    #[arg(long, value_name = "FILE")]
    pub kek: PathBuf,
    /// The KEK's SHA-256 fingerprint as printed on the online side
    /// (`openssl pkey -pubin -in KEK.pem -outform DER | sha256sum`); asked for on a terminal when absent
    #[arg(long, value_name = "HEX")]
    pub kek_fingerprint: Option<String>,
    /// The cloud the key goes to (only azure for now)
    #[arg(long, default_value = "azure", value_parser = ["azure", "aws", "gcp"])]
    pub target: String,
    /// Azure: the KEK's versioned key id, https://NAME.managedhsm.azure.net/keys/KEY/VERSION
    #[arg(long, value_name = "URL")]
    pub kid: Option<String>,
    /// The key to generate: aes-256, aes-192 or aes-128
    #[arg(long, default_value = "aes-256", value_name = "TYPE")]
    pub key_type: byok_ceremony::keytype::KeyType,
    /// RSA-OAEP hash (and MGF1 hash): sha1 or sha256 (default: what the target requires; Azure: sha1)
    #[arg(long, value_name = "HASH")]
    pub wrapping_hash: Option<byok_ceremony::wrap::WrappingHash>,
    /// Number of SLIP-39 escrow shares to make (1 to 16)
    #[arg(long, value_name = "N", requires = "threshold", conflicts_with = "no_escrow")]
    pub shares: Option<u8>,
    /// Number of shares needed to recover the key
    #[arg(long, value_name = "K", requires = "shares", conflicts_with = "no_escrow")]
    pub threshold: Option<u8>,
    /// Make no escrow shares: the key will exist only inside the HSM
    #[arg(long)]
    pub no_escrow: bool,
    /// The key's name, used for file names (LABEL.byok)
    #[arg(long, value_name = "NAME")]
    pub label: String,
    /// The ceremony directory to create (must not exist, or be empty)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// An operator's name; give it twice for dual control (asked for on a terminal)
    #[arg(long = "operator", value_name = "NAME")]
    pub operators: Vec<String>,
    /// Allow a ceremony with one operator (recorded in the log)
    #[arg(long)]
    pub single_operator: bool,
    /// OpenSSH Ed25519 private key to sign the log with (default: a fresh key for this ceremony)
    #[arg(long, value_name = "FILE")]
    pub signing_key: Option<PathBuf>,
    /// Write share files here instead of DIR/shares (e.g. a RAM disk); the log still commits to each
    #[arg(long, value_name = "DIR")]
    pub shares_dir: Option<PathBuf>,
    /// Go on when memory cannot be locked (recorded in the log)
    #[arg(long)]
    pub allow_unlocked_memory: bool,
    /// Go on with swap active (recorded in the log)
    #[arg(long)]
    pub allow_swap: bool,
    /// Go on with a network interface up (recorded in the log)
    #[arg(long)]
    pub allow_network: bool,
    /// Largest QR version for the blob's codes (1 to 40; smaller versions scan more easily)
    #[arg(long, default_value_t = 12, value_name = "V")]
    pub qr_max_version: i16,
    /// Print the summary as one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct KekInspectArgs {
    /// The KEK file
    pub kek_file: PathBuf,
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
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

#[derive(Args)]
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

#[derive(Args)]
pub struct PreflightArgs {
    /// Print one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}
