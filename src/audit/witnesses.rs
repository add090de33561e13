//! `witnesses`: the logged acknowledgements (`witness.ack`) name the people of `ceremony.started`,
//! in step order, and the ones the tool asked for come after the KEK was verified.

use serde_json::Value;

use super::facts::Facts;
use super::report::Report;
use crate::ceremony::witness::{check_time, initials_of, LAST_SCRIPT_STEP, STEP_TITLES};
use crate::log::Entry;

/// The steps at which `--confirm-steps` asks for initials.
const PROMPTED_STEPS: [u64; 3] = [4, 5, 6];

/// The names logged under `key` in `ceremony.started` (older logs have no `witnesses`).
fn names(facts: &Facts<'_>, key: &str) -> Vec<String> {
    match facts.field("ceremony.started", key) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// Records the `witnesses` check.
pub fn check(r: &mut Report, facts: &Facts<'_>) {
    let operators = names(facts, "operators");
    let witnesses = names(facts, "witnesses");
    let present = format!(
        "operators {}; witnesses {}",
        list(&operators),
        if witnesses.is_empty() { "none named".to_string() } else { list(&witnesses) }
    );
    let acks: Vec<(usize, &Entry)> =
        facts.entries.iter().enumerate().filter(|(_, e)| e.event == "witness.ack").collect();
    if acks.is_empty() {
        return r.skip(
            "witnesses",
            format!("{present}; no witness.ack logged: the initials are on the paper transcript only"),
        );
    }
    let verified = facts.entries.iter().position(|e| e.event == "kek.fingerprint_verified");
    let loaded = facts.entries.iter().position(|e| e.event == "kek.loaded");
    let mut last_step = 0;
    let mut by_step: Vec<(u64, Vec<String>)> = Vec::new();
    let mut seen: Vec<(u64, &str, &str)> = Vec::new();
    for (i, e) in acks {
        let line = i + 1;
        let s = |k: &str| e.fields.get(k).and_then(Value::as_str);
        let (Some(step), Some(role), Some(name), Some(initials), Some(source)) =
            (e.fields.get("step").and_then(Value::as_u64), s("role"), s("name"), s("initials"), s("source"))
        else {
            return r.add(
                "witnesses",
                Err(format!("log line {line}: witness.ack lacks step, role, name, initials or source")),
            );
        };
        let known = match role {
            "operator" => operators.iter().any(|n| n.trim() == name),
            "witness" => witnesses.iter().any(|n| n.trim() == name),
            _ => false,
        };
        let fault = if !(1..=STEP_TITLES.len() as u64).contains(&step) {
            Some(format!("step {step} is not a runbook step (1 to {})", STEP_TITLES.len()))
        } else if e.fields.get("what").and_then(Value::as_str) != Some(STEP_TITLES[step as usize - 1]) {
            Some(format!("step {step}: 'what' is not the runbook's title of step {step}"))
        } else if !known {
            Some(format!("{role} '{name}' is not named in ceremony.started ({present})"))
        } else if initials_of(initials).ok().as_deref() != Some(initials) {
            Some(format!("{name}: initials '{}' are missing or malformed", initials.escape_debug()))
        } else if step < last_step {
            Some(format!("step {step} after step {last_step}"))
        } else if seen.contains(&(step, role, name)) {
            Some(format!("{role} '{name}' initialled step {step} twice"))
        } else if let Some(f) = time_fault(e) {
            Some(f)
        } else {
            match source {
                "script" if step > u64::from(LAST_SCRIPT_STEP) => {
                    Some(format!("step {step} from the script: --ack covers steps 1 to {LAST_SCRIPT_STEP}"))
                }
                "script" if loaded.is_some_and(|l| i > l) => Some("an --ack logged after kek.loaded".into()),
                "prompt" if !PROMPTED_STEPS.contains(&step) => {
                    Some(format!("step {step} at the prompt: the tool asks at steps 4, 5 and 6 only"))
                }
                "prompt" if verified.is_none_or(|v| i < v) => {
                    Some("a prompted ack before kek.fingerprint_verified".into())
                }
                "script" | "prompt" => None,
                other => Some(format!("source '{other}' is neither script nor prompt")),
            }
        };
        if let Some(f) = fault {
            return r.add("witnesses", Err(format!("log line {line}: witness.ack: {f}")));
        }
        last_step = step;
        seen.push((step, role, name));
        let who = format!("{name} {initials}");
        match by_step.last_mut() {
            Some((s, people)) if *s == step => people.push(who),
            _ => by_step.push((step, vec![who])),
        }
    }
    let steps: Vec<String> = by_step.iter().map(|(s, p)| format!("step {s}: {}", p.join(", "))).collect();
    r.add(
        "witnesses",
        Ok(format!("{present}; initialled (compare with the paper transcript): {}", steps.join("; "))),
    );
}

/// `acknowledged_at`, when given, is a real UTC time no later than the line's own time.
fn time_fault(e: &Entry) -> Option<String> {
    let at = match e.fields.get("acknowledged_at") {
        None | Some(Value::Null) => return None,
        Some(Value::String(at)) => at,
        Some(_) => return Some("acknowledged_at is not a time".into()),
    };
    if check_time(at).is_err() {
        return Some(format!("acknowledged_at '{}' is not a valid UTC time", at.escape_debug()));
    }
    (at.as_str() > e.time.as_str())
        .then(|| format!("acknowledged_at {at} is later than the line's own time {}", e.time))
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::report::Status;
    use serde_json::{json, Map};

    fn entry(seq: u64, event: &str, fields: Value) -> Entry {
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        Entry {
            seq,
            time: "2026-12-03T19:24:00Z".into(),
            event: event.into(),
            prev: "0".repeat(64),
            fields,
            raw: Vec::new(),
            hash: [0; 32],
        }
    }

    fn ack(step: u64, name: &str, initials: &str, source: &str) -> Value {
        let title = STEP_TITLES.get(step as usize - 1).copied().unwrap_or("?");
        let role = if name.starts_with('W') { "witness" } else { "operator" };
        json!({"step": step, "what": title, "role": role, "name": name, "initials": initials,
               "shown": null, "source": source, "acknowledged_at": null})
    }

    /// The check's status and detail for a log: started, `before` acks, kek lines, `after` acks.
    fn audit(before: &[Value], after: &[Value]) -> (Status, String) {
        let started = json!({"operators": ["Ann", "Bo"], "witnesses": ["Wen"]});
        let mut entries = vec![entry(0, "ceremony.started", started)];
        for a in before {
            entries.push(entry(entries.len() as u64, "witness.ack", a.clone()));
        }
        entries.push(entry(entries.len() as u64, "kek.loaded", json!({})));
        entries.push(entry(entries.len() as u64, "kek.fingerprint_verified", json!({})));
        for a in after {
            entries.push(entry(entries.len() as u64, "witness.ack", a.clone()));
        }
        let mut r = Report::new(std::path::Path::new("d"));
        check(&mut r, &Facts::new(&entries));
        let c = r.checks.pop().unwrap();
        (c.status, c.detail)
    }

    fn fails(before: &[Value], after: &[Value], want: &str) {
        let (status, detail) = audit(before, after);
        assert_eq!((status, detail.as_str()), (Status::Fail, want));
    }

    #[test]
    fn good_acks_pass_and_are_listed_by_step() {
        let (status, detail) = audit(
            &[ack(1, "Ann", "A", "script"), ack(1, "Wen", "W", "script")],
            &[ack(4, "Bo", "B", "prompt")],
        );
        assert_eq!(status, Status::Pass);
        assert_eq!(
            detail,
            "operators Ann, Bo; witnesses Wen; initialled (compare with the paper transcript): step 1: Ann A, Wen W; step 4: Bo B"
        );
        assert_eq!(audit(&[], &[]).0, Status::Skip);
    }

    #[test]
    fn each_fault_is_named_with_its_line() {
        fails(
            &[ack(12, "Ann", "A", "script")],
            &[],
            "log line 2: witness.ack: step 12 is not a runbook step (1 to 9)",
        );
        let mut no_step = ack(1, "Ann", "A", "script");
        no_step.as_object_mut().unwrap().remove("step");
        fails(&[no_step], &[], "log line 2: witness.ack lacks step, role, name, initials or source");
        fails(
            &[ack(1, "Ann", "", "script")],
            &[],
            "log line 2: witness.ack: Ann: initials '' are missing or malformed",
        );
        fails(
            &[ack(1, "Ann", "A B", "script")],
            &[],
            "log line 2: witness.ack: Ann: initials 'A B' are missing or malformed",
        );
        fails(
            &[ack(1, "Mal", "M", "script")],
            &[],
            "log line 2: witness.ack: operator 'Mal' is not named in ceremony.started (operators Ann, Bo; witnesses Wen)",
        );
        fails(
            &[ack(2, "Ann", "A", "script"), ack(1, "Bo", "B", "script")],
            &[],
            "log line 3: witness.ack: step 1 after step 2",
        );
        fails(
            &[ack(4, "Ann", "A", "script")],
            &[],
            "log line 2: witness.ack: step 4 from the script: --ack covers steps 1 to 3",
        );
        fails(
            &[],
            &[ack(3, "Ann", "A", "script")],
            "log line 4: witness.ack: an --ack logged after kek.loaded",
        );
        fails(
            &[],
            &[ack(7, "Ann", "A", "prompt")],
            "log line 4: witness.ack: step 7 at the prompt: the tool asks at steps 4, 5 and 6 only",
        );
        fails(
            &[ack(4, "Ann", "A", "prompt")],
            &[],
            "log line 2: witness.ack: a prompted ack before kek.fingerprint_verified",
        );
        fails(
            &[],
            &[ack(4, "Ann", "A", "paper")],
            "log line 4: witness.ack: source 'paper' is neither script nor prompt",
        );
        fails(
            &[ack(1, "Ann", "..", "script")],
            &[],
            "log line 2: witness.ack: Ann: initials '..' are missing or malformed",
        );
        fails(
            &[ack(1, "Ann", "A", "script"), ack(1, "Ann", "X", "script")],
            &[],
            "log line 3: witness.ack: operator 'Ann' initialled step 1 twice",
        );
        let timed = |at: &str| {
            let mut a = ack(1, "Ann", "A", "script");
            a["acknowledged_at"] = json!(at);
            a
        };
        assert_eq!(audit(&[timed("2026-12-03T19:24:00Z")], &[]).0, Status::Pass);
        fails(
            &[timed("2026-13-45T99:00:00Z")],
            &[],
            "log line 2: witness.ack: acknowledged_at '2026-13-45T99:00:00Z' is not a valid UTC time",
        );
        fails(
            &[timed("2026-12-03T19:24:01Z")],
            &[],
            "log line 2: witness.ack: acknowledged_at 2026-12-03T19:24:01Z is later than the line's own time 2026-12-03T19:24:00Z",
        );
        let mut retitled = ack(1, "Ann", "A", "script");
        retitled["what"] = json!("something else");
        fails(
            &[retitled],
            &[],
            "log line 2: witness.ack: step 1: 'what' is not the runbook's title of step 1",
        );
    }
}
