//! Escalation to departments: `[[departments]]` in config.toml, `e` / `:escalate`, and the
//! webhook outbox against a local server on 127.0.0.1.

use modq::config::Config;
use modq::escalate::department::Style;

#[test]
fn departments_are_read_entry_by_entry_and_bad_ones_reported_at_their_line() {
    let src = r#"sla_minutes = 20

[[departments]]
name = "billing"
key = "b"
webhook = "https://hooks.example.com/billing"
headers = { Authorization = "BILLING_TOKEN" }
style = "slack"

[[departments]]
name = "legal"
key = "l"
webhook = "http://legal.example.com/hook"

[[departments]]
name = "safety"
key = "s"
webhook = "http://127.0.0.1:9/hook"
headers = { "X-Token" = "Bearer s3cr3t-value" }

[[departments]]
name = "eng"
key = "b"
webhook = "http://127.0.0.1:9/eng"
colour = "red"

[[departments]]
name = "ops"
key = "b"
webhook = "http://localhost:9/ops"
insecure = false
"#;
    let (c, errors) = Config::parse("config.toml", src);
    assert_eq!(c.sla_minutes, 20, "the rest of the file applies");
    let names: Vec<&str> = c.departments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["billing", "ops"]);
    let billing = &c.departments[0];
    assert_eq!(billing.style, Style::Slack);
    assert_eq!(billing.key_char(), Some('b'));
    assert_eq!(billing.headers["Authorization"], "BILLING_TOKEN");
    assert_eq!(c.departments[1].style, Style::Json);
    assert_eq!(c.departments[1].key, "", "a key already taken is dropped");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with(
            "config.toml:13:1: departments: refusing plain http:// to legal.example.com"
        ) && shown[0].contains("insecure = true"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("config.toml:19:1: departments: header X-Token: give the name of an environment variable"),
        "{}",
        shown[1]
    );
    // The value that looked like a secret is never repeated.
    assert!(!shown.iter().any(|s| s.contains("s3cr3t")), "{shown:#?}");
    assert!(
        shown[2].starts_with("config.toml:25:1: departments: unknown field `colour`"),
        "{}",
        shown[2]
    );
    assert!(
        shown[3].starts_with("config.toml:29:1: departments: key \"b\" is already billing's"),
        "{}",
        shown[3]
    );
}

#[test]
fn plain_http_elsewhere_is_allowed_only_with_insecure() {
    let src = "[[departments]]\nname = \"legal\"\nwebhook = \"http://legal.example.com/hook\"\ninsecure = true\n";
    let (c, errors) = Config::parse("c.toml", src);
    assert_eq!(errors, []);
    assert_eq!(c.departments[0].webhook, "http://legal.example.com/hook");
    let (c, errors) = Config::parse("c.toml", "departments = 3\n");
    assert!(c.departments.is_empty());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].to_string().contains("[[departments]]"),
        "{}",
        errors[0]
    );
}

#[test]
fn header_values_come_from_the_environment_and_a_missing_one_names_the_variable() {
    let src = "[[departments]]\nname = \"billing\"\nwebhook = \"http://127.0.0.1:1/h\"\nheaders = { Authorization = \"MODQ_TEST_ESC_UNSET\" }\n";
    let (c, _) = Config::parse("c.toml", src);
    let e = c.departments[0].header_values().unwrap_err();
    assert!(e.contains("MODQ_TEST_ESC_UNSET"), "{e}");
}

mod common;
#[path = "common/hook_server.rs"]
mod hook_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Harness;
use hook_server::{Answer, HookServer};
use modq::app::{Effect, PickerPurpose};
use modq::escalate::department::Department;
use modq::escalate::webhook::{self, Webhook, WebhookState};
use modq::escalate::worker::Worker;
use modq::model::MentionState;
use modq::outbox::backoff::Backoff;
use modq::store::writer;
use modq::store::{SledStore, Store};

fn department(name: &str, key: &str, url: &str) -> Department {
    Department {
        name: name.into(),
        key: key.into(),
        webhook: url.into(),
        headers: Default::default(),
        style: Style::Json,
        insecure: false,
    }
}

fn escalations(h: &Harness) -> Vec<Webhook> {
    h.outside
        .iter()
        .filter_map(|e| match e {
            Effect::Escalate(w) => Some((**w).clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn e_picks_a_department_by_key_takes_a_note_and_queues_one_delivery() {
    let mut h = Harness::new();
    h.app.escalate.departments = vec![
        department("billing", "b", "http://127.0.0.1:9/hook"),
        department("legal", "l", "http://127.0.0.1:9/hook"),
    ];
    h.demo(6);
    let id = h.app.selected.clone().unwrap();
    h.keys("e");
    let p = h.app.picker.as_ref().expect("the department picker opens");
    assert_eq!(p.purpose, PickerPurpose::Department);
    assert_eq!(p.items, ["[b] billing", "[l] legal"]);
    h.key("b");
    assert!(h.app.picker.is_none());
    assert_eq!(h.app.input.as_ref().unwrap().text, "escalate billing ");
    h.type_text("charged twice, order 991");
    h.key("<Enter>");

    let m = &h.app.mentions[&id];
    assert_eq!(m.state, MentionState::Escalated);
    let e = m.escalation.as_ref().unwrap();
    assert_eq!(
        (e.department.as_str(), e.note.as_str()),
        ("billing", "charged twice, order 991")
    );
    assert_eq!(e.by, "tester");
    // One delivery for the outbox, its key in the body.
    let sent = escalations(&h);
    assert_eq!(sent.len(), 1);
    let w = &sent[0];
    assert_eq!(w.key, e.key);
    assert_eq!(w.state, WebhookState::Queued);
    let body: serde_json::Value = serde_json::from_str(&w.body).unwrap();
    assert_eq!(body["idempotency_key"], w.key.as_str());
    assert_eq!(body["department"], "billing");
    assert_eq!(body["note"], "charged twice, order 991");
    assert_eq!(body["moderator"], "tester");
    assert_eq!(body["mention"]["id"], id.as_str());
    assert_eq!(body["mention"]["text"], m.text.as_str());
    assert_eq!(body["mention"]["network"], m.network.name());
    assert!(body["time"].as_str().unwrap().ends_with('Z'));
    // Audited, with who and where to.
    let audit = h.store.load_audit().unwrap();
    let a = audit
        .iter()
        .find(|a| a.action == "mention.escalate")
        .expect("audited");
    assert_eq!(a.actor, "tester");
    assert!(
        a.detail.starts_with("billing: charged twice"),
        "{}",
        a.detail
    );
    // The holding reply is offered in the editor, filled, department named.
    let c = h
        .app
        .compose
        .as_ref()
        .expect("the holding reply is offered");
    assert_eq!(c.mention, id);
    assert!(
        c.editor.text().contains("(billing)") || c.editor.text().contains("billing team"),
        "{}",
        c.editor.text()
    );
    assert!(!c.editor.text().contains('{'), "{}", c.editor.text());
    h.key("<C-x>");

    // The row and the detail say where the delivery stands.
    h.keys("v v v");
    let screen = h.screen(100, 30);
    assert!(screen.contains("esc…"), "{screen}");
    h.event(modq::app::Event::Webhook(Box::new(Webhook {
        state: WebhookState::Sent,
        ..w.clone()
    })));
    let screen = h.screen(100, 30);
    assert!(screen.contains("esc✓"), "{screen}");

    // Undo takes the mark back (the department keeps the message) and is audited; the
    // first `u` brings back the holding reply thrown away, the second the mark.
    h.keys("<Esc> u");
    assert!(h.app.drafts.contains_key(&id));
    h.keys("u");
    let m = &h.app.mentions[&id];
    assert_eq!(m.state, MentionState::New);
    assert!(m.escalation.is_some(), "the record of what was sent stays");
    assert!(h
        .store
        .load_audit()
        .unwrap()
        .iter()
        .any(|a| a.action == "mention.undo" && a.detail.starts_with("mention.escalate")));
    h.app.selected = Some(id.clone());
    h.keys("<Enter>");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("Escalated to billing by tester") && screen.contains("mark undone"),
        "{screen}"
    );
    assert!(screen.contains("webhook: delivered"), "{screen}");
    assert_eq!(escalations(&h).len(), 1, "undo sends nothing");
}

#[test]
fn escalate_on_the_command_line_by_name_and_unknown_names_are_refused() {
    let mut h = Harness::new();
    h.demo(3);
    h.event(modq::app::Event::Action(modq::app::Action {
        kind: modq::app::ActionKind::MentionEscalate,
        arg: None,
    }));
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("[[departments]]"),
        "no departments: says how to add one"
    );
    h.app.escalate.departments = vec![department("billing", "", "http://127.0.0.1:9/hook")];
    h.keys(": e s c a l a t e <Space> b i l i n g <Enter>");
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("did you mean 'billing'"),
        "{:?}",
        h.app.status
    );
    assert!(escalations(&h).is_empty());
    let id = h.app.selected.clone().unwrap();
    h.key(":");
    h.type_text("escalate billing");
    h.key("<Enter>");
    assert_eq!(h.app.mentions[&id].state, MentionState::Escalated);
    assert_eq!(escalations(&h).len(), 1);
}

/// A store on disk with its writer thread, and a webhook worker on it.
fn worker(store: Arc<dyn Store>, url: &str) -> (Worker, std::thread::JoinHandle<()>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let (ev, _) = tokio::sync::mpsc::unbounded_channel();
    let (ob, _) = tokio::sync::mpsc::unbounded_channel();
    let thread = writer::spawn(store.clone(), rx, ev, ob);
    let mut w = Worker::new(store, tx, None, vec![department("billing", "b", url)]);
    w.backoff = Backoff::seeded(Duration::from_millis(5), Duration::from_millis(20), 1);
    (w, thread)
}

fn queued(h: &mut Harness) -> Webhook {
    h.app.escalate.departments = vec![department("billing", "b", "http://127.0.0.1:9/hook")];
    h.demo(2);
    h.key(":");
    h.type_text("escalate billing refund");
    h.key("<Enter>");
    escalations(h).pop().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_then_a_200_is_retried_with_the_same_key_and_delivered_once() {
    let server = HookServer::start(&[Answer::Status(500), Answer::Status(200)]);
    let mut h = Harness::new();
    let w = queued(&mut h);
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let (worker, _thread) = worker(store.clone(), &server.url);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let run = tokio::spawn(worker.run(rx));
    tx.send(w.clone()).unwrap();
    let start = Instant::now();
    loop {
        let done = webhook::load_one(store.as_ref(), &w.key).is_some_and(|x| x.finished());
        if done || start.elapsed() > Duration::from_secs(20) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stored = webhook::load_one(store.as_ref(), &w.key).unwrap();
    assert_eq!(stored.state, WebhookState::Sent);
    assert_eq!(stored.tries, 2);
    {
        let log = server.log();
        assert_eq!(log.requests.len(), 2, "the 500 was retried");
        for r in &log.requests {
            assert_eq!(r.header_key.as_deref(), Some(w.key.as_str()));
            assert_eq!(r.body, w.body, "the same bytes each try");
        }
        assert_eq!(log.acted, std::slice::from_ref(&w.key), "delivered once");
    }
    drop(tx);
    let _ = run.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_not_retried_and_header_values_come_from_the_environment() {
    let server = HookServer::start(&[Answer::Status(403)]);
    let mut h = Harness::new();
    let w = queued(&mut h);
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let (mut worker, _thread) = worker(store.clone(), &server.url);
    worker.departments[0].headers = [(
        "Authorization".to_string(),
        "MODQ_TEST_HOOK_TOKEN".to_string(),
    )]
    .into();
    // Unset: refused before anything leaves, naming the variable.
    let done = worker.attempt(w.clone()).await.unwrap();
    assert!(
        matches!(&done.state, WebhookState::Failed(why) if why.contains("MODQ_TEST_HOOK_TOKEN")),
        "{:?}",
        done.state
    );
    assert!(server.log().requests.is_empty());
    std::env::set_var("MODQ_TEST_HOOK_TOKEN", "Bearer from-env");
    let done = worker.attempt(w.clone()).await.unwrap();
    assert!(
        matches!(&done.state, WebhookState::Failed(why) if why.starts_with("403")),
        "{:?}",
        done.state
    );
    let log = server.log();
    assert_eq!(log.requests.len(), 1);
    assert_eq!(
        log.requests[0].authorization.as_deref(),
        Some("Bearer from-env")
    );
}

fn modq_sync(d: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_modq"));
    c.arg("--data-dir")
        .arg(d.join("data"))
        .arg("--config-dir")
        .arg(d.join("config"))
        .args(["sync", "--once"]);
    c
}

#[test]
fn killed_between_queued_and_delivered_the_department_is_told_once() {
    let server = HookServer::start(&[Answer::Hang]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("config")).unwrap();
    std::fs::write(
        d.join("config/config.toml"),
        format!(
            "[[departments]]\nname = \"billing\"\nkey = \"b\"\nwebhook = \"{}\"\n",
            server.url
        ),
    )
    .unwrap();
    // Queued, as the console's webhook outbox stores it.
    let mut h = Harness::new();
    let w = queued(&mut h);
    {
        let store = SledStore::open(&d.join("data/store")).unwrap();
        writer::apply(
            &store,
            webhook::writes(&w, Some(std::slice::from_ref(&w.key))),
        );
        store.flush().unwrap();
    }
    let mut child = modq_sync(d)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while server.log().requests.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(30), "no request came");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The request is out and unanswered: kill -9.
    child.kill().unwrap();
    child.wait().unwrap();
    {
        let store = SledStore::open(&d.join("data/store")).unwrap();
        let on_disk = webhook::load_one(&store, &w.key).unwrap();
        assert_eq!(
            on_disk.state,
            WebhookState::Sending,
            "on disk before it left"
        );
    }
    let out = modq_sync(d).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("sync: escalations: 1 delivered, 0 failed"),
        "{said}"
    );
    let log = server.log();
    assert_eq!(log.requests.len(), 2, "sent again after the kill");
    for r in &log.requests {
        assert_eq!(
            r.header_key.as_deref(),
            Some(w.key.as_str()),
            "the same key"
        );
        assert_eq!(r.body, w.body);
    }
    assert_eq!(
        log.acted,
        std::slice::from_ref(&w.key),
        "the department acted once"
    );
    drop(log);
    let store = SledStore::open(&d.join("data/store")).unwrap();
    assert_eq!(
        webhook::load_one(&store, &w.key).unwrap().state,
        WebhookState::Sent
    );
    // Nothing left to do: a later run sends nothing.
    drop(store);
    let out = modq_sync(d).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 delivered"));
    assert_eq!(server.log().requests.len(), 2);
}
