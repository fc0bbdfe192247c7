//! The queries the paged queue asks the store: a range of the rank order (paged, filtered by
//! state), mentions by ids, counts by state. Each answer is checked against the same thing
//! worked out from every mention loaded.

use std::collections::BTreeMap;

use modq::model::*;
use modq::store::record::state_tag;
use modq::store::{Ranking, SledStore, Store};
use modq::triage::RankKey;

const N: usize = 400;

fn mention(i: usize) -> Mention {
    let texts = [
        "my parcel never arrived and nobody answers, refund now",
        "the charger melted and burned my desk",
        "thanks, the new app is lovely",
        "where is my order? still waiting",
        "Почему приложение снова не работает?",
        "ok",
    ];
    let raw = modq::sources::RawMention {
        source: "demo".into(),
        network: Network::Mastodon,
        remote_id: i.to_string(),
        author_name: "Kim".into(),
        author_handle: format!("@k{}@x.example", i % 13),
        followers: (i as u64 * 104_729) % 3_000_000,
        text: texts[i % texts.len()].into(),
        lang: None,
        // Several mentions share a time: the id breaks the tie.
        created: 1_795_464_000_000 + (i as i64 / 3) * 7_000,
        in_reply_to: None,
        url: None,
    };
    let mut m = modq::ingest::prepare(&raw, 1_795_470_000_000);
    m.author_waiting = i % 4 == 0;
    m.state = match i % 6 {
        0 => MentionState::Seen,
        1 => MentionState::Snoozed {
            until: 1_795_470_000_000,
        },
        2 => MentionState::Done,
        3 => MentionState::Spam,
        _ => MentionState::New,
    };
    m
}

fn ranking(sla_minutes: i64) -> Ranking {
    Ranking {
        sla: sla_minutes * 60_000,
        weights: Default::default(),
    }
}

/// The order and states as a full load works them out.
fn expected(s: &dyn Store, r: &Ranking, states: &[&str]) -> Vec<(RankKey, MentionState)> {
    let mut all: Vec<(RankKey, MentionState)> = s
        .load_mentions()
        .unwrap()
        .iter()
        .filter(|m| states.is_empty() || states.contains(&state_tag(m.state).as_str()))
        .map(|m| (r.key(m), m.state))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Every page of `size`, each asked after the last key of the one before.
fn paged(s: &dyn Store, r: &Ranking, size: usize, states: &[&str]) -> Vec<(RankKey, MentionState)> {
    let mut out: Vec<(RankKey, MentionState)> = Vec::new();
    loop {
        let page = s
            .rank_range(r, out.last().map(|(k, _)| k), size, states)
            .unwrap();
        assert!(page.len() <= size);
        let done = page.len() < size;
        out.extend(page);
        if done {
            return out;
        }
    }
}

fn counts(s: &dyn Store) -> BTreeMap<String, usize> {
    let mut c = BTreeMap::new();
    for m in s.load_mentions().unwrap() {
        *c.entry(state_tag(m.state)).or_insert(0) += 1;
    }
    c
}

fn filled() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = SledStore::open(&dir.path().join("store")).unwrap();
    for i in 0..N {
        assert!(s.insert_mention_if_absent(&mention(i)).unwrap());
    }
    (dir, s)
}

#[test]
fn pages_of_the_rank_order_are_the_order_of_a_full_load() {
    let (_dir, s) = filled();
    let r = ranking(30);
    let want = expected(&s, &r, &[]);
    assert_eq!(want.len(), N);
    // The bands all occur, so the order is more than a sort by time.
    let bands: std::collections::BTreeSet<_> = want.iter().map(|(k, _)| k.band).collect();
    assert_eq!(bands.len(), 3, "{bands:?}");
    assert_eq!(paged(&s, &r, 37, &[]), want);
    assert_eq!(paged(&s, &r, N + 1, &[]), want);
    let open = ["new", "seen", "snoozed"];
    let want_open = expected(&s, &r, &open);
    assert!(!want_open.is_empty() && want_open.len() < N);
    assert_eq!(paged(&s, &r, 25, &open), want_open);
    assert_eq!(s.rank_range(&r, None, 0, &[]).unwrap(), vec![]);
    let last = &want.last().unwrap().0;
    assert_eq!(s.rank_range(&r, Some(last), 10, &[]).unwrap(), vec![]);
}

#[test]
fn the_index_follows_every_write_and_survives_a_restart() {
    let (dir, s) = filled();
    let r = ranking(30);
    // Built on the first query; then each write keeps it.
    assert_eq!(paged(&s, &r, 50, &[]), expected(&s, &r, &[]));

    // A new mention, a state change, a relabel that moves it to another band.
    s.insert_mention_if_absent(&mention(N)).unwrap();
    assert!(!s.insert_mention_if_absent(&mention(N)).unwrap());
    // A batch, as the writer stores what arrives: new once, however often it comes.
    let batch = [mention(N + 1), mention(N + 1), mention(0), mention(N + 2)];
    assert_eq!(
        s.insert_mentions_if_absent(&batch).unwrap(),
        [true, false, false, true]
    );
    let mut m = mention(2);
    assert_eq!(m.sentiment.label, Label::Positive);
    m.state = MentionState::Seen;
    m.sentiment.label = Label::Negative;
    m.sentiment.score = -0.9;
    s.put_mention(&m).unwrap();
    // A sent answer marks its mention replied in the same write as the index.
    let answered = mention(4);
    s.put_reply(&Reply {
        id: "demo:4#r1".into(),
        mention_id: answered.id.clone(),
        source: "demo".into(),
        text: "Sorry!".into(),
        private: false,
        created: 5,
        sent: Some(6),
        state: ReplyState::Sent,
        delivery: Default::default(),
    })
    .unwrap();
    let want = expected(&s, &r, &[]);
    assert_eq!(want.len(), N + 3);
    assert!(want
        .iter()
        .any(|(k, st)| k.id == answered.id && *st == MentionState::Replied));
    assert_eq!(paged(&s, &r, 50, &[]), want);
    assert_eq!(s.count_by_state().unwrap(), counts(&s));
    s.flush().unwrap();
    drop(s);

    // The index and its ranking are kept: a restart reads them as they were.
    let s = SledStore::open(&dir.path().join("store")).unwrap();
    assert!(s.meta_get("rank.basis").unwrap().is_some());
    assert_eq!(paged(&s, &r, 64, &[]), want);

    // Another SLA ranks otherwise (reach counts in minutes of the SLA): the index is
    // built again for it, and for the first one when it comes back.
    let tight = ranking(5);
    let ids =
        |v: &[(RankKey, MentionState)]| v.iter().map(|(k, _)| k.id.clone()).collect::<Vec<_>>();
    assert_ne!(
        ids(&expected(&s, &tight, &[])),
        ids(&want),
        "a different order"
    );
    assert_eq!(paged(&s, &tight, 64, &[]), expected(&s, &tight, &[]));
    assert_eq!(paged(&s, &r, 64, &[]), want);
}

#[test]
fn mentions_by_ids_keep_the_order_asked_and_counts_match_a_full_load() {
    let (_dir, s) = filled();
    let ids: Vec<MentionId> = ["demo:17", "nowhere:1", "demo:3", "demo:17"]
        .map(String::from)
        .to_vec();
    let got = s.mentions_by_ids(&ids).unwrap();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].as_ref(), Some(&mention(17)));
    assert_eq!(got[1], None);
    assert_eq!(got[2].as_ref(), Some(&mention(3)));
    assert_eq!(got[3], got[0]);
    assert_eq!(s.mentions_by_ids(&[]).unwrap(), vec![]);
    // Without an index the batch insert says the same.
    let batch = [mention(N), mention(N), mention(1)];
    assert_eq!(
        s.insert_mentions_if_absent(&batch).unwrap(),
        [true, false, false]
    );
    let n = N + 1;

    // Counted from the mentions before there is an index, from the index after.
    let want = counts(&s);
    assert_eq!(want.values().sum::<usize>(), n);
    assert_eq!(want.len(), 5, "{want:?}");
    assert_eq!(s.count_by_state().unwrap(), want);
    s.rank_range(&ranking(30), None, 1, &[]).unwrap();
    assert_eq!(s.count_by_state().unwrap(), want);
    let mut m = mention(5);
    m.state = MentionState::Hidden;
    s.put_mention(&m).unwrap();
    let after = s.count_by_state().unwrap();
    assert_eq!(after, counts(&s));
    assert_eq!(after["hidden"], 1);
}
