//! The outbox against a Mastodon that keeps state (tests/common/masto_server.rs): ambiguous
//! failures settled by the same `Idempotency-Key` within its hour and by a look-up that
//! matches this reply after it, replies of unknown fate left to the moderator, the server's
//! wait kept across a restart, and "reply sent" with "mention replied" as one change, also
//! through `modq sync --once`.

#[path = "common/disk.rs"]
mod disk;
#[path = "common/masto_server.rs"]
mod masto_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use disk::Disk;
use masto_server::{Fault, MastoServer};
use modq::model::{now_millis, MentionState, Millis, Reply, ReplyState};
use modq::outbox::backoff::Backoff;
use modq::outbox::worker::{self, WorkerConfig};
use modq::sources::adapter::{reply_ref_key, ReplyRef};
use modq::sources::mastodon::api::Mastodon;
use modq::sources::net::Secret;
use modq::store::Store;

const HOUR: Millis = 3_600_000;

fn fast(max_tries: u32) -> WorkerConfig {
    WorkerConfig {
        backoff: Backoff::seeded(Duration::from_millis(1), Duration::from_millis(20), 1),
        max_tries,
        ..Default::default()
    }
}

fn reply(n: u32, text: &str) -> Reply {
    Reply {
        id: format!("masto:100#r{n}"),
        mention_id: "masto:100".into(),
        source: "masto".into(),
        text: text.into(),
        private: false,
        created: now_millis(),
        sent: None,
        state: ReplyState::Queued,
        delivery: Default::default(),
    }
}

fn refer(store: &dyn Store) {
    let to = ReplyRef {
        remote_id: "100".into(),
        handle: "kim@shop.example".into(),
        lang: Some("en".into()),
        ..Default::default()
    };
    store
        .meta_put(
            &reply_ref_key("masto:100"),
            &serde_json::to_string(&to).unwrap(),
        )
        .unwrap();
}

/// Runs the replies through one worker, in order, to their end states.
fn run(server: &MastoServer, disk: &Disk, replies: Vec<Reply>, cfg: WorkerConfig) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        for r in replies {
            tx.send(r).unwrap();
        }
        drop(tx);
        let m = Arc::new(Mastodon::new("masto", &server.base, Secret("tok".into())));
        worker::run(m, disk.store.clone(), disk.writer.clone(), rx, cfg).await;
    });
}

fn texts(server: &MastoServer) -> Vec<String> {
    server.world().made.iter().map(|m| m.text.clone()).collect()
}

/// The process dies while the POST is in the air (the status was made, the answer never
/// came); the restarted outbox sends it again with the same key and gets the first status
/// back: one post.
#[test]
fn a_crash_while_sending_is_settled_with_the_same_key_and_posts_once() {
    let server = MastoServer::start();
    server.world().faults.push_back(Fault::Slow(60_000));
    let dir = tempfile::tempdir().unwrap();
    let r = reply(1, "Sorry about that, we are on it");
    {
        let disk = Disk::open(dir.path());
        refer(disk.store.as_ref());
        disk.store.put_reply(&r).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tx.send(r.clone()).unwrap();
        let m = Arc::new(Mastodon::new("masto", &server.base, Secret("tok".into())));
        rt.spawn(worker::run(
            m,
            disk.store.clone(),
            disk.writer.clone(),
            rx,
            fast(4),
        ));
        let t0 = Instant::now();
        while server.world().made.is_empty() {
            assert!(t0.elapsed() < Duration::from_secs(20), "no POST arrived");
            std::thread::sleep(Duration::from_millis(10));
        }
        // Every task dropped, as in a kill: nothing after the POST runs.
        rt.shutdown_timeout(Duration::from_millis(100));
        drop(tx);
        let left = disk.reply(&r.id);
        assert_eq!(left.state, ReplyState::Sending);
        assert!(
            left.delivery.first_try.is_some(),
            "the first try is on disk"
        );
        disk.close();
    }
    let disk = Disk::open(dir.path());
    let unfinished = modq::outbox::unfinished(&disk.store.load_replies().unwrap());
    run(&server, &disk, unfinished, fast(4));
    let done = disk.reply(&r.id);
    assert_eq!(done.state, ReplyState::Sent);
    let w = server.world();
    assert_eq!(w.made.len(), 1, "exactly one post: {:?}", w.made);
    assert_eq!(
        done.delivery.remote_id.as_deref(),
        Some(w.made[0].id.as_str())
    );
    let key = modq::outbox::key::new_key(&r.id, r.created);
    assert_eq!(w.posts.len(), 2);
    assert!(w
        .posts
        .iter()
        .all(|(k, _)| k.as_deref() == Some(key.as_str())));
    drop(w);
    disk.close();
}

/// The defect: a mention answered twice within a minute, the second POST answered 503
/// without making anything. The old look-up took the first reply for the second and marked
/// it sent; now it is sent again with its own key and both are posted.
#[test]
fn a_second_answer_to_the_same_status_is_not_taken_for_the_first() {
    let server = MastoServer::start();
    server.world().faults.extend([
        Fault::CommitThen500, // first reply: made, but the answer is an error
        Fault::Unavailable,   // second reply: nothing made
    ]);
    let dir = tempfile::tempdir().unwrap();
    let disk = Disk::open(dir.path());
    refer(disk.store.as_ref());
    let first = reply(1, "Sorry, we are on it");
    let second = reply(2, "Update: your parcel left today");
    run(&server, &disk, vec![first.clone(), second.clone()], fast(4));
    assert_eq!(
        texts(&server),
        [
            "@kim@shop.example Sorry, we are on it",
            "@kim@shop.example Update: your parcel left today"
        ]
    );
    let (a, b) = (disk.reply(&first.id), disk.reply(&second.id));
    assert_eq!((&a.state, &b.state), (&ReplyState::Sent, &ReplyState::Sent));
    assert_ne!(a.delivery.remote_id, b.delivery.remote_id);
    disk.close();
}

/// Past the key's hour, the look-up finds this reply by its text in reply to the same status:
/// another reply to that status is not it (so it is posted), the same text is (so it is not).
#[test]
fn after_the_keys_hour_the_look_up_matches_text_and_status() {
    let server = MastoServer::start();
    let dir = tempfile::tempdir().unwrap();
    let disk = Disk::open(dir.path());
    refer(disk.store.as_ref());
    let first = reply(1, "Sorry, we are on it");
    run(&server, &disk, vec![first.clone()], fast(4));
    // Two replies left "sending" two hours ago: one never reached the server, one did (its
    // key long forgotten by the server).
    let old = |mut r: Reply| {
        r.created -= 2 * HOUR;
        r.state = ReplyState::Sending;
        r.delivery.first_try = Some(r.created);
        r
    };
    let lost = old(reply(2, "Update: your parcel left today"));
    let made = old(reply(3, "We refunded the shipping.\nSorry again!"));
    {
        let mut w = server.world();
        w.made.push(masto_server::Made {
            id: "20000".into(),
            key: None,
            in_reply_to: "100".into(),
            text: "@kim@shop.example We refunded the shipping.\nSorry again!".into(),
        });
    }
    run(&server, &disk, vec![lost.clone(), made.clone()], fast(4));
    assert_eq!(disk.reply(&lost.id).state, ReplyState::Sent);
    let found = disk.reply(&made.id);
    assert_eq!(found.state, ReplyState::Sent);
    assert_eq!(found.delivery.remote_id.as_deref(), Some("20000"));
    let w = server.world();
    assert_eq!(w.made.len(), 3, "{:?}", w.made);
    assert_eq!(w.posts.len(), 2, "only the lost one was posted again");
    drop(w);
    disk.close();
}

/// A look-up refused for good (a token without the scope) leaves the reply unknown with the
/// reason, for the moderator; nothing is posted on a guess.
#[test]
fn a_refused_look_up_leaves_the_reply_unknown_with_the_reason() {
    let server = MastoServer::start();
    server.world().lookup_refused = Some(403);
    let dir = tempfile::tempdir().unwrap();
    let disk = Disk::open(dir.path());
    refer(disk.store.as_ref());
    let mut r = reply(1, "Sorry");
    r.created -= 2 * HOUR;
    r.state = ReplyState::Sending;
    run(&server, &disk, vec![r.clone()], fast(4));
    let got = disk.reply(&r.id);
    assert_eq!(got.state, ReplyState::Unknown);
    let note = got.delivery.note.unwrap();
    assert!(note.contains("403"), "{note}");
    assert!(server.world().posts.is_empty());
    disk.close();
}

/// A 429's Retry-After is on disk with the reply; after a restart it is still waited for.
#[test]
fn retry_after_is_kept_with_the_reply_across_a_restart() {
    let server = MastoServer::start();
    server.world().faults.push_back(Fault::TooMany(3600));
    let dir = tempfile::tempdir().unwrap();
    let r = reply(1, "Sorry");
    let asked_at = now_millis();
    {
        let disk = Disk::open(dir.path());
        refer(disk.store.as_ref());
        disk.store.put_reply(&r).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tx.send(r.clone()).unwrap();
        let m = Arc::new(Mastodon::new("masto", &server.base, Secret("tok".into())));
        rt.spawn(worker::run(
            m,
            disk.store.clone(),
            disk.writer.clone(),
            rx,
            fast(4),
        ));
        let t0 = Instant::now();
        while disk.reply(&r.id).delivery.not_before.is_none() {
            assert!(t0.elapsed() < Duration::from_secs(20), "no wait recorded");
            std::thread::sleep(Duration::from_millis(10));
        }
        rt.shutdown_timeout(Duration::from_millis(100));
        drop(tx);
        disk.close();
    }
    let disk = Disk::open(dir.path());
    let left = disk.reply(&r.id);
    // Nothing was made by a 429: it is queued, not "maybe out".
    assert_eq!(left.state, ReplyState::Queued);
    let nb = left.delivery.not_before.unwrap();
    assert!(
        nb >= asked_at + 3_600_000 && nb <= now_millis() + 3_600_000,
        "{nb}"
    );
    let wait = modq::outbox::wait_left(&left, now_millis()).unwrap();
    assert!(wait > Duration::from_secs(3500), "{wait:?}");
    // A short wait is honoured by the worker after a restart, before anything is sent.
    let mut soon = left.clone();
    soon.delivery.not_before = Some(now_millis() + 1500);
    disk.store.put_reply(&soon).unwrap();
    let t0 = Instant::now();
    run(&server, &disk, vec![soon], fast(4));
    assert!(t0.elapsed() >= Duration::from_millis(1400), "sent early");
    assert_eq!(disk.reply(&r.id).state, ReplyState::Sent);
    assert_eq!(server.world().made.len(), 1);
    disk.close();
}

// ---------------------------------------------------------------- modq sync --once

fn modq(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_modq"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--config-dir")
        .arg(dir.join("config"))
        .args(args)
        .env("MODQ_TEST_TOKEN", "tok")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// An account `brand` on the server, and its first backfill (mention 100 from @kim).
fn synced_account(server: &MastoServer, d: &std::path::Path) {
    server.world().mention(1, "100", "my order never came");
    let add = [
        "account",
        "add",
        "mastodon",
        "--instance",
        &server.base,
        "--name",
        "brand",
        "--token-env",
        "MODQ_TEST_TOKEN",
    ];
    let (code, out) = modq(d, &add);
    assert_eq!(code, 0, "{out}");
    let (code, out) = modq(d, &["sync", "--once"]);
    assert_eq!(
        (code, out.trim()),
        (0, "sync: brand: 1 new, 0 sent, 0 failed, 0 unknown")
    );
}

/// Puts replies into the store as the console queues them (modq is not running).
fn queue(d: &std::path::Path, replies: &[Reply]) {
    let disk = Disk::open(&d.join("data/store"));
    let ops = replies
        .iter()
        .map(|r| {
            modq::store::writer::StoreOp::Apply(modq::app::Effect::QueueReply(Box::new(r.clone())))
        })
        .collect();
    modq::store::writer::apply(disk.store.as_ref(), ops);
    disk.close();
}

fn brand_reply(n: u32, text: &str) -> Reply {
    let mut r = reply(n, text);
    r.id = format!("brand:100#r{n}");
    r.mention_id = "brand:100".into();
    r.source = "brand".into();
    r
}

fn stored(d: &std::path::Path) -> (Vec<modq::model::Mention>, Vec<Reply>) {
    let disk = Disk::open(&d.join("data/store"));
    let out = (
        disk.store.load_mentions().unwrap(),
        disk.store.load_replies().unwrap(),
    );
    disk.close();
    out
}

/// A reply sent by `modq sync` marks its mention replied, in the same write.
#[test]
fn sync_once_sends_and_the_mention_is_replied() {
    let server = MastoServer::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    synced_account(&server, d);
    queue(d, &[brand_reply(1, "Sorry, a new one is on its way")]);
    let (code, out) = modq(d, &["sync", "--once"]);
    assert_eq!(
        (code, out.trim()),
        (0, "sync: brand: 0 new, 1 sent, 0 failed, 0 unknown")
    );
    let (mentions, replies) = stored(d);
    assert_eq!(mentions[0].state, MentionState::Replied);
    assert_eq!(replies[0].state, ReplyState::Sent);
    assert_eq!(
        texts(&server),
        ["@kim@shop.example Sorry, a new one is on its way"]
    );
}

/// A reply of unknown fate fails the run once, saying what to do; the next runs look it up
/// again quietly and exit 0. A reply the server asked to wait for is left for a later run.
#[test]
fn sync_once_reports_an_unknown_reply_once_and_leaves_a_wait_for_later() {
    let server = MastoServer::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    synced_account(&server, d);
    server.world().lookup_refused = Some(403);
    let mut lost = brand_reply(1, "Sorry");
    lost.created -= 2 * HOUR;
    lost.state = ReplyState::Sending;
    let mut later = brand_reply(2, "Later");
    later.delivery.not_before = Some(now_millis() + HOUR);
    queue(d, &[lost.clone(), later]);
    let (code, out) = modq(d, &["sync", "--once"]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "sync: brand: 0 new, 0 sent, 0 failed, 1 unknown, 1 waiting"
    );
    assert!(
        lines[1].starts_with("sync: brand: reply brand:100#r1 to @kim@shop.example may or may not")
            && lines[1].contains("403")
            && lines[1].contains("modq outbox mark-sent brand:100#r1"),
        "{out}"
    );
    for _ in 0..2 {
        let (code, out) = modq(d, &["sync", "--once"]);
        assert_eq!(
            (code, out.trim()),
            (
                0,
                "sync: brand: 0 new, 0 sent, 0 failed, 1 unknown, 1 waiting"
            )
        );
    }
    assert!(server.world().posts.is_empty(), "nothing posted on a guess");

    // From the shell: the list says why; marking it sent closes the mention, audited.
    let (code, out) = modq(d, &["outbox"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("brand:100#r1  unknown  Sorry  (the look-up failed: 403"),
        "{out}"
    );
    assert!(out.contains("brand:100#r2  queued  Later"), "{out}");
    let (code, out) = modq(d, &["outbox", "mark-sent", "brand:100#r2"]);
    assert_eq!(code, 1, "only an unknown reply is settled by hand: {out}");
    let (code, out) = modq(d, &["outbox", "mark-sent", "brand:100#r1"]);
    assert_eq!(
        (code, out.trim()),
        (
            0,
            "outbox: brand:100#r1 marked sent; its mention is replied"
        )
    );
    let (mentions, replies) = stored(d);
    assert_eq!(mentions[0].state, MentionState::Replied);
    let r1 = replies.iter().find(|r| r.id == "brand:100#r1").unwrap();
    assert_eq!(r1.state, ReplyState::Sent);
    let disk = Disk::open(&d.join("data/store"));
    let audit = disk.store.load_audit().unwrap();
    disk.close();
    assert!(audit
        .iter()
        .any(|a| a.action == "reply.mark_sent" && a.detail == "brand:100#r1"));
}
