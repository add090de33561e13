//! Known-answer tests of every primitive a ceremony relies on, run by `selftest` and at the start of
//! every ceremony (`generate`, `demo`): any failure stops it before a key exists (exit 3).
//!
//! Each test is a function over its vectors (in [`cases`]), so a unit test can feed it a corrupted
//! vector and see it fail. Together they take well under a second in a release build: the SLIP-39
//! part (PBKDF2) runs only two of the official vectors.

mod cases;
#[cfg(test)]
mod tests;

use serde::Serialize;

/// The outcome of one self-test.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// Short name (`aes-kwp`, `rsa-oaep`, `sha1`, `sha256`, `hmac-sha256`, `pbkdf2-sha256`, `slip39`,
    /// `gf256`, `aes-kcv`, `qr-chunks`, `ed25519-sshsig`).
    pub name: &'static str,
    /// Whether every known answer matched.
    pub ok: bool,
    /// What was checked, or what differed.
    pub detail: String,
}

/// All outcomes, in the order run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// One outcome per test.
    pub results: Vec<Outcome>,
    /// How long the whole run took, in milliseconds.
    pub millis: u64,
}

/// A self-test failed: this binary must not run a ceremony.
#[derive(Debug, thiserror::Error)]
#[error("self-test failed ({0}): this binary must not run a ceremony; nothing was generated; rebuild it from a verified source and run `byok-ceremony selftest`")]
pub struct SelftestError(pub String);

impl crate::exit::ExitStatus for SelftestError {
    fn exit_code(&self) -> u8 {
        crate::exit::VERIFICATION
    }
}

impl Report {
    /// Whether every test passed.
    pub fn passed(&self) -> bool {
        self.results.iter().all(|r| r.ok)
    }

    /// The names of the tests run (for the log).
    pub fn names(&self) -> Vec<String> {
        self.results.iter().map(|r| r.name.to_string()).collect()
    }

    /// `Ok(self)` when everything passed, else an error naming the failed tests.
    pub fn check(self) -> Result<Report, SelftestError> {
        let failed: Vec<&str> = self.results.iter().filter(|r| !r.ok).map(|r| r.name).collect();
        if failed.is_empty() {
            Ok(self)
        } else {
            Err(SelftestError(failed.join(", ")))
        }
    }
}

type Test = fn() -> Result<String, String>;

/// The tests, by name.
const TESTS: [(&str, Test); 11] = [
    ("aes-kwp", || cases::aes_kwp(cases::KWP_VECTORS)),
    ("rsa-oaep", cases::rsa_oaep),
    ("sha1", || cases::digest::<sha1::Sha1>(cases::SHA1)),
    ("sha256", || cases::digest::<sha2::Sha256>(cases::SHA256)),
    ("hmac-sha256", || cases::hmac_sha256(cases::HMAC_SHA256)),
    ("pbkdf2-sha256", || cases::pbkdf2_sha256(cases::PBKDF2_SHA256)),
    ("slip39", || cases::slip39(cases::SLIP39_VECTORS, &[0, 3])),
    ("gf256", cases::gf256),
    ("aes-kcv", || cases::aes_kcv(cases::KCV)),
    ("qr-chunks", cases::qr_chunks),
    ("ed25519-sshsig", cases::ed25519_sshsig),
];

/// The environment variable that, in a debug (test) build only, makes one self-test run over a
/// corrupted vector: `sha256`, `aes-kwp` or `slip39`. It lets the CLI tests see a failing self-test
/// stop a ceremony with exit 3. Release builds do not read it.
pub const CORRUPT_ENV: &str = "BYOK_CEREMONY_SELFTEST_CORRUPT";

#[cfg(debug_assertions)]
fn corrupted(name: &str) -> Option<Result<String, String>> {
    if std::env::var(CORRUPT_ENV).ok()? != name {
        return None;
    }
    match name {
        // The FIPS 180-2 digest of "abc" with its last digit changed.
        "sha256" => Some(cases::digest::<sha2::Sha256>(&[(
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae",
        )])),
        // The RFC 5649 20-byte ciphertext with its last digit changed.
        "aes-kwp" => {
            Some(cases::aes_kwp(&cases::KWP_VECTORS.replacen("5f54f373fa543b6a", "5f54f373fa543b6b", 1)))
        }
        // The first official SLIP-39 vector's master secret with its last digit changed.
        "slip39" => Some(cases::slip39(
            &cases::SLIP39_VECTORS.replacen(
                "bb54aac4b89dc868ba37d9cc21b2cece",
                "bb54aac4b89dc868ba37d9cc21b2cecf",
                1,
            ),
            &[0, 3],
        )),
        _ => None,
    }
}

#[cfg(not(debug_assertions))]
fn corrupted(_name: &str) -> Option<Result<String, String>> {
    None
}

/// Runs every self-test. None panics: each returns what differed.
pub fn run() -> Report {
    let started = std::time::Instant::now();
    let results = TESTS
        .iter()
        .map(|(name, test)| {
            let (ok, detail) = match corrupted(name).unwrap_or_else(test) {
                Ok(detail) => (true, detail),
                Err(why) => (false, why),
            };
            Outcome { name, ok, detail }
        })
        .collect();
    Report { results, millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX) }
}
