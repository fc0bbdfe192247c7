//! The kill harness: the real `modq sync --once` with two accounts, against a local Mastodon
//! and a local Bluesky PDS that keep state (tests/common/masto_server.rs, sky_server.rs),
//! SIGKILLed at seeded moments while replies are sending, with seeded faults on the way (500
//! after the post was made, 503 before, 429 with Retry-After, slow answers, and on Bluesky
//! the 500 for a record key already used), and run again. Afterwards no reply is lost, none is
//! doubled (the servers' logs of posts made), and every answered mention is *replied*.
//!
//! `MODQ_SOAK_ROUNDS` sets the rounds (default 200: under a second each on a busy
//! two-core machine), `MODQ_SOAK_SEED` the seed (printed with the summary and on failure).

#[path = "common/disk.rs"]
mod disk;
#[path = "common/masto_server.rs"]
mod masto_server;
#[path = "common/sky_server.rs"]
mod sky_server;
#[path = "common/tmux.rs"]
mod tmux;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use disk::Disk;
use masto_server::{Fault, MastoServer};
use modq::app::Effect;
use modq::model::{now_millis, MentionState, Reply, ReplyState};
use modq::sources::adapter::{reply_ref_key, ReplyRef};
use modq::store::writer::{self, StoreOp};
use sky_server::SkyServer;

/// splitmix64: the same rounds for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn modq(d: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modq"));
    c.arg("--data-dir")
        .arg(d.join("data"))
        .arg("--config-dir")
        .arg(d.join("config"))
        .env("MODQ_TEST_TOKEN", "tok")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// What a round did, for the summary line.
#[derive(Debug, Default)]
struct Counts {
    runs: usize,
    killed: usize,
    killed_sending: usize,
    queued: usize,
    faults: usize,
}

#[test]
fn killed_while_sending_no_reply_is_lost_or_doubled_and_every_answer_closes_its_mention() {
    let rounds = env_num("MODQ_SOAK_ROUNDS", 200);
    let seed = env_num("MODQ_SOAK_SEED", 16);
    let mut rng = Rng(seed);
    let masto = MastoServer::start();
    let sky = SkyServer::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = modq(d)
        .args(["account", "add", "mastodon", "--instance", &masto.base])
        .args(["--name", "brand", "--token-env", "MODQ_TEST_TOKEN"])
        .status()
        .unwrap();
    assert!(add.success());
    let add = modq(d)
        .args(["account", "add", "bluesky", "--handle", "brand.bsky.social"])
        .args(["--service", &sky.base, "--name", "sky"])
        .args(["--token-env", "MODQ_TEST_TOKEN"])
        .status()
        .unwrap();
    assert!(add.success());
    // Requests that reached either server, and whether one is still unanswered.
    let sent = || {
        let (m, b) = (masto.world(), sky.world());
        (m.posts.len() + b.posts.len(), m.in_flight + b.in_flight > 0)
    };
    // reply id → (post it answers, text as posted)
    let mut expected: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut answered: BTreeSet<String> = BTreeSet::new();
    let mut c = Counts::default();
    let started = Instant::now();
    for round in 0..rounds {
        let question = format!("question {round}");
        masto
            .world()
            .mention(round + 1, &(1000 + round).to_string(), &question);
        sky.world().mention(round + 1, &question);
        // Answer mentions modq has already stored (it has their reference), as the console
        // would queue them; a few every fourth round, some answered twice.
        if round % 4 == 1 {
            let disk = Disk::open(&d.join("data/store"));
            let known: Vec<(String, String, ReplyRef)> = disk
                .store
                .load_mentions()
                .unwrap()
                .into_iter()
                .filter_map(|m| {
                    let to = disk.store.meta_get(&reply_ref_key(&m.id)).unwrap()?;
                    Some((m.id, m.source, serde_json::from_str(&to).unwrap()))
                })
                .collect();
            let mut ops = Vec::new();
            for _ in 0..2 + rng.below(4) {
                let pick = rng.below(known.len().max(1) as u64) as usize;
                let Some((mid, source, to)) = known.get(pick) else {
                    break;
                };
                let n = expected.len();
                let r = Reply {
                    id: format!("{mid}#r{n}"),
                    mention_id: mid.clone(),
                    source: source.clone(),
                    text: format!("Answer number {n}, sorry for the wait"),
                    private: false,
                    created: now_millis(),
                    sent: None,
                    state: ReplyState::Queued,
                    delivery: Default::default(),
                };
                let posted = format!("@{} {}", to.handle, r.text);
                expected.insert(r.id.clone(), (to.remote_id.clone(), posted));
                answered.insert(mid.clone());
                ops.push(StoreOp::Apply(Effect::QueueReply(Box::new(r))));
            }
            c.queued += ops.len();
            writer::apply(disk.store.as_ref(), ops);
            disk.close();
        }
        // Faults for the next requests that post.
        for faults in [&mut masto.world().faults, &mut sky.world().faults] {
            faults.clear();
            for _ in 0..rng.below(3) {
                c.faults += 1;
                faults.push_back(match rng.below(4) {
                    0 => Fault::CommitThen500,
                    1 => Fault::Unavailable,
                    2 => Fault::TooMany(1),
                    _ => Fault::Slow(50 + rng.below(250)),
                });
            }
        }
        // Run, and kill it at a seeded moment: right after a post reached a server (before
        // or after its answer was recorded), at any time, or not at all.
        let posts_before = sent().0;
        let mode = rng.below(8);
        let after = Duration::from_millis(rng.below(40));
        let any_time = Duration::from_millis(rng.below(500));
        let mut child = modq(d).args(["sync", "--once"]).spawn().unwrap();
        c.runs += 1;
        let t0 = Instant::now();
        let mut posted_at: Option<Instant> = None;
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let (posts, in_flight) = sent();
            if posted_at.is_none() && posts > posts_before {
                posted_at = Some(Instant::now());
            }
            let due = match mode {
                // Nothing sent within a while (nothing to send, a backoff): kill anyway.
                0..=4 => {
                    posted_at.is_some_and(|p| p.elapsed() >= after)
                        || t0.elapsed() >= Duration::from_millis(1500)
                }
                5 | 6 => t0.elapsed() >= any_time,
                _ => false,
            };
            if due {
                child.kill().unwrap();
                child.wait().unwrap();
                c.killed += 1;
                c.killed_sending += usize::from(in_flight || posted_at.is_some());
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "seed {seed}: sync hangs"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    // Drain without faults: every reply reaches its end (Retry-After waits run out).
    masto.world().faults.clear();
    sky.world().faults.clear();
    let t0 = Instant::now();
    loop {
        let ok = modq(d).args(["sync", "--once"]).status().unwrap();
        let disk = Disk::open(&d.join("data/store"));
        let open = modq::outbox::unfinished(&disk.store.load_replies().unwrap()).len();
        disk.close();
        if ok.success() && open == 0 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "seed {seed}: {open} replies still unfinished"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    let disk = Disk::open(&d.join("data/store"));
    let replies = disk.store.load_replies().unwrap();
    let mentions = disk.store.load_mentions().unwrap();
    disk.close();
    let all: Vec<masto_server::Made> = masto
        .world()
        .made
        .iter()
        .chain(sky.world().made.iter())
        .cloned()
        .collect();
    let mut made: BTreeMap<(String, String), usize> = BTreeMap::new();
    for m in &all {
        *made
            .entry((m.in_reply_to.clone(), m.text.clone()))
            .or_default() += 1;
    }
    let lost: Vec<&String> = expected
        .iter()
        .filter(|(_, k)| !made.contains_key(k))
        .map(|(id, _)| id)
        .collect();
    let doubled: Vec<_> = made.iter().filter(|(_, n)| **n > 1).collect();
    eprintln!(
        "kill harness, seed {seed}: {} rounds, {} runs, {} killed ({} after a post reached \
         a server), {} faults, {} replies queued, {} posted ({} on Bluesky), {} lost, \
         {} doubled, {:.1} s",
        rounds,
        c.runs,
        c.killed,
        c.killed_sending,
        c.faults,
        c.queued,
        all.len(),
        all.iter().filter(|m| m.id.starts_with("at://")).count(),
        lost.len(),
        doubled.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(lost.is_empty(), "seed {seed}: lost {lost:?}");
    assert!(doubled.is_empty(), "seed {seed}: doubled {doubled:?}");
    assert_eq!(
        all.len(),
        expected.len(),
        "seed {seed}: posts nobody queued"
    );
    for r in &replies {
        assert_eq!(r.state, ReplyState::Sent, "seed {seed}: {r:?}");
    }
    let still_open: Vec<&str> = mentions
        .iter()
        .filter(|m| answered.contains(&m.id) && m.state != MentionState::Replied)
        .map(|m| m.id.as_str())
        .collect();
    assert!(
        still_open.is_empty(),
        "seed {seed}: answered but open: {still_open:?}"
    );
    if rounds >= 50 {
        assert!(
            c.killed_sending > 0,
            "seed {seed}: no kill landed while sending"
        );
    }
}

/// Waits for `done`, polling; the bound only stops a hung run.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let t0 = Instant::now();
    while !done() {
        assert!(t0.elapsed() < Duration::from_secs(60), "waited for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The console, answering a Mastodon mention, is killed while its reply is in the air (the
/// status made, the answer not back). Started again, it settles the reply with the same key:
/// one post, the reply sent, the mention replied, in the store as on screen.
#[test]
fn the_console_killed_while_sending_posts_once_and_the_mention_is_replied() {
    if !tmux::have_tmux() {
        eprintln!("SKIP: tmux is not installed");
        return;
    }
    let masto = MastoServer::start();
    masto.world().mention(1, "100", "my order never came");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = modq(d)
        .args(["account", "add", "mastodon", "--instance", &masto.base])
        .args(["--name", "brand", "--token-env", "MODQ_TEST_TOKEN"])
        .status()
        .unwrap();
    assert!(add.success());
    let console = format!(
        "exec {} --data-dir {} --config-dir {}",
        env!("CARGO_BIN_EXE_modq"),
        d.join("data").display(),
        d.join("config").display()
    );
    let t = tmux::Tmux::new("console-send");
    t.start(&console);
    t.wait_for("my order never came");
    masto.world().faults.push_back(Fault::Slow(120_000));
    t.keys(&["r"]);
    t.text("Sorry for the wait, a new parcel is on its way");
    t.wait_for("new parcel is on its way");
    t.keys(&["C-s"]);
    wait_until("the POST", || !masto.world().made.is_empty());
    let pid = t.pid();
    assert!(Command::new("kill")
        .args(["-9", &pid])
        .status()
        .unwrap()
        .success());
    drop(t);

    let t = tmux::Tmux::new("console-settle");
    t.start(&console);
    wait_until("the same key again", || masto.world().posts.len() >= 2);
    t.wait_for("Queue 0 open");
    t.keys(&["q"]);
    // The store is free once the console has gone.
    let t0 = Instant::now();
    let store = loop {
        match modq::store::SledStore::open(&d.join("data/store")) {
            Ok(s) => break s,
            Err(e) => assert!(t0.elapsed() < Duration::from_secs(60), "{e}"),
        }
    };
    use modq::store::Store;
    let replies = store.load_replies().unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].state, ReplyState::Sent);
    let mentions = store.load_mentions().unwrap();
    assert_eq!(mentions[0].state, MentionState::Replied);
    let w = masto.world();
    assert_eq!(w.made.len(), 1, "one post: {:?}", w.made);
    assert_eq!(
        w.made[0].text,
        "@kim@shop.example Sorry for the wait, a new parcel is on its way"
    );
}
