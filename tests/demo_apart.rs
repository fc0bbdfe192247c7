//! Demo mentions never land in a store that holds real accounts' mentions: broken accounts
//! start no demo, and a store is marked demo or real on first use and never mixed.

#[path = "common/pty.rs"]
mod pty;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use modq::store::kind::{kind, Kind};
use modq::store::{SledStore, Store};

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Two Mastodon accounts on a closed loopback port: `good` is private, `bad`'s token file
/// is readable by others.
fn accounts(cfg: &Path, dir_mode: u32) {
    let dir = cfg.join("accounts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(dir_mode)).unwrap();
    let list = "[[account]]\nname = \"good\"\nnetwork = \"mastodon\"\nserver = \"http://127.0.0.1:9\"\n\n\
                [[account]]\nname = \"bad\"\nnetwork = \"mastodon\"\nserver = \"http://127.0.0.1:9\"\n";
    write(&dir.join("accounts.toml"), list, 0o600);
    write(&dir.join("good.secret"), "token-good", 0o600);
    write(&dir.join("bad.secret"), "token-bad", 0o644);
}

fn log_text(data: &Path) -> String {
    let mut all = String::new();
    for e in std::fs::read_dir(data).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with("modq.log") {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    all
}

/// Runs the console until it shows its queue, then quits.
fn run_console(data: &Path, cfg: &Path) -> String {
    let mut t = pty::Pty::spawn(&[
        "--data-dir",
        data.to_str().unwrap(),
        "--config-dir",
        cfg.to_str().unwrap(),
        "--rate",
        "50",
    ]);
    let screen = t.wait_for("Queue ");
    // Give a demo, were one started, time to deliver its backlog before quitting.
    t.pump(std::time::Duration::from_millis(500));
    t.keys(&[b"q"]);
    assert_eq!(t.wait_exit().code(), Some(0));
    screen
}

fn mentions(data: &Path) -> Vec<modq::model::Mention> {
    let store = SledStore::open(&data.join("store")).unwrap();
    store.load_mentions().unwrap()
}

#[test]
fn a_broken_account_starts_no_demo_and_the_good_one_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (data, cfg) = (dir.path().join("data"), dir.path().join("cfg"));
    accounts(&cfg, 0o700);
    run_console(&data, &cfg);
    assert!(mentions(&data).is_empty(), "demo mentions in a real store");
    let log = log_text(&data);
    let bad = cfg.join("accounts/bad.secret");
    let want = format!(
        "account bad does not run until this is fixed: {} is open to other users (mode 644); run: chmod 600 {}",
        bad.display(),
        bad.display()
    );
    assert!(log.contains(&want), "{log}");
    assert!(!log.contains("account good does not run"), "{log}");
    let store = SledStore::open(&data.join("store")).unwrap();
    assert_eq!(kind(&store).unwrap(), Some(Kind::Real));
}

#[test]
fn an_open_accounts_folder_starts_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (data, cfg) = (dir.path().join("data"), dir.path().join("cfg"));
    accounts(&cfg, 0o755);
    let screen = run_console(&data, &cfg);
    assert!(screen.contains("Queue 0 open"), "{screen}");
    assert!(mentions(&data).is_empty(), "demo mentions in a real store");
    let folder = cfg.join("accounts");
    let want = format!(
        "no account runs (and no demo) until this is fixed: {} is open to other users (mode 755); run: chmod 700 {}",
        folder.display(),
        folder.display()
    );
    assert!(log_text(&data).contains(&want), "{}", log_text(&data));
}

fn modq(data: &Path, cfg: &Path, args: &[&str]) -> std::process::Output {
    Command::new(pty::BIN)
        .args(["--data-dir", data.to_str().unwrap()])
        .args(["--config-dir", cfg.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_demo_is_refused_in_a_real_store_and_accounts_in_a_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let (data, cfg) = (dir.path().join("data"), dir.path().join("cfg"));
    {
        let store = SledStore::open(&data.join("store")).unwrap();
        modq::store::kind::claim(&store, Kind::Real, &data.join("store")).unwrap();
    }
    let out = modq(&data, &cfg, &["demo"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the demo does not run in") && err.contains("--data-dir /tmp/modq-demo demo"),
        "{err}"
    );
    assert!(mentions(&data).is_empty());

    let demo = dir.path().join("demo");
    {
        let store = SledStore::open(&demo.join("store")).unwrap();
        modq::store::kind::claim(&store, Kind::Demo, &demo.join("store")).unwrap();
    }
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        "{\"id\": 1, \"handle\": \"@kim@x.example\", \"text\": \"hi\"}\n",
    )
    .unwrap();
    let out = modq(
        &demo,
        &cfg,
        &["--source", &format!("jsonl:{}", feed.display())],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let store = demo.join("store");
    assert!(
        err.contains(&format!("mv {} {}-demo", store.display(), store.display())),
        "{err}"
    );
}

#[test]
fn a_broken_accounts_list_starts_no_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (data, cfg) = (dir.path().join("data"), dir.path().join("cfg"));
    accounts(&cfg, 0o700);
    let list = cfg.join("accounts/accounts.toml");
    write(&list, "[[account]\nname = \"good\"\n", 0o600);
    let screen = run_console(&data, &cfg);
    assert!(screen.contains("Queue 0 open"), "{screen}");
    assert!(mentions(&data).is_empty(), "demo mentions in a real store");
    let log = log_text(&data);
    assert!(
        log.contains(&format!(
            "no account runs (and no demo) until this is fixed: {}:1",
            list.display()
        )),
        "{log}"
    );
}
