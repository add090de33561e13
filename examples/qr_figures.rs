//! Prints the QR figures of docs/qr-chunks.md: how many codes, at which QR
//! version, for the blobs a ceremony makes (AES-256 wrapped for RSA-2048, 3072
//! and 4096 KEKs, as Azure .byok JSON) and a 3 KB file, at the defaults and at
//! other settings; with the console and sheet space they take.
//!
//! `cargo run --example qr_figures`

use byok_ceremony::blob::{azure_byok, AzureKid};
use byok_ceremony::qr::{self, ChunkOptions, EcLevel, SHEET_CODES_PER_PAGE};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// A typical versioned Managed HSM key id (the kid is in the blob's header).
const KID: &str = "https://contoso-hsm.managedhsm.azure.net/keys/byok-kek/0123456789abcdef0123456789abcdef";

fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut out = vec![0; len];
    ChaCha20Rng::seed_from_u64(seed).fill_bytes(&mut out);
    out
}

fn main() {
    let kid = AzureKid::parse(KID).expect("kid");
    // CKM_RSA_AES_KEY_WRAP of AES-256: the RSA part (modulus length) and 40 bytes of AES-KWP.
    let mut files: Vec<(String, Vec<u8>)> = [2048usize, 3072, 4096]
        .iter()
        .map(|bits| {
            (format!("AES-256 .byok, RSA-{bits} KEK"), azure_byok(&kid, &random(bits / 8 + 40, *bits as u64)))
        })
        .collect();
    files.push(("3 KB file".to_owned(), random(3072, 3)));

    println!("Defaults (max version {}, EC M):\n", qr::DEFAULT_MAX_VERSION);
    println!("| file | bytes | codes | QR version | console (columns × lines) | A4 sheet pages |");
    println!("|---|---|---|---|---|---|");
    for (name, data) in &files {
        let set = qr::split(data, &ChunkOptions::default()).expect("split");
        let side = 17 + 4 * set.version as usize + 2 * qr::QUIET_ZONE;
        println!(
            "| {name} | {} | {} | {} | {side} × {} | {} |",
            data.len(),
            set.chunks.len(),
            set.version,
            side.div_ceil(2) + 3,
            set.chunks.len().div_ceil(SHEET_CODES_PER_PAGE)
        );
    }

    println!("\nOther settings (codes × version):\n");
    let header: Vec<String> = files.iter().map(|(_, d)| format!("{} B", d.len())).collect();
    println!("| max version, EC | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(files.len()));
    for (max_version, ec_level) in [
        (8, EcLevel::M),
        (10, EcLevel::M),
        (12, EcLevel::L),
        (12, EcLevel::Q),
        (12, EcLevel::H),
        (15, EcLevel::M),
        (15, EcLevel::Q),
        (20, EcLevel::M),
    ] {
        let cells: Vec<String> = files
            .iter()
            .map(|(_, data)| {
                let set = qr::split(data, &ChunkOptions { max_version, ec_level }).expect("split");
                format!("{} × v{}", set.chunks.len(), set.version)
            })
            .collect();
        println!("| {max_version}, {ec_level:?} | {} |", cells.join(" | "));
    }
}
