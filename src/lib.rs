//! byok-ceremony: the library behind the offline BYOK key-ceremony appliance.
//!
//! The binary only parses arguments and talks to the terminal; everything else lives here:
//! reading and fingerprinting the KEK ([`kek`]), generating the target key ([`secret`]),
//! escrow as SLIP-39 shares ([`slip39`]), CKM_RSA_AES_KEY_WRAP ([`wrap`]), the Azure transfer blob
//! ([`blob`]), QR chunks ([`qr`]), the signed ceremony log ([`log`]) and the ceremony itself
//! ([`ceremony`]), and the auditor's replay of a ceremony directory ([`audit`]). The only `unsafe`
//! code is the handful of syscalls in `hardening::sys`.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod audit;
pub mod blob;
pub mod build_info;
pub mod ceremony;
pub mod demo_kek;
pub mod escrow;
pub mod exit;
pub mod fsutil;
pub mod hardening;
pub mod kcv;
pub mod kek;
pub mod keytype;
pub mod log;
pub mod qr;
pub mod secret;
pub mod slip39;
pub mod wrap;

/// The tool's version, as written into the blob's `generator` field and the log.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `byok-ceremony VERSION`.
pub fn generator() -> String {
    format!("byok-ceremony {VERSION}")
}
