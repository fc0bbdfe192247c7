//! A JSON store (as modq wrote them before the compact format) is rewritten when it opens:
//! every record survives, a kill -9 halfway leaves a store that opens and finishes the job,
//! `modq store check` and `modq store export` read both formats.

use std::path::{Path, PathBuf};
use std::process::Command;

use modq::model::*;
use modq::store::migrate::{self, Migration};
use modq::store::record::Record;
use modq::store::{SledStore, Store};

const BIN: &str = env!("CARGO_BIN_EXE_modq");

/// What the fixture store holds, as the model reads it.
#[derive(Debug, PartialEq)]
struct Contents {
    mentions: Vec<Mention>,
    replies: Vec<Reply>,
    audit: Vec<AuditEntry>,
    drafts: Vec<(String, String)>,
}

fn mention(i: usize) -> Mention {
    let long = "we waited for the refund for weeks ".repeat(200);
    let texts = [
        "my parcel 📦 never arrived, I want a refund",
        "Dziękuję za szybką odpowiedź! zażółć gęślą jaźń",
        "Почему приложение снова не работает?",
        "love the new app, thanks",
        long.as_str(),
    ];
    let raw = modq::sources::RawMention {
        source: if i % 2 == 0 { "demo" } else { "social.example" }.into(),
        network: [Network::Mastodon, Network::Bluesky, Network::Jsonl][i % 3],
        remote_id: i.to_string(),
        author_name: format!("Author {i} «ü»"),
        author_handle: format!("@a{}@x.example", i % 97),
        followers: (i as u64 * 7919) % 2_000_000,
        text: texts[i % texts.len()].to_string(),
        lang: None,
        created: 1_795_464_000_000 + i as i64 * 1_000,
        in_reply_to: (i % 4 == 1).then(|| format!("{}", i - 1)),
        url: (i % 3 == 0).then(|| format!("https://x.example/@a/{i}")),
    };
    let mut m = modq::ingest::prepare(&raw, 1_795_464_000_000 + i as i64 * 1_000 + 5);
    m.author_waiting = i % 5 == 0;
    m.state = match i % 9 {
        0 => MentionState::Seen,
        1 => MentionState::Snoozed {
            until: 1_795_470_000_000 + i as i64,
        },
        2 => MentionState::Replied,
        3 => MentionState::Done,
        4 => MentionState::NoReply,
        5 => MentionState::Spam,
        6 => MentionState::Hidden,
        _ => MentionState::New,
    };
    m
}

fn reply(i: usize) -> Reply {
    // Sent answers go to mentions that no longer wait (done), so opening changes no state.
    let (mention, state) = match i % 5 {
        0 => (format!("demo:{}", i * 9 + 3), ReplyState::Sent),
        1 => (format!("demo:{i}"), ReplyState::Queued),
        2 => (
            format!("demo:{i}"),
            ReplyState::Failed("422: too long".into()),
        ),
        3 => (format!("demo:{i}"), ReplyState::Unknown),
        _ => (format!("demo:{i}"), ReplyState::Sending),
    };
    Reply {
        id: format!("{mention}#r{i}"),
        mention_id: mention,
        source: "demo".into(),
        text: format!("Sorry about that, {i}! 🙏"),
        private: i % 7 == 0,
        created: 1_795_464_000_000 + i as i64,
        sent: (state == ReplyState::Sent).then_some(1_795_464_100_000),
        state,
        delivery: Delivery {
            first_try: (i % 2 == 0).then_some(1_795_464_000_500),
            not_before: (i % 3 == 0).then_some(1_795_464_060_000),
            remote_id: (i % 4 == 0).then(|| format!("1099{i}")),
            note: (i % 5 == 3).then(|| "the look-up was refused (403)".into()),
            tries: (i % 4) as u32,
        },
    }
}

fn audit(i: usize) -> AuditEntry {
    AuditEntry {
        at: 1_795_464_000_000 + i as i64,
        actor: "sam".into(),
        action: ["done", "snooze", "reply.queued", "label"][i % 4].into(),
        mention: (i % 3 != 0).then(|| format!("demo:{i}")),
        detail: if i % 2 == 0 {
            String::new()
        } else {
            format!("{i}m")
        },
    }
}

const MENTIONS: usize = 1_300;
const REPLIES: usize = 700;
const AUDIT: usize = 1_100;

/// Built once: triage of the fixture's texts is slow in a debug build.
fn expected() -> &'static Contents {
    static FIXTURE: std::sync::OnceLock<Contents> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(build)
}

fn build() -> Contents {
    let mut c = Contents {
        mentions: (0..MENTIONS).map(mention).collect(),
        replies: (0..REPLIES).map(reply).collect(),
        audit: (0..AUDIT).map(audit).collect(),
        drafts: (0..40)
            .map(|i| (format!("demo:{i}"), format!("Hello, draft {i} zażółć 👋")))
            .collect(),
    };
    sort(&mut c);
    c
}

fn sort(c: &mut Contents) {
    c.mentions.sort_by(|a, b| a.id.cmp(&b.id));
    c.replies.sort_by(|a, b| a.id.cmp(&b.id));
    c.drafts.sort();
    // The audit log keeps its written order: not sorted.
}

/// The fixture writer: a store exactly as modq wrote it before the compact format (JSON
/// values, `serde_json::to_vec` of the model; audit keys from the id counter, big-endian).
/// Some records are in the older shapes still found in stores: mentions without `cues`,
/// `author_waiting` or `cut`, replies without `delivery`.
fn write_json_store(dir: &Path) {
    let db = sled::open(dir).unwrap();
    let mentions = db.open_tree("mentions").unwrap();
    let fixture = expected();
    let mut older = 0;
    for (i, m) in fixture.mentions.iter().enumerate() {
        let mut v = serde_json::to_value(m).unwrap();
        if i % 11 == 0 && m.cues.is_empty() && !m.author_waiting && m.cut.is_empty() {
            let o = v.as_object_mut().unwrap();
            o.remove("cues");
            o.remove("author_waiting");
            o.remove("cut");
            older += 1;
        }
        mentions
            .insert(m.id.as_bytes(), serde_json::to_vec(&v).unwrap())
            .unwrap();
    }
    assert!(older > 10, "the fixture has mentions in the older shape");
    let replies = db.open_tree("replies").unwrap();
    for r in &fixture.replies {
        let mut v = serde_json::to_value(r).unwrap();
        if r.delivery == Delivery::default() {
            v.as_object_mut().unwrap().remove("delivery");
        }
        replies
            .insert(r.id.as_bytes(), serde_json::to_vec(&v).unwrap())
            .unwrap();
    }
    let log = db.open_tree("audit").unwrap();
    for e in &fixture.audit {
        let id = db.generate_id().unwrap();
        log.insert(id.to_be_bytes(), serde_json::to_vec(e).unwrap())
            .unwrap();
    }
    let drafts = db.open_tree("drafts").unwrap();
    for (k, v) in &fixture.drafts {
        drafts.insert(k.as_bytes(), v.as_bytes()).unwrap();
    }
    let meta = db.open_tree("meta").unwrap();
    meta.insert("store.kind", "demo").unwrap();
    meta.insert("demo.cursor", "41").unwrap();
    db.open_tree("model")
        .unwrap()
        .insert("triage", &[0u8, 1, 2, 255][..])
        .unwrap();
    db.flush().unwrap();
}

fn contents(s: &SledStore) -> Contents {
    let mut c = Contents {
        mentions: s.load_mentions().unwrap(),
        replies: s.load_replies().unwrap(),
        audit: s.load_audit().unwrap(),
        drafts: s.load_drafts().unwrap(),
    };
    sort(&mut c);
    c
}

/// The store opened by sled alone. sled lets go of its file lock a moment after the last
/// handle is dropped, so a reopen right after a close waits for it.
fn raw(dir: &Path) -> sled::Db {
    for _ in 0..100 {
        match sled::open(dir) {
            Ok(db) => return db,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
    sled::open(dir).unwrap()
}

/// (binary, JSON) records of a tree, read without modq.
fn formats(dir: &Path, tree: &str) -> (usize, usize) {
    let db = raw(dir);
    let t = db.open_tree(tree).unwrap();
    let mut n = (0, 0);
    for item in t.iter() {
        let (_, v) = item.unwrap();
        if v[0] == b'{' {
            n.1 += 1;
        } else {
            n.0 += 1;
        }
    }
    n
}

fn format_mark(dir: &Path) -> Option<String> {
    let db = raw(dir);
    let v = db
        .open_tree("meta")
        .unwrap()
        .get(migrate::FORMAT_KEY)
        .unwrap();
    v.map(|v| String::from_utf8_lossy(&v).into_owned())
}

fn store_in(tmp: &tempfile::TempDir) -> PathBuf {
    tmp.path().join("data").join("store")
}

fn modq(store: &Path, args: &[&str]) -> std::process::Output {
    let data = store.parent().unwrap();
    Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .arg("--config-dir")
        .arg(data.join("cfg"))
        .args(args)
        .output()
        .unwrap()
}

fn assert_all_binary_and_marked(dir: &Path) {
    for (tree, n) in [
        ("mentions", MENTIONS),
        ("replies", REPLIES),
        ("audit", AUDIT),
    ] {
        assert_eq!(formats(dir, tree), (n, 0), "{tree}");
    }
    assert_eq!(format_mark(dir), Some(migrate::FORMAT.to_string()));
}

#[test]
fn a_json_store_is_rewritten_compact_and_keeps_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = store_in(&tmp);
    write_json_store(&dir);
    assert_eq!(formats(&dir, "mentions"), (0, MENTIONS));
    let size_json = dir_size(&dir);

    // `modq store check` and `export` read the old format as they did.
    let check = modq(&dir, &["store", "check"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let exported_json = modq(&dir, &["store", "export", "--all"]).stdout;

    {
        let s = SledStore::open(&dir).unwrap();
        assert_eq!(contents(&s), *expected());
        assert_eq!(s.meta_get("demo.cursor").unwrap().as_deref(), Some("41"));
        assert_eq!(s.meta_get("store.kind").unwrap().as_deref(), Some("demo"));
        assert_eq!(s.model_get().unwrap(), Some(vec![0, 1, 2, 255]));
    }
    assert_all_binary_and_marked(&dir);

    // A second start reads the same, and rewrites nothing.
    {
        let s = SledStore::open(&dir).unwrap();
        assert_eq!(contents(&s), *expected());
    }
    let check = modq(&dir, &["store", "check"]);
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert_eq!(check.status.code(), Some(0), "{said}");
    assert!(said.contains("no damage found"), "{said}");

    // The export stays JSON lines for people, the same lines as from the JSON store.
    let exported = modq(&dir, &["store", "export", "--all"]).stdout;
    let lines = |b: &[u8]| {
        let mut v: Vec<serde_json::Value> = String::from_utf8_lossy(b)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        v.sort_by_key(|v| v.to_string());
        v
    };
    let (before, after) = (lines(&exported_json), lines(&exported));
    assert_eq!(before.len(), MENTIONS + REPLIES + AUDIT + 40);
    assert_eq!(before, after);
    let m: Mention = serde_json::from_value(
        after
            .iter()
            .find(|v| v["type"] == "mention" && v["id"] == "demo:4")
            .unwrap()
            .clone(),
    )
    .unwrap();
    assert_eq!(
        &m,
        expected()
            .mentions
            .iter()
            .find(|m| m.id == "demo:4")
            .unwrap()
    );

    let size_binary = dir_size(&dir);
    eprintln!("store on disk: JSON {size_json} B, after the rewrite {size_binary} B");
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Run by `a_migration_killed_halfway_finishes_at_the_next_start` in a child process: rewrite
/// a batch durably and one more that may or may not reach the disk, then SIGKILL itself
/// mid-migration (the mentions take three batches).
#[test]
#[ignore = "the child of a_migration_killed_halfway_finishes_at_the_next_start"]
fn migration_child_killed_halfway() {
    let dir = PathBuf::from(std::env::var("MODQ_MIGRATE_DIR").expect("run by the parent test"));
    let db = sled::open(&dir).unwrap();
    let mut m = Migration::start(&db).unwrap().expect("a JSON store");
    assert!(m.step().unwrap());
    db.flush().unwrap();
    m.step().unwrap();
    rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL)
        .unwrap();
    unreachable!("killed");
}

#[test]
fn a_migration_killed_halfway_finishes_at_the_next_start() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = store_in(&tmp);
    write_json_store(&dir);
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "migration_child_killed_halfway",
            "--ignored",
            "--nocapture",
        ])
        .env("MODQ_MIGRATE_DIR", &dir)
        .output()
        .unwrap();
    assert_eq!(
        child.status.signal(),
        Some(9),
        "the child was to die by SIGKILL: {child:?}"
    );
    // Halfway indeed: some mentions rewritten, the rest still JSON, no mark yet.
    let (binary, json) = formats(&dir, "mentions");
    assert!(
        binary >= migrate::BATCH && json > 0,
        "{binary} binary, {json} JSON"
    );
    assert_eq!(binary + json, MENTIONS);
    assert_eq!(format_mark(&dir), None);
    // Every record reads, old or new, before the migration goes on.
    {
        let db = raw(&dir);
        for item in db.open_tree("mentions").unwrap().iter() {
            Mention::decode(&item.unwrap().1).unwrap();
        }
    }

    let s = SledStore::open(&dir).unwrap();
    assert_eq!(contents(&s), *expected());
    drop(s);
    assert_all_binary_and_marked(&dir);
}

#[test]
fn an_unreadable_record_is_left_for_check_and_the_rest_is_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = store_in(&tmp);
    write_json_store(&dir);
    {
        let db = raw(&dir);
        db.open_tree("replies")
            .unwrap()
            .insert("r-bad", &b"{\"id\": \"r-bad\", \"text\": trunc"[..])
            .unwrap();
        db.flush().unwrap();
    }
    {
        let s = SledStore::open(&dir).unwrap();
        assert_eq!(contents(&s), *expected());
    }
    assert_eq!(formats(&dir, "replies"), (REPLIES, 1));
    assert_eq!(format_mark(&dir), Some(migrate::FORMAT.to_string()));
    let check = modq(&dir, &["store", "check"]);
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert_eq!(check.status.code(), Some(1), "{said}");
    assert!(said.contains("unreadable replies record r-bad"), "{said}");
}

#[test]
fn a_store_from_a_newer_modq_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = store_in(&tmp);
    {
        let s = SledStore::open(&dir).unwrap();
        s.insert_mention_if_absent(&mention(1)).unwrap();
        s.meta_put(migrate::FORMAT_KEY, "99").unwrap();
        s.flush().unwrap();
    }
    let err = SledStore::open(&dir).err().expect("refused").to_string();
    assert!(err.contains("written by a newer modq"), "{err}");
    assert_eq!(format_mark(&dir).as_deref(), Some("99"));
}
