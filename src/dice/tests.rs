//! Dice: refusals, and the mix is a function of both sources.

use super::*;
use crate::keytype::KeyType;
use crate::secret::TargetKey;

fn hundred(face: char) -> String {
    std::iter::repeat_n(face, ROLLS_NEEDED).collect()
}

fn key_from(dice: &str, os_seed: u64) -> Vec<u8> {
    let rolls = parse_rolls(dice).unwrap();
    let mut rng = mixed_rng(&rolls, &mut ChaCha20Rng::seed_from_u64(os_seed));
    TargetKey::generate(KeyType::Aes256, &mut rng).expose().to_vec()
}

#[test]
fn characters_that_are_not_faces_are_refused_by_position() {
    let mut text = hundred('3');
    text.insert(10, '7');
    assert_eq!(parse_rolls(&text).unwrap_err(), DiceError::NotAFace { position: 11 });
    for bad in ["0", "x", "½", "-", "."] {
        let e = parse_rolls(&format!("12 {bad} {}", hundred('4'))).unwrap_err();
        assert_eq!(e, DiceError::NotAFace { position: 4 });
    }
    assert_eq!(
        DiceError::NotAFace { position: 4 }.to_string(),
        "dice: character 4 is not a die face: type only the digits 1 to 6 (spaces and new lines are ignored)"
    );
}

#[test]
fn too_few_rolls_are_refused_saying_how_many_more() {
    let text: String = hundred('6').chars().skip(1).collect();
    let e = parse_rolls(&text).unwrap_err();
    assert_eq!(e, DiceError::TooFew { got: 99 });
    assert_eq!(e.to_string(), "dice: 99 rolls typed, 100 are needed for 256 bits (each roll of a six-sided die gives 2.58 bits): roll 1 more");
    assert_eq!(parse_rolls("").unwrap_err(), DiceError::TooFew { got: 0 });
}

#[test]
fn separators_are_ignored_and_rolls_never_shown() {
    let spaced: String = hundred('5').chars().flat_map(|c| [c, ' ']).collect();
    let rolls = parse_rolls(&format!("{spaced}\n1,2,\t3\r\n")).unwrap();
    assert_eq!(rolls.count(), 103);
    assert_eq!(format!("{rolls:?}"), "Rolls(103 rolls, [REDACTED])");
    assert_eq!(count_faces("1 2 x 9 6"), 3);
    assert!((ROLLS_NEEDED as f64) * 6f64.log2() >= 256.0);
    assert!(((ROLLS_NEEDED - 1) as f64) * 6f64.log2() < 256.0);
}

#[test]
fn same_dice_and_same_os_seed_give_the_same_key() {
    let dice: String = (0..ROLLS_NEEDED).map(|i| char::from(b'1' + (i * 5 % 6) as u8)).collect();
    assert_eq!(key_from(&dice, 1), key_from(&dice, 1));
}

#[test]
fn different_dice_or_os_seed_give_different_keys() {
    let a = hundred('1');
    let mut b = a.clone();
    b.replace_range(99..100, "2");
    assert_ne!(key_from(&a, 1), key_from(&b, 1), "one roll changed");
    assert_ne!(key_from(&a, 1), key_from(&a, 2), "OS randomness changed");
    // The mix is not the OS RNG alone.
    let os_only = TargetKey::generate(KeyType::Aes256, &mut ChaCha20Rng::seed_from_u64(1)).expose().to_vec();
    assert_ne!(key_from(&a, 1), os_only);
}

#[test]
fn the_seed_is_hkdf_sha256_of_both() {
    // Recomputed here from the module's description, so the documented construction is the real one.
    let rolls = parse_rolls(&hundred('2')).unwrap();
    let mut os = ChaCha20Rng::seed_from_u64(3);
    let mut salt = [0u8; 32];
    ChaCha20Rng::seed_from_u64(3).fill_bytes(&mut salt);
    let mut seed = [0u8; 32];
    Hkdf::<sha2::Sha256>::new(Some(&salt), &[2u8; ROLLS_NEEDED])
        .expand(b"byok-ceremony dice v1", &mut seed)
        .unwrap();
    let mut expected = ChaCha20Rng::from_seed(seed);
    let mut mixed = mixed_rng(&rolls, &mut os);
    assert_eq!(mixed.next_u64(), expected.next_u64());
}
