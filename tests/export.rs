//! `modq export`: CSV read back by a CSV reader equals the store's rows; JSON lines equal
//! the records; the window cuts by time; an empty export still has its header.

use modq::export::{export, AuditRow, Format, MentionRow, ReplyRow, Snapshot, What};
use modq::model::*;
use modq::stats::Window;
use modq::store::{SledStore, Store};

const T0: Millis = 1_796_680_800_000;

fn mention(n: usize) -> Mention {
    let texts = [
        "plain text",
        "a \"quoted\" word, a comma, and\na new line",
        "Zamówienie nie dotarło; chcę zwrot",
        "заказ \r\n не пришёл ,,, \"\"",
        "",
        " leading and trailing spaces ",
    ];
    Mention {
        id: format!("shop:{n}"),
        source: "shop".into(),
        network: if n % 2 == 0 {
            Network::Mastodon
        } else {
            Network::Bluesky
        },
        author: Author {
            name: format!("Name, {n}"),
            handle: format!("@u{n}@example.social"),
            followers: n as u64 * 7,
        },
        text: texts[n % texts.len()].into(),
        lang: "en".into(),
        created: T0 + n as Millis * 60_000,
        received: T0 + n as Millis * 60_000 + 5,
        in_reply_to: (n % 3 == 0).then(|| format!("shop:{}", n + 100)),
        url: (n % 4 == 0).then(|| format!("https://example.social/@u{n}/{n}")),
        sentiment: Sentiment {
            score: -0.25 * (n % 4) as f32,
            label: Label::Negative,
            reasons: vec![],
        },
        state: MentionState::Snoozed { until: 5 },
        cues: vec![
            Cue {
                tag: "refund".into(),
                weight: 0.5,
            },
            Cue {
                tag: "legal".into(),
                weight: 0.3,
            },
        ][..n % 3]
            .to_vec(),
        author_waiting: false,
        cut: vec![],
        work: Default::default(),
        escalation: None,
    }
}

fn store_with(dir: &std::path::Path, n: usize) {
    let store = SledStore::open(dir).unwrap();
    for i in 0..n {
        let m = mention(i);
        store.insert_mention_if_absent(&m).unwrap();
        let mut r = Reply {
            id: format!("{}#r{i}", m.id),
            mention_id: m.id.clone(),
            source: "shop".into(),
            text: format!("Hi, \"{i}\", sorry,\nwe are on it"),
            private: i % 2 == 0,
            created: m.created + 1000,
            sent: None,
            state: ReplyState::Failed("422: too long, \"really\"".into()),
            delivery: Default::default(),
        };
        if i % 3 == 0 {
            r.state = ReplyState::Sent;
            r.sent = Some(m.created + 2000);
        }
        store.put_reply(&r).unwrap();
        store
            .append_audit(&AuditEntry {
                at: m.created + 3000,
                actor: "ana".into(),
                action: "mention.done".into(),
                mention: (i % 5 != 0).then(|| m.id.clone()),
                detail: format!("seen -> done, \"{i}\"\n"),
            })
            .unwrap();
    }
    store.flush().unwrap();
}

/// A copy of the store at `dir` once sled has let go of it.
fn snapshot(dir: &std::path::Path) -> Snapshot {
    for _ in 0..40 {
        match Snapshot::open(dir) {
            Ok(s) => return s,
            Err(e) if e.contains("in use") => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Err(e) => panic!("{e}"),
        }
    }
    panic!("the store stayed locked");
}

fn csv_rows<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Vec<T> {
    csv::Reader::from_reader(bytes)
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .unwrap()
}

#[test]
fn csv_read_back_equals_the_stores_rows() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    store_with(&store_dir, 60);
    let (mentions, replies, audit) = {
        let s = SledStore::open(&store_dir).unwrap();
        (
            s.load_mentions().unwrap(),
            s.load_replies().unwrap(),
            s.load_audit().unwrap(),
        )
    };
    assert_eq!(mentions.len(), 60);
    let snap = snapshot(&store_dir);

    let mut out = Vec::new();
    let w = export(&snap, What::Mentions, Format::Csv, None, &mut out).unwrap();
    assert_eq!(w.rows, 60);
    let header =
        String::from_utf8_lossy(&out[..out.iter().position(|&b| b == b'\n').unwrap()]).to_string();
    assert_eq!(header, modq::export::header(What::Mentions).join(","));
    let back: Vec<MentionRow> = csv_rows(&out);
    let want: Vec<MentionRow> = mentions.iter().map(MentionRow::from).collect();
    assert_eq!(back, want);
    // Times are UTC RFC 3339, cues joined, quotes and new lines survive.
    assert_eq!(back[0].created, "2026-12-07T22:00:00.000Z");
    assert!(back
        .iter()
        .any(|r| r.text.contains("\"quoted\" word, a comma, and\na new line")));
    assert!(back.iter().any(|r| r.cues == "refund;legal"));

    let mut out = Vec::new();
    export(&snap, What::Replies, Format::Csv, None, &mut out).unwrap();
    let back: Vec<ReplyRow> = csv_rows(&out);
    assert_eq!(back, replies.iter().map(ReplyRow::from).collect::<Vec<_>>());
    assert!(back
        .iter()
        .any(|r| r.state == "failed" && r.reason.contains("\"really\"")));
    // A sent reply marked its mention replied, in the same write.
    assert!(
        mentions
            .iter()
            .filter(|m| m.state == MentionState::Replied)
            .count()
            == 20
    );

    let mut out = Vec::new();
    export(&snap, What::Audit, Format::Csv, None, &mut out).unwrap();
    let back: Vec<AuditRow> = csv_rows(&out);
    assert_eq!(back, audit.iter().map(AuditRow::from).collect::<Vec<_>>());
    assert_eq!(back.iter().filter(|r| r.mention.is_empty()).count(), 12);
}

#[test]
fn json_lines_are_the_records_and_the_window_cuts_by_time() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    store_with(&store_dir, 30);
    let mentions = SledStore::open(&store_dir)
        .unwrap()
        .load_mentions()
        .unwrap();
    let snap = snapshot(&store_dir);
    let mut out = Vec::new();
    export(&snap, What::Mentions, Format::Jsonl, None, &mut out).unwrap();
    let back: Vec<Mention> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(back, mentions);

    // Minutes 10 to 19 of the shift: ten mentions, posted then.
    let w = Window {
        from: T0 + 10 * 60_000,
        to: T0 + 20 * 60_000,
    };
    let mut out = Vec::new();
    let n = export(&snap, What::Mentions, Format::Csv, Some(w), &mut out).unwrap();
    assert_eq!(n.rows, 10);
    let back: Vec<MentionRow> = csv_rows(&out);
    assert!(back.iter().all(
        |r| r.created.as_str() >= "2026-12-07T22:10" && r.created.as_str() < "2026-12-07T22:20"
    ));

    // Nothing in the window: the header alone, which a spreadsheet still reads.
    let w = Window { from: 0, to: 1 };
    for what in [What::Mentions, What::Replies, What::Audit] {
        let mut out = Vec::new();
        let n = export(&snap, what, Format::Csv, Some(w), &mut out).unwrap();
        assert_eq!(n.rows, 0);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{}\n", modq::export::header(what).join(","))
        );
    }
}

#[test]
fn the_headers_are_the_ones_a_row_serialises() {
    let m = mention(1);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(MentionRow::from(&m)).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(text.starts_with(&format!(
        "{}\n",
        modq::export::header(What::Mentions).join(",")
    )));
    let mut w = csv::Writer::from_writer(Vec::new());
    let r = Reply {
        id: "r".into(),
        mention_id: "m".into(),
        source: "s".into(),
        text: "t".into(),
        private: false,
        created: 0,
        sent: None,
        state: ReplyState::Queued,
        delivery: Default::default(),
    };
    w.serialize(ReplyRow::from(&r)).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(text.starts_with(&format!(
        "{}\n",
        modq::export::header(What::Replies).join(",")
    )));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(AuditRow::from(&AuditEntry {
        at: 0,
        actor: "a".into(),
        action: "b".into(),
        mention: None,
        detail: String::new(),
    }))
    .unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(text.starts_with(&format!(
        "{}\n",
        modq::export::header(What::Audit).join(",")
    )));
}
