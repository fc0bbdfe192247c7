//! Terminal set-up and the guarantee that it is put back: on a normal exit (guard), on a
//! panic in any thread (hook: restore first, then report), and on signals (the driver).

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen, bracketed paste. Drop the guard to restore.
pub fn init() -> io::Result<(Term, Guard)> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((term, guard))
}

/// Idempotent, callable from anywhere (panic hook, signal path, guard).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = crossterm::execute!(
            io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// What to save when things go wrong (drafts, queued replies), shared with the hook.
pub type Saver = std::sync::Arc<dyn Fn() + Send + Sync>;

/// A panic anywhere restores the terminal, lets the default report print where it can be
/// read, saves what can be saved, and ends the process: a half-dead UI helps no one.
pub fn install_panic_hook(save: Saver, log_hint: String) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        // Saving runs on a thread of its own: the panic may have left a lock held.
        let (tx, rx) = std::sync::mpsc::channel();
        let save = save.clone();
        std::thread::spawn(move || {
            save();
            let _ = tx.send(());
        });
        let _ = rx.recv_timeout(std::time::Duration::from_secs(2));
        eprintln!(
            "modq stopped after an internal error; drafts and queued replies are kept. Log: {log_hint}"
        );
        std::process::exit(101);
    }));
}
