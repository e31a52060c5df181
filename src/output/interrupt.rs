//! Stage 5, output: what a build does when it is asked to stop (Ctrl-C,
//! SIGTERM).
//!
//! Input: the signal the binary received ([`request`]). Output: the answer
//! whether the process may exit at once, and, while a build is writing, a
//! flag its writes check so that it stops, removes its temporary folder and
//! returns [`OutputError::Interrupted`]. The library installs no handler:
//! the binary does, and passes the signals on.

use super::OutputError;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

/// The signal received, 0 for none.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

struct State {
    /// Temporary folders being written.
    writing: usize,
    /// Swaps in progress: stopping between their two renames would leave
    /// no site at all.
    swapping: usize,
}

static STATE: Mutex<State> = Mutex::new(State {
    writing: 0,
    swapping: 0,
});

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records `signal`. Returns true when a build is writing and will stop and
/// clean up by itself (the caller waits for it), false when the process may
/// exit at once: nothing is being written, or a second signal arrived
/// outside a swap (what the build left is removed by the next build).
pub fn request(signal: i32) -> bool {
    let s = state();
    let first = SIGNAL.swap(signal, Ordering::SeqCst) == 0;
    s.swapping > 0 || (first && s.writing > 0)
}

/// The signal received so far, if any.
pub fn received() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Whether a build was asked to stop: the renderer checks it between pages
/// so that a long render ends within a page's time of the signal.
pub fn stopping() -> bool {
    SIGNAL.load(Ordering::Relaxed) != 0
}

/// Fails with [`OutputError::Interrupted`] once a signal arrived: the build
/// checks it before reporting a render's errors, which a render cut short
/// by the signal may have.
pub fn check() -> Result<(), OutputError> {
    received().map_or(Ok(()), |s| Err(OutputError::Interrupted(s)))
}

/// Registers a temporary folder about to be created; refused when a signal
/// already arrived, so that no folder appears after the binary decided to
/// exit.
pub(super) fn start_writing() -> Result<(), OutputError> {
    let mut s = state();
    check()?;
    s.writing += 1;
    Ok(())
}

pub(super) fn stop_writing() {
    let mut s = state();
    s.writing = s.writing.saturating_sub(1);
}

/// Runs the two renames of a swap with signals deferred until it is done.
pub(super) fn swapping<T>(f: impl FnOnce() -> T) -> T {
    state().swapping += 1;
    let out = f();
    let mut s = state();
    s.swapping = s.swapping.saturating_sub(1);
    out
}
