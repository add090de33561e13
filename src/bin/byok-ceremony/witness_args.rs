//! `--witness`, `--ack` and `--confirm-steps` (flattened into `generate`'s arguments), and the
//! terminal prompt that asks each operator and witness for their initials.

use byok_ceremony::ceremony::witness::{initials_of, Ack, Answer, Checkpoint, Confirm, Witnessing};

use crate::output::{interactive, prompt_interruptible, Failure};

#[derive(clap::Args, Clone, Debug, Default)]
pub struct WitnessArgs {
    /// A witness's name (repeat for each witness); logged next to the operators
    #[arg(long = "witness", value_name = "NAME")]
    pub witnesses: Vec<String>,
    /// An initial collected by the operator scripts before the tool started (steps 1 to 3):
    /// STEP:NAME=INITIALS, optionally @YYYY-MM-DDTHH:MM:SSZ; repeatable, logged as witness.ack
    #[arg(long = "ack", value_name = "STEP:NAME=INITIALS")]
    pub acks: Vec<String>,
    /// On a terminal: at steps 4, 5 and 6 show what to check and ask every operator and witness
    /// for their initials (logged as witness.ack); anyone can type 'stop' to end the ceremony
    #[arg(long)]
    pub confirm_steps: bool,
}

/// The library's [`Witnessing`] from the arguments.
pub fn witnessing(a: &WitnessArgs) -> Result<Witnessing, Failure> {
    let n = time::OffsetDateTime::now_utc();
    let now = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        n.year(),
        u8::from(n.month()),
        n.day(),
        n.hour(),
        n.minute(),
        n.second()
    );
    let acks = a
        .acks
        .iter()
        .map(|t| {
            Ack::parse(t)
                .and_then(|ack| ack.check_not_after(&now).map(|()| ack))
                .map_err(|e| Failure::usage(format!("--ack '{}': {e}", t.escape_debug())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let confirm: Option<Box<dyn Confirm>> = match (a.confirm_steps, interactive()) {
        (false, _) => None,
        (true, true) => Some(Box::new(TerminalConfirm)),
        (true, false) => {
            return Err(Failure::usage(
                "--confirm-steps asks for initials on the terminal: run on a terminal, or leave it out",
            ))
        }
    };
    Ok(Witnessing { names: a.witnesses.clone(), acks, confirm })
}

/// Asks on the terminal (stderr and stdin).
struct TerminalConfirm;

impl Confirm for TerminalConfirm {
    fn confirm(&self, c: &Checkpoint<'_>) -> Answer {
        eprintln!();
        eprintln!("=== Step {}: confirm {} ===", c.step, c.title);
        for (name, value) in c.shown {
            eprintln!("  {name:<20} {value}");
        }
        eprintln!(
            "Compare with the paper / write it on the transcript. Each person initials, or types 'stop'."
        );
        let mut initials = Vec::new();
        for (role, name) in c.people {
            loop {
                let question = format!("  {} {name}, your initials: ", role.name());
                let typed = match prompt_interruptible(&question, c.interrupted) {
                    Ok(Some(typed)) => typed,
                    Ok(None) => return Answer::Interrupted,
                    Err(_) => return Answer::Stop(format!("{name} (the terminal closed)")),
                };
                if typed.eq_ignore_ascii_case("stop") {
                    return Answer::Stop(name.clone());
                }
                match initials_of(&typed) {
                    Ok(i) => {
                        initials.push(i);
                        break;
                    }
                    Err(e) => eprintln!("  {e}"),
                }
            }
        }
        Answer::Initials(initials)
    }
}
