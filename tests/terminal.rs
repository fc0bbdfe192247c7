//! The shipped binary against its terminal: a terminal that hangs up (dropped SSH), a panic,
//! and hostile text. Each runs modq in a pseudo-terminal of its own and checks the bytes it
//! wrote and the cells a terminal emulator shows.

#[path = "common/pty.rs"]
mod pty;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use pty::Pty;

fn args(data: &Path) -> Vec<String> {
    vec![
        "--data-dir".into(),
        data.display().to_string(),
        "--config-dir".into(),
        data.join("cfg").display().to_string(),
        "--rate".into(),
        "0".into(),
    ]
}

fn spawn(data: &Path, extra: &[&str]) -> Pty {
    let mut all = args(data);
    all.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    Pty::spawn(&refs)
}

fn drafts(data: &Path) -> Vec<(String, String)> {
    let store = modq::store::SledStore::open(&data.join("store")).unwrap();
    modq::store::Store::load_drafts(&store).unwrap()
}

/// Opens the reply editor on the second mention and types `text` into it.
fn type_draft(t: &mut Pty, text: &str) {
    t.wait_for("Queue 40 open");
    t.keys(&[b"j", b"r"]);
    t.send(text.as_bytes());
    t.wait_for(text);
}

#[test]
fn a_hang_up_saves_the_draft_and_exits_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut t = spawn(&data, &[]);
    type_draft(&mut t, "draft before the line drops");
    // Back to the queue, where the cursor is hidden: ratatui then shows it on the way out.
    t.keys(&[b"\x1b"]);
    t.wait_for("draft kept");
    t.hang_up();
    let status = t.wait_exit();
    assert_eq!(
        status.signal(),
        None,
        "modq was killed by a signal (SIGABRT is 6): {status:?}"
    );
    assert_eq!(
        status.code(),
        Some(modq::runtime::HANGUP_EXIT),
        "{status:?}"
    );
    assert!(
        drafts(&data)
            .iter()
            .any(|(_, d)| d == "draft before the line drops"),
        "{:?}",
        drafts(&data)
    );
}

/// After the panic, the last escape sequences modq wrote put the terminal back: bracketed
/// paste off, alternate screen left, cursor shown; only plain text (the report) follows;
/// the line discipline is canonical again; the draft is kept.
fn panic_restores_the_terminal(place: &str) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut t = spawn(&data, &["--test-panic", place]);
    type_draft(&mut t, "words typed before the panic");
    assert!(!t.canonical(), "the console runs in raw mode");
    t.signal("USR1");
    let status = t.wait_exit();
    assert_eq!(status.code(), Some(101), "{status:?}");
    let escapes = pty::escapes(&t.output);
    let enter = escapes
        .iter()
        .rposition(|e| e == b"\x1b[?1049h")
        .expect("the console entered the alternate screen");
    let tail: Vec<String> = escapes[enter + 1..]
        .iter()
        .map(|e| String::from_utf8_lossy(e).into_owned())
        .collect();
    let restore = ["\x1b[?2004l", "\x1b[?1049l", "\x1b[?25h"];
    let at = tail
        .iter()
        .position(|e| e == restore[0])
        .unwrap_or_else(|| panic!("no restore after the panic: {tail:?}"));
    assert_eq!(
        &tail[at..],
        &restore,
        "the restore must be the last thing written"
    );
    let text = String::from_utf8_lossy(&t.output);
    let after = &text[text.rfind("\x1b[?25h").unwrap()..];
    assert!(
        after.contains("modq stopped after an internal error"),
        "{after:?}"
    );
    assert!(after.contains("--test-panic"), "{after:?}");
    assert!(t.canonical(), "raw mode was left on");
    assert!(
        drafts(&data)
            .iter()
            .any(|(_, d)| d == "words typed before the panic"),
        "{:?}",
        drafts(&data)
    );
}

#[test]
fn a_panic_on_the_console_thread_restores_the_terminal() {
    panic_restores_the_terminal("ui");
}

#[test]
fn a_panic_in_a_background_task_restores_the_terminal() {
    panic_restores_the_terminal("task");
}
