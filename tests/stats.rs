//! The shift in figures: statistics on a recorded audit log with hand-computed answers, the
//! same after a restart and read from a copy of the store; the CSV export read back.

mod common;

use modq::model::*;
use modq::stats::{compute, Records, Settings, Window};
use modq::store::{SledStore, Store};

const MIN: Millis = 60_000;
/// 2026-12-07 22:00:00 UTC, the start of the recorded night shift.
const T0: Millis = 1_796_680_800_000;

fn at(min: i64) -> Millis {
    T0 + min * MIN
}

fn mention(id: &str, label: Label, network: Network, lang: &str, created: i64) -> Mention {
    Mention {
        id: id.into(),
        source: "shop".into(),
        network,
        author: Author {
            name: format!("Author {id}"),
            handle: format!("@{id}@example.social"),
            followers: 10,
        },
        text: format!("text of {id}, with \"quotes\", commas\nand a new line"),
        lang: lang.into(),
        created: at(created),
        received: at(created),
        in_reply_to: None,
        url: None,
        sentiment: Sentiment {
            score: if label == Label::Negative { -0.5 } else { 0.1 },
            label,
            reasons: vec![],
        },
        state: MentionState::New,
        cues: vec![],
        author_waiting: false,
        cut: vec![],
        work: Default::default(),
        escalation: None,
    }
}

fn reply(mention: &str, n: u32, sent: i64, private: bool) -> Reply {
    Reply {
        id: format!("{mention}#r{n}"),
        mention_id: mention.into(),
        source: "shop".into(),
        text: format!("answer to {mention}"),
        private,
        created: at(sent) - 30_000,
        sent: Some(at(sent)),
        state: ReplyState::Sent,
        delivery: Default::default(),
    }
}

fn entry(min: i64, actor: &str, action: &str, mention: Option<&str>, detail: &str) -> AuditEntry {
    AuditEntry {
        at: at(min),
        actor: actor.into(),
        action: action.into(),
        mention: mention.map(str::to_string),
        detail: detail.into(),
    }
}

struct Shift {
    mentions: Vec<Mention>,
    replies: Vec<Reply>,
    audit: Vec<AuditEntry>,
}

/// A night shift, 22:00 to 02:00, written as modq writes it.
fn shift() -> Shift {
    use Label::*;
    use Network::*;
    let mentions = vec![
        mention("m1", Negative, Mastodon, "en", 0),
        mention("m2", Neutral, Bluesky, "pl", 10),
        mention("m3", Negative, Mastodon, "ru", 20),
        mention("m4", Neutral, Mastodon, "en", 60),
        mention("m5", Positive, Bluesky, "en", 70),
        mention("m6", Negative, Mastodon, "tr", 90),
        mention("m7", Neutral, Mastodon, "en", 230),
        mention("m8", Negative, Bluesky, "bg", 120),
        mention("m9", Neutral, Mastodon, "en", -60),
        mention("m10", Neutral, Mastodon, "en", 150),
    ];
    let mut like = reply("m8", 0, 122, false);
    like.id = "m8#like".into();
    let replies = vec![
        reply("m1", 1, 6, false),
        reply("m2", 1, 50, false),
        reply("m3", 1, 50, false),
        reply("m8", 1, 140, false),
        reply("m9", 1, 30, false),
        reply("m10", 1, 154, true),
        like,
    ];
    let audit = vec![
        entry(5, "ana", "reply.send", Some("m1"), "m1#r1"),
        entry(6, "ana", "reply.sent", Some("m1"), "m1#r1"),
        entry(
            12,
            "ben",
            "mention.snooze",
            Some("m2"),
            &format!("until {}", at(42)),
        ),
        entry(29, "ana", "reply.send", Some("m9"), "m9#r1"),
        entry(30, "ana", "reply.sent", Some("m9"), "m9#r1"),
        entry(49, "ben", "reply.send", Some("m2"), "m2#r1"),
        entry(49, "ana", "reply.send", Some("m3"), "m3#r1"),
        entry(50, "ben", "reply.sent", Some("m2"), "m2#r1"),
        entry(50, "ana", "reply.sent", Some("m3"), "m3#r1"),
        entry(55, "ana", "mention.escalate", Some("m3"), "legal"),
        entry(60, "ana", "mention.translate", Some("m4"), "bot"),
        entry(61, "ben", "mention.spam", Some("m4"), "new -> spam"),
        entry(75, "ana", "mention.done", Some("m5"), "seen -> done"),
        entry(
            100,
            "ben",
            "mention.escalate",
            Some("m6"),
            "billing: card charged twice",
        ),
        entry(121, "ben", "mention.like", Some("m8"), "m8#like"),
        entry(122, "ben", "reply.sent", Some("m8"), "m8#like"),
        entry(
            125,
            "ben",
            "mention.noreply",
            Some("m8"),
            "new -> no reply needed",
        ),
        entry(
            126,
            "ben",
            "mention.undo",
            Some("m8"),
            "mention.noreply: no reply needed -> seen",
        ),
        entry(139, "ben", "reply.send", Some("m8"), "m8#r1"),
        entry(140, "ben", "reply.sent", Some("m8"), "m8#r1"),
        entry(153, "ana", "reply.send", Some("m10"), "m10#r1"),
        entry(154, "ana", "reply.sent", Some("m10"), "m10#r1"),
        entry(180, "ana", "csat.score", Some("m1"), "5"),
        entry(190, "ana", "csat.score", Some("m2"), "4"),
        entry(200, "ana", "csat.score", Some("m3"), "2"),
        // After the window: counts for nothing.
        entry(250, "ana", "mention.done", Some("m6"), "seen -> done"),
        entry(251, "ana", "csat.score", Some("m6"), "1"),
    ];
    Shift {
        mentions,
        replies,
        audit,
    }
}

fn settings() -> Settings {
    Settings {
        policy: Default::default(),
        base: 30 * MIN,
        weights: Default::default(),
        tz: jiff::tz::TimeZone::UTC,
    }
}

const WINDOW: Window = Window {
    from: T0,
    to: T0 + 240 * MIN,
};

fn records(s: &Shift) -> Records<'_> {
    Records {
        mentions: &s.mentions,
        replies: &s.replies,
        audit: &s.audit,
    }
}

#[test]
fn figures_of_a_recorded_shift_match_the_hand_computed_ones() {
    let s = shift();
    let st = compute(records(&s), WINDOW, &settings());
    let t = &st.totals;
    // m9 arrived before the shift; m4 is spam: 8 of 9 needed an answer (m8's "no reply
    // needed" was undone), 5 got one (m10's private reply counts; m8's like does not).
    assert_eq!(t.mentions_in, 9);
    assert_eq!(t.needing_reply, 8);
    assert_eq!(t.answered, 5);
    assert_eq!(t.response_rate, Some(62.5));
    // First responses: m10 4, m1 6, m2 10 (20 minus 30 snoozed of its 40), m8 20, m3 30.
    assert_eq!(t.first_response_median, Some(10 * MIN));
    assert_eq!(t.first_response_p90, Some(30 * MIN));
    // Met: m1 (6 < 15), m2 (10 < 30), m5 (done at 5), m10 (4). Breached: m3 (30 ≥ 15),
    // m8 (20 ≥ 15: its undone "no reply needed" handled nothing), m6 (open past 15).
    // m7, 10 minutes old at the end, is neither yet.
    assert_eq!((t.sla_met, t.sla_breached), (4, 3));
    assert_eq!(t.sla_met_pct, Some(400.0 / 7.0));
    assert_eq!(t.negative, 4);
    assert_eq!(t.negative_share, Some(400.0 / 9.0));
    // Sent in the window, to mentions of any age (m9's too), likes aside.
    assert_eq!(st.replies_sent, 6);
    assert_eq!(st.escalations, 2);
    assert_eq!(
        st.escalations_by_department,
        vec![("billing".to_string(), 1), ("legal".to_string(), 1)]
    );
    assert_eq!(st.csat.count, 3);
    assert_eq!(st.csat.average, Some(11.0 / 3.0));
    // `mention.translate` is an action these figures do not know.
    assert_eq!(st.other_actions, 1);

    let net: Vec<(&str, usize)> = st
        .by_network
        .iter()
        .map(|g| (g.key.as_str(), g.figures.mentions_in))
        .collect();
    assert_eq!(net, [("mastodon", 6), ("bluesky", 3)]);
    let ana = st.by_moderator.iter().find(|g| g.key == "ana").unwrap();
    // ana answered m1, m3, m10 and closed m5; ben answered m2, m8 and marked m4 spam.
    assert_eq!((ana.figures.mentions_in, ana.figures.answered), (4, 3));
    assert_eq!(ana.figures.first_response_median, Some(6 * MIN));
    let ben = st.by_moderator.iter().find(|g| g.key == "ben").unwrap();
    assert_eq!((ben.figures.mentions_in, ben.figures.answered), (3, 2));
    let neg = st
        .by_sentiment
        .iter()
        .find(|g| g.key == "negative")
        .unwrap();
    assert_eq!(neg.figures.sla_breached, 3);

    let labels: Vec<&str> = st.by_hour.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(labels, ["22:00", "23:00", "00:00", "01:00"]);
    assert_eq!(st.arrivals_per_hour(), [3, 3, 2, 1]);
    assert_eq!(st.negative_share_per_hour(), [67, 33, 50, 0]);
}

#[test]
fn a_reply_after_the_window_does_not_count_and_the_clock_is_the_one_given() {
    let s = shift();
    // The shift seen at 22:40: m1 answered; m2 snoozed (paused); m3 open for 20 > 15.
    let w = Window {
        from: T0,
        to: at(40),
    };
    let st = compute(records(&s), w, &settings());
    assert_eq!(st.totals.mentions_in, 3);
    assert_eq!(st.totals.answered, 1);
    assert_eq!((st.totals.sla_met, st.totals.sla_breached), (1, 1));
    assert_eq!(st.escalations, 0);
}

/// Writes the shift into a store at `dir`, as the console's writer would.
fn record(dir: &std::path::Path, s: &Shift) {
    let store = SledStore::open(dir).unwrap();
    for m in &s.mentions {
        store.insert_mention_if_absent(m).unwrap();
    }
    for r in &s.replies {
        store.put_reply(r).unwrap();
    }
    for e in &s.audit {
        store.append_audit(e).unwrap();
    }
    store.flush().unwrap();
}

#[test]
fn figures_are_the_same_after_a_restart_and_from_a_copy_of_the_store() {
    let s = shift();
    let expected = compute(records(&s), WINDOW, &settings());
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    record(&store_dir, &s);
    // Reopened, as after a restart (the sent replies have marked their mentions replied).
    let store = SledStore::open(&store_dir).unwrap();
    let loaded = modq::stats::cmd::Loaded::from_store(&store).unwrap();
    assert_eq!(compute(loaded.records(), WINDOW, &settings()), expected);
    drop(store);
    // Read as `modq stats` reads it: a copy, while nothing holds the store.
    let mut tries = 0;
    let snap = loop {
        match modq::export::Snapshot::open(&store_dir) {
            Ok(s) => break s,
            // sled lets go of its lock a moment after the last handle is dropped.
            Err(e) if tries < 40 && e.contains("in use") => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("{e}"),
        }
    };
    let loaded = modq::stats::cmd::Loaded::read(&snap).unwrap();
    assert_eq!(compute(loaded.records(), WINDOW, &settings()), expected);
}

#[test]
fn a_store_in_use_is_refused_with_the_reason_and_left_alone() {
    let s = shift();
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    record(&store_dir, &s);
    let open = SledStore::open(&store_dir).unwrap();
    let err = modq::export::Snapshot::open(&store_dir).err().unwrap();
    assert!(err.contains("in use by a running modq"), "{err}");
    assert!(err.contains("press S"), "{err}");
    assert_eq!(open.load_audit().unwrap().len(), s.audit.len());
}

#[test]
fn the_text_table_carries_the_figures() {
    let s = shift();
    let st = compute(records(&s), WINDOW, &settings());
    let text = modq::stats::text::render(&st, &jiff::tz::TimeZone::UTC);
    assert!(
        text.starts_with("modq stats 2026-12-07 22:00 → 2026-12-08 02:00\n"),
        "{text}"
    );
    assert!(
        text.contains("5 of 8 needing a reply · response rate 62.5% (target 100%)"),
        "{text}"
    );
    assert!(text.contains("median 10m 00s · p90 30m 00s"), "{text}");
    assert!(text.contains("4 of 7 (57.1%) · 3 breached"), "{text}");
    assert!(text.contains("2 (billing 1 · legal 1)"), "{text}");
    assert!(text.contains("3.67 average of 3 answers"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
    }
    let json = serde_json::to_value(&st).unwrap();
    assert_eq!(json["answered"], 5);
    assert_eq!(json["by_hour"][0]["mentions_in"], 3);
}

// ---- the stats pane (S) and the hand-over (B) in the console ----

use common::Harness;
use modq::app::Effect;

/// A short shift on the demo: two replies, one done, one spam, an hour later.
fn worked_shift() -> Harness {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("r");
    h.type_text("Hi, we are sorry about this. We are checking your order now.");
    h.key("<C-s>");
    h.tick(4 * MIN);
    h.keys("j r");
    h.type_text("Thank you for telling us, we will look into it today.");
    h.key("<C-s>");
    h.tick(9 * MIN);
    h.keys("j d j x");
    h.tick(60 * MIN);
    h
}

/// Answers the pane's request as the console's driver would, from the harness's store.
fn answer_figures(h: &mut Harness) {
    let reqs: Vec<Effect> = h
        .outside
        .drain(..)
        .filter(|e| matches!(e, Effect::Figures(_)))
        .collect();
    assert!(!reqs.is_empty(), "no figures were asked for");
    for e in reqs {
        let Effect::Figures(req) = e else { continue };
        let ev = modq::app::figures::answer(&req, h.store.as_ref(), jiff::tz::TimeZone::UTC);
        h.event(ev);
    }
}

#[test]
fn the_stats_pane_at_80x24_200x60_and_in_mono() {
    let mut h = worked_shift();
    h.key("S");
    assert!(h.screen(80, 24).contains("computing the figures"));
    answer_figures(&mut h);
    let small = h.screen(80, 24);
    assert!(small.contains("answered       2 of"), "{small}");
    assert!(small.contains("arrivals per hour"), "{small}");
    assert!(small.contains("negative share per hour"), "{small}");
    insta::assert_snapshot!("stats_pane_80x24", small);
    insta::assert_snapshot!("stats_pane_200x60", h.screen(200, 60));
    // j scrolls the breakdowns; Esc closes and the queue is back.
    h.key("j");
    h.key("<Esc>");
    assert!(h.app.figures.is_none());
    h.keys(":");
    h.type_text("theme mono\n");
    h.key("S");
    answer_figures(&mut h);
    let t = h.render(80, 24);
    for c in t.backend().buffer().content() {
        assert!(matches!(c.fg, ratatui::style::Color::Reset), "{c:?}");
        assert!(matches!(c.bg, ratatui::style::Color::Reset), "{c:?}");
    }
    insta::assert_snapshot!("stats_pane_mono_80x24", h.screen(80, 24));
}

#[test]
fn a_late_answer_to_an_older_request_is_dropped() {
    let mut h = worked_shift();
    h.key("S");
    let old: Vec<Effect> = h.outside.drain(..).collect();
    h.key("<Esc>");
    h.keys(":");
    h.type_text("stats 2h\n");
    answer_figures(&mut h);
    let Some(Effect::Figures(req)) = old.into_iter().find(|e| matches!(e, Effect::Figures(_)))
    else {
        panic!("no request")
    };
    let before = h.app.figures.clone();
    h.event(modq::app::figures::answer(
        &req,
        h.store.as_ref(),
        jiff::tz::TimeZone::UTC,
    ));
    assert_eq!(h.app.figures, before);
    assert!(h.screen(80, 24).contains("last 2 h"));
}

#[test]
fn the_handover_pane_and_its_dismissal_is_remembered() {
    let mut h = worked_shift();
    h.key("B");
    answer_figures(&mut h);
    let screen = h.screen(80, 24);
    assert!(screen.contains("Hand-over"), "{screen}");
    assert!(screen.contains("open now: safety"), "{screen}");
    insta::assert_snapshot!("handover_80x24", screen);
    insta::assert_snapshot!("handover_200x60", h.screen(200, 60));
    h.key("<Esc>");
    assert!(h.app.figures.is_none());
    let read = h
        .store
        .meta_get(modq::stats::cmd::DISMISSED)
        .unwrap()
        .expect("dismissal stored");
    assert_eq!(read, format!("{} tester", h.now));
}

#[test]
fn the_handover_is_due_once_per_shift_for_the_next_moderator() {
    use modq::stats::cmd::handover_due;
    let log = vec![
        entry(0, "ana", "mention.done", Some("m1"), "seen -> done"),
        entry(30, "ana", "reply.send", Some("m2"), "m2#r1"),
    ];
    let read = |min: i64, who: &str| format!("{} {who}", at(min));
    // Ben starts after Ana's shift: due, until he has read it.
    assert!(handover_due(None, "ben", at(60), &log));
    assert!(handover_due(Some(&read(-10, "ana")), "ben", at(60), &log));
    assert!(!handover_due(Some(&read(61, "ben")), "ben", at(62), &log));
    // Ana restarting within her own shift: nothing new from anyone else.
    assert!(!handover_due(Some(&read(-10, "ana")), "ana", at(60), &log));
    assert!(!handover_due(None, "ana", at(60), &log));
    // Ana back the next day after working alone: a new shift.
    assert!(handover_due(Some(&read(-600, "ana")), "ana", at(60), &log));
    // Nothing logged since it was read: nothing to hand over.
    assert!(!handover_due(Some(&read(40, "ana")), "ben", at(600), &log));
}

#[test]
fn handover_lists_what_is_left_by_hand_computed_answers() {
    let mut s = shift();
    // The states the store holds after the shift.
    for m in &mut s.mentions {
        m.state = match m.id.as_str() {
            "m4" => MentionState::Spam,
            "m5" => MentionState::Done,
            "m6" | "m7" => MentionState::Seen,
            _ => MentionState::Replied,
        };
    }
    let now = at(240);
    let h = modq::stats::handover::compute(records(&s), WINDOW, now, &settings(), &[]);
    // Open now: m6 (negative, 150 min, late) and m7 (neutral, 10 min).
    let open: Vec<(String, usize, usize)> = h
        .open_by_band
        .iter()
        .map(|b| (b.band.clone(), b.open, b.breached))
        .collect();
    assert_eq!(
        open,
        [
            ("safety".to_string(), 0, 0),
            ("negative".to_string(), 1, 1),
            ("other".to_string(), 1, 0),
        ]
    );
    assert_eq!(h.breached_in_window, 3);
    // m6 went to billing and waits; m3 went to legal after its reply, nothing since.
    let waiting: Vec<&str> = h
        .escalations_waiting
        .iter()
        .map(|i| i.mention.as_str())
        .collect();
    assert_eq!(waiting, ["m3", "m6"]);
    assert!(h.escalations_waiting[1].why.starts_with("billing, "));
    assert!(h.repeat_complainers.is_empty());
    assert!(h.spikes.is_empty());
}
