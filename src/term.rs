//! Terminal set-up and the guarantee that it is put back: on a normal exit (guard), on a
//! panic in any thread (hook: restore first, then report), and on signals (the driver).
//!
//! A terminal that hung up (SSH dropped, pty closed) is never written to again: writes to it
//! fail, and code that reports such failures on stderr (ratatui's drop, `eprintln!`) panics,
//! and a panic inside the panic hook aborts the process. So every write here first asks
//! whether the terminal is still there, and every report ignores its own errors.

use std::io::{self, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::sgr::ShortSgr;

/// Frames go out with the 16 colours' short codes (`sgr`).
pub type Term = Terminal<CrosstermBackend<ShortSgr<Out>>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Set once the terminal is known to be gone; it never comes back.
static HUNG_UP: AtomicBool = AtomicBool::new(false);
/// Held while a frame or the restore goes out, so no frame lands after the restore (a
/// background panic restores while the console thread may be drawing).
static OUTPUT: Mutex<()> = Mutex::new(());

/// The output lock, even from a panic hook: poisoning is ignored, and a lock held by the
/// thread that panicked is waited for only briefly rather than for ever.
fn output_lock() -> Option<MutexGuard<'static, ()>> {
    let start = Instant::now();
    loop {
        match OUTPUT.try_lock() {
            Ok(g) => return Some(g),
            Err(std::sync::TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => {
                if start.elapsed() > Duration::from_millis(500) {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

/// The console's output: a frame is gathered, then written whole while the console owns
/// the terminal; once it is restored (or hung up), frames are dropped.
#[derive(Default)]
pub struct Out {
    frame: Vec<u8>,
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let frame = std::mem::take(&mut self.frame);
        let _lock = output_lock();
        if !ACTIVE.load(Ordering::SeqCst) {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        out.write_all(&frame)?;
        out.flush()
    }
}

/// Writes raw bytes (the bell) while the console owns the terminal.
pub fn write_raw(bytes: &[u8]) {
    let mut out = Out::default();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// Raw mode, alternate screen, bracketed paste. Drop the guard to restore.
pub fn init() -> io::Result<(Term, Guard)> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let term = Terminal::new(CrosstermBackend::new(ShortSgr::new(Out::default())))?;
    Ok((term, guard))
}

/// Is the terminal on this descriptor still there? A hung-up tty fails every termios call
/// (EIO), so asking for its settings is a cheap probe that writes nothing.
fn tty_alive(fd: impl AsFd) -> bool {
    rustix::termios::tcgetattr(fd).is_ok()
}

/// False once the terminal on stdout has hung up (or stdout is not a terminal).
pub fn alive() -> bool {
    if HUNG_UP.load(Ordering::SeqCst) {
        return false;
    }
    let ok = tty_alive(io::stdout());
    if !ok {
        HUNG_UP.store(true, Ordering::SeqCst);
    }
    ok
}

/// Idempotent, callable from anywhere (panic hook, signal path, guard). Writes nothing to a
/// terminal that hung up.
pub fn restore() {
    let _lock = output_lock();
    if ACTIVE.swap(false, Ordering::SeqCst) && alive() {
        let _ = crossterm::execute!(
            io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

/// Ends the console's terminal: restored when it is there, left alone when it hung up.
/// ratatui's own drop shows the cursor and reports a failure with `eprintln!`, which panics
/// on a dead terminal; so a terminal that hung up is forgotten instead of dropped.
pub fn close(term: Term, guard: Guard) {
    if alive() {
        drop(term);
    } else {
        std::mem::forget(term);
    }
    drop(guard);
}

pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// One line to stderr when someone can read it; never panics (unlike `eprintln!`).
pub fn report(line: &str) {
    let err = io::stderr();
    if rustix::termios::isatty(err.as_fd()) && !tty_alive(err.as_fd()) {
        return;
    }
    let mut err = err.lock();
    let _ = writeln!(err, "{line}");
    let _ = err.flush();
}

/// What to save when things go wrong (drafts, queued replies), shared with the hook.
pub type Saver = std::sync::Arc<dyn Fn() + Send + Sync>;

/// A panic anywhere restores the terminal, lets the default report print where it can be
/// read, saves what can be saved, and ends the process: a half-dead UI helps no one. Nothing
/// in here may panic (that would abort), and nothing is written to a terminal that hung up.
pub fn install_panic_hook(save: Saver, log_hint: String) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("internal error: {info}");
        let err = io::stderr();
        // The default report writes to stderr; it is skipped when that terminal is gone.
        if !rustix::termios::isatty(err.as_fd()) || tty_alive(err.as_fd()) {
            previous(info);
        }
        // Saving runs on a thread of its own: the panic may have left a lock held.
        let (tx, rx) = std::sync::mpsc::channel();
        let save = save.clone();
        let spawned = std::thread::Builder::new().spawn(move || {
            save();
            let _ = tx.send(());
        });
        if spawned.is_ok() {
            let _ = rx.recv_timeout(std::time::Duration::from_secs(2));
        }
        report(&format!(
            "modq stopped after an internal error; drafts and queued replies are kept. Log: {log_hint}"
        ));
        std::process::exit(101);
    }));
}
