//! The sled store: round trips, restart, idempotent ingest, clear errors.

use modq::model::*;
use modq::store::{SledStore, Store, StoreError};

fn mention(id: &str) -> Mention {
    Mention {
        id: id.into(),
        source: "demo".into(),
        network: Network::Bluesky,
        author: Author {
            name: "Ada".into(),
            handle: "ada.bsky.social".into(),
            followers: 42,
        },
        text: "my parcel never arrived".into(),
        lang: "en".into(),
        created: 1,
        received: 2,
        in_reply_to: None,
        url: Some("https://bsky.example/post/1".into()),
        sentiment: modq::triage::score("my parcel never arrived"),
        state: MentionState::New,
        cues: vec![],
        author_waiting: false,
        cut: Vec::new(),
        work: Default::default(),
        escalation: None,
    }
}

#[test]
fn round_trip_and_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = SledStore::open(dir.path()).unwrap();
        assert!(s.insert_mention_if_absent(&mention("demo:1")).unwrap());
        assert!(
            !s.insert_mention_if_absent(&mention("demo:1")).unwrap(),
            "ingest is idempotent"
        );
        let mut m = mention("demo:2");
        s.insert_mention_if_absent(&m).unwrap();
        m.state = MentionState::Snoozed { until: 99 };
        s.put_mention(&m).unwrap();
        s.put_draft("demo:1", "Hello Ada, zażółć 👋").unwrap();
        s.put_reply(&Reply {
            id: "demo:2#r1".into(),
            mention_id: "demo:2".into(),
            source: "demo".into(),
            text: "Sorry!".into(),
            private: false,
            created: 5,
            sent: None,
            state: ReplyState::Failed("429".into()),
            delivery: Default::default(),
        })
        .unwrap();
        for i in 0..3 {
            s.append_audit(&AuditEntry {
                at: i,
                actor: "sam".into(),
                action: format!("a{i}"),
                mention: None,
                detail: String::new(),
            })
            .unwrap();
        }
        s.meta_put("demo.cursor", "41").unwrap();
        s.flush().unwrap();
    }
    let s = SledStore::open(dir.path()).unwrap();
    let mut ms = s.load_mentions().unwrap();
    ms.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0], mention("demo:1"));
    assert_eq!(ms[1].state, MentionState::Snoozed { until: 99 });
    assert_eq!(
        s.load_drafts().unwrap(),
        vec![("demo:1".to_string(), "Hello Ada, zażółć 👋".to_string())]
    );
    assert_eq!(
        s.load_replies().unwrap()[0].state,
        ReplyState::Failed("429".into())
    );
    let audit: Vec<String> = s
        .load_audit()
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(audit, ["a0", "a1", "a2"], "the audit log keeps its order");
    assert_eq!(s.meta_get("demo.cursor").unwrap().as_deref(), Some("41"));
    s.delete_draft("demo:1").unwrap();
    assert!(s.load_drafts().unwrap().is_empty());
}

#[test]
fn a_second_modq_on_the_same_directory_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SledStore::open(dir.path()).unwrap();
    let err = SledStore::open(dir.path())
        .err()
        .expect("second open must fail");
    assert!(matches!(err, StoreError::Open { .. }));
    assert!(err.to_string().contains("in use by another modq"), "{err}");
}

#[test]
fn a_path_that_is_a_file_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let err = SledStore::open(&file.join("store")).err().unwrap();
    assert!(
        err.to_string()
            .starts_with("cannot open the data directory"),
        "{err}"
    );
}

fn sent(id: &str, mention: &str) -> Reply {
    Reply {
        id: id.into(),
        mention_id: mention.into(),
        source: "demo".into(),
        text: "Sorry!".into(),
        private: false,
        created: 5,
        sent: Some(6),
        state: ReplyState::Sent,
        delivery: Default::default(),
    }
}

/// "Reply sent" and "mention replied" are one write, whoever records the reply; a like is
/// no answer, and a mention the moderator closed otherwise keeps that state.
#[test]
fn a_sent_reply_marks_its_mention_replied_in_the_same_write() {
    let s = SledStore::temporary().unwrap();
    let mut snoozed = mention("demo:3");
    snoozed.state = MentionState::Snoozed { until: 99 };
    let mut done = mention("demo:4");
    done.state = MentionState::Done;
    for m in [mention("demo:1"), mention("demo:2"), snoozed, done] {
        s.insert_mention_if_absent(&m).unwrap();
    }
    let state = |id: &str| {
        s.load_mentions()
            .unwrap()
            .into_iter()
            .find(|m| m.id == id)
            .unwrap()
            .state
    };
    let mut queued = sent("demo:1#r1", "demo:1");
    queued.state = ReplyState::Queued;
    assert_eq!(s.put_reply(&queued).unwrap(), None);
    assert_eq!(
        state("demo:1"),
        MentionState::New,
        "queued is not an answer yet"
    );
    let changed = s.put_reply(&sent("demo:1#r1", "demo:1")).unwrap();
    assert_eq!(changed.map(|m| m.state), Some(MentionState::Replied));
    assert_eq!(state("demo:1"), MentionState::Replied);
    assert_eq!(s.load_replies().unwrap()[0].state, ReplyState::Sent);
    s.put_reply(&sent("demo:2#like", "demo:2")).unwrap();
    assert_eq!(state("demo:2"), MentionState::New, "a like is no answer");
    s.put_reply(&sent("demo:3#r1", "demo:3")).unwrap();
    assert_eq!(state("demo:3"), MentionState::Replied);
    assert_eq!(s.put_reply(&sent("demo:4#r1", "demo:4")).unwrap(), None);
    assert_eq!(state("demo:4"), MentionState::Done);
    // A reply to a mention the store does not hold is still kept.
    assert_eq!(s.put_reply(&sent("gone:1#r1", "gone:1")).unwrap(), None);
    assert_eq!(s.load_replies().unwrap().len(), 5);
}

/// A store where an answered mention was left open (written by a console killed before it
/// saved, in a version where the two were separate writes) is mended when it opens.
#[test]
fn an_answered_mention_left_open_is_marked_replied_when_the_store_opens() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = SledStore::open(dir.path()).unwrap();
        s.insert_mention_if_absent(&mention("demo:1")).unwrap();
        s.insert_mention_if_absent(&mention("demo:2")).unwrap();
        s.put_reply(&sent("demo:1#r1", "demo:1")).unwrap();
        s.put_reply(&sent("demo:2#like", "demo:2")).unwrap();
        // As the old console left it: the reply sent, the mention still open.
        s.put_mention(&mention("demo:1")).unwrap();
        s.flush().unwrap();
    }
    let s = SledStore::open(dir.path()).unwrap();
    let mut ms = s.load_mentions().unwrap();
    ms.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(ms[0].state, MentionState::Replied);
    assert_eq!(ms[1].state, MentionState::New);
    assert!(
        s.settle_replied().unwrap().is_empty(),
        "nothing left to mend"
    );
}
