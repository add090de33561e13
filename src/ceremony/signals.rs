//! Which signal interrupted the ceremony, for its exit code (128 + the signal, as a shell reports
//! a process killed by it): 130 for SIGINT (Ctrl-C), 143 for SIGTERM, 129 for SIGHUP.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

static LAST: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Records, from now on, the last of SIGINT, SIGTERM and SIGHUP that arrived (next to the flag of
/// [`crate::hardening::catch_interrupts`], which stops the ceremony).
pub fn record_interrupt_signals() -> std::io::Result<()> {
    let last = LAST.get_or_init(|| Arc::new(AtomicUsize::new(0)));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // Stored as 128 + the signal: the exit code.
        let code = 128 + usize::try_from(signal).unwrap_or(0);
        signal_hook::flag::register_usize(signal, Arc::clone(last), code)?;
    }
    Ok(())
}

/// The exit code of an interrupted ceremony: 128 + the last signal recorded, 130 when none was.
pub fn interrupt_exit_code() -> u8 {
    let code = LAST.get().map_or(0, |l| l.load(Ordering::SeqCst));
    u8::try_from(code).ok().filter(|&c| c > 128).unwrap_or(130)
}
