//! Signature tests, including interoperability with OpenSSH's `ssh-keygen`.

use std::path::Path;
use std::process::{Command, Stdio};

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::super::*;
use super::sample_log;

fn seeded_signer(seed: u64) -> Signer {
    Signer::generate(&mut ChaCha20Rng::seed_from_u64(seed)).unwrap()
}

/// Runs `ssh-keygen` with `args` in `dir`, feeding `stdin`; None if it is not installed.
fn ssh_keygen(dir: &Path, args: &[&str], stdin: &[u8]) -> Option<(bool, String)> {
    let mut child = match Command::new("ssh-keygen")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("ssh-keygen not found; skipping interop test");
            return None;
        }
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.success(), text))
}

#[test]
fn sign_and_verify_round_trip() {
    let signer = seeded_signer(7);
    assert_eq!(seeded_signer(7).fingerprint(), signer.fingerprint());
    let msg = b"{\"seq\":0}\n".to_vec();
    let sig = signer.sign(&msg).unwrap();
    assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----\n"));
    assert!(sig.ends_with("-----END SSH SIGNATURE-----\n"));
    let public = signer.public_openssh();
    assert!(public.starts_with("ssh-ed25519 AAAA") && public.ends_with(" byok-ceremony"));
    assert!(!public.contains('\n'));
    let fp = verify_signature(&msg, &sig, &public).unwrap();
    assert_eq!(fp, signer.fingerprint());
    assert!(fp.starts_with("SHA256:") && fp.len() == 50);
    let debug = format!("{signer:?}");
    assert!(debug.contains(&fp) && debug.len() < 100, "{debug}");

    for i in 0..msg.len() {
        let mut m = msg.clone();
        m[i] ^= 0x01;
        let err = verify_signature(&m, &sig, &public).unwrap_err();
        assert!(err.is_integrity_error(), "{err}");
    }
    let body_end = sig.trim_end().len();
    for i in 0..body_end {
        let mut s = sig.clone().into_bytes();
        s[i] = if s[i] == b'A' { b'B' } else { b'A' };
        let s = String::from_utf8(s).unwrap();
        let r = verify_signature(&msg, &s, &public);
        assert!(r.is_err(), "flip at {i}: {r:?}\n{s}\n{sig}");
    }
    let other = seeded_signer(8);
    let err = verify_signature(&msg, &sig, &other.public_openssh()).unwrap_err();
    assert!(err.is_integrity_error());
    assert!(verify_signature(&msg, &sig, "ssh-ed25519 notbase64").is_err());
}

#[test]
fn wrong_namespace_is_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let key = ssh_key::PrivateKey::random(&mut rng, ssh_key::Algorithm::Ed25519).unwrap();
    let sig =
        key.sign("file", ssh_key::HashAlg::Sha512, b"m").unwrap().to_pem(ssh_key::LineEnding::LF).unwrap();
    let public = key.public_key().to_openssh().unwrap();
    let err = verify_signature(b"m", &sig, &public).unwrap_err();
    assert!(err.to_string().contains("namespace"), "{err}");
}

#[test]
fn ssh_keygen_verifies_our_signature_and_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sealed = sample_log(d);
    let signer = seeded_signer(11);
    std::fs::write(d.join("ceremony.log.sig"), signer.sign(&sealed.bytes).unwrap()).unwrap();
    std::fs::write(d.join("ceremony.pub"), signer.public_openssh() + "\n").unwrap();
    let allowed = signer.allowed_signers_line("ceremony") + "\n";
    std::fs::write(d.join("allowed_signers"), allowed).unwrap();
    let args = [
        "-Y",
        "verify",
        "-f",
        "allowed_signers",
        "-I",
        "ceremony",
        "-n",
        "byok-ceremony",
        "-s",
        "ceremony.log.sig",
    ];
    let Some((ok, out)) = ssh_keygen(d, &args, &sealed.bytes) else {
        return;
    };
    assert!(ok, "ssh-keygen -Y verify failed: {out}");
    let mut tampered = sealed.bytes.clone();
    tampered[10] ^= 1;
    let (ok, _) = ssh_keygen(d, &args, &tampered).unwrap();
    assert!(!ok, "ssh-keygen accepted a tampered log");

    let (ok, out) = ssh_keygen(d, &["-lf", "ceremony.pub"], b"").unwrap();
    assert!(ok, "{out}");
    assert_eq!(out.split_whitespace().nth(1), Some(signer.fingerprint().as_str()));
}

#[test]
fn loads_ssh_keygen_key_and_verifies_its_signature() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gen = ["-q", "-t", "ed25519", "-N", "", "-C", "op@host", "-f", "k"];
    let Some((ok, out)) = ssh_keygen(d, &gen, b"") else {
        return;
    };
    assert!(ok, "{out}");
    let signer = Signer::from_openssh_file(&d.join("k")).unwrap();
    let (_, lf) = ssh_keygen(d, &["-lf", "k.pub"], b"").unwrap();
    assert_eq!(lf.split_whitespace().nth(1), Some(signer.fingerprint().as_str()));
    let pub_file = std::fs::read_to_string(d.join("k.pub")).unwrap();
    let b64 = pub_file.split_whitespace().nth(1).unwrap();
    assert_eq!(signer.public_openssh(), format!("ssh-ed25519 {b64} byok-ceremony"));

    // A signature made by ssh-keygen verifies with verify_signature, and vice versa.
    std::fs::write(d.join("msg"), b"hello\n").unwrap();
    let sign = ["-Y", "sign", "-q", "-f", "k", "-n", "byok-ceremony", "msg"];
    let (ok, out) = ssh_keygen(d, &sign, b"").unwrap();
    assert!(ok, "{out}");
    let theirs = std::fs::read_to_string(d.join("msg.sig")).unwrap();
    let fp = verify_signature(b"hello\n", &theirs, &pub_file).unwrap();
    assert_eq!(fp, signer.fingerprint());
    let ours = signer.sign(b"hello\n").unwrap();
    assert_eq!(verify_signature(b"hello\n", &ours, &pub_file).unwrap(), fp);
}

#[test]
fn encrypted_and_non_ed25519_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gen = ["-q", "-t", "ed25519", "-N", "secret", "-f", "enc"];
    let Some((ok, out)) = ssh_keygen(d, &gen, b"") else {
        return;
    };
    assert!(ok, "{out}");
    let err = Signer::from_openssh_file(&d.join("enc")).unwrap_err();
    assert!(matches!(err, LogError::EncryptedKey(_)), "{err}");
    assert!(err.to_string().contains("passphrase-protected"), "{err}");
    assert!(!err.is_integrity_error());

    let gen = ["-q", "-t", "ecdsa", "-N", "", "-f", "ec"];
    let (ok, out) = ssh_keygen(d, &gen, b"").unwrap();
    assert!(ok, "{out}");
    let err = Signer::from_openssh_file(&d.join("ec")).unwrap_err();
    assert!(matches!(err, LogError::NotEd25519(..) | LogError::BadKey(..)), "{err}");
    let err = Signer::from_openssh_file(&d.join("missing")).unwrap_err();
    assert!(matches!(err, LogError::Io { .. }), "{err}");
    std::fs::write(d.join("junk"), "not a key").unwrap();
    let err = Signer::from_openssh_file(&d.join("junk")).unwrap_err();
    assert!(matches!(err, LogError::BadKey(..)), "{err}");
}
