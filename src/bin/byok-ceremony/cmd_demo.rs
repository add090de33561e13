//! `demo`: a whole ceremony against the built-in demo KEK, then a check of its own result.

use byok_ceremony::blob::AzureKid;
use byok_ceremony::ceremony::{self, verify, Escrow, GenerateRequest, Mode};
use byok_ceremony::keytype::KeyType;
use byok_ceremony::qr::ChunkOptions;
use byok_ceremony::wrap::WrappingHash;
use byok_ceremony::{demo_kek, exit};
use serde_json::json;
use std::path::PathBuf;

use crate::cmd_generate::{ceremony_failure, report, summary_json};
use crate::cmd_preflight::{harden, refusals, show, Overrides};
use crate::output::{catch_interrupts, print_json, Failure, Stderr};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Ceremony directory to create (default: ./byok-demo-YYYYMMDD-HHMMSS)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the result as one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: DemoArgs) -> Result<(), Failure> {
    let json = a.json;
    demo(a).map_err(|f| f.json(json))
}

fn demo(a: DemoArgs) -> Result<(), Failure> {
    let out = a.out.clone().unwrap_or_else(default_out);
    eprintln!("DEMO: a whole ceremony against byok-ceremony's built-in demo KEK (never a real key).");
    let kek = demo_kek::kek().map_err(|e| Failure::new(exit::FAILED, e.to_string()))?;
    let mut req = GenerateRequest {
        mode: Mode::Demo,
        expected_fingerprint: kek.fingerprint(),
        kek,
        kid: AzureKid::parse(demo_kek::KID).map_err(|e| Failure::new(exit::FAILED, e.to_string()))?,
        key_type: KeyType::Aes256,
        wrapping_hash: WrappingHash::Sha1,
        escrow: Escrow::Split { threshold: 2, count: 3 },
        label: "demo-key".into(),
        out_dir: out.clone(),
        shares_dir: None,
        operators: vec!["Demo Operator A".into(), "Demo Operator B".into()],
        single_operator: false,
        witnesses: Default::default(),
        signing_key: None,
        environment: Default::default(),
        qr: ChunkOptions::default(),
        extra_files: vec![("demo-kek.private.pem".into(), demo_kek::PRIVATE_PEM.as_bytes().to_vec())],
        interrupted: Default::default(),
    };
    ceremony::validate(&req).map_err(ceremony_failure)?;
    req.environment = harden(false, Overrides::default())?;
    if !show(&req.environment) {
        let refused = refusals(&req.environment).join(", ");
        eprintln!("  (a real `generate` would refuse to start here, exit 4: {refused}; the demo goes on)");
    }
    req.environment.selftest = crate::cmd_selftest::before_ceremony()?;
    req.interrupted = catch_interrupts()?;
    eprintln!("Ceremony:");
    let summary =
        ceremony::generate(&req, &mut rand_core::OsRng, byok_ceremony::log::system_clock(), &mut Stderr)
            .map_err(ceremony_failure)?;
    eprintln!("Checking the result as the online side would (the demo KEK's private half is in demo-kek.private.pem):");
    let checks = verify::verify_with_private_key(&summary, &demo_kek::private_key(), WrappingHash::Sha1);
    for c in &checks {
        eprintln!("  [{}] {}: {}", if c.ok { "ok  " } else { "FAIL" }, c.name, c.detail);
    }
    let all_ok = checks.iter().all(|c| c.ok);
    if a.json {
        let mut doc = summary_json(&summary);
        doc["demo_checks"] = json!(checks);
        doc["ok"] = json!(all_ok);
        print_json(&doc);
    } else {
        report(&summary, false);
        println!();
        println!("Try the peer tools on it: openssl, `ssh-keygen -Y verify`, `sha256sum -c` (see README).");
    }
    if all_ok {
        Ok(())
    } else {
        Err(Failure::new(exit::VERIFICATION, "the demo's own result failed a check (see FAIL above): run `byok-ceremony selftest` and report this"))
    }
}

/// `byok-demo-YYYYMMDD-HHMMSS`, with `-2`, `-3`... when a demo already ran in that second.
fn default_out() -> PathBuf {
    let now = time::OffsetDateTime::now_utc();
    let base = format!(
        "byok-demo-{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let mut candidate = PathBuf::from(&base);
    let mut n = 2;
    while std::fs::symlink_metadata(&candidate).is_ok() {
        candidate = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}
