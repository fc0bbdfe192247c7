//! A damaged store: the console says what happened and what to do; `modq store check`
//! reports; `modq store recover` salvages every readable record into a new store and keeps
//! the old one aside; `modq store export` writes replies and drafts as JSON lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use modq::store::{SledStore, Store};

const BIN: &str = env!("CARGO_BIN_EXE_modq");

fn modq(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .arg("--config-dir")
        .arg(data.join("cfg"))
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn reply(i: usize, state: &str) -> modq::model::Reply {
    serde_json::from_value(serde_json::json!({
        "id": format!("r{i}"),
        "mention_id": format!("demo:{i}"),
        "source": "demo",
        "text": format!("queued answer {i}"),
        "private": false,
        "created": 1_795_464_000_000i64,
        "sent": null,
        "state": { "state": state },
    }))
    .unwrap()
}

/// A store with 150 mentions, 150 drafts and 150 replies (a third not yet sent).
fn filled(data: &Path) -> PathBuf {
    let dir = data.join("store");
    let s = SledStore::open(&dir).unwrap();
    for i in 0..150 {
        let raw = modq::sources::RawMention {
            source: "demo".into(),
            network: modq::model::Network::Mastodon,
            remote_id: i.to_string(),
            author_name: "Kim".into(),
            author_handle: "@kim@x.example".into(),
            followers: 1,
            text: format!("mention {i} {}", "words ".repeat(20)),
            lang: Some("en".into()),
            created: 0,
            in_reply_to: None,
            url: None,
        };
        s.put_mention(&modq::ingest::prepare(&raw, 0)).unwrap();
        s.put_draft(&format!("demo:{i}"), &format!("draft {i}"))
            .unwrap();
        s.put_reply(&reply(i, if i % 3 == 0 { "queued" } else { "sent" }))
            .unwrap();
    }
    s.flush().unwrap();
    dir
}

fn contents(dir: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let s = SledStore::open(dir).unwrap();
    let mut drafts = s.load_drafts().unwrap();
    drafts.sort();
    let mut replies: Vec<String> = s
        .load_replies()
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {:?} {}", r.id, r.state, r.text))
        .collect();
    replies.sort();
    (drafts, replies)
}

/// What `modq store export` can read: the replies and drafts no recovery may lose.
fn exported(data: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let out = modq(data, &["store", "export"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut drafts = Vec::new();
    let mut replies = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        match v["type"].as_str() {
            Some("draft") => drafts.push((
                v["mention"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )),
            Some("reply") => {
                let r: modq::model::Reply = serde_json::from_value(v).unwrap();
                replies.push(format!("{} {:?} {}", r.id, r.state, r.text));
            }
            other => panic!("unexpected record {other:?}"),
        }
    }
    drafts.sort();
    replies.sort();
    (drafts, replies)
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect()
}

fn garble(path: &Path, at: impl Fn(usize) -> usize, n: usize) {
    let mut b = std::fs::read(path).unwrap();
    let start = at(b.len()).min(b.len());
    let end = (start + n).min(b.len());
    for x in &mut b[start..end] {
        *x ^= 0xa5;
    }
    std::fs::write(path, b).unwrap();
}

fn truncate(path: &Path, keep: impl Fn(u64) -> u64) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let n = f.metadata().unwrap().len();
    f.set_len(keep(n)).unwrap();
}

type Damage = fn(&Path);

/// The damage an attack did to stores, file by file.
const DAMAGE: [(&str, Damage); 10] = [
    ("a foreign snapshot", |d| {
        std::fs::write(d.join("snap.0000000000FFFFFF"), vec![0x5a; 1300]).unwrap()
    }),
    ("a garbled snapshot", |d| {
        std::fs::write(d.join("snap.0000000000FFFFFF"), vec![0x5a; 1300]).unwrap();
        garble(&d.join("snap.0000000000FFFFFF"), |n| n / 2, 32)
    }),
    ("a truncated snapshot", |d| {
        std::fs::write(d.join("snap.0000000000FFFFFF"), vec![0x5a; 13]).unwrap()
    }),
    ("a garbled conf", |d| garble(&d.join("conf"), |_| 0, 8)),
    ("a truncated conf", |d| truncate(&d.join("conf"), |_| 3)),
    ("no conf", |d| std::fs::remove_file(d.join("conf")).unwrap()),
    ("a garbled conf and snapshot", |d| {
        garble(&d.join("conf"), |_| 0, 8);
        std::fs::write(d.join("snap.0000000000FFFFFF"), vec![0x5a; 1300]).unwrap()
    }),
    ("a db cut in half", |d| truncate(&d.join("db"), |n| n / 2)),
    ("a db garbled in the middle", |d| {
        garble(&d.join("db"), |n| n / 2, 64)
    }),
    ("a db garbled at the start", |d| {
        garble(&d.join("db"), |_| 0, 64)
    }),
];

#[test]
fn every_damage_is_explained_and_recover_keeps_all_that_is_readable() {
    let mut refused = Vec::new();
    for (what, damage) in DAMAGE {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let dir = filled(&data);
        let before = contents(&dir);
        damage(&dir);

        let check = modq(&data, &["store", "check"]);
        let report = text(&check);
        assert!(
            matches!(check.status.code(), Some(0 | 1)),
            "{what}: {report}"
        );
        assert!(report.contains("replies not yet sent"), "{what}: {report}");
        let readable = exported(&data);

        // The console either opens the store or says what to do; never sled's text alone.
        // (Without a terminal it stops right after opening the store.)
        let console = modq(&data, &["--rate", "0"]);
        let said = text(&console);
        if said.contains("cannot open the data directory") {
            refused.push(what);
            assert!(
                said.contains("it looks damaged, and nothing was changed")
                    && said.contains("modq store check")
                    && said.contains("modq store recover"),
                "{what}: {said}"
            );
        } else {
            assert!(said.contains("needs a terminal"), "{what}: {said}");
        }
        if !what.contains("db") {
            assert_eq!(readable, before, "{what}: export lost records");
        }

        let rec = modq(&data, &["store", "recover"]);
        assert_eq!(rec.status.code(), Some(0), "{what}: {}", text(&rec));
        let aside = files(&data, "store.damaged-");
        assert_eq!(aside.len(), 1, "{what}: the old store is kept aside");
        assert!(aside[0].join("db").exists());
        // Everything that was readable is in the new store, which opens as it is.
        assert_eq!(contents(&dir), readable, "{what}");
        let check = modq(&data, &["store", "check"]);
        assert_eq!(check.status.code(), Some(0), "{what}: {}", text(&check));
        assert!(files(&data, ".modq-store-copy").is_empty());
    }
    // The snapshot and conf damage that sled refuses to open.
    assert!(refused.len() >= 4, "{refused:?}");
}

#[test]
fn unreadable_records_are_reported_and_set_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let dir = data.join("store");
    {
        let db = sled::open(&dir).unwrap();
        db.open_tree("replies")
            .unwrap()
            .insert("r-bad", &b"{\"id\": \"r-bad\", \"text\": trunc"[..])
            .unwrap();
        db.open_tree("drafts")
            .unwrap()
            .insert("demo:bad", &b"caf\xe9"[..])
            .unwrap();
        db.flush().unwrap();
    }
    filled(&data);
    let check = modq(&data, &["store", "check"]);
    let report = text(&check);
    assert_eq!(check.status.code(), Some(1), "{report}");
    assert!(
        report.contains("unreadable replies record r-bad"),
        "{report}"
    );
    assert!(
        report.contains("unreadable drafts record demo:bad: not UTF-8"),
        "{report}"
    );
    let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        report
            .lines()
            .any(|l| words(l) == "replies 150 readable, 1 unreadable"),
        "{report}"
    );
    assert!(report.contains("modq store recover"), "{report}");

    let rec = modq(&data, &["store", "recover"]);
    let said = text(&rec);
    assert_eq!(rec.status.code(), Some(0), "{said}");
    assert!(said.contains("2 records could not be read"), "{said}");
    let aside = &files(&data, "store.damaged-")[0];
    let unreadable = std::fs::read_to_string(aside.join("unreadable.jsonl")).unwrap();
    assert_eq!(unreadable.lines().count(), 2, "{unreadable}");
    let (drafts, replies) = contents(&dir);
    assert_eq!((drafts.len(), replies.len()), (150, 150));
    assert_eq!(modq(&data, &["store", "check"]).status.code(), Some(0));
}

#[test]
fn a_store_in_use_is_not_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let dir = filled(&data);
    let _open = SledStore::open(&dir).unwrap();
    let rec = modq(&data, &["store", "recover"]);
    assert_ne!(rec.status.code(), Some(0));
    assert!(
        text(&rec).contains("in use by a running modq"),
        "{}",
        text(&rec)
    );
    assert!(files(&data, "store.damaged-").is_empty());
}
