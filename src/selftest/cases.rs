//! The self-tests and their vectors. Every function returns `Ok(what was checked)` or
//! `Err(what differed)`; none panics.

use data_encoding::HEXLOWER_PERMISSIVE as HEX;
use rand_core::SeedableRng;
use zeroize::Zeroizing;

/// RFC 5649 section 6 and Wycheproof aes_kwp vectors (shared with the wrap module's tests).
pub const KWP_VECTORS: &str = include_str!("../wrap/aes-kwp.json");
/// The official SLIP-39 vectors (shared with the slip39 module's tests).
pub const SLIP39_VECTORS: &str = include_str!("../slip39/slip39-vectors.json");

const TWO_BLOCKS: &[u8] = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

/// FIPS 180-2 appendix A: SHA-1 of "abc" and of the two-block message.
pub const SHA1: &[(&[u8], &str)] = &[
    (b"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    (TWO_BLOCKS, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
];

/// FIPS 180-2 appendix B: SHA-256 of "abc" and of the two-block message.
pub const SHA256: &[(&[u8], &str)] = &[
    (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (TWO_BLOCKS, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
];

/// RFC 4231 test cases 1 and 2: (key, data, HMAC-SHA256).
pub const HMAC_SHA256: &[(&[u8], &[u8], &str)] = &[
    (&[0x0b; 20], b"Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (
        b"Jefe",
        b"what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
];

/// PBKDF2-HMAC-SHA256: RFC 7914 section 11 (c = 1, 64 bytes) and the widely published
/// "password"/"salt" c = 4096 answer: (password, salt, iterations, derived key).
pub const PBKDF2_SHA256: &[(&[u8], &[u8], u32, &str)] = &[
    (b"passwd", b"salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
    (b"password", b"salt", 4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
];

/// Key check values of all-zero keys: AES-ECB of a zero block is FIPS-197's known answer
/// (66e94bd4... for AES-128, dc95c078... for AES-256); the CMAC values were computed with OpenSSL.
/// (key length, kcv, kcv_cmac).
pub const KCV: &[(usize, &str, &str)] = &[(16, "66e94b", "763cbcde81"), (32, "dc95c0", "9211053c55")];

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    HEX.decode(s.as_bytes()).map_err(|e| format!("bad hex in a vector: {e}"))
}

fn differ(what: &str, got: &[u8], want: &str) -> Result<(), String> {
    let got = data_encoding::HEXLOWER.encode(got);
    if got == want.to_ascii_lowercase() {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, expected {want}"))
    }
}

/// AES key wrap with padding: every valid vector unwraps (and, for 256-bit KEKs, wraps) to its known
/// answer; every invalid one is refused.
pub fn aes_kwp(json: &str) -> Result<String, String> {
    let doc: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let field = |case: &serde_json::Value, f: &str| unhex(case[f].as_str().unwrap_or("?"));
    let valid = doc["valid"].as_array().ok_or("no valid vectors")?;
    for case in valid {
        let name = case["name"].as_str().unwrap_or("?");
        let (kek, pt, ct) = (field(case, "kek")?, field(case, "plaintext")?, field(case, "ciphertext")?);
        let plain = crate::wrap::kwp_unwrap(&kek, &ct).map_err(|e| format!("{name}: {e}"))?;
        if plain[..] != pt[..] {
            return Err(format!("{name}: unwrap gave another plaintext"));
        }
        if let Ok(kek32) = <[u8; 32]>::try_from(&kek[..]) {
            let wrapped = crate::wrap::kwp_wrap(&kek32, &pt).map_err(|e| format!("{name}: {e}"))?;
            differ(name, &wrapped, case["ciphertext"].as_str().unwrap_or(""))?;
        }
    }
    let invalid = doc["invalid"].as_array().ok_or("no invalid vectors")?;
    for case in invalid {
        let (kek, ct) = (field(case, "kek")?, field(case, "ciphertext")?);
        if crate::wrap::kwp_unwrap(&kek, &ct).is_ok() {
            return Err(format!("{}: a damaged wrap was accepted", case["name"].as_str().unwrap_or("?")));
        }
    }
    Ok(format!("{} RFC 5649/Wycheproof answers, {} refusals", valid.len(), invalid.len()))
}

/// CKM_RSA_AES_KEY_WRAP round trip under the built-in demo KEK, with SHA-1 and SHA-256 OAEP; the
/// other hash must not unwrap.
pub fn rsa_oaep() -> Result<String, String> {
    use crate::wrap::{unwrap, wrap, WrappingHash};
    let kek = crate::demo_kek::kek().map_err(|e| e.to_string())?;
    let private = crate::demo_kek::private_key();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0x5e1f_7e57);
    let bytes: Vec<u8> = (0u8..32).collect();
    let key = crate::secret::TargetKey::from_bytes(crate::keytype::KeyType::Aes256, Zeroizing::new(bytes));
    for (hash, other) in
        [(WrappingHash::Sha1, WrappingHash::Sha256), (WrappingHash::Sha256, WrappingHash::Sha1)]
    {
        let blob = wrap(&kek, &key, hash, &mut rng).map_err(|e| format!("{hash}: {e}"))?;
        if blob.len() != kek.modulus_len() + 40 {
            return Err(format!("{hash}: blob of {} bytes", blob.len()));
        }
        let back = unwrap(&private, &blob, hash).map_err(|e| format!("{hash}: {e}"))?;
        if back[..] != *key.expose() {
            return Err(format!("{hash}: unwrapped another key"));
        }
        if unwrap(&private, &blob, other).is_ok() {
            return Err(format!("{hash}: unwrapped with {other} too"));
        }
    }
    Ok("RSA-3072 demo KEK, OAEP SHA-1 and SHA-256, wrap and unwrap".into())
}

/// A hash function against (message, digest) answers.
pub fn digest<D: sha2::Digest>(cases: &[(&[u8], &str)]) -> Result<String, String> {
    for (i, (msg, want)) in cases.iter().enumerate() {
        differ(&format!("vector {}", i + 1), &D::digest(msg), want)?;
    }
    Ok(format!("{} FIPS 180-2 answers", cases.len()))
}

/// HMAC-SHA256 against (key, data, mac) answers.
pub fn hmac_sha256(cases: &[(&[u8], &[u8], &str)]) -> Result<String, String> {
    use hmac::Mac;
    for (i, (key, data, want)) in cases.iter().enumerate() {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).map_err(|e| e.to_string())?;
        mac.update(data);
        differ(&format!("RFC 4231 case {}", i + 1), &mac.finalize().into_bytes(), want)?;
    }
    Ok(format!("{} RFC 4231 answers", cases.len()))
}

/// PBKDF2-HMAC-SHA256 against (password, salt, iterations, key) answers.
pub fn pbkdf2_sha256(cases: &[(&[u8], &[u8], u32, &str)]) -> Result<String, String> {
    for (i, (password, salt, rounds, want)) in cases.iter().enumerate() {
        let mut out = Zeroizing::new(vec![0u8; want.len() / 2]);
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, *rounds, &mut out);
        differ(&format!("vector {}", i + 1), &out, want)?;
    }
    Ok(format!("{} answers (RFC 7914)", cases.len()))
}

/// Official SLIP-39 vectors (by position in the file): the mnemonics combine to the master secret
/// with the passphrase "TREZOR", as the vectors specify.
pub fn slip39(json: &str, which: &[usize]) -> Result<String, String> {
    let doc: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    for &i in which {
        let case = &doc[i];
        let name = case[0].as_str().ok_or("no such vector")?;
        let words: Vec<&str> =
            case[1].as_array().ok_or("no mnemonics")?.iter().filter_map(|m| m.as_str()).collect();
        let secret = crate::slip39::combine(&words, b"TREZOR").map_err(|e| format!("{name}: {e}"))?;
        differ(name, &secret, case[2].as_str().unwrap_or(""))?;
        names.push(name.split('.').next().unwrap_or("?").to_string());
    }
    Ok(format!("official vectors {}", names.join(", ")))
}

/// GF(256) of SLIP-39 (the AES field): FIPS-197 section 4.2 products, the inverse of {53}, and
/// a * a^-1 = 1 for every non-zero a.
pub fn gf256() -> Result<String, String> {
    use crate::slip39::gf256::{div, inv, mul};
    for (a, b, want) in [(0x57, 0x83, 0xc1), (0x57, 0x13, 0xfe), (0x53, 0xca, 0x01)] {
        if mul(a, b) != want {
            return Err(format!(
                "{{{a:02x}}} * {{{b:02x}}} = {{{:02x}}}, expected {{{want:02x}}}",
                mul(a, b)
            ));
        }
    }
    if inv(0x53) != 0xca || inv(0) != 0 {
        return Err("inverse of {53} is not {ca}".into());
    }
    for a in 1..=255u8 {
        if mul(a, inv(a)) != 1 || div(mul(a, 0x1d), 0x1d) != a {
            return Err(format!("{{{a:02x}}} has no inverse"));
        }
    }
    Ok("FIPS-197 products, 255 inverses".into())
}

/// Key check values of all-zero AES keys (ECB and CMAC).
pub fn aes_kcv(cases: &[(usize, &str, &str)]) -> Result<String, String> {
    for (len, kcv, cmac) in cases {
        let cv = crate::kcv::aes_check_values(&vec![0u8; *len]).ok_or("no check value")?;
        if cv.kcv != *kcv || cv.kcv_cmac != *cmac {
            return Err(format!(
                "AES-{}: kcv {} cmac {}, expected {kcv} {cmac}",
                len * 8,
                cv.kcv,
                cv.kcv_cmac
            ));
        }
    }
    Ok("AES-128 and AES-256 of a zero block (ECB, CMAC)".into())
}

/// QR chunks: 2000 bytes split into several chunks, joined back in reverse order; a missing
/// chunk is refused.
pub fn qr_chunks() -> Result<String, String> {
    let data: Vec<u8> = (0..2000u32).map(|i| (i * 7 + i / 256) as u8).collect();
    let set = crate::qr::split(&data, &crate::qr::ChunkOptions::default()).map_err(|e| e.to_string())?;
    let text = crate::qr::chunks_txt(&set);
    let reversed: Vec<&str> = text.lines().rev().collect();
    let back = crate::qr::join(&reversed.join("\n")).map_err(|e| e.to_string())?;
    if back != data {
        return Err("joined chunks differ from the original".into());
    }
    if set.chunks.len() < 2 || crate::qr::join(&reversed[1..].join("\n")).is_ok() {
        return Err("a missing chunk was not noticed".into());
    }
    Ok(format!("{} chunks (version {}), joined in reverse order", set.chunks.len(), set.version))
}

/// SSHSIG with Ed25519: a signature verifies, and fails on another message.
pub fn ed25519_sshsig() -> Result<String, String> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0xed25519);
    let signer = crate::log::Signer::generate(&mut rng).map_err(|e| e.to_string())?;
    let message = b"byok-ceremony selftest\n";
    let sig = signer.sign(message).map_err(|e| e.to_string())?;
    let public = signer.public_openssh();
    let fpr = crate::log::verify_signature(message, &sig, &public).map_err(|e| e.to_string())?;
    if fpr != signer.fingerprint() {
        return Err("the verified signer is another key".into());
    }
    if crate::log::verify_signature(b"byok-ceremony selftesT\n", &sig, &public).is_ok() {
        return Err("a signature verified over another message".into());
    }
    Ok("sign, verify, refuse another message".into())
}
