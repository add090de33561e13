//! Checks of the log itself: chain, signature, signer, head, and the ceremony's events.

use std::path::Path;

use super::facts::Facts;
use super::inputs::Inputs;
use super::report::{Outcome, Report};
use super::signers;
use crate::fsutil::hex_lower;
use crate::log::{self, Entry};

/// `log.chain`: the log verifies from a zero genesis to its seal. Returns the entries if so.
pub fn chain(r: &mut Report, bytes: &std::io::Result<Vec<u8>>) -> Option<Vec<Entry>> {
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            r.add("log.chain", Err(format!("ceremony.log: {e}")));
            return None;
        }
    };
    match log::verify_chain(bytes) {
        Ok(entries) => {
            let last = entries.last().expect("a verified log has a seal");
            r.log_head = Some(hex_lower(&last.hash));
            r.add(
                "log.chain",
                Ok(format!(
                    "{} lines: line 1 chains from 64 zeros, seq 0 to {} without gaps, each prev matches, sealed with lines_before {}",
                    entries.len(),
                    last.seq,
                    last.seq
                )),
            );
            Some(entries)
        }
        Err(e) => {
            r.add("log.chain", Err(e.to_string()));
            None
        }
    }
}

/// `log.signature`, `signer.logged`, `signer.expected`, `signer.allowed`, `head.expected`.
pub fn signature(
    r: &mut Report,
    dir: &Path,
    bytes: &std::io::Result<Vec<u8>>,
    entries: Option<&[Entry]>,
    inputs: &Inputs,
) {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{name}: {e}"));
    let verified = match (bytes, read("ceremony.log.sig"), read("ceremony.pub")) {
        (Err(e), _, _) => Err(format!("ceremony.log: {e}")),
        (_, Err(e), _) | (_, _, Err(e)) => Err(e),
        (Ok(b), Ok(sig), Ok(public)) => {
            log::verify_signature(b, &sig, &public).map(|f| (f, public)).map_err(|e| e.to_string())
        }
    };
    let (fpr, public) = match verified {
        Ok(v) => v,
        Err(e) => {
            r.add("log.signature", Err(e));
            r.skip("signer.expected", "the signature does not verify");
            head(r, inputs);
            return;
        }
    };
    r.add(
        "log.signature",
        Ok(format!(
            "ceremony.log.sig is a valid SSHSIG (Ed25519, namespace byok-ceremony) by ceremony.pub, {fpr}"
        )),
    );
    r.signer = Some(fpr.clone());
    if let Some(entries) = entries {
        let logged = Facts::new(entries).str("ceremony.started", "signer").map(str::to_owned);
        r.add(
            "signer.logged",
            match logged {
                Some(l) if l == fpr => Ok(format!("ceremony.started names the same signer, {l}")),
                Some(l) => Err(format!("ceremony.started names signer {l}, the signature is by {fpr}")),
                None => Err("ceremony.started names no signer".into()),
            },
        );
    }
    match &inputs.expect_signer {
        Some(want) => {
            let got = signers::fingerprint_bytes(&fpr);
            r.add(
                "signer.expected",
                if got.as_ref() == Some(want) {
                    Ok(format!("{fpr} is the signer on the paper transcript"))
                } else {
                    Err(format!("signed by {fpr}, the paper transcript says {}", signers::ssh_form(want)))
                },
            );
        }
        None => r.skip(
            "signer.expected",
            "NOT compared with the paper transcript: pass --expect-signer with the value the witnesses signed",
        ),
    }
    if let Some((path, list)) = &inputs.allowed_signers {
        let shown = path.display();
        r.add(
            "signer.allowed",
            match signers::find_allowed(list, &public) {
                Some(principal) => Ok(format!("{shown} allows this key as {principal:?} for byok-ceremony")),
                None => {
                    Err(format!("{shown} does not allow ceremony.pub ({fpr}) for namespace byok-ceremony"))
                }
            },
        );
    }
    head(r, inputs);
}

fn head(r: &mut Report, inputs: &Inputs) {
    let Some(want) = &inputs.expect_head else {
        return;
    };
    let want = hex_lower(want);
    r.add(
        "head.expected",
        match &r.log_head {
            Some(h) if *h == want => {
                Ok(format!("the log's last line hashes to {h}, as on the paper transcript"))
            }
            Some(h) => Err(format!("the log's last line hashes to {h}, the paper transcript says {want}")),
            None => Err("the log does not verify, so it has no head to compare".into()),
        },
    );
}

/// The events every completed ceremony logs, in this order (others may come between them); a
/// recovery ceremony logs `key.recovered` instead of `key.generated`.
const STEPS: [&str; 8] = [
    "ceremony.started",
    "environment.checked",
    "kek.loaded",
    "kek.fingerprint_verified",
    "key.generated",
    "key.wrapped",
    "key.destroyed",
    "qr.chunked",
];

/// `log.events` and `ceremony.outcome`: the steps are all there, in order, and how it ended.
pub fn events(r: &mut Report, facts: &Facts<'_>) {
    let aborted = facts.first("ceremony.aborted");
    let completed = facts.first("ceremony.completed");
    r.outcome = match (completed, aborted) {
        (Some(_), None) => Outcome::Completed,
        (None, Some(_)) => Outcome::Aborted,
        _ => Outcome::Unknown,
    };
    match r.outcome {
        Outcome::Completed => r.add("log.events", steps_in_order(facts)),
        _ => r.skip("log.events", "the ceremony did not complete"),
    }
    let outcome = match (completed, aborted) {
        (Some(c), None) => Ok(format!(
            "completed at {}: blob {}, key check value {}",
            c.time,
            c.fields.get("blob").and_then(|v| v.as_str()).unwrap_or("?"),
            c.fields.get("kcv").and_then(|v| v.as_str()).unwrap_or("?")
        )),
        (None, Some(a)) => Err(format!(
            "aborted ceremony at {}, nothing to import: {}",
            a.time,
            a.fields.get("reason").and_then(|v| v.as_str()).unwrap_or("no reason logged")
        )),
        (Some(_), Some(_)) => Err("the log has both ceremony.completed and ceremony.aborted".into()),
        (None, None) => Err("the log has neither ceremony.completed nor ceremony.aborted".into()),
    };
    r.add("ceremony.outcome", outcome);
}

fn steps_in_order(facts: &Facts<'_>) -> Result<String, String> {
    let mut at = 0usize;
    let key = facts.key_event();
    for step in STEPS.map(|s| if s == "key.generated" { key } else { s }) {
        let seqs: Vec<usize> =
            facts.entries.iter().enumerate().filter(|(_, e)| e.event == step).map(|(i, _)| i).collect();
        match seqs.as_slice() {
            [one] if *one >= at => at = *one,
            [one] => return Err(format!("{step} (line {}) comes before an earlier step", one + 1)),
            [] => return Err(format!("{step} is missing")),
            _ => return Err(format!("{step} is logged {} times", seqs.len())),
        }
    }
    let escrow = ["escrow.split", "escrow.skipped"].iter().filter(|e| facts.first(e).is_some()).count();
    if escrow != 1 {
        return Err("exactly one of escrow.split and escrow.skipped must be logged".into());
    }
    let fp = |k| facts.str("kek.fingerprint_verified", k);
    let loaded = facts.str("kek.loaded", "fingerprint_sha256");
    if loaded.is_none() || fp("typed") != loaded || fp("computed") != loaded {
        return Err(
            "kek.fingerprint_verified: typed and computed are not both the loaded KEK's fingerprint".into()
        );
    }
    Ok(format!(
        "every step is logged once and in order ({}), the typed KEK fingerprint equals the computed one",
        STEPS.map(|s| if s == "key.generated" { key } else { s }).join(", ")
    ))
}
