//! The real binary, as a user runs it: in tmux at 80×24, killed mid-reply, stopped by
//! signals and by a panic. Waits poll for what the screen shows (generous bounds, no
//! timing assertions). Skips with a message where tmux is missing.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_modq");

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Self {
        Self {
            socket: format!("modq-e2e-{name}-{}", std::process::id()),
        }
    }
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }
    fn start(&self, shell_cmd: &str) {
        let out = self.cmd(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "80",
            "-y",
            "24",
            shell_cmd,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.cmd(&["set-option", "-t", "t", "remain-on-exit", "on"]);
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }
    fn text(&self, text: &str) {
        self.cmd(&["send-keys", "-t", "t", "-l", text]);
    }
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }
    /// Polls the screen; the deadline only stops a hung run, so it is generous enough for
    /// a machine busy with other builds.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "waited for {needle:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

fn modq_pid(data_dir: &Path) -> String {
    let start = Instant::now();
    loop {
        let out = Command::new("pgrep")
            .args(["-f", &format!("data-dir {}", data_dir.display())])
            .output()
            .unwrap();
        let pids = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if let Some(pid) = pids.lines().last() {
            return pid.to_string();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "modq did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// modq, then the exit code and whether the tty is back in canonical mode.
fn wrapped(data: &Path, extra_env: &str) -> String {
    format!(
        "{extra_env} {BIN} --data-dir {} --config-dir {}/cfg --rate 0; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-*icanon'; echo END-OF-RUN; sleep 60",
        data.display(),
        data.display()
    )
}

#[test]
fn unopenable_data_dir_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let out = Command::new(BIN)
        .args([
            "--data-dir",
            file.join("sub").to_str().unwrap(),
            "--rate",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("modq: cannot"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn kill_9_mid_reply_keeps_the_draft() {
    if !have_tmux() {
        eprintln!("SKIP: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let t = Tmux::new("kill9");
    t.start(&wrapped(&data, ""));
    t.wait_for("Queue 40 open");
    t.keys(&["r"]);
    t.wait_for("Reply");
    t.text("Draft that must survive");
    t.wait_for("Draft that must survive");
    // A draft is durable within a second of typing.
    std::thread::sleep(Duration::from_millis(1200));
    let pid = modq_pid(&data);
    Command::new("kill").args(["-9", &pid]).status().unwrap();
    t.wait_for("EXIT=137");
    drop(t);

    let t = Tmux::new("kill9b");
    t.start(&wrapped(&data, ""));
    t.wait_for("Queue 40 open");
    // The reply that was open is open again, on its mention, with the draft in it.
    let screen = t.wait_for("Replying to");
    assert!(
        screen.contains(" ✎ "),
        "the queue row shows the draft mark:\n{screen}"
    );
    t.wait_for("Draft that must survive");
    // And the gate checks it: the reopened editor's dictionary is loaded, not waited for
    // forever.
    t.wait_for("ready to send");
    // Separately: ESC followed at once by q reads as Alt-q.
    t.keys(&["Escape"]);
    t.wait_for("draft kept");
    t.wait_for("✎ draft: Draft that must survive");
    // Done, then undone: the same mention comes back, selected.
    t.keys(&["d"]);
    t.wait_for("(u undoes)");
    t.keys(&["u"]);
    t.wait_for("undone: mention.done");
    t.wait_for("✎ draft: Draft that must survive");
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("\nicanon"), "{screen}");
}

fn stops_cleanly(signal: &str, code: &str, env: &str) {
    if !have_tmux() {
        eprintln!("SKIP: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let t = Tmux::new(&format!("sig{signal}{code}"));
    t.start(&wrapped(&data, env));
    t.wait_for("Queue 40 open");
    t.keys(&["j", "r"]);
    t.text("unsent words");
    t.wait_for("unsent words");
    if !signal.is_empty() {
        let pid = modq_pid(&data);
        Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
    }
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains(&format!("EXIT={code}")), "{screen}");
    assert!(
        screen.contains("\nicanon"),
        "terminal left in raw mode:\n{screen}"
    );
    assert!(
        !screen.contains("Queue 40 open"),
        "alternate screen not left:\n{screen}"
    );
    drop(t);
    // The draft was flushed on the way out.
    let store = modq::store::SledStore::open(&data.join("store")).unwrap();
    let drafts = modq::store::Store::load_drafts(&store).unwrap();
    assert!(
        drafts.iter().any(|(_, t)| t == "unsent words"),
        "{drafts:?}"
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    stops_cleanly("TERM", "143", "");
}

#[test]
fn sighup_restores_the_terminal() {
    stops_cleanly("HUP", "129", "");
}

#[test]
fn sigint_restores_the_terminal() {
    stops_cleanly("INT", "130", "");
}

/// A Mastodon account against a local server that speaks the API: the mention arrives, its
/// thread opens in the detail pane, and the reply is posted to the server once.
#[test]
fn mastodon_account_mention_thread_and_reply() {
    use serde_json::{json, Value};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    if !have_tmux() {
        eprintln!("SKIP: tmux is not installed");
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let uri = server.uri();
    let notification = |sid: &str, text: &str| -> Value {
        let mut v: Value =
            serde_json::from_str(include_str!("fixtures/mastodon/mention.json")).unwrap();
        v["id"] = "7".into();
        v["status"]["id"] = sid.into();
        v["status"]["content"] = format!("<p>{text}</p>").into();
        v
    };
    let status = |sid: &str, text: &str| notification(sid, text)["status"].clone();
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
        (
            "/api/v1/statuses/107/context",
            json!({"ancestors": [status("90", "asked last week")], "descendants": [status("120", "same for me")]}),
        ),
    ];
    rt.block_on(async {
        for (p, body) in routes {
            Mock::given(method("GET"))
                .and(path(p))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .mount(&server)
                .await;
        }
        // Every backfill sees the same mention: the store keeps it once.
        Mock::given(method("GET"))
            .and(path("/api/v1/notifications"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([notification("107", "parcel lost again")])),
            )
            .mount(&server)
            .await;
        // A stream with nothing to say: a heartbeat, then it ends and modq reconnects.
        Mock::given(method("GET"))
            .and(path("/api/v1/streaming/user/notification"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-type", "text/event-stream")
                    .set_body_string(":thump\n\n")
                    .set_delay(Duration::from_secs(1)),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/v1/statuses"))
            .respond_with(ResponseTemplate::new(200).set_body_json(status("900", "ok")))
            .mount(&server)
            .await;
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = Command::new(BIN)
        .args(["--data-dir", data.to_str().unwrap(), "--config-dir"])
        .arg(data.join("cfg"))
        .args(["account", "add", "mastodon", "--instance", &uri])
        .args(["--name", "brand", "--token-env", "MODQ_E2E_TOKEN"])
        .env("MODQ_E2E_TOKEN", "tok-e2e")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    let t = Tmux::new("masto");
    t.start(&wrapped(&data, ""));
    t.wait_for("parcel lost again");
    t.keys(&["Enter"]);
    t.wait_for("Mention seen");
    // At 80×24 the thread is below the fold: scroll the detail pane to it.
    t.keys(&["j", "j", "j", "j", "j", "j"]);
    t.wait_for("asked last week");
    t.wait_for("same for me");
    t.keys(&["r"]);
    t.wait_for("Reply");
    t.text("Sorry about that, we are looking into it now.");
    t.keys(&["C-s"]);
    let start = Instant::now();
    let posted = loop {
        let reqs = rt.block_on(server.received_requests()).unwrap();
        let posts: Vec<_> = reqs
            .into_iter()
            .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/api/v1/statuses")
            .collect();
        if !posts.is_empty() {
            break posts;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no reply was posted; screen:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(posted.len(), 1);
    let body = String::from_utf8_lossy(&posted[0].body).into_owned();
    // Form-encoded, as the API takes it.
    assert!(body.contains("in_reply_to_id=107"), "{body}");
    assert!(body.contains("we+are+looking+into+it"), "{body}");
    t.wait_for("sent");
    // Sending returns to the queue, where q quits. (An Escape first would be a no-op that a
    // busy terminal can join with the q into Alt-q.)
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
}
