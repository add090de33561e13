//! The ceremony: validate everything, then generate, escrow, wrap, write and sign.
//!
//! [`validate`] refuses bad requests before any key exists; [`generate`] runs the ceremony with the
//! RNG and clock it is given, writes artifacts through a staging folder, logs every step, and seals
//! and signs the log whether the ceremony succeeds or aborts. [`verify`] checks a finished ceremony
//! directory against the demo KEK's private half.

mod artifacts;
mod error;
mod generate;
mod origin;
mod request;
pub mod signals;
mod stages;
pub mod verify;
pub mod witness;

pub use error::CeremonyError;
pub use generate::{generate, run, Summary};
pub use origin::{KeyOrigin, KeyPlan};
pub use request::{check_escrow, validate, Environment, Escrow, GenerateRequest, Mode, AZURE_KEK_BITS};

/// Progress reports for long steps; the binary prints them on stderr, tests collect them.
pub trait Progress {
    /// One step begins or ends.
    fn step(&mut self, message: &str);
}

/// Progress that goes nowhere.
pub struct Quiet;

impl Progress for Quiet {
    fn step(&mut self, _message: &str) {}
}

pub use crate::build_info::running_binary_sha256;
