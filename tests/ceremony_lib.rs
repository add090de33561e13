//! The ceremony through the library with a seeded RNG and a fixed clock: deterministic, and
//! verified end to end with the KEK's private half.

use byok_ceremony::blob::AzureKid;
use byok_ceremony::ceremony::{self, verify, Environment, Escrow, GenerateRequest, Mode, Quiet};
use byok_ceremony::kek::Kek;
use byok_ceremony::keytype::KeyType;
use byok_ceremony::qr::ChunkOptions;
use byok_ceremony::wrap::WrappingHash;
use rand_core::SeedableRng;
use rsa::pkcs8::DecodePrivateKey;
use std::path::Path;

const KEK_PUB: &[u8] = include_bytes!("data/kek/wycheproof-2048.pub.pem");
const KEK_PRIVATE: &str = include_str!("data/kek/wycheproof-2048.private.pem");
const KID: &str = "https://contoso.managedhsm.azure.net/keys/kek/0123456789abcdef0123456789abcdef";

fn request(out: &Path, escrow: Escrow, key_type: KeyType) -> GenerateRequest {
    let kek = Kek::from_bytes(KEK_PUB).unwrap();
    GenerateRequest {
        mode: Mode::Generate,
        expected_fingerprint: kek.fingerprint(),
        kek,
        kid: AzureKid::parse(KID).unwrap(),
        key_type,
        wrapping_hash: WrappingHash::Sha1,
        escrow,
        label: "lib-test".into(),
        out_dir: out.to_path_buf(),
        shares_dir: None,
        operators: vec!["A".into(), "B".into()],
        single_operator: false,
        witnesses: Default::default(),
        signing_key: None,
        environment: Environment::default(),
        qr: ChunkOptions::default(),
        extra_files: Vec::new(),
        interrupted: Default::default(),
    }
}

fn fixed_clock() -> byok_ceremony::log::Clock {
    Box::new(|| time::macros::datetime!(2026-12-03 10:00:00 UTC))
}

#[test]
fn seeded_ceremonies_are_identical_and_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(KEK_PRIVATE).unwrap();
    let mut summaries = Vec::new();
    for dir in ["a", "b"] {
        let req = request(&tmp.path().join(dir), Escrow::Split { threshold: 3, count: 5 }, KeyType::Aes256);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2026);
        let s = ceremony::generate(&req, &mut rng, fixed_clock(), &mut Quiet).unwrap();
        for check in verify::verify_with_private_key(&s, &private, WrappingHash::Sha1) {
            assert!(check.ok, "{}: {}", check.name, check.detail);
        }
        summaries.push(s);
    }
    let read = |d: &str, f: &str| std::fs::read(tmp.path().join(d).join(f)).unwrap();
    for f in ["lib-test.byok", "ceremony.log", "ceremony.log.sig", "shares/share-05-of-05.txt", "SHA256SUMS"]
    {
        assert_eq!(read("a", f), read("b", f), "{f}");
    }
    assert_eq!(summaries[0].kcv, summaries[1].kcv);
    assert_eq!(summaries[0].share_files.len(), 5);
}

#[test]
fn every_aes_size_without_escrow_unwraps() {
    let tmp = tempfile::tempdir().unwrap();
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(KEK_PRIVATE).unwrap();
    for (i, kt) in KeyType::ALL.into_iter().enumerate() {
        let req = request(&tmp.path().join(format!("c{i}")), Escrow::None, kt);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(i as u64);
        let s = ceremony::generate(&req, &mut rng, fixed_clock(), &mut Quiet).unwrap();
        let checks = verify::verify_with_private_key(&s, &private, WrappingHash::Sha1);
        assert!(checks.iter().all(|c| c.ok), "{kt}: {checks:?}");
        assert!(!tmp.path().join(format!("c{i}/shares")).exists());
    }
}

#[test]
fn shares_dir_keeps_shares_out_of_the_transfer_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let mut req = request(&tmp.path().join("out"), Escrow::Split { threshold: 2, count: 2 }, KeyType::Aes256);
    req.shares_dir = Some(tmp.path().join("ram/shares"));
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
    let s = ceremony::generate(&req, &mut rng, fixed_clock(), &mut Quiet).unwrap();
    assert!(!tmp.path().join("out/shares").exists());
    assert!(tmp.path().join("ram/shares/share-02-of-02.txt").exists());
    let log = std::fs::read_to_string(tmp.path().join("out/ceremony.log")).unwrap();
    assert!(log.contains("ram/shares/share-01-of-02.txt"));
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(KEK_PRIVATE).unwrap();
    assert!(verify::verify_with_private_key(&s, &private, WrappingHash::Sha1).iter().all(|c| c.ok));
}

/// Sets the interrupt flag when a given step is reported, as SIGINT would at that moment.
struct InterruptAt(&'static str, std::sync::Arc<std::sync::atomic::AtomicBool>);

impl ceremony::Progress for InterruptAt {
    fn step(&mut self, message: &str) {
        if message.contains(self.0) {
            self.1.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

#[test]
fn an_interrupt_at_any_step_leaves_only_the_signed_log() {
    for step in ["log opened", "fingerprint verified", "key generated", "splitting", "wrapped", "QR codes"] {
        let tmp = tempfile::tempdir().unwrap();
        let mut req =
            request(&tmp.path().join("out"), Escrow::Split { threshold: 2, count: 3 }, KeyType::Aes256);
        req.shares_dir = Some(tmp.path().join("ram"));
        let mut progress = InterruptAt(step, req.interrupted.clone());
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
        let err = ceremony::generate(&req, &mut rng, fixed_clock(), &mut progress).unwrap_err();
        assert!(matches!(err, ceremony::CeremonyError::Interrupted), "{step}: {err}");
        let mut left: Vec<String> = std::fs::read_dir(tmp.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["ceremony.log", "ceremony.log.sig", "ceremony.pub"], "{step}");
        let ram = tmp.path().join("ram");
        assert!(!ram.exists() || std::fs::read_dir(&ram).unwrap().count() == 0, "{step}: shares left");
        let log = std::fs::read(tmp.path().join("out/ceremony.log")).unwrap();
        let entries = byok_ceremony::log::verify_chain(&log).unwrap();
        assert_eq!(entries[entries.len() - 2].event, "ceremony.aborted", "{step}");
    }
}
