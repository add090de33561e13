//! `generate --dice-fd N`: the rolls are counted in the log, never written; characters that are
//! not die faces and too few rolls are refused (exit 2) before any key exists.

mod common;

use common::*;
use std::path::Path;

const FPR: &str = "ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111";

fn with_rolls(dir: &Path, rolls: &str) -> (std::process::Output, std::path::PathBuf) {
    let kek = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kek/wycheproof-2048.pub.pem");
    let out = dir.join("c");
    let file = dir.join("rolls.txt");
    std::fs::write(&file, rolls).unwrap();
    let mut args = generate_args(&kek, FPR, &out);
    args.extend(["--dice-fd".to_string(), "3".to_string()]);
    (run_with_fd3(&args, &file), out)
}

#[test]
fn the_log_counts_the_rolls_and_never_holds_them() {
    let tmp = tempfile::tempdir().unwrap();
    let rolls = "6543216543 2165432165\n".repeat(5) + "1\n";
    let (o, out) = with_rolls(tmp.path(), &rolls);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = std::fs::read_to_string(out.join("ceremony.log")).unwrap();
    let key: serde_json::Value = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["event"] == "key.generated")
        .unwrap();
    assert_eq!(key["source"], "getrandom+dice");
    assert_eq!(key["dice_rolls"], 101);
    for file in all_files(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(!text.contains("6543216543"), "{} holds the rolls", file.display());
    }
    assert!(!stderr(&o).contains("6543216543"));
}

#[test]
fn a_character_that_is_not_a_face_is_refused_by_position() {
    let tmp = tempfile::tempdir().unwrap();
    let (o, out) = with_rolls(tmp.path(), &format!("{}7", "1".repeat(120)));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: dice: character 121 is not a die face: type only the digits 1 to 6 (spaces and new lines are ignored)"
    );
    assert!(!out.exists());
}

#[test]
fn too_few_rolls_say_how_many_are_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let (o, out) = with_rolls(tmp.path(), &"3".repeat(99));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: dice: 99 rolls typed, 100 are needed for 256 bits (each roll of a six-sided die gives 2.58 bits): roll 1 more"
    );
    assert!(!out.exists());
}

#[test]
fn recover_refuses_dice() {
    let tmp = tempfile::tempdir().unwrap();
    let kek = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kek/wycheproof-2048.pub.pem");
    let share = tmp.path().join("share.txt");
    std::fs::write(&share, "x\n").unwrap();
    let mut args = recover_args(&[&share], &kek, FPR, &tmp.path().join("c"));
    args.push("--dice".into());
    let o = run_owned(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        error_line(&o),
        "byok-ceremony: error: --dice is for generating a key; recover takes the key from the shares: leave --dice out"
    );
}
