//! Known answers (RFC 5649, Wycheproof, one whole CKM_RSA_AES_KEY_WRAP blob) and round trips.

use super::*;
use crate::keytype::KeyType;
use proptest::prelude::*;
use rand_core::SeedableRng;
use rsa::pkcs8::DecodePrivateKey;

const KWP: &str = include_str!("aes-kwp.json");
const CKM: &str = include_str!("ckm-rsa-aes-key-wrap.json");
const KEK_PRIVATE: &str = include_str!("../../tests/data/kek/wycheproof-2048.private.pem");
const KEK_PUBLIC: &str = include_str!("../../tests/data/kek/wycheproof-2048.pub.pem");

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn wrap_any(kek: &[u8], data: &[u8]) -> Vec<u8> {
    match kek.len() {
        16 => KekAes128::try_from(kek).unwrap().wrap_with_padding_vec(data).unwrap(),
        24 => KekAes192::try_from(kek).unwrap().wrap_with_padding_vec(data).unwrap(),
        _ => KekAes256::try_from(kek).unwrap().wrap_with_padding_vec(data).unwrap(),
    }
}

#[test]
fn rfc5649_and_wycheproof_known_answers() {
    let doc: serde_json::Value = serde_json::from_str(KWP).unwrap();
    let valid = doc["valid"].as_array().unwrap();
    assert_eq!(valid.len(), 11);
    for case in valid {
        let (kek, pt, ct) = (
            unhex(case["kek"].as_str().unwrap()),
            unhex(case["plaintext"].as_str().unwrap()),
            unhex(case["ciphertext"].as_str().unwrap()),
        );
        let name = case["name"].as_str().unwrap();
        assert_eq!(wrap_any(&kek, &pt), ct, "{name}");
        assert_eq!(&kwp_unwrap(&kek, &ct).unwrap()[..], &pt[..], "{name}");
        if kek.len() == 32 {
            assert_eq!(kwp_wrap(&kek.clone().try_into().unwrap(), &pt).unwrap(), ct, "{name}");
        }
    }
    for case in doc["invalid"].as_array().unwrap() {
        let (kek, ct) = (unhex(case["kek"].as_str().unwrap()), unhex(case["ciphertext"].as_str().unwrap()));
        assert!(kwp_unwrap(&kek, &ct).is_err(), "{}", case["name"]);
    }
}

#[test]
fn ckm_rsa_aes_key_wrap_known_answer() {
    use base64::Engine;
    let doc: serde_json::Value = serde_json::from_str(CKM).unwrap();
    let blob = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(doc["blob_base64url"].as_str().unwrap())
        .unwrap();
    let private = RsaPrivateKey::from_pkcs8_pem(KEK_PRIVATE).unwrap();
    let key = unwrap(&private, &blob, WrappingHash::Sha1).unwrap();
    assert_eq!(hex::encode(&key[..]), doc["target_key"].as_str().unwrap());
    let eph: [u8; 32] = unhex(doc["ephemeral_aes256"].as_str().unwrap()).try_into().unwrap();
    let target = unhex(doc["target_key"].as_str().unwrap());
    assert_eq!(hex::encode(kwp_wrap(&eph, &target).unwrap()), doc["kwp_part_hex"].as_str().unwrap());
    assert!(unwrap(&private, &blob, WrappingHash::Sha256).is_err());
    let kek = Kek::from_bytes(KEK_PUBLIC.as_bytes()).unwrap();
    assert_eq!(kek.fingerprint().hex(), doc["kek_fingerprint_sha256"].as_str().unwrap());
}

#[test]
fn a_damaged_blob_is_refused() {
    let private = RsaPrivateKey::from_pkcs8_pem(KEK_PRIVATE).unwrap();
    let kek = Kek::from_bytes(KEK_PUBLIC.as_bytes()).unwrap();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    let key = TargetKey::generate(KeyType::Aes256, &mut rng);
    let blob = wrap(&kek, &key, WrappingHash::Sha1, &mut rng).unwrap();
    for i in [0, 100, 255, 256, 270, blob.len() - 1] {
        let mut bad = blob.clone();
        bad[i] ^= 1;
        assert!(unwrap(&private, &bad, WrappingHash::Sha1).is_err(), "byte {i}");
    }
    assert!(matches!(unwrap(&private, &blob[..200], WrappingHash::Sha1), Err(WrapError::TooShort)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// The RSA part is always exactly the modulus length, whatever leading zeros the ciphertext has.
    #[test]
    fn rsa_part_is_always_the_modulus_length(seed in any::<u64>()) {
        let kek = Kek::from_bytes(KEK_PUBLIC.as_bytes()).unwrap();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let key = TargetKey::generate(KeyType::Aes256, &mut rng);
        let blob = wrap(&kek, &key, WrappingHash::Sha1, &mut rng).unwrap();
        prop_assert_eq!(blob.len(), 256 + kwp_len(32));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn wrap_then_unwrap_gives_the_key(seed in any::<u64>(), kt in 0usize..3, sha256 in any::<bool>()) {
        let private = RsaPrivateKey::from_pkcs8_pem(KEK_PRIVATE).unwrap();
        let kek = Kek::from_bytes(KEK_PUBLIC.as_bytes()).unwrap();
        let hash = if sha256 { WrappingHash::Sha256 } else { WrappingHash::Sha1 };
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let key = TargetKey::generate(KeyType::ALL[kt], &mut rng);
        let blob = wrap(&kek, &key, hash, &mut rng).unwrap();
        prop_assert_eq!(blob.len(), 256 + kwp_len(key.expose().len()));
        prop_assert_eq!(&unwrap(&private, &blob, hash).unwrap()[..], key.expose());
    }
}

#[test]
fn left_pad_is_i2osp() {
    assert_eq!(left_pad(vec![1, 2], 4).unwrap(), vec![0, 0, 1, 2]);
    assert!(left_pad(vec![1, 2, 3], 2).is_err());
}
