//! Property tests: random logs round-trip; any single-byte change is detected.

use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use serde_json::{Map, Value};

use super::super::*;
use super::fixed_clock;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

type Event = (String, Vec<(String, Value)>);

fn event() -> impl Strategy<Value = Event> {
    let name = "[a-z0-9_]{1,6}(\\.[a-z0-9_]{1,6}){0,2}";
    let fields = prop::collection::vec(("[a-z0-9_]{1,8}", value()), 0..4).prop_map(|fs| {
        let mut out: Vec<(String, Value)> = Vec::new();
        for (k, v) in fs {
            let reserved = ["seq", "time", "event", "prev"].contains(&k.as_str());
            if !reserved && !out.iter().any(|(o, _)| *o == k) {
                out.push((k, v));
            }
        }
        out
    });
    (name.prop_filter("reserved", |n| n != SEAL_EVENT), fields)
}

/// Writes and seals the events in a fresh temporary directory.
fn write(events: &[Event]) -> SealedLog {
    let dir = tempfile::tempdir().unwrap();
    let mut log = LogWriter::create(&dir.path().join("ceremony.log"), fixed_clock()).unwrap();
    for (i, (name, fields)) in events.iter().enumerate() {
        let fields: Vec<(&str, Value)> = fields.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        assert_eq!(log.append(name, &fields).unwrap(), i as u64);
    }
    log.seal().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_logs_round_trip(events in prop::collection::vec(event(), 0..6)) {
        let sealed = write(&events);
        prop_assert!(sealed.bytes.is_ascii());
        let entries = verify_chain(&sealed.bytes).unwrap();
        prop_assert_eq!(entries.len(), events.len() + 1);
        prop_assert_eq!(sealed.lines, entries.len() as u64);
        for ((name, fields), entry) in events.iter().zip(&entries) {
            prop_assert_eq!(&entry.event, name);
            let expected: Map<String, Value> = fields.iter().cloned().collect();
            prop_assert_eq!(&entry.fields, &expected);
        }
    }

    #[test]
    fn any_byte_change_is_detected(
        events in prop::collection::vec(event(), 1..4),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..16),
    ) {
        let sealed = write(&events);
        let signer = Signer::generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1)).unwrap();
        let sig = signer.sign(&sealed.bytes).unwrap();
        let public = signer.public_openssh();
        let last_line_start = sealed.bytes[..sealed.bytes.len() - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        for (index, mask) in flips {
            let at = index.index(sealed.bytes.len());
            let mut bytes = sealed.bytes.clone();
            bytes[at] ^= mask;
            let chain = verify_chain(&bytes);
            if at < last_line_start {
                // Anything before the seal line is covered by the hash chain alone.
                prop_assert!(chain.is_err(), "flip at {} not caught by chain", at);
            }
            let signature = verify_signature(&bytes, &sig, &public);
            prop_assert!(chain.is_err() || signature.is_err());
            prop_assert!(signature.is_err());
        }
    }
}
