//! `audit` through the library: any one byte changed in any file of a ceremony directory fails it.

use byok_ceremony::audit::{audit, AuditRequest, Status};
use byok_ceremony::blob::AzureKid;
use byok_ceremony::ceremony::{self, Environment, Escrow, GenerateRequest, Mode, Quiet};
use byok_ceremony::kek::Kek;
use byok_ceremony::keytype::KeyType;
use byok_ceremony::qr::ChunkOptions;
use byok_ceremony::wrap::WrappingHash;
use proptest::prelude::*;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const KEK_PUB: &[u8] = include_bytes!("data/kek/wycheproof-2048.pub.pem");
const KID: &str = "https://contoso.managedhsm.azure.net/keys/kek/0123456789abcdef0123456789abcdef";

/// One seeded ceremony (no escrow, to keep it quick) and the relative names of its files.
fn ceremony() -> &'static (PathBuf, Vec<String>) {
    static DIR: OnceLock<(PathBuf, Vec<String>)> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("audit_lib-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let kek = Kek::from_bytes(KEK_PUB).unwrap();
        let req = GenerateRequest {
            mode: Mode::Generate,
            expected_fingerprint: kek.fingerprint(),
            kek,
            kid: AzureKid::parse(KID).unwrap(),
            key_type: KeyType::Aes256,
            wrapping_hash: WrappingHash::Sha1,
            escrow: Escrow::None,
            label: "prop".into(),
            out_dir: root.join("c"),
            shares_dir: None,
            operators: vec!["A".into(), "B".into()],
            single_operator: false,
            witnesses: Default::default(),
            signing_key: None,
            environment: Environment::default(),
            qr: ChunkOptions::default(),
            extra_files: Vec::new(),
            interrupted: Default::default(),
        };
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(6);
        let clock = Box::new(|| time::macros::datetime!(2026-12-03 10:00:00 UTC));
        ceremony::generate(&req, &mut rng, clock, &mut Quiet).unwrap();
        let files = byok_ceremony::fsutil::list_files(&req.out_dir).unwrap();
        (req.out_dir, files.iter().map(|p| p.display().to_string()).collect())
    })
}

fn copy_to(dst: &Path) {
    let ok = std::process::Command::new("cp").arg("-a").arg(&ceremony().0).arg(dst).status().unwrap();
    assert!(ok.success());
}

#[test]
fn the_untouched_ceremony_passes() {
    let report = audit(&AuditRequest { dir: ceremony().0.clone(), ..Default::default() }).unwrap();
    let failed: Vec<_> = report.failures().iter().map(|c| format!("{}: {}", c.name(), c.detail)).collect();
    assert!(report.ok(), "{failed:?}");
    assert!(report.checks.iter().any(|c| c.id == "qr.image" && c.status == Status::Pass));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn any_flipped_byte_fails(file in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), mask in 1u8..) {
        let (_, names) = ceremony();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c");
        copy_to(&dir);
        let name = file.get(names);
        let path = dir.join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= mask;
        std::fs::write(&path, &bytes).unwrap();
        let report = audit(&AuditRequest { dir, ..Default::default() }).unwrap();
        prop_assert!(!report.ok(), "{} byte {} ^ {:#04x} went unnoticed", name, i, mask);
    }
}
