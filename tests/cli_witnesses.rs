//! `--witness`, `--ack` and `--confirm-steps` on `generate` and `recover`: refused forms with their
//! exact messages (exit 2, before any key exists), and the `witness.ack` lines `audit` checks.

mod common;

use common::*;
use std::path::Path;

fn with(args: &[String], extra: &[&str]) -> Vec<String> {
    let mut v = args.to_vec();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

#[test]
fn bad_witness_and_ack_flags_are_refused_before_anything_is_made() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("c");
    let base = generate_args(&kek, &fpr, &out);
    let form = "give STEP:NAME=INITIALS, optionally followed by @YYYY-MM-DDTHH:MM:SSZ";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["--ack", "1:Alice Example"], format!("--ack '1:Alice Example': {form}")),
        (vec!["--ack", "Alice Example=AE"], format!("--ack 'Alice Example=AE': {form}")),
        (vec!["--ack", "x:Alice Example=AE"], format!("--ack 'x:Alice Example=AE': the step is not a number: {form}")),
        (
            vec!["--ack", "7:Alice Example=AE"],
            "--ack '7:Alice Example=AE': step 7: --ack covers steps 1 to 3, before the tool starts; later steps are initialled at the tool's prompt (--confirm-steps)".into(),
        ),
        (
            vec!["--ack", "0:Alice Example=AE"],
            "--ack '0:Alice Example=AE': step 0: --ack covers steps 1 to 3, before the tool starts; later steps are initialled at the tool's prompt (--confirm-steps)".into(),
        ),
        (
            vec!["--ack", "1:Alice Example="],
            "--ack '1:Alice Example=': initials '': type 1 to 8 letters or digits (dots and hyphens allowed)".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=ABCDEFGHI"],
            "--ack '1:Alice Example=ABCDEFGHI': initials 'ABCDEFGHI': type 1 to 8 letters or digits (dots and hyphens allowed)".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=AE@yesterday"],
            "--ack '1:Alice Example=AE@yesterday': 'yesterday' is not a UTC time: give it as YYYY-MM-DDTHH:MM:SSZ (date -u +%Y-%m-%dT%H:%M:%SZ)".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=AE@2026-13-45T99:00:00Z"],
            "--ack '1:Alice Example=AE@2026-13-45T99:00:00Z': '2026-13-45T99:00:00Z' is not a UTC time: give it as YYYY-MM-DDTHH:MM:SSZ (date -u +%Y-%m-%dT%H:%M:%SZ)".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=AE@2999-01-01T00:00:00Z"],
            "--ack '1:Alice Example=AE@2999-01-01T00:00:00Z': the time 2999-01-01T00:00:00Z is later than now (".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=.."],
            "--ack '1:Alice Example=..': initials '..': type 1 to 8 letters or digits (dots and hyphens allowed)".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=AE=BB"],
            "--ack '1:Alice Example=AE=BB': more than one '=': give STEP:NAME=INITIALS, optionally followed by @YYYY-MM-DDTHH:MM:SSZ (a name or initials cannot hold '=')".into(),
        ),
        (
            vec!["--ack", "1:=AE"],
            "--ack '1:=AE': the name before '=' is empty: give STEP:NAME=INITIALS, optionally followed by @YYYY-MM-DDTHH:MM:SSZ".into(),
        ),
        (
            vec!["--ack", "1:Alice Example=AE", "--ack", "1:alice example=XX"],
            "--ack 1:alice example: given twice for step 1: each person initials each step once".into(),
        ),
        (
            vec!["--ack", "2:Mallory=M"],
            "--ack 2:Mallory: 'Mallory' is neither an --operator nor a --witness: name the person as given there".into(),
        ),
        (
            vec!["--witness", "alice  EXAMPLE"],
            "--witness 'alice  EXAMPLE' is, or looks like, the name of an operator or another witness: each person is named once, and a witness is not an operator".into(),
        ),
        (
            vec!["--witness", "Carol", "--witness", "carol"],
            "--witness 'carol' is, or looks like, the name of an operator or another witness: each person is named once, and a witness is not an operator".into(),
        ),
        (vec!["--witness", " "], "a --witness name is empty or too long: give each witness's name".into()),
        (
            vec!["--witness", "Ca\u{200b}rol"],
            "a --witness name has control or invisible characters: type the name plainly".into(),
        ),
        (
            vec!["--confirm-steps"],
            "--confirm-steps asks for initials on the terminal: run on a terminal, or leave it out".into(),
        ),
    ];
    for (extra, want) in cases {
        let o = run_owned(&with(&base, &extra));
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        let line = error_line(&o);
        if want.ends_with('(') {
            assert!(line.starts_with(&format!("byok-ceremony: error: {want}")), "{extra:?}: {line}");
        } else {
            assert_eq!(line, format!("byok-ceremony: error: {want}"), "{extra:?}");
        }
        assert!(!out.exists(), "{extra:?} made {}", out.display());
    }
}

fn acks(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("ceremony.log"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "witness.ack")
        .collect()
}

#[test]
fn acks_are_logged_in_step_order_and_audited() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let out = tmp.path().join("c");
    let extra = [
        "--witness",
        "Zo\u{eb} Witness",
        "--ack",
        "2:zo\u{eb} witness=ZW",
        "--ack",
        "1:alice example=AE@2026-12-03T19:24:00Z",
        "--ack",
        "1:Bob Example=B.-E.",
    ];
    let o = run_owned(&with(&generate_args(&kek, &fpr, &out), &extra));
    assert!(o.status.success(), "{}", stderr(&o));
    let acks = acks(&out);
    let got: Vec<(u64, &str, &str, &str, &str)> = acks
        .iter()
        .map(|e| {
            (
                e["step"].as_u64().unwrap(),
                e["role"].as_str().unwrap(),
                e["name"].as_str().unwrap(),
                e["initials"].as_str().unwrap(),
                e["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "operator", "Alice Example", "AE", "script"),
            (1, "operator", "Bob Example", "B.-E.", "script"),
            (2, "witness", "Zo\u{eb} Witness", "ZW", "script"),
        ]
    );
    assert_eq!(acks[0]["acknowledged_at"], "2026-12-03T19:24:00Z");
    assert_eq!(acks[1]["acknowledged_at"], serde_json::Value::Null);
    assert_eq!(acks[0]["what"], "the binary's SHA-256 equals the transcript");
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    assert!(log.contains(r#""witnesses":["Zo\u00eb Witness"]"#));

    let o = run(&["audit", &out.display().to_string(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let check = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "witnesses").unwrap().clone();
    assert_eq!(check["status"], "pass", "{check}");
    assert_eq!(
        check["detail"],
        "operators Alice Example, Bob Example; witnesses Zo\u{eb} Witness; initialled (compare with the paper transcript): step 1: Alice Example AE, Bob Example B.-E.; step 2: Zo\u{eb} Witness ZW"
    );
}

#[test]
fn recover_takes_the_same_witness_flags() {
    if !peer_available("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, kek, fpr) = openssl_kek(tmp.path(), 2048);
    let first = tmp.path().join("first");
    let o = run_owned(&generate_args(&kek, &fpr, &first));
    assert!(o.status.success(), "{}", stderr(&o));
    let s1 = first.join("shares/share-01-of-03.txt");
    let s2 = first.join("shares/share-02-of-03.txt");
    let out = tmp.path().join("recovered");
    let args = recover_args(&[&s1, &s2], &kek, &fpr, &out);
    let o = run_owned(&with(&args, &["--witness", "Carol Witness", "--ack", "9:Carol Witness=CW"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(error_line(&o).starts_with("byok-ceremony: error: --ack '9:Carol Witness=CW': step 9: "));
    let o = run_owned(&with(&args, &["--witness", "Carol Witness", "--ack", "3:Carol Witness=CW"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let acks = acks(&out);
    assert_eq!(acks.len(), 1);
    assert_eq!((acks[0]["step"].as_u64(), acks[0]["name"].as_str()), (Some(3), Some("Carol Witness")));
    let o = run(&["audit", &out.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
