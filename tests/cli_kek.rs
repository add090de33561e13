//! `kek inspect` over the fixtures folder: every accepted form of one key gives its SPKI
//! fingerprint (never the PKCS#1 hash); every refused file has its exact message and exit code.
//! Every file in tests/data/kek must appear in one of the two tables.

mod common;

use common::*;

const FPR: &str = "ba3b 161e 0c65 708e cfb9 ef2b bea7 fdf0 32b7 4444 abab 54e3 5efe f67e dd69 4111";
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kek");

const ACCEPTED: [(&str, &str); 12] = [
    ("wycheproof-2048.pub.pem", "PEM PUBLIC KEY (SubjectPublicKeyInfo)"),
    ("wycheproof-2048.bom-crlf.pem", "PEM PUBLIC KEY (SubjectPublicKeyInfo)"),
    ("wycheproof-2048.mislabelled.pem", "PEM PUBLIC KEY (SubjectPublicKeyInfo)"),
    ("wycheproof-2048.pkcs1.pem", "PEM RSA PUBLIC KEY (PKCS#1)"),
    ("wycheproof-2048.spki.der", "DER SubjectPublicKeyInfo"),
    ("wycheproof-2048.pkcs1.der", "DER PKCS#1 RSAPublicKey"),
    ("wycheproof-2048.spki.b64", "base64 DER SubjectPublicKeyInfo"),
    ("wycheproof-2048.spki-wrapped.b64", "base64 DER SubjectPublicKeyInfo"),
    ("wycheproof-2048.cert.pem", "PEM X.509 certificate"),
    ("wycheproof-2048.cert.der", "DER X.509 certificate"),
    ("wycheproof-2048.jwk.json", "JSON Web Key (JWK)"),
    ("wycheproof-2048.az-key-show.json", "JSON of `az keyvault key show`"),
];

const PRIVATE: &str = "the KEK must be the public half; export it with `openssl pkey -pubout` on the machine that owns it, and keep the private key off this machine";
const NOT_A_KEY: &str = "the KEK file is not a PEM, DER or base64 public key: give the file that `az keyvault key download` wrote";

fn refused() -> Vec<(&'static str, i32, String)> {
    let private = |what: &str| format!("the KEK file holds a PRIVATE key ({what}): {PRIVATE}");
    let not_rsa = |alg: &str| {
        format!("the KEK's algorithm is {alg}, not RSA: the cloud KEK for BYOK is always RSA; download the right key")
    };
    let bad_e = |e: &str| {
        format!("the KEK's public exponent {e} is not valid for RSA-OAEP (it must be odd and at least 3): download the key again")
    };
    vec![
        ("wycheproof-2048.private.pem", 2, private("PRIVATE KEY")),
        ("wycheproof-2048.private-pkcs1.pem", 2, private("RSA PRIVATE KEY")),
        ("wycheproof-2048.private-encrypted.pem", 2, private("ENCRYPTED PRIVATE KEY")),
        ("wycheproof-2048.private-openssh.pem", 2, private("OPENSSH PRIVATE KEY")),
        ("wycheproof-2048.private.jwk.json", 2, private("JWK with private members")),
        ("rsa1024.pub.pem", 2, "the KEK is RSA-1024, under the 2048-bit minimum: ask the cloud for a 2048, 3072 or 4096-bit KEK".into()),
        ("rsa8192.spki.der", 2, "the KEK is larger than 4096 bits, which no supported cloud issues: check that this is the cloud's KEK".into()),
        ("even-exponent.spki.der", 2, bad_e("65536")),
        ("exponent-1.spki.der", 2, bad_e("1")),
        ("ec-p256.pub.pem", 2, not_rsa("EC")),
        ("ed25519.pub.pem", 2, not_rsa("Ed25519")),
        ("ec.jwk.json", 2, not_rsa("EC")),
        ("ec.cert.pem", 2, "the KEK file is a certificate whose key is EC, not RSA: the cloud KEK for BYOK is always RSA; download the right certificate".into()),
        ("rsa.openssh.pub", 2, "the KEK file is an OpenSSH public key, not a cloud KEK: give the PEM file that `az keyvault key download` wrote".into()),
        ("truncated.pem", 2, "the KEK file is truncated or damaged (a PEM block without its END line): copy it again".into()),
        ("broken-base64.pem", 2, "the KEK file's base64 is damaged: copy the file again".into()),
        ("empty.pem", 2, "the KEK file is empty: download the public key again on the online machine".into()),
        ("two-keys.pem", 2, "the KEK file holds 2 keys or certificates: give a file with exactly one public key".into()),
        ("garbage.bin", 2, NOT_A_KEY.into()),
        ("README.md", 2, NOT_A_KEY.into()),
        ("make-fixtures.sh", 2, NOT_A_KEY.into()),
    ]
}

#[test]
fn every_accepted_form_gives_the_spki_fingerprint() {
    for (name, form) in ACCEPTED.iter() {
        let o = run(&["kek", "inspect", &format!("{DIR}/{name}")]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(text.contains(&format!("fingerprint: {FPR}\n")), "{name}: {text}");
        assert!(text.contains(&format!("form:        {form}\n")), "{name}: {text}");
        assert!(text.contains("type:        RSA-2048\n") && text.contains("exponent:    65537\n"), "{name}");
    }
}

#[test]
fn every_refused_file_has_its_message_and_exit_code() {
    for (name, code, msg) in refused() {
        let o = run(&["kek", "inspect", &format!("{DIR}/{name}")]);
        assert_eq!(o.status.code(), Some(code), "{name}: {}", stderr(&o));
        assert_eq!(stderr(&o), format!("byok-ceremony: error: {msg}\n"), "{name}");
        assert!(stdout(&o).is_empty(), "{name}");
    }
}

#[test]
fn the_tables_cover_the_whole_fixtures_folder() {
    let mut listed: Vec<String> = ACCEPTED.iter().map(|(n, _)| n.to_string()).collect();
    listed.extend(refused().into_iter().map(|(n, _, _)| n.to_string()));
    for file in names(std::path::Path::new(DIR)) {
        assert!(listed.contains(&file), "tests/data/kek/{file} is in no table");
    }
}

#[test]
fn certificate_json_and_mislabelled_files_say_what_they_are() {
    let o = run(&["kek", "inspect", &format!("{DIR}/wycheproof-2048.cert.pem")]);
    assert!(
        stdout(&o).contains("subject:     O=Wycheproof test key,CN=byok-ceremony test KEK\n"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("valid:       "));
    let o = run(&["kek", "inspect", &format!("{DIR}/wycheproof-2048.az-key-show.json")]);
    assert!(stdout(&o).contains(
        "kid:         https://contoso.managedhsm.azure.net/keys/byok-kek/0123456789abcdef0123456789abcdef\n"
    ));
    let o = run(&["kek", "inspect", &format!("{DIR}/wycheproof-2048.mislabelled.pem")]);
    assert_eq!(
        stderr(&o),
        "note: the PEM label says 'RSA PUBLIC KEY' but the block holds a SubjectPublicKeyInfo; read it as such\n"
    );
}

#[test]
fn inspect_json_has_words_and_fingerprint() {
    let o = run(&["kek", "inspect", "--json", &format!("{DIR}/wycheproof-2048.pkcs1.der")]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["fingerprint_sha256"], FPR.replace(' ', ""));
    assert_eq!(doc["bits"], 2048);
    assert_eq!(doc["exponent"], "65537");
    assert_eq!(doc["fingerprint_pgp_words"].as_str().unwrap().split(' ').count(), 32);
    let o = run(&["kek", "inspect", "--json", &format!("{DIR}/empty.pem")]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["ok"], false);
}

#[test]
fn unreadable_files_exit_1() {
    let o = run(&["kek", "inspect", "/nonexistent/kek.pem"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        error_line(&o).starts_with("byok-ceremony: error: cannot read the KEK file /nonexistent/kek.pem: ")
    );
    let o = run(&["kek", "inspect", DIR]);
    assert_eq!(o.status.code(), Some(1));
    assert!(error_line(&o).contains("it is a directory"), "{}", error_line(&o));
}

#[test]
fn a_private_key_never_echoes_its_bytes() {
    for name in ["wycheproof-2048.private.pem", "wycheproof-2048.private.jwk.json"] {
        let o = run(&["kek", "inspect", &format!("{DIR}/{name}")]);
        let text = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
        for line in text.lines().filter(|l| l.len() > 20) {
            assert!(!stderr(&o).contains(line.trim()) && !stdout(&o).contains(line.trim()), "{name}");
        }
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["kek", "inspect"]).status.code(), Some(2));
    assert_eq!(run(&["generate", "--bogus"]).status.code(), Some(2));
}

#[test]
fn kek_inspect_of_a_pem_with_an_empty_body_says_it_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n", "the KEK file's PEM block PUBLIC KEY is empty (no base64 between its BEGIN and END lines): download the public key again"),
        ("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----\n", "the KEK file is damaged (a PEM block BEGIN PUBLIC KEY ends with END RSA PUBLIC KEY): copy it again"),
    ];
    for (text, message) in cases {
        let file = tmp.path().join("kek.pem");
        std::fs::write(&file, text).unwrap();
        let o = run(&["kek", "inspect", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(error_line(&o), format!("byok-ceremony: error: {message}"));
    }
}
