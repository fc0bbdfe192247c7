//! Key-script tests of the shift's workflow: states, tags, notes, bulk marks, assignment
//! and the author panel, through the real keymap, app, store writer and demo sink.

mod common;

use common::{Harness, NOW};
use modq::app::queue::View;
use modq::app::Effect;
use modq::model::{Mention, MentionState, Millis};
use modq::sources::RawMention;
use modq::store::Store;

const MIN: Millis = 60_000;

fn audit(h: &Harness) -> Vec<(String, Option<String>, String, String)> {
    h.store
        .load_audit()
        .unwrap()
        .into_iter()
        .map(|a| (a.action, a.mention, a.detail, a.actor))
        .collect()
}

fn actions_on(h: &Harness, id: &str) -> Vec<String> {
    audit(h)
        .into_iter()
        .filter(|a| a.1.as_deref() == Some(id))
        .map(|a| a.0)
        .collect()
}

fn stored(h: &Harness, id: &str) -> Mention {
    h.store
        .load_mentions()
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
}

/// A new mention from the author of `m`, written now.
fn writes_again(h: &mut Harness, m: &Mention, n: u32) -> String {
    let raw = RawMention {
        source: m.source.clone(),
        network: m.network,
        remote_id: format!("again-{n}"),
        author_name: m.author.name.clone(),
        author_handle: m.author.handle.clone(),
        followers: m.author.followers,
        text: "Here is my order number: 12345".into(),
        lang: Some("en".into()),
        created: h.now,
        in_reply_to: None,
        url: None,
    };
    h.ingest(vec![raw]);
    format!("{}:again-{n}", m.source)
}

fn selected(h: &Harness) -> Mention {
    h.app.selected_mention().unwrap().clone()
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn waiting_stops_the_clock_until_the_author_writes_then_comes_back_first() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("5 j");
    let m = selected(&h);
    h.key("w");
    assert!(matches!(
        h.app.mentions[&m.id].state,
        MentionState::Waiting { since } if since == NOW
    ));
    assert_eq!(h.app.view, View::Open);
    assert!(!h.app.visible.keys.iter().any(|k| k.id == m.id));
    assert!(
        status(&h).contains("waiting for the customer"),
        "{}",
        status(&h)
    );
    let entry = audit(&h)
        .into_iter()
        .find(|a| a.0 == "mention.waiting")
        .unwrap();
    assert_eq!(entry.1.as_deref(), Some(m.id.as_str()));
    assert_eq!(entry.3, "tester");
    assert!(entry.2.ends_with("-> waiting"), "{}", entry.2);
    assert!(matches!(
        stored(&h, &m.id).state,
        MentionState::Waiting { .. }
    ));
    // The clock stands still while we wait: three hours later nothing has been added.
    let before = h.app.sla_clock(&m).left;
    h.tick(180 * MIN);
    let paused = h.app.sla_clock(&h.app.mentions[&m.id].clone());
    assert_eq!(paused.left, before);
    assert!(h.app.pauses.of(&m.id).last().unwrap().1 == Millis::MAX);
    // A restart reads the pause back from the audit log.
    let now = h.now;
    let mut h = h.restart();
    h.now = now;
    h.app.now = now;
    assert_eq!(h.app.pauses.of(&m.id), &[(NOW, Millis::MAX)]);

    // The author writes again: the mention is new again, first of its band in the queue,
    // and the pause ends there (audited as modq's doing).
    let again = writes_again(&mut h, &m, 1);
    let back = h.app.mentions[&m.id].clone();
    assert_eq!(back.state, MentionState::New);
    assert_eq!(back.work.back, Some(h.now));
    let band = modq::triage::priority::band(&back);
    let first_of_band = h.app.visible.keys.iter().find(|k| k.band == band).unwrap();
    assert_eq!(first_of_band.id, m.id);
    assert!(h.app.visible.keys.iter().any(|k| k.id == again));
    let wrote = audit(&h)
        .into_iter()
        .find(|a| a.0 == "mention.author_wrote")
        .unwrap();
    assert_eq!(wrote.3, "modq");
    assert!(wrote.2.contains(&again), "{}", wrote.2);
    assert_eq!(h.app.pauses.of(&m.id).last().unwrap(), &(NOW, h.now));
    // The clock runs again from where it stopped.
    h.tick(10 * MIN);
    let running = h.app.sla_clock(&h.app.mentions[&m.id].clone());
    assert!(running.left < before, "{} < {before}", running.left);
}

#[test]
fn an_older_mention_of_the_author_does_not_end_the_wait() {
    let mut h = Harness::new();
    h.demo(10);
    let m = selected(&h);
    h.key("w");
    h.now -= 60 * MIN;
    writes_again(&mut h, &m, 1);
    assert!(matches!(
        h.app.mentions[&m.id].state,
        MentionState::Waiting { .. }
    ));
}

#[test]
fn snooze_until_the_author_writes() {
    let mut h = Harness::new();
    h.demo(20);
    h.keys("3 j");
    let m = selected(&h);
    h.key("Z");
    assert!(matches!(
        h.app.mentions[&m.id].state,
        MentionState::SnoozedForAuthor { .. }
    ));
    assert!(View::Snoozed.admits(&h.app.mentions[&m.id], h.now + 1000 * MIN));
    let entry = audit(&h)
        .into_iter()
        .find(|a| a.0 == "mention.snooze")
        .unwrap();
    assert_eq!(entry.2, modq::sla::UNTIL_AUTHOR);
    assert_eq!(h.app.pauses.of(&m.id), &[(NOW, Millis::MAX)]);
    // No time brings it back: only the author.
    h.tick(24 * 60 * MIN);
    assert!(!h.app.visible.keys.iter().any(|k| k.id == m.id));
    writes_again(&mut h, &m, 1);
    assert_eq!(h.app.mentions[&m.id].state, MentionState::New);
    assert!(h.app.visible.keys.iter().any(|k| k.id == m.id));
    // `:snooze author` is the same action.
    h.keys("g");
    let other = selected(&h);
    h.keys(":");
    h.type_text("snooze author\n");
    assert!(matches!(
        h.app.mentions[&other.id].state,
        MentionState::SnoozedForAuthor { .. }
    ));
}

#[test]
fn undo_takes_back_waiting_and_the_pause_resumes_on_undo_of_done() {
    let mut h = Harness::new();
    h.demo(20);
    let m = selected(&h);
    h.key("w");
    h.key("u");
    assert_eq!(h.app.mentions[&m.id].state, MentionState::New);
    assert_eq!(h.app.selected.as_ref(), Some(&m.id));
    assert!(actions_on(&h, &m.id).contains(&"mention.undo".to_string()));
    // Waiting, then done by mistake, then undone: waiting again, and the clock stops again.
    h.key("w");
    h.keys(":");
    h.type_text("view snoozed\n");
    h.key("g");
    assert_eq!(h.app.selected.as_ref(), Some(&m.id));
    h.now += 5 * MIN;
    h.key("d");
    assert_eq!(h.app.mentions[&m.id].state, MentionState::Done);
    h.now += 5 * MIN;
    h.key("u");
    assert!(matches!(
        h.app.mentions[&m.id].state,
        MentionState::Waiting { .. }
    ));
    let pauses = h.app.pauses.of(&m.id);
    assert_eq!(pauses.last().unwrap(), &(h.now, Millis::MAX), "{pauses:?}");
}

#[test]
fn after_a_reply_one_key_marks_it_done_or_waiting() {
    for (key, want) in [("w", "waiting"), ("d", "done")] {
        let mut h = Harness::new();
        h.demo(20);
        let m = selected(&h);
        h.key("r");
        h.type_text("Thanks for telling us, we are looking into it now.");
        h.key("<C-s>");
        assert_eq!(h.app.mentions[&m.id].state, MentionState::Replied);
        // The queue moved on to the next mention; the offer is about the one answered.
        assert_ne!(h.app.selected.as_ref(), Some(&m.id));
        let next = h.app.selected.clone().unwrap();
        let screen = h.screen(80, 24);
        assert!(screen.contains("d done · w waiting"), "{screen}");
        h.key(key);
        assert_eq!(h.app.mentions[&m.id].state.name(), want);
        assert_eq!(h.app.mentions[&next].state, MentionState::New);
        assert!(h.app.after_reply.is_none());
    }
    // Any other key forgets the offer: `d` then acts on the selection as usual.
    let mut h = Harness::new();
    h.demo(20);
    let m = selected(&h);
    h.key("r");
    h.type_text("Thanks for telling us, we are looking into it now.");
    h.key("<C-s>");
    h.key("j");
    assert!(h.app.after_reply.is_none());
    let sel = h.app.selected.clone().unwrap();
    h.key("d");
    assert_eq!(h.app.mentions[&m.id].state, MentionState::Replied);
    assert_eq!(h.app.mentions[&sel].state, MentionState::Done);
}

#[test]
fn tags_from_keys_and_commands_are_audited_searchable_and_undoable() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("2 j");
    let m = selected(&h);
    h.app.tags_known = vec!["billing".into(), "delivery".into()];
    h.key("t");
    assert_eq!(h.app.input.as_ref().unwrap().text, "tag ");
    assert_eq!(status(&h), "known tags: billing delivery");
    h.type_text("Billing #refund\n");
    assert_eq!(h.app.mentions[&m.id].work.tags, vec!["billing", "refund"]);
    assert_eq!(stored(&h, &m.id).work.tags, vec!["billing", "refund"]);
    let tag = audit(&h)
        .into_iter()
        .find(|a| a.0 == "mention.tag")
        .unwrap();
    assert_eq!(tag.2, "billing refund");
    // The same tag again changes nothing and is not audited twice.
    h.keys(":");
    h.type_text("tag billing\n");
    assert_eq!(audit(&h).iter().filter(|a| a.0 == "mention.tag").count(), 1);
    // Searchable with `/`.
    h.keys("/");
    h.type_text("tag=billing\n");
    assert_eq!(h.app.visible.len(), 1);
    assert_eq!(h.app.visible.keys[0].id, m.id);
    h.key("<Esc>");
    // Shown on the row and in the detail pane.
    let screen = h.screen(80, 24);
    assert!(screen.contains("#billing"), "{screen}");
    h.key("<Enter>");
    let screen = h.screen(200, 60);
    assert!(screen.contains("tags: #billing #refund"), "{screen}");
    h.key("<Esc>");
    h.keys(":");
    h.type_text("untag refund\n");
    assert_eq!(h.app.mentions[&m.id].work.tags, vec!["billing"]);
    h.key("u");
    assert_eq!(h.app.mentions[&m.id].work.tags, vec!["billing", "refund"]);
    let undo = audit(&h)
        .into_iter()
        .rfind(|a| a.0 == "mention.undo")
        .unwrap();
    assert_eq!(undo.2, "mention.untag: +refund");
    h.key("u");
    assert!(h.app.mentions[&m.id].work.tags.is_empty());
}

#[test]
fn notes_are_internal_searchable_kept_and_flagged_for_the_next_shift() {
    let mut h = Harness::new();
    h.demo(30);
    h.key("j");
    let m = selected(&h);
    h.key("N");
    assert_eq!(h.app.input.as_ref().unwrap().text, "note ");
    h.type_text("Courier lost the parcel twice\n");
    h.keys(":");
    h.type_text("note! call back before noon\n");
    let notes = &h.app.mentions[&m.id].work.notes;
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].text, "Courier lost the parcel twice");
    assert_eq!(notes[0].by, "tester");
    assert!(!notes[0].next_shift);
    assert!(notes[1].next_shift);
    let details: Vec<String> = audit(&h)
        .into_iter()
        .filter(|a| a.0 == "mention.note")
        .map(|a| a.2)
        .collect();
    assert_eq!(
        details,
        vec![
            "Courier lost the parcel twice".to_string(),
            "for the next shift: call back before noon".to_string()
        ]
    );
    // Never sent: nothing went to the outbox or outside.
    assert!(h.store.load_replies().unwrap().is_empty());
    assert!(
        h.outside.iter().all(|e| matches!(e, Effect::Bell)),
        "{:?}",
        h.outside
    );
    // `note:` finds it; a word no note has finds nothing.
    h.keys("/");
    h.type_text("note:courier");
    assert_eq!(h.app.visible.len(), 1);
    h.key("<Enter>");
    let screen = h.screen(200, 60);
    h.key("<Enter>");
    let detail = h.screen(200, 60);
    assert!(
        detail.contains("note (tester, 0s ago): Courier lost the parcel twice"),
        "{detail}\n{screen}"
    );
    assert!(detail.contains("⚑ next shift"), "{detail}");
    h.key("<Esc>");
    h.keys("/");
    h.type_text("note:pigeon\n");
    assert_eq!(h.app.visible.len(), 0);
    h.key("<Esc>");
    // A note taken back, then written again.
    h.keys("/");
    h.type_text("note:courier\n");
    assert_eq!(h.app.selected.as_ref(), Some(&m.id));
    h.keys(":");
    h.type_text("note typo\n");
    assert_eq!(h.app.mentions[&m.id].work.notes.len(), 3);
    h.key("u");
    assert_eq!(h.app.mentions[&m.id].work.notes.len(), 2);
    assert!(audit(&h)
        .iter()
        .any(|a| a.0 == "mention.undo" && a.2 == "mention.note: 1 note(s) removed"));
    // Kept across a restart.
    let h = h.restart();
    assert_eq!(h.app.mentions[&m.id].work.notes.len(), 2);
    assert!(h.app.mentions[&m.id].work.notes[1].next_shift);
}

#[test]
fn bulk_marks_act_on_all_with_one_audit_entry_each_and_one_undo() {
    let mut h = Harness::new();
    h.demo(40);
    h.key("j");
    h.keys("<Space> <Space> <Space>");
    assert_eq!(h.app.marks.len(), 3);
    let marked: Vec<String> = h
        .app
        .visible
        .keys
        .iter_from(1)
        .take(3)
        .map(|k| k.id.clone())
        .collect();
    assert!(marked.iter().all(|id| h.app.marks.contains(id)));
    // The cursor moved on; marked rows show in the queue, and the count in the status bar.
    assert_eq!(h.app.selected_index(), Some(4));
    let screen = h.screen(80, 24);
    assert_eq!(screen.matches('◆').count(), 3, "{screen}");
    assert!(screen.contains("3 marked"), "{screen}");
    // Space on a marked row takes its mark off.
    h.key("k");
    h.key("<Space>");
    assert_eq!(h.app.marks.len(), 2);
    h.key("k");
    h.key("<Space>");
    assert_eq!(h.app.marks.len(), 3);
    h.key("d");
    for id in &marked {
        assert_eq!(h.app.mentions[id].state, MentionState::Done);
        assert_eq!(actions_on(&h, id), vec!["mention.done".to_string()], "{id}");
    }
    assert!(h.app.marks.is_empty());
    assert!(status(&h).contains("3 mentions"), "{}", status(&h));
    h.key("u");
    for id in &marked {
        assert_eq!(h.app.mentions[id].state, MentionState::New);
    }
    assert!(status(&h).contains("undone: mention.done 3 mentions"));
}

#[test]
fn visual_range_and_counts_extend_the_marks() {
    let mut h = Harness::new();
    h.demo(40);
    h.key("<Space>");
    h.keys("4 j");
    h.key("V");
    // From the first mark (row 0) to the cursor (row 5).
    assert_eq!(h.app.marks.len(), 6);
    h.keys(":");
    h.type_text("tag outage\n");
    assert_eq!(audit(&h).iter().filter(|a| a.0 == "mention.tag").count(), 6);
    h.key("u");
    assert!(h.app.mentions.values().all(|m| m.work.tags.is_empty()));
    // A count: that many rows from the cursor.
    h.keys("g 3 V");
    assert_eq!(h.app.marks.len(), 3);
    h.keys("n");
    assert_eq!(
        h.app
            .mentions
            .values()
            .filter(|m| m.state == MentionState::NoReply)
            .count(),
        3
    );
}

#[test]
fn all_acts_on_the_whole_filter_result() {
    let mut h = Harness::new();
    h.demo(60);
    h.keys("/");
    h.type_text("lang=ru\n");
    let ru: Vec<String> = h.app.visible.keys.iter().map(|k| k.id.clone()).collect();
    assert!(ru.len() > 1);
    h.keys(":");
    h.type_text("all spam\n");
    for id in &ru {
        assert_eq!(h.app.mentions[id].state, MentionState::Spam);
    }
    assert_eq!(
        audit(&h).iter().filter(|a| a.0 == "mention.spam").count(),
        ru.len()
    );
    assert!(h
        .app
        .mentions
        .values()
        .filter(|m| m.lang != "ru")
        .all(|m| m.state == MentionState::New));
    h.key("u");
    assert!(ru
        .iter()
        .all(|id| h.app.mentions[id].state == MentionState::New));
    // Snooze and `:all` alone (marks, then any action).
    h.keys(":");
    h.type_text("all\n");
    assert_eq!(h.app.marks.len(), ru.len());
    h.key("z");
    assert!(ru
        .iter()
        .all(|id| matches!(h.app.mentions[id].state, MentionState::Snoozed { .. })));
    h.key("u");
    h.keys(":");
    h.type_text("all\n");
    h.keys(":");
    h.type_text("unmark\n");
    assert!(h.app.marks.is_empty());
}

#[test]
fn assign_take_and_mine() {
    let mut h = Harness::new();
    h.demo(30);
    let first = selected(&h);
    h.keys(":");
    h.type_text("assign kim\n");
    assert_eq!(
        h.app.mentions[&first.id].work.assignee.as_deref(),
        Some("kim")
    );
    h.key("j");
    let second = selected(&h);
    h.keys(":");
    h.type_text("take\n");
    assert_eq!(
        h.app.mentions[&second.id].work.assignee.as_deref(),
        Some("tester")
    );
    let details: Vec<String> = audit(&h)
        .into_iter()
        .filter(|a| a.0 == "mention.assign")
        .map(|a| a.2)
        .collect();
    assert_eq!(details, vec!["nobody -> kim", "nobody -> tester"]);
    let screen = h.screen(80, 24);
    assert!(screen.contains("→kim"), "{screen}");
    assert!(screen.contains("→tester"), "{screen}");
    h.key("m");
    assert_eq!(h.app.visible.len(), 1);
    assert_eq!(h.app.visible.keys[0].id, second.id);
    assert!(h.screen(80, 24).contains("· mine"));
    h.key("m");
    assert_eq!(h.app.visible.len(), 30);
    h.keys("/");
    h.type_text("assignee=kim\n");
    assert_eq!(h.app.visible.len(), 1);
    h.key("<Esc>");
    h.keys("g :");
    h.type_text("assign -\n");
    assert_eq!(h.app.mentions[&first.id].work.assignee, None);
    h.key("u");
    assert_eq!(
        h.app.mentions[&first.id].work.assignee.as_deref(),
        Some("kim")
    );
    // Kept on disk.
    let h = h.restart();
    assert_eq!(
        h.app.mentions[&second.id].work.assignee.as_deref(),
        Some("tester")
    );
}

#[test]
fn records_written_before_the_workflow_still_load() {
    // A mention as stores hold it today: no `work`, the old states.
    let old = r#"{"id":"demo:1","source":"demo","network":"mastodon",
        "author":{"name":"A","handle":"@a","followers":3},"text":"hi","lang":"en",
        "created":1,"received":1,"in_reply_to":null,"url":null,
        "sentiment":{"score":0.0,"label":"neutral","reasons":[]},
        "state":{"state":"snoozed","until":5}}"#;
    let m: Mention = serde_json::from_str(old).unwrap();
    assert_eq!(m.state, MentionState::Snoozed { until: 5 });
    assert!(m.work.is_empty());
    // Written back, it stays the same shape (no empty `work`).
    assert!(!serde_json::to_string(&m).unwrap().contains("\"work\""));
    let mut w = m.clone();
    w.state = MentionState::Waiting { since: 9 };
    w.work.tags.push("billing".into());
    let back: Mention = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
    assert_eq!(back, w);
}

#[test]
fn author_panel_shows_the_history_at_80x24_and_200x60() {
    let mut h = Harness::new();
    h.demo(120);
    h.keys("/");
    h.type_text("@tridley\n");
    assert!(h.app.visible.len() >= 2);
    h.keys(":");
    h.type_text("tag billing\n");
    h.keys(":");
    h.type_text("note! promised a refund by Friday\n");
    h.key("r");
    h.type_text("Thanks for telling us, we are looking into it now.");
    h.key("<C-s>");
    h.key("w");
    h.keys("<Esc> / ");
    h.type_text("@tridley\n");
    h.key("a");
    assert!(h.app.author_view.is_some());
    let small = h.screen(80, 24);
    assert!(small.contains("first contact"), "{small}");
    assert!(small.contains("↳ us (sent)"), "{small}");
    insta::assert_snapshot!("author_panel_80x24", small);
    let wide = h.screen(200, 60);
    assert!(
        wide.contains("note (tester ⚑): promised a refund by Friday"),
        "{wide}"
    );
    assert!(wide.contains("#billing"), "{wide}");
    insta::assert_snapshot!("author_panel_200x60", wide);
    // Keys scroll it and close it; the queue's keys do not fire underneath.
    let visible = h.app.visible.len();
    h.keys("j d");
    assert!(h.app.author_view.is_some());
    assert_eq!(h.app.visible.len(), visible);
    h.key("<Esc>");
    assert!(h.app.author_view.is_none());
    // From the detail pane too.
    h.keys("<Enter> a");
    assert!(h.app.author_view.is_some());
    h.key("q");
    assert!(h.app.author_view.is_none());
    assert!(!h.app.quit);
}

#[test]
fn advocates_and_repeat_complainers_are_marked_in_the_queue() {
    let mut h = Harness::new();
    h.demo(40);
    // With the default rule nobody in this part of the demo has the reach or the praise.
    assert!(!h.screen(200, 60).contains('★'));
    // High reach and never negative: an advocate.
    h.app.author_rules.min_followers = 1000;
    let screen = h.screen(200, 60);
    let reach = h
        .app
        .visible
        .keys
        .iter()
        .map(|k| &h.app.mentions[&k.id])
        .find(|m| m.author.followers >= 1000 && h.app.tallies[&m.author.handle].negative == 0)
        .unwrap();
    let start: String = reach.author.handle.chars().take(12).collect();
    assert!(screen.contains(&format!("★{start}")), "{start}\n{screen}");
    let loud = h
        .app
        .visible
        .keys
        .iter()
        .map(|k| &h.app.mentions[&k.id])
        .find(|m| m.author.followers >= 1000 && m.sentiment.label == modq::model::Label::Negative)
        .unwrap();
    let start: String = loud.author.handle.chars().take(12).collect();
    assert!(!screen.contains(&format!("★{start}")), "{start}\n{screen}");
    // A rule from config: one complaint makes a repeat complainer.
    h.app.author_rules.min_complaints = 1;
    let screen = h.screen(200, 60);
    let neg = h
        .app
        .visible
        .keys
        .iter()
        .map(|k| &h.app.mentions[&k.id])
        .find(|m| m.sentiment.label == modq::model::Label::Negative)
        .unwrap();
    let start: String = neg.author.handle.chars().take(12).collect();
    assert!(screen.contains(&format!("↻{start}")), "{screen}");
    let c: modq::config::Config =
        toml::from_str("[advocates]\nmin_followers = 10\nmin_praise = 2\nmin_complaints = 4\n")
            .unwrap();
    assert_eq!(c.advocates.min_followers, 10);
    assert_eq!(c.advocates.min_complaints, 4);
}

/// Rows with an assignee, tags (one from the team's list), marks, and the states that wait.
fn shift_in_progress() -> Harness {
    let mut h = Harness::new();
    h.app.tags_known = vec!["billing".into()];
    h.demo(60);
    h.keys(":");
    h.type_text("tag billing vip\n");
    h.keys(":");
    h.type_text("assign kim\n");
    h.keys("j :");
    h.type_text("take\n");
    h.keys("j j w Z");
    h.keys("j <Space> <Space>");
    h
}

#[test]
fn queue_rows_show_marks_tags_and_assignees_at_80x24_and_200x60() {
    let mut h = shift_in_progress();
    let small = h.screen(80, 24);
    assert!(small.contains("→kim #billing #vip"), "{small}");
    assert_eq!(small.matches('◆').count(), 2, "{small}");
    insta::assert_snapshot!("queue_shift_80x24", small);
    insta::assert_snapshot!("queue_shift_200x60", h.screen(200, 60));
    // The tag from the team's list is drawn in the theme's `tag` style, a free one dim.
    let t = h.render(80, 24);
    let buf = t.backend().buffer();
    let cell_of = |needle: &str| {
        (0..24u16).find_map(|y| {
            let cells: Vec<&str> = (0..80u16).map(|x| buf[(x, y)].symbol()).collect();
            let line = cells.concat();
            let byte = line.find(needle)?;
            // Cells up to that byte: each cell holds one symbol here.
            let mut seen = 0;
            let x = cells.iter().position(|c| {
                seen += c.len();
                seen > byte
            })?;
            Some(&buf[(x as u16 + 1, y)])
        })
    };
    let theme = &h.app.theme;
    let known = cell_of("#billing").unwrap();
    let free = cell_of("#vip").unwrap();
    assert_eq!(known.fg, theme.style(modq::theme::Role::Tag).fg.unwrap());
    assert_eq!(free.fg, theme.style(modq::theme::Role::Dim).fg.unwrap());
    assert_ne!(known.fg, free.fg);
}

#[test]
fn waiting_and_snoozed_for_the_author_in_the_snoozed_view_at_80x24() {
    let mut h = shift_in_progress();
    h.keys(":");
    h.type_text("view snoozed\n");
    let screen = h.screen(80, 24);
    assert!(screen.contains("wait"), "{screen}");
    assert!(screen.contains("zzz@"), "{screen}");
    insta::assert_snapshot!("snoozed_view_80x24", screen);
}
