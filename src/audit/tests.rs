//! The audit's parsers: SHA256SUMS, the blob, allowed_signers, signer fingerprints, SVG codes.

use proptest::prelude::*;

use super::paper::PaperValue;
use super::signers::{find_allowed, parse_allowed_signers, parse_signer_fingerprint, ssh_form};
use super::sums::{parse_sha256sums, SumLine};
use super::{decode_svg, parse_azure_blob};

const KID: &str = "https://contoso.managedhsm.azure.net/keys/kek/0123456789abcdef0123456789abcdef";
const PUB: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4nG9e0f5oYd0n6h9w0ZyJ1tS2bQ7xk3u2f2s6WcQ1M byok-ceremony";

#[test]
fn sha256sums_text_and_binary_mode() {
    let h = "ab".repeat(32);
    let text = format!("{h}  a.txt\n{h} *qr/b c.png\n");
    let lines = parse_sha256sums(text.as_bytes()).unwrap();
    assert_eq!(
        lines,
        [
            SumLine { sha256: h.clone(), name: "a.txt".into() },
            SumLine { sha256: h.clone(), name: "qr/b c.png".into() }
        ]
    );
}

#[test]
fn sha256sums_refusals_name_the_line() {
    let h = "ab".repeat(32);
    for (text, want) in [
        (String::new(), "SHA256SUMS is empty"),
        (format!("{h}  a"), "SHA256SUMS has no final newline (truncated)"),
        (format!("{h}  a\n{h} a\n"), "SHA256SUMS line 2: no two spaces after the hash"),
        (format!("{}  a\n", &h[1..]), "SHA256SUMS line 1: the hash is not 64 lowercase hex digits"),
        (format!("{}  a\n", h.to_uppercase()), "SHA256SUMS line 1: the hash is not 64 lowercase hex digits"),
        (format!("{h}  a\n{h}  a\n"), "SHA256SUMS line 2: a is listed twice"),
        (format!("\\{h}  a\\nb\n"), "SHA256SUMS line 1: escaped file names are not used by byok-ceremony"),
        ("short\n".into(), "SHA256SUMS line 1: too short"),
        (format!("{h}  \n"), "SHA256SUMS line 1: no file name"),
    ] {
        assert_eq!(parse_sha256sums(text.as_bytes()).unwrap_err(), want, "{text:?}");
    }
    assert_eq!(parse_sha256sums(b"\xff\n").unwrap_err(), "SHA256SUMS is not UTF-8");
}

#[test]
fn blob_structure() {
    let kid = crate::blob::AzureKid::parse(KID).unwrap();
    let good = crate::blob::azure_byok(&kid, &[1, 2, 3, 250]);
    let view = parse_azure_blob(&good).unwrap();
    assert_eq!((view.kid.as_str(), view.ciphertext.as_slice()), (KID, &[1u8, 2, 3, 250][..]));
    let text = String::from_utf8(good).unwrap();
    for (bad, want) in [
        (text.replace("\"dir\"", "\"RSA-OAEP\""), "header.alg is \"RSA-OAEP\", not \"dir\""),
        (text.replace("1.0.0", "2.0.0"), "schema_version is \"2.0.0\", not \"1.0.0\""),
        (text.replace("CKM_RSA_AES_KEY_WRAP", "X"), "header.enc is \"X\", not \"CKM_RSA_AES_KEY_WRAP\""),
        (
            text.replace("\"generator\"", "\"extra\":1,\"generator\""),
            "the blob has an unexpected field \"extra\"",
        ),
        (text.replace("AQID-g", "AQID-g=="), "ciphertext is not unpadded base64url"),
        (text.replace("AQID-g", "AQID+g"), "ciphertext is not unpadded base64url"),
        (text.replace("AQID-g", "AQID-h"), "ciphertext is not unpadded base64url"),
        (text.replace("\"kid\":", "\"kidd\":"), "header has an unexpected field \"kidd\""),
        (format!("\u{feff}{text}"), "starts with a UTF-8 BOM"),
        ("[]".into(), "the blob is not a JSON object"),
        ("{".into(), "not JSON"),
    ] {
        assert_eq!(parse_azure_blob(bad.as_bytes()).unwrap_err(), want, "{bad}");
    }
}

#[test]
fn signer_fingerprint_in_every_paper_form() {
    let bytes: [u8; 32] = core::array::from_fn(|i| i as u8 * 7);
    let ssh = ssh_form(&bytes);
    let paper = PaperValue::of(&bytes);
    for typed in [
        ssh.clone(),
        format!("256 {ssh} byok-ceremony (ED25519)"),
        paper.hex_grouped.clone(),
        paper.hex_grouped.to_uppercase().replace(' ', ":"),
        paper.words.clone(),
    ] {
        assert_eq!(parse_signer_fingerprint(&typed).unwrap(), bytes, "{typed}");
    }
    assert!(parse_signer_fingerprint("SHA256:abc").is_err());
    assert!(parse_signer_fingerprint(&ssh[..ssh.len() - 1]).is_err());
    assert_eq!(paper.word_lines(8).len(), 4);
}

#[test]
fn allowed_signers_forms() {
    let key = PUB.rsplit_once(' ').unwrap().0;
    let file = format!(
        "# auditors\n\nother@x ssh-ed25519 AAAAother\nceremony,witness@x namespaces=\"git,byok-ceremony\",valid-after=\"20260101\" {key} c\n"
    );
    let list = parse_allowed_signers(&file).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(find_allowed(&list, PUB).as_deref(), Some("ceremony,witness@x"));
    let git_only = parse_allowed_signers(&format!("ceremony namespaces=\"git\" {key}\n")).unwrap();
    assert_eq!(find_allowed(&git_only, PUB), None);
    let any = parse_allowed_signers(&format!("* {key}\n")).unwrap();
    assert_eq!(find_allowed(&any, PUB).as_deref(), Some("*"));
    assert_eq!(parse_allowed_signers("# nothing\n").unwrap_err(), "no key lines");
    assert_eq!(parse_allowed_signers("a namespaces=\"x b\n").unwrap_err(), "line 1: unbalanced double quote");
    assert_eq!(
        parse_allowed_signers("a opt b c\n").unwrap_err(),
        "line 1: the key type is missing or unknown"
    );
}

#[test]
fn svg_codes_decode_and_damaged_ones_are_refused() {
    let text = "BQR1:1:1:SOME CHUNK TEXT";
    let svg = crate::qr::render_svg(text, Some(2), crate::qr::EcLevel::M).unwrap();
    assert_eq!(decode_svg(svg.as_bytes()).unwrap(), [text]);
    let refused = |s: String| decode_svg(s.as_bytes()).unwrap_err();
    assert_eq!(refused(svg.replace("viewBox", "viewbox")), "no viewBox");
    assert_eq!(refused(svg.replace("v1h", "v2h")).split(' ').next(), Some("path"));
    assert_eq!(refused(svg.replace("M4 4h", "M40 4h")), "a module run lies outside the viewBox");
    assert_eq!(refused(svg.replace("0 0 33 33", "0 0 900 900")), "900 modules is not a chunk's size");
}

proptest! {
    #[test]
    fn sha256sums_round_trip(names in proptest::collection::btree_set("[a-z0-9_./ -]{1,20}", 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let flat = name.replace(['/', ' '], "_");
            if flat.starts_with('.') { continue; }
            std::fs::write(dir.path().join(&flat), [i as u8]).unwrap();
            files.push(std::path::PathBuf::from(flat));
        }
        files.sort();
        files.dedup();
        prop_assume!(!files.is_empty());
        let text = crate::fsutil::sha256sums(dir.path(), &files).unwrap();
        let parsed = parse_sha256sums(text.as_bytes()).unwrap();
        prop_assert_eq!(parsed.len(), files.len());
        for (line, file) in parsed.iter().zip(&files) {
            prop_assert_eq!(&line.name, &file.display().to_string());
        }
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_sha256sums(&bytes);
        let _ = parse_azure_blob(&bytes);
        let _ = decode_svg(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_allowed_signers(&text);
        let _ = parse_signer_fingerprint(&text);
    }
}
