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

/// tests/fixtures/hostile.txt: one JSON string a line.
fn hostile_cases() -> Vec<String> {
    include_str!("fixtures/hostile.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The hostile corpus (tests/fixtures/hostile.txt) as texts, display names and handles of
/// a JSON-lines source, with each mention answering the one before (a thread).
fn hostile_jsonl(path: &Path) -> usize {
    let cases = hostile_cases();
    let mut out = String::new();
    for (i, case) in cases.iter().enumerate() {
        let short: String = case.chars().take(40).collect();
        let line = serde_json::json!({
            "id": format!("h{i}"),
            "handle": format!("@h{i}{short}@x.example"),
            "name": format!("{short}\u{1b}]0;title\u{7}"),
            "text": format!("{case} #{i}"),
            "followers": i,
            "lang": "en",
            "in_reply_to": (i > 0).then(|| format!("h{}", i - 1)),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
    cases.len()
}

/// No cell of the emulated screen holds a control, a bidi control, an invisible or a tag
/// character, or anything else the sanitiser denies.
fn assert_clean_cells(t: &Pty, step: &str) {
    let screen = t.parser.screen();
    for row in 0..pty::ROWS {
        for col in 0..pty::COLS {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            let s = cell.contents();
            // A subdivision flag keeps its tag characters (the emulator stores only the
            // first few of them in a cell, so the run is judged char by char here).
            let s = match s.strip_prefix('\u{1f3f4}') {
                Some(tags) if tags.chars().all(|c| matches!(c, '\u{e0020}'..='\u{e007f}')) => "",
                _ => s,
            };
            assert!(
                modq::sanitize::is_display_safe(s) && !s.contains('\n'),
                "denied code point {s:?} at {row},{col} after {step}:\n{}",
                t.screen()
            );
        }
    }
}

/// The escape sequences the renderer writes (crossterm via ratatui): cursor moves, colours
/// and attributes, clearing, the cursor shown/hidden, alternate screen and bracketed paste.
fn ours(e: &[u8]) -> bool {
    let Some(body) = e.strip_prefix(b"\x1b[") else {
        return false;
    };
    let Some((&last, params)) = body.split_last() else {
        return false;
    };
    let digits = |p: &[u8]| p.iter().all(|b| b.is_ascii_digit() || *b == b';');
    match last {
        b'H' | b'm' => digits(params),
        b'J' => params == b"2",
        b'h' | b'l' => matches!(params, b"?25" | b"?1049" | b"?2004"),
        _ => false,
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let feed = dir.path().join("hostile.jsonl");
    let n = hostile_jsonl(&feed);
    let source = format!("jsonl:{}", feed.display());
    let t = spawn(&data, &["--source", &source]);
    walk_every_pane(t, n, None);
}

/// Opens every pane over `n` hostile mentions, quits, and checks every cell on the way and
/// every byte written.
fn walk_every_pane(mut t: Pty, n: usize, thread_shown_as: Option<&str>) {
    let mut thread_seen = false;
    t.wait_for(&format!("Queue {n} open"));
    assert_clean_cells(&t, "start");
    // Every pane: help, theme picker, command line, filter, the views, the spike view.
    let panes: [(&str, &[&[u8]]); 7] = [
        ("help", &[b"?", b"?"]),
        ("theme picker", &[b"T", b"\x1b"]),
        ("command line", &[b":", b"\x1b"]),
        ("filter", &[b"/", b"h", b"\x1b", b"\x1b"]),
        ("views", &[b"v", b"v", b"v", b"v"]),
        ("spike view", &[b"!", b"\x1b"]),
        ("last", &[b"G", b"g"]),
    ];
    for (name, keys) in panes {
        for k in keys {
            t.keys(&[k]);
            assert_clean_cells(&t, name);
        }
    }
    // Each mention in the detail pane (its thread too), and in the reply editor.
    t.keys(&[b"\r"]);
    for i in 0..n {
        // Scrolled down to the thread below the text.
        t.keys(&[b"j", b"j", b"j", b"j", b"j", b"j"]);
        assert_clean_cells(&t, &format!("detail of mention {i}"));
        thread_seen |= thread_shown_as.is_some_and(|m| t.screen().contains(m));
        if i % 8 == 0 {
            t.keys(&[b"r"]);
            assert_clean_cells(&t, &format!("reply to mention {i}"));
            t.keys(&[b"\x1b"]);
        }
        t.keys(&[b"J"]);
    }
    assert_eq!(
        thread_seen,
        thread_shown_as.is_some(),
        "no thread was shown"
    );
    t.keys(&[b"\x1b", b"q"]);
    let status = t.wait_exit();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let escapes = pty::escapes(&t.output);
    assert!(escapes.len() > 100, "{} escapes", escapes.len());
    let foreign: Vec<String> = escapes
        .iter()
        .filter(|e| !ours(e))
        .map(|e| String::from_utf8_lossy(e).into_owned())
        .collect();
    assert!(foreign.is_empty(), "foreign escapes: {foreign:?}");
    // Outside the escapes, no control character at all: no BEL, no C1, no CR/LF moves.
    let text = String::from_utf8_lossy(&t.output);
    let mut rest = text.to_string();
    for e in &escapes {
        rest = rest.replacen(&*String::from_utf8_lossy(e), "", 1);
    }
    let controls: Vec<char> = rest.chars().filter(|c| c.is_control()).collect();
    assert!(controls.is_empty(), "{controls:?}");
    assert!(modq::sanitize::is_display_safe(&rest), "{rest:?}");
}

/// The same corpus from a local Mastodon server: in post HTML, display names, handles, and
/// the thread around each mention.
#[test]
fn hostile_text_from_mastodon_never_reaches_the_terminal() {
    use serde_json::{json, Value};
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let uri = server.uri();
    let cases = hostile_cases();
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/mastodon/mention.json")).unwrap();
    let notification = |i: usize, case: &str| -> Value {
        let short: String = case.chars().take(30).collect();
        let mut v = fixture.clone();
        v["id"] = (i + 1).to_string().into();
        v["status"]["id"] = (1000 + i).to_string().into();
        v["status"]["content"] = format!("<p>{case}</p><p>&lt;b&gt;{short}</p>").into();
        let mut account = v["account"].clone();
        account["display_name"] = format!("{short}\u{202e}").into();
        account["acct"] = format!("h{i}{short}@x.example").into();
        account["username"] = format!("h{i}{short}").into();
        v["account"] = account.clone();
        v["status"]["account"] = account;
        v
    };
    let notifications: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| notification(i, c))
        .collect();
    let thread = json!({
        "ancestors": [notifications[3]["status"].clone(), notifications[9]["status"].clone()],
        "descendants": [notifications[12]["status"].clone(), notifications[33]["status"].clone()],
    });
    let routes = [
        (
            "/api/v2/instance",
            json!({"configuration": {"urls": {"streaming": uri}}}),
        ),
        (
            "/api/v1/accounts/verify_credentials",
            json!({"id": "5", "acct": "brand"}),
        ),
        ("/api/v1/accounts/5/statuses", json!([])),
        ("/api/v1/notifications", Value::Array(notifications)),
    ];
    rt.block_on(async {
        for (p, body) in routes {
            Mock::given(method("GET"))
                .and(path(p))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path_regex(r"^/api/v1/statuses/[0-9]+/context$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(thread))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/v1/streaming/user/notification"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-type", "text/event-stream")
                    .set_body_string(":thump\n\n")
                    .set_delay(std::time::Duration::from_secs(1)),
            )
            .mount(&server)
            .await;
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = std::process::Command::new(pty::BIN)
        .args(["--data-dir", data.to_str().unwrap(), "--config-dir"])
        .arg(data.join("cfg"))
        .args(["account", "add", "mastodon", "--instance", &uri])
        .args(["--name", "brand", "--token-env", "MODQ_HOSTILE_TOKEN"])
        .env("MODQ_HOSTILE_TOKEN", "tok-hostile")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let t = spawn(&data, &[]);
    walk_every_pane(t, cases.len(), Some("On Mastodon"));
    drop(rt);
}
