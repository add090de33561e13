//! Witnesses and acknowledgements: who watched, and who initialled which step.
//!
//! The operators and witnesses initial the runbook's steps. Steps 1 to 3 happen before the tool
//! starts, so the operator scripts collect those initials and pass them as `--ack` entries
//! ([`Ack::parse`]); with `--confirm-steps` the tool itself stops at steps 4, 5 and 6, shows what
//! to check and asks each person for their initials through a [`Confirm`]. Each initial becomes one
//! `witness.ack` log line (see `docs/log-format.md`). Nothing here ever sees a secret: what is shown
//! is the KEK fingerprint, the key check values, the blob's hash and the log signer.

use serde_json::{json, Map, Value};

use super::request::{invisible, GenerateRequest};
use super::CeremonyError;
use crate::log::LogWriter;

/// The runbook's steps in the room (`ceremony/RUNBOOK.md`), as logged in `witness.ack` `what`.
pub const STEP_TITLES: [&str; 9] = [
    "the binary's SHA-256 equals the transcript",
    "the environment checks (preflight)",
    "the ceremony's parameters and the KEK stick",
    "the KEK fingerprint equals the paper",
    "the key check value, written on the transcript",
    "the blob, QR codes and log signer, written on the transcript",
    "the transcript is complete",
    "the shares are handed out",
    "the machine is powered off",
];

/// `--ack` covers the steps before the tool starts; later steps are asked by the tool itself.
pub const LAST_SCRIPT_STEP: u8 = 3;

/// Initials: 1 to 8 characters.
const MAX_INITIALS: usize = 8;

/// Whether a person is an operator or a witness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An `--operator`.
    Operator,
    /// A `--witness`.
    Witness,
}

impl Role {
    /// `operator` or `witness`, as logged.
    pub fn name(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Witness => "witness",
        }
    }
}

/// An acknowledgement collected before the tool started: `STEP:NAME=INITIALS[@TIME]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ack {
    /// The runbook step, 1 to [`LAST_SCRIPT_STEP`].
    pub step: u8,
    /// An operator's or witness's name, as given to `--operator` or `--witness`.
    pub name: String,
    /// Their initials.
    pub initials: String,
    /// When it was given, `YYYY-MM-DDTHH:MM:SSZ` (UTC), if the script recorded it.
    pub at: Option<String>,
}

impl Ack {
    /// Parses `STEP:NAME=INITIALS` or `STEP:NAME=INITIALS@YYYY-MM-DDTHH:MM:SSZ`; the error says
    /// what is wrong (the caller names the `--ack` it came from).
    pub fn parse(text: &str) -> Result<Ack, String> {
        let form = "give STEP:NAME=INITIALS, optionally followed by @YYYY-MM-DDTHH:MM:SSZ";
        let (step, rest) = text.split_once(':').ok_or_else(|| form.to_string())?;
        let (name, right) = rest.split_once('=').ok_or_else(|| form.to_string())?;
        if right.contains('=') {
            return Err(format!("more than one '=': {form} (a name or initials cannot hold '=')"));
        }
        if name.trim().is_empty() {
            return Err(format!("the name before '=' is empty: {form}"));
        }
        let (initials, at) = match right.split_once('@') {
            Some((i, t)) => (i, Some(check_time(t)?)),
            None => (right, None),
        };
        let step: u8 = step.trim().parse().map_err(|_| format!("the step is not a number: {form}"))?;
        if !(1..=LAST_SCRIPT_STEP).contains(&step) {
            return Err(format!(
                "step {step}: --ack covers steps 1 to {LAST_SCRIPT_STEP}, before the tool starts; later steps are initialled at the tool's prompt (--confirm-steps)"
            ));
        }
        Ok(Ack { step, name: name.trim().to_string(), initials: initials_of(initials)?, at })
    }

    /// Refuses an acknowledgement time later than `now` (`YYYY-MM-DDTHH:MM:SSZ`): initials are
    /// collected before the tool starts.
    pub fn check_not_after(&self, now: &str) -> Result<(), String> {
        match &self.at {
            Some(at) if at.as_str() > now => Err(format!(
                "the time {at} is later than now ({now}): initials are collected before the tool starts; give the time they were typed (date -u +%Y-%m-%dT%H:%M:%SZ)"
            )),
            _ => Ok(()),
        }
    }
}

/// Checks `YYYY-MM-DDTHH:MM:SSZ`: the shape and a real date and time (RFC 3339, UTC).
pub fn check_time(t: &str) -> Result<String, String> {
    let b = t.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    let shape = b.len() == 20
        && digits.iter().all(|&i| b[i].is_ascii_digit())
        && [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')]
            .iter()
            .all(|&(i, c)| b[i] == c);
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|d| d.parse::<u16>().ok()).unwrap_or(u16::MAX);
    let real = shape
        && time::Month::try_from(u8::try_from(num(5..7)).unwrap_or(0))
            .ok()
            .and_then(|m| {
                time::Date::from_calendar_date(i32::from(num(0..4)), m, u8::try_from(num(8..10)).ok()?).ok()
            })
            .is_some()
        && num(11..13) < 24
        && num(14..16) < 60
        && num(17..19) < 60;
    if real {
        Ok(t.to_string())
    } else {
        Err(format!(
            "'{}' is not a UTC time: give it as YYYY-MM-DDTHH:MM:SSZ (date -u +%Y-%m-%dT%H:%M:%SZ)",
            t.escape_debug()
        ))
    }
}

/// Checks typed initials: 1 to 8 letters, digits, `.` or `-` (any script), at least one letter or
/// digit, NFKC-normalised.
pub fn initials_of(typed: &str) -> Result<String, String> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = typed.trim().nfkc().collect();
    let n = s.chars().count();
    if n == 0
        || n > MAX_INITIALS
        || !s.chars().any(char::is_alphanumeric)
        || s.chars().any(|c| invisible(c) || !(c.is_alphanumeric() || c == '.' || c == '-'))
    {
        return Err(format!(
            "initials '{}': type 1 to {MAX_INITIALS} letters or digits (dots and hyphens allowed)",
            typed.escape_debug()
        ));
    }
    Ok(s)
}

/// A step the tool stops at, and what it shows the people present.
pub struct Checkpoint<'a> {
    /// The runbook step.
    pub step: u8,
    /// What is being acknowledged ([`STEP_TITLES`]).
    pub title: &'static str,
    /// The values shown, to compare with the paper or write on it.
    pub shown: &'a [(&'static str, String)],
    /// Who is asked, in order: the operators, then the witnesses.
    pub people: &'a [(Role, String)],
    /// Set by SIGINT/SIGTERM/SIGHUP: a prompt waiting for a line returns [`Answer::Interrupted`].
    pub interrupted: &'a std::sync::atomic::AtomicBool,
}

/// What the people present answered at a [`Checkpoint`].
pub enum Answer {
    /// Everyone's initials, in the order of [`Checkpoint::people`].
    Initials(Vec<String>),
    /// Someone stopped the ceremony (the name of who did).
    Stop(String),
    /// A signal (Ctrl-C, SIGTERM, SIGHUP) arrived while asking.
    Interrupted,
}

/// Asks for initials (the binary: on the terminal; tests: scripted answers).
pub trait Confirm {
    /// Shows the checkpoint and collects everyone's initials, or a stop.
    fn confirm(&self, checkpoint: &Checkpoint<'_>) -> Answer;
}

/// The witnesses, the acknowledgements collected before the tool started, and (with
/// `--confirm-steps`) how to ask for initials at the tool's own steps.
#[derive(Default)]
pub struct Witnessing {
    /// Witness names, as typed.
    pub names: Vec<String>,
    /// `--ack` entries.
    pub acks: Vec<Ack>,
    /// Asks at steps 4, 5 and 6 when set.
    pub confirm: Option<Box<dyn Confirm>>,
}

/// The comparison form of a name: NFKC, lower case, single spaces.
fn folded(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower = name.trim().nfkc().collect::<String>().to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Witness names are checked like operator names, and may not look like another person's name;
/// every `--ack` must name an operator or a witness. Called by [`super::validate`], and by the
/// binary before its first prompt when the operators are named on the command line.
pub fn check(w: &Witnessing, operators: &[String]) -> Result<(), CeremonyError> {
    let invalid = |s: String| Err(CeremonyError::Invalid(s));
    let mut seen: Vec<String> = operators.iter().map(|o| folded(o)).collect();
    for name in &w.names {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 100 {
            return invalid("a --witness name is empty or too long: give each witness's name".into());
        }
        if trimmed.chars().any(invisible) {
            return invalid(
                "a --witness name has control or invisible characters: type the name plainly".into(),
            );
        }
        let f = folded(trimmed);
        if seen.contains(&f) {
            return invalid(format!(
                "--witness '{}' is, or looks like, the name of an operator or another witness: each person is named once, and a witness is not an operator",
                trimmed.escape_debug()
            ));
        }
        seen.push(f);
    }
    let mut acked: Vec<(u8, String)> = Vec::new();
    for ack in &w.acks {
        if acked.contains(&(ack.step, folded(&ack.name))) {
            return invalid(format!(
                "--ack {}:{}: given twice for step {}: each person initials each step once",
                ack.step,
                ack.name.escape_debug(),
                ack.step
            ));
        }
        acked.push((ack.step, folded(&ack.name)));
        if role_of(&ack.name, operators, &w.names).is_none() {
            return invalid(format!(
                "--ack {}:{}: '{}' is neither an --operator nor a --witness: name the person as given there",
                ack.step,
                ack.name.escape_debug(),
                ack.name.escape_debug()
            ));
        }
        initials_of(&ack.initials).map_err(CeremonyError::Invalid)?;
    }
    Ok(())
}

/// The role and the name as given, for a name as typed in `--ack`.
fn role_of(name: &str, operators: &[String], witnesses: &[String]) -> Option<(Role, String)> {
    let f = folded(name);
    let find =
        |list: &[String], role| list.iter().find(|n| folded(n) == f).map(|n| (role, n.trim().to_string()));
    find(operators, Role::Operator).or_else(|| find(witnesses, Role::Witness))
}

fn append(
    log: &mut LogWriter,
    step: u8,
    person: &(Role, String),
    initials: &str,
    shown: Value,
    source: &str,
    at: Option<&str>,
) -> Result<(), CeremonyError> {
    log.append(
        "witness.ack",
        &[
            ("step", json!(step)),
            ("what", json!(STEP_TITLES[usize::from(step) - 1])),
            ("role", json!(person.0.name())),
            ("name", json!(person.1)),
            ("initials", json!(initials)),
            ("shown", shown),
            ("source", json!(source)),
            ("acknowledged_at", json!(at)),
        ],
    )?;
    Ok(())
}

/// Logs the `--ack` entries (steps 1 to 3), in step order, right after the start of the log.
pub(super) fn log_collected(log: &mut LogWriter, req: &GenerateRequest) -> Result<(), CeremonyError> {
    let mut acks: Vec<&Ack> = req.witnesses.acks.iter().collect();
    acks.sort_by_key(|a| a.step);
    for ack in acks {
        let person = role_of(&ack.name, &req.operators, &req.witnesses.names).ok_or_else(|| {
            CeremonyError::Invalid(format!("--ack: unknown person '{}'", ack.name.escape_debug()))
        })?;
        append(log, ack.step, &person, &ack.initials, Value::Null, "script", ack.at.as_deref())?;
    }
    Ok(())
}

/// With `--confirm-steps`: shows `shown`, asks every operator and witness for their initials and
/// logs them; a stop ends the ceremony ([`CeremonyError::NotConfirmed`]). Without it: nothing.
pub(super) fn checkpoint(
    log: &mut LogWriter,
    req: &GenerateRequest,
    step: u8,
    shown: &[(&'static str, String)],
) -> Result<(), CeremonyError> {
    let Some(confirm) = &req.witnesses.confirm else {
        return Ok(());
    };
    let mut people: Vec<(Role, String)> = Vec::new();
    for op in &req.operators {
        if !people.iter().any(|(_, n)| folded(n) == folded(op)) {
            people.push((Role::Operator, op.trim().to_string()));
        }
    }
    people.extend(req.witnesses.names.iter().map(|w| (Role::Witness, w.trim().to_string())));
    let title = STEP_TITLES[usize::from(step) - 1];
    let point = Checkpoint { step, title, shown, people: &people, interrupted: &req.interrupted };
    let initials = match confirm.confirm(&point) {
        Answer::Initials(i) if i.len() == people.len() => i,
        Answer::Initials(_) => {
            return Err(CeremonyError::Invalid(format!("step {step}: not everyone initialled")))
        }
        Answer::Stop(by) => return Err(CeremonyError::NotConfirmed { step, by }),
        Answer::Interrupted => return Err(CeremonyError::Interrupted),
    };
    super::stages::check_interrupt(req)?;
    let mut values = Map::new();
    for (k, v) in shown {
        values.insert((*k).to_string(), json!(v));
    }
    for (person, typed) in people.iter().zip(&initials) {
        let initials = initials_of(typed).map_err(CeremonyError::Invalid)?;
        append(log, step, person, &initials, Value::Object(values.clone()), "prompt", None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_parses_with_and_without_time() {
        let a = Ack::parse("2:Alice Example=AE").unwrap();
        assert_eq!((a.step, a.name.as_str(), a.initials.as_str(), a.at), (2, "Alice Example", "AE", None));
        let a = Ack::parse("1:Zo\u{eb}=ZD@2026-12-03 19:24:00Z").unwrap_err();
        assert!(a.contains("not a UTC time"), "{a}");
        let a = Ack::parse("1:Zo\u{eb}=ZD@2026-12-03T19:24:00Z").unwrap();
        assert_eq!(a.at.as_deref(), Some("2026-12-03T19:24:00Z"));
        assert_eq!(a.name, "Zo\u{eb}");
    }

    #[test]
    fn ack_refuses_late_steps_bad_initials_and_bad_forms() {
        assert!(Ack::parse("4:Alice=AE").unwrap_err().contains("--confirm-steps"));
        assert!(Ack::parse("0:Alice=AE").unwrap_err().contains("steps 1 to 3"));
        assert!(Ack::parse("x:Alice=AE").unwrap_err().contains("not a number"));
        assert!(Ack::parse("1:Alice").unwrap_err().contains("STEP:NAME=INITIALS"));
        assert!(Ack::parse("1:Alice=").unwrap_err().contains("initials"));
        assert!(Ack::parse("1:Alice=ABCDEFGHI").unwrap_err().contains("1 to 8"));
        assert!(Ack::parse("1:Alice=A\u{200b}E").unwrap_err().contains("initials"));
        assert!(Ack::parse("1:Al=AL=BB").unwrap_err().contains("more than one '='"));
        assert!(Ack::parse("1:=AL").unwrap_err().contains("the name before '=' is empty"));
        for bad in
            ["2026-13-45T99:00:00Z", "2026-02-29T10:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z"]
        {
            let e = Ack::parse(&format!("1:Al=AL@{bad}")).unwrap_err();
            assert!(e.contains("not a UTC time"), "{bad}: {e}");
        }
        assert!(Ack::parse("1:Al=AL@2028-02-29T23:59:59Z").is_ok());
        for bad in ["..", "-", ".-."] {
            assert!(Ack::parse(&format!("1:Al={bad}")).unwrap_err().contains("letters or digits"), "{bad}");
        }
        let a = Ack::parse("1:Al=AL@2026-12-03T19:24:01Z").unwrap();
        assert!(a.check_not_after("2026-12-03T19:24:01Z").is_ok());
        assert!(a.check_not_after("2026-12-03T19:24:00Z").unwrap_err().contains("later than now"));
    }

    #[test]
    fn initials_are_nfkc_normalised() {
        assert_eq!(initials_of(" \u{ff21}E ").unwrap(), "AE");
        assert_eq!(initials_of("J.-P.").unwrap(), "J.-P.");
        assert!(initials_of("A E").is_err());
    }

    #[test]
    fn witnesses_must_not_look_like_operators_or_each_other() {
        let ops = vec!["Alice Example".to_string(), "Bob Example".to_string()];
        let w = |names: &[&str]| Witnessing {
            names: names.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert!(check(&w(&["Carol Witness"]), &ops).is_ok());
        for bad in [
            &["ALICE  example"][..],
            &["Carol", "carol"],
            &["\u{ff22}ob Example"],
            &["Ca\u{200d}rol"],
            &[" "],
        ] {
            assert!(check(&w(bad), &ops).is_err(), "{bad:?}");
        }
        let mut with_ack = w(&["Carol Witness"]);
        with_ack.acks = vec![Ack::parse("1:carol witness=CW").unwrap()];
        assert!(check(&with_ack, &ops).is_ok());
        with_ack.acks =
            vec![Ack::parse("1:Alice Example=AE").unwrap(), Ack::parse("1:alice example=XX").unwrap()];
        assert!(check(&with_ack, &ops).unwrap_err().to_string().contains("given twice for step 1"));
        with_ack.acks = vec![Ack::parse("1:Mallory=M").unwrap()];
        let e = check(&with_ack, &ops).unwrap_err().to_string();
        assert!(e.contains("neither an --operator nor a --witness"), "{e}");
        assert_eq!(
            role_of("carol witness", &ops, &with_ack.names),
            Some((Role::Witness, "Carol Witness".to_string()))
        );
    }
}
