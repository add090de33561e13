//! Exit codes: part of the contract (CONTRACT.md section 8), tested by the CLI tests.

/// Done.
pub const OK: u8 = 0;
/// Failed: I/O or something unexpected.
pub const FAILED: u8 = 1;
/// Usage: a bad flag, a missing value, a refused input file, an existing output.
pub const USAGE: u8 = 2;
/// A verification failed: fingerprint mismatch, audit, share or chunk integrity, self-test.
pub const VERIFICATION: u8 = 3;
/// The environment is unsafe and no override was given.
pub const UNSAFE_ENVIRONMENT: u8 = 4;

/// Anything that knows which exit code it deserves.
pub trait ExitStatus {
    /// One of the constants above.
    fn exit_code(&self) -> u8;
}
