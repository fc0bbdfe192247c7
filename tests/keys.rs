//! Key-script tests: real keys through the real keymap, app, store writer and demo sink.

mod common;

use common::{Harness, NOW};
use modq::app::queue::View;
use modq::keymap::Mode;
use modq::model::{MentionState, ReplyState};
use modq::store::Store;

#[test]
fn reply_from_start_to_sent() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("j j");
    let id = h.app.selected.clone().unwrap();
    h.keys("r");
    assert_eq!(h.app.mode, Mode::Compose);
    h.type_text("Hi, sorry for the wait.\nWe are checking your order now.");
    assert_eq!(
        h.app.drafts[&id],
        "Hi, sorry for the wait.\nWe are checking your order now."
    );
    h.key("<C-s>");

    let m = &h.app.mentions[&id];
    assert_eq!(m.state, MentionState::Replied);
    let replies = &h.app.replies[&id];
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].state, ReplyState::Sent);
    assert!(!h.app.drafts.contains_key(&id));
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("sent (demo"), "{status}");
    assert_eq!(h.app.mode, Mode::Queue);

    // On disk: the reply as sent, the draft gone, the mention replied, the audit trail.
    let stored = h.store.load_replies().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].state, ReplyState::Sent);
    assert!(h.store.load_drafts().unwrap().is_empty());
    let m = h
        .store
        .load_mentions()
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap();
    assert_eq!(m.state, MentionState::Replied);
    let actions: Vec<String> = h
        .store
        .load_audit()
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(actions.contains(&"reply.send".to_string()), "{actions:?}");
    assert!(actions.contains(&"reply.sent".to_string()), "{actions:?}");
    // The replied mention left the open view; the selection moved to the next one.
    assert!(!h.app.visible.keys.iter().any(|k| k.id == id));
    assert!(h.app.selected.is_some());
}

#[test]
fn no_queue_key_fires_while_typing() {
    let mut h = Harness::new();
    h.demo(20);
    let id = h.app.selected.clone().unwrap();
    let visible = h.app.visible.len();
    h.keys("r");
    h.type_text("dnxzu jkgG q:/?5");
    assert_eq!(
        h.app.compose.as_ref().unwrap().editor.text(),
        "dnxzu jkgG q:/?5"
    );
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    assert_eq!(h.app.visible.len(), visible);
    assert!(!h.app.quit);
    assert!(h.app.help.is_none());
    assert_eq!(h.app.mentions[&id].state, MentionState::Seen);
}

#[test]
fn empty_reply_is_not_sent() {
    let mut h = Harness::new();
    h.demo(5);
    h.keys("r");
    h.type_text("   ");
    h.key("<C-s>");
    assert!(h.app.compose.is_some());
    assert!(h.store.load_replies().unwrap().is_empty());
}

#[test]
fn counts_repeat_motions() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("5 j");
    assert_eq!(h.app.selected_index(), Some(5));
    h.keys("1 2 j 3 k");
    assert_eq!(h.app.selected_index(), Some(14));
    h.keys("G");
    assert_eq!(h.app.selected_index(), Some(h.app.visible.len() - 1));
    h.keys("g");
    assert_eq!(h.app.selected_index(), Some(0));
}

#[test]
fn filter_as_you_type_and_clear() {
    let mut h = Harness::new();
    h.demo(40);
    let all = h.app.visible.len();
    h.keys("/");
    h.type_text("lang=ru");
    assert!(h.app.visible.len() < all);
    assert!(h
        .app
        .visible
        .keys
        .iter()
        .all(|k| h.app.mentions[&k.id].lang == "ru"));
    h.key("<Enter>");
    assert!(h.app.input.is_none());
    assert_eq!(h.app.filter.raw, "lang=ru");
    h.key("<Esc>");
    assert_eq!(h.app.visible.len(), all);

    // Cancelling a filter edit restores what was there.
    h.keys("/");
    h.type_text("sentiment=neg");
    h.key("<Esc>");
    assert_eq!(h.app.visible.len(), all);
}

#[test]
fn command_line() {
    let mut h = Harness::new();
    h.demo(30);
    let id = h.app.selected.clone().unwrap();
    h.key(":");
    h.type_text("done\n");
    assert_eq!(h.app.mentions[&id].state, MentionState::Done);

    let next = h.app.selected.clone().unwrap();
    h.key(":");
    h.type_text("snooze 2h\n");
    assert_eq!(
        h.app.mentions[&next].state,
        MentionState::Snoozed {
            until: NOW + 7_200_000
        }
    );

    h.key(":");
    h.type_text("theme night\n");
    assert_eq!(h.app.theme.name, "night");

    h.key(":");
    h.type_text("filter lang=pl\n");
    assert!(h
        .app
        .visible
        .keys
        .iter()
        .all(|k| h.app.mentions[&k.id].lang == "pl"));

    h.key(":");
    h.type_text("frobnicate\n");
    assert!(h
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("unknown command"));

    h.key(":");
    h.type_text("quit\n");
    assert!(h.app.quit);
}

#[test]
fn marks_are_audited_and_reversible() {
    let mut h = Harness::new();
    h.demo(30);
    let id = h.app.selected.clone().unwrap();
    h.keys("x");
    assert_eq!(h.app.mentions[&id].state, MentionState::Spam);
    h.keys("v v");
    assert_eq!(h.app.view, View::Handled);
    assert!(h.app.visible.keys.iter().any(|k| k.id == id));
    while h.app.selected.as_deref() != Some(id.as_str()) {
        h.keys("j");
    }
    h.keys("U");
    assert_eq!(h.app.mentions[&id].state, MentionState::Seen);
    let audit = h.store.load_audit().unwrap();
    assert!(audit.iter().any(|a| a.action == "mention.spam"
        && a.mention.as_deref() == Some(id.as_str())
        && a.actor == "tester"));
    assert!(audit.iter().any(|a| a.action == "mention.reopen"));
}

/// Hide is local and says so: the status bar names what the network still shows.
#[test]
fn hide_takes_it_out_of_the_open_view_audited_and_says_it_is_local() {
    let mut h = Harness::new();
    h.demo(30);
    for network in [
        modq::model::Network::Mastodon,
        modq::model::Network::Bluesky,
    ] {
        let id = h
            .app
            .visible
            .keys
            .iter()
            .map(|k| k.id.clone())
            .find(|id| h.app.mentions[id].network == network)
            .unwrap();
        h.app.selected = Some(id.clone());
        h.keys("H");
        assert_eq!(h.app.mentions[&id].state, MentionState::Hidden);
        assert!(!h.app.visible.keys.iter().any(|k| k.id == id));
        let said = h.app.status.as_ref().unwrap().text.clone();
        assert!(said.contains("in modq only"), "{said}");
        let network_says = match network {
            modq::model::Network::Mastodon => "still public there",
            _ => "modq does not set one",
        };
        assert!(said.contains(network_says), "{said}");
        let audit = h.store.load_audit().unwrap();
        assert!(audit
            .iter()
            .any(|a| a.action == "mention.hide" && a.mention.as_deref() == Some(id.as_str())));
    }
    // The stored state survives a restart, and `:hide` is the same action.
    let mut h = h.restart();
    assert_eq!(
        h.app
            .mentions
            .values()
            .filter(|m| m.state == MentionState::Hidden)
            .count(),
        2
    );
    let id = h.app.selected.clone().unwrap();
    h.key(":");
    h.type_text("hide\n");
    assert_eq!(h.app.mentions[&id].state, MentionState::Hidden);
}

#[test]
fn snooze_comes_back_when_it_runs_out() {
    let mut h = Harness::new();
    h.demo(10);
    let id = h.app.selected.clone().unwrap();
    h.keys("z");
    assert!(!h.app.visible.keys.iter().any(|k| k.id == id));
    h.tick(29 * 60_000);
    assert!(!h.app.visible.keys.iter().any(|k| k.id == id));
    h.tick(2 * 60_000);
    assert!(h.app.visible.keys.iter().any(|k| k.id == id));
}

#[test]
fn arrivals_do_not_move_the_selection() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("1 5 j");
    let id = h.app.selected.clone().unwrap();
    let screen_row = h.app.selected_index().unwrap() - h.app.scroll;
    // More mentions arrive, many of them more urgent than the selected one.
    let lines = modq::sources::demo::lines();
    let raws = (40..120)
        .map(|i| modq::sources::demo::raw_at(&lines, i, NOW - 50 * 60_000))
        .collect();
    h.ingest(raws);
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    assert_eq!(h.app.selected_index().unwrap() - h.app.scroll, screen_row);
    assert!(h.app.new_above > 0);
}

#[test]
fn draft_survives_a_restart() {
    let mut h = Harness::new();
    h.demo(10);
    h.keys("j r");
    let id = h.app.selected.clone().unwrap();
    h.type_text("Half a reply");
    let h = h.restart();
    let mut h = h;
    assert_eq!(
        h.app.drafts.get(&id).map(String::as_str),
        Some("Half a reply")
    );
    // The reply that was open is open again, on its mention.
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    assert_eq!(
        h.app.compose.as_ref().unwrap().editor.text(),
        "Half a reply"
    );
    h.key("<Esc>");
    h.keys("r");
    assert_eq!(
        h.app.compose.as_ref().unwrap().editor.text(),
        "Half a reply"
    );
}

#[test]
fn escape_keeps_the_draft_and_discard_drops_it() {
    let mut h = Harness::new();
    h.demo(10);
    h.keys("r");
    let id = h.app.selected.clone().unwrap();
    h.type_text("keep me");
    h.key("<Esc>");
    assert_eq!(h.app.mode, Mode::Queue);
    assert_eq!(
        h.store.load_drafts().unwrap(),
        vec![(id.clone(), "keep me".to_string())]
    );
    h.keys("r <C-x>");
    assert!(h.store.load_drafts().unwrap().is_empty());
}

#[test]
fn editor_keys_move_and_undo() {
    let mut h = Harness::new();
    h.demo(3);
    h.keys("r");
    h.type_text("hello world");
    h.keys("<C-Left> <C-Left>");
    h.type_text(">");
    assert_eq!(
        h.app.compose.as_ref().unwrap().editor.text(),
        ">hello world"
    );
    h.keys("<C-z>");
    assert_eq!(h.app.compose.as_ref().unwrap().editor.text(), "hello world");
    h.event(modq::app::Event::Paste("pasted\r\ntext\u{1b}[2J".into()));
    let text = h.app.compose.as_ref().unwrap().editor.text().to_string();
    assert!(text.contains("pasted\ntext"), "{text:?}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn help_lists_the_live_keymap() {
    let mut h = Harness::new();
    h.demo(3);
    h.keys("?");
    let screen = h.screen(120, 60);
    assert!(screen.contains("queue.next"), "{screen}");
    assert!(screen.contains("mention.done"));
    // One row per action, with all its keys.
    assert!(screen.contains("j <Down>       queue.next"), "{screen}");
    assert_eq!(
        screen.matches("queue.next").count(),
        2,
        "queue and detail rows"
    );
    h.keys("<Esc>");
    assert!(h.app.help.is_none());
    // Rebinding changes what help shows.
    let skipped = h
        .app
        .keymap
        .overlay("[queue]\nX = \"mention.done\"\n", "test")
        .unwrap();
    assert_eq!(skipped, []);
    h.keys("?");
    let screen = h.screen(120, 60);
    assert!(screen.contains("d X            mention.done"), "{screen}");
}

#[test]
fn theme_picker_previews_and_cancels() {
    let mut h = Harness::new();
    h.demo(3);
    h.keys("T <Down>");
    assert_ne!(h.app.theme.name, "dark");
    h.keys("<Esc>");
    assert_eq!(h.app.theme.name, "dark");
    h.keys("T");
    h.type_text("mono");
    h.keys("<Enter>");
    assert_eq!(h.app.theme.name, "mono");
}

#[test]
fn thread_parent_jumps_up_the_conversation() {
    let mut h = Harness::new();
    h.demo(330);
    let child = h
        .app
        .visible
        .keys
        .iter()
        .find(|k| h.app.mentions[&k.id].in_reply_to.is_some())
        .unwrap()
        .id
        .clone();
    while h.app.selected.as_deref() != Some(child.as_str()) {
        h.keys("j");
    }
    let parent = h.app.mentions[&child].in_reply_to.clone().unwrap();
    h.keys("p");
    assert_eq!(h.app.selected.as_deref(), Some(parent.as_str()));
}

#[test]
fn restart_brings_back_states_view_filter_and_selection() {
    let mut h = Harness::new();
    h.demo(60);
    let done = h.app.selected.clone().unwrap();
    h.keys("d");
    let snoozed = h.app.selected.clone().unwrap();
    h.keys("z");
    h.keys("/");
    h.type_text("lang=en");
    h.keys("<Enter> 3 j");
    let selected = h.app.selected.clone().unwrap();
    let visible = h.app.visible.len();

    let h = h.restart();
    assert_eq!(h.app.mentions[&done].state, MentionState::Done);
    assert!(matches!(
        h.app.mentions[&snoozed].state,
        MentionState::Snoozed { .. }
    ));
    assert_eq!(h.app.filter.raw, "lang=en");
    assert_eq!(h.app.visible.len(), visible);
    assert_eq!(h.app.selected.as_ref(), Some(&selected));
    assert_eq!(h.app.mentions.len(), 60);
}

#[test]
fn config_problems_are_shown_until_dismissed() {
    let mut h = Harness::new();
    h.demo(5);
    h.app
        .notices
        .push("keymap.toml:3: unknown action 'x' — using the default keymap".into());
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("⚠ keymap.toml:3: unknown action"),
        "{screen}"
    );
    h.keys("<C-l>");
    assert!(!h.screen(80, 24).contains('⚠'));
}

#[test]
fn private_reply_like_and_retry_of_a_failed_reply() {
    let mut h = Harness::new();
    h.demo(10);
    // English replies to an English mention, whichever the queue puts first.
    h.keys("/");
    h.type_text("lang=en");
    h.keys("<Enter>");
    let id = h.app.selected.clone().unwrap();
    assert_eq!(h.app.mentions[&id].lang, "en");
    // A private reply is marked so on its way out.
    h.keys("r");
    h.type_text("Please send us your order number.");
    h.key("<C-p>");
    let replies = &h.app.replies[&id];
    assert_eq!(replies.len(), 1);
    assert!(replies[0].private);
    assert_eq!(replies[0].state, ReplyState::Sent);

    // A like goes through the outbox too, and does not count as an answer.
    let mut h = Harness::new();
    h.demo(10);
    // English replies to an English mention, whichever the queue puts first.
    h.keys("/");
    h.type_text("lang=en");
    h.keys("<Enter>");
    let id = h.app.selected.clone().unwrap();
    assert_eq!(h.app.mentions[&id].lang, "en");
    h.keys("f f");
    let likes = &h.app.replies[&id];
    assert_eq!(likes.len(), 1, "liking twice is one like");
    assert!(modq::outbox::is_like(&likes[0]));
    assert!(h.app.mentions[&id].state.is_open(h.now));

    // A refused reply stays visible with the server's reason; R edits and resends it.
    h.keys("R");
    assert_eq!(h.app.mode, Mode::Queue, "nothing failed yet");
    let mut failed = modq::model::Reply {
        id: format!("{id}#r1"),
        mention_id: id.clone(),
        source: "demo".into(),
        text: "Sorry, we wil fix it".into(),
        private: false,
        created: NOW,
        sent: None,
        state: ReplyState::Failed("422: Validation failed".into()),
        delivery: Default::default(),
    };
    h.event(modq::app::Event::ReplyFailed(Box::new(failed.clone())));
    let screen = h.screen(100, 30);
    assert!(screen.contains("422: Validation failed"), "{screen}");
    h.keys("R");
    assert_eq!(h.app.mode, Mode::Compose);
    assert_eq!(
        h.app.compose.as_ref().unwrap().editor.text(),
        "Sorry, we wil fix it"
    );
    h.keys("<C-Left> <C-Left> <Left>");
    h.type_text("l");
    h.key("<C-s>");
    let list = &h.app.replies[&id];
    failed.state = ReplyState::Failed("422: Validation failed".into());
    assert!(list.contains(&failed), "the failure stays in the history");
    let resent = list
        .iter()
        .find(|r| r.id != failed.id && !modq::outbox::is_like(r))
        .unwrap();
    assert_eq!(resent.text, "Sorry, we will fix it");
    assert_eq!(resent.state, ReplyState::Sent);
}

/// Opening a mention from a connected account asks for its thread and shows the states:
/// loading, then the posts around it; a late answer for an older request is ignored.
#[test]
fn the_detail_pane_shows_the_networks_thread_loading_then_loaded() {
    let mut h = Harness::new();
    h.ingest(vec![modq::sources::RawMention {
        source: "work".into(),
        network: modq::model::Network::Mastodon,
        remote_id: "107".into(),
        author_name: "Kim".into(),
        author_handle: "@kim@shop.example".into(),
        followers: 10,
        text: "parcel lost again".into(),
        lang: Some("en".into()),
        created: NOW - 60_000,
        in_reply_to: None,
        url: None,
    }]);
    h.event(modq::app::Event::Source {
        name: "work".into(),
        state: modq::model::SourceState::Connecting,
    });
    h.keys("<Enter>");
    let seq = h.app.thread.as_ref().unwrap().seq;
    let screen = h.screen(100, 40);
    assert!(
        screen.contains("On Mastodon loading the thread…"),
        "{screen}"
    );
    let post = |text: &str| modq::model::Post {
        handle: "@ann".into(),
        text: text.into(),
    };
    h.event(modq::app::Event::Thread {
        seq: seq - 1,
        result: Err("stale".into()),
    });
    h.event(modq::app::Event::Thread {
        seq,
        result: Ok(modq::model::Thread {
            ancestors: vec![post("asked last week")],
            descendants: vec![post("same for me")],
        }),
    });
    let screen = h.screen(100, 40);
    assert!(!screen.contains("stale"), "{screen}");
    let lines: Vec<&str> = screen.lines().map(str::trim).collect();
    let at = |s: &str| lines.iter().position(|l| l.contains(s)).unwrap();
    assert!(at("↑ @ann: asked last week") < at("▸ @kim@shop.example: parcel lost again"));
    assert!(at("▸ @kim@shop.example: parcel lost again") < at("↳ @ann: same for me"));
}

/// The gate line speaks of the text on screen: an empty reply is not ready, a misspelt word
/// typed into a placeholder is not ready, and leaving it (Tab) flags it at once.
#[test]
fn gate_line_follows_the_text_on_screen() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("r");
    h.event(modq::app::Event::Action(
        modq::app::Action::parse("reply.lang:en").unwrap(),
    ));
    let screen = h.screen(80, 24);
    assert!(!screen.contains("ready to send"), "{screen}");
    assert!(screen.contains("nothing to send yet"), "{screen}");

    h.event(modq::app::Event::Action(
        modq::app::Action::parse("template.insert:delivery-update").unwrap(),
    ));
    h.type_text("A-1742");
    h.key("<Tab>");
    h.type_text("Fridy");
    let screen = h.screen(80, 24);
    assert!(!screen.contains("ready to send"), "{screen}");
    assert!(screen.contains("'Fridy' is checked"), "{screen}");

    // Tab leaves the word (no edit): it is flagged now, on screen and in the findings.
    h.key("<Tab>");
    let c = h.app.compose.as_ref().unwrap();
    let words: Vec<&str> = c
        .gate
        .findings
        .iter()
        .map(|f| &c.editor.text()[f.range.clone()])
        .collect();
    assert!(words.contains(&"Fridy"), "{words:?}");
    let screen = h.screen(80, 24);
    assert!(screen.contains("spelling"), "{screen}");
    assert!(!screen.contains("ready to send"), "{screen}");

    // The same with an arrow key: moving off the word checks it.
    h.keys("<BS> <BS> <BS> <BS> <BS>");
    h.type_text("Tusday");
    assert!(!h.screen(80, 24).contains("ready to send"));
    h.key("<Right>");
    let c = h.app.compose.as_ref().unwrap();
    assert!(
        c.gate
            .findings
            .iter()
            .any(|f| &c.editor.text()[f.range.clone()] == "Tusday"),
        "{:?}",
        c.gate.findings
    );
}

fn audit_of(h: &Harness, action: &str) -> Vec<(Option<String>, String)> {
    h.store
        .load_audit()
        .unwrap()
        .into_iter()
        .filter(|a| a.action == action)
        .map(|a| (a.mention, a.detail))
        .collect()
}

fn stored_state(h: &Harness, id: &str) -> MentionState {
    h.store
        .load_mentions()
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
        .state
}

/// Every queue action is taken back by `u`: the mention it changed gets its state back
/// exactly, on screen and on disk, is selected again, and the undo is audited.
#[test]
fn undo_takes_back_every_queue_action() {
    for (keys, action) in [
        ("d", "mention.done"),
        ("n", "mention.noreply"),
        ("x", "mention.spam"),
        ("z", "mention.snooze"),
        ("H", "mention.hide"),
    ] {
        let mut h = Harness::new();
        h.demo(20);
        h.keys("3 j");
        let id = h.app.selected.clone().unwrap();
        let before = h.app.mentions[&id].state;
        h.keys(keys);
        assert_ne!(h.app.mentions[&id].state, before, "{action}");
        assert_ne!(
            h.app.selected.as_ref(),
            Some(&id),
            "{action}: selection moved on"
        );
        h.keys("u");
        assert_eq!(h.app.mentions[&id].state, before, "{action}");
        assert_eq!(stored_state(&h, &id), before, "{action}");
        assert_eq!(h.app.selected.as_ref(), Some(&id), "{action}: reselected");
        assert!(h.app.visible.keys.iter().any(|k| k.id == id), "{action}");
        let undos = audit_of(&h, "mention.undo");
        assert_eq!(undos.len(), 1, "{action}");
        assert_eq!(undos[0].0.as_deref(), Some(id.as_str()));
        assert!(undos[0].1.starts_with(action), "{action}: {}", undos[0].1);
    }
}

#[test]
fn undo_is_a_stack_and_restores_exact_states() {
    let mut h = Harness::new();
    h.demo(20);
    // A snooze for 2 hours, then done on another one, then the reopen of the snoozed.
    let a = h.app.selected.clone().unwrap();
    h.keys(":");
    h.type_text("snooze 2h\n");
    let snoozed = h.app.mentions[&a].state;
    let b = h.app.selected.clone().unwrap();
    h.keys("d");
    h.keys("v");
    assert_eq!(h.app.view, View::Snoozed);
    while h.app.selected.as_deref() != Some(a.as_str()) {
        h.keys("j");
    }
    h.keys("U");
    assert_eq!(h.app.mentions[&a].state, MentionState::Seen);
    // Back through all three, each on its own mention.
    h.keys("u");
    assert_eq!(
        h.app.mentions[&a].state, snoozed,
        "snoozed until the same time"
    );
    h.keys("u");
    assert_ne!(h.app.mentions[&b].state, MentionState::Done);
    assert_eq!(h.app.selected.as_ref(), Some(&b));
    h.keys("u");
    assert!(h.app.mentions[&a].state.is_open(h.now));
    assert_eq!(h.app.selected.as_ref(), Some(&a));
    h.keys("u");
    assert!(h
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("nothing to undo"));
    assert_eq!(audit_of(&h, "mention.undo").len(), 3);
}

#[test]
fn a_count_marks_that_many_and_one_undo_takes_them_back() {
    let mut h = Harness::new();
    h.demo(20);
    let open = h.app.visible.len();
    let ids: Vec<String> = h
        .app
        .visible
        .keys
        .iter()
        .take(3)
        .map(|k| k.id.clone())
        .collect();
    h.keys("3 x");
    assert_eq!(h.app.visible.len(), open - 3);
    for id in &ids {
        assert_eq!(h.app.mentions[id].state, MentionState::Spam);
    }
    h.keys("u");
    assert_eq!(h.app.visible.len(), open);
    for id in &ids {
        assert!(h.app.mentions[id].state.is_open(h.now));
    }
    assert_eq!(h.app.selected.as_ref(), Some(&ids[0]));
}

#[test]
fn undo_leaves_a_mention_that_changed_since() {
    let mut h = Harness::new();
    h.demo(10);
    let id = h.app.selected.clone().unwrap();
    h.keys("z v");
    while h.app.selected.as_deref() != Some(id.as_str()) {
        h.keys("j");
    }
    h.keys("r");
    h.type_text("Thank you for telling us.");
    h.key("<C-s>");
    assert_eq!(h.app.mentions[&id].state, MentionState::Replied);
    h.keys("u");
    assert_eq!(h.app.mentions[&id].state, MentionState::Replied);
    assert!(h
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("changed since"));
}

#[test]
fn a_discarded_draft_comes_back_with_undo() {
    let mut h = Harness::new();
    h.demo(10);
    let id = h.app.selected.clone().unwrap();
    h.keys("r");
    h.type_text("Half a reply");
    h.key("<C-x>");
    assert!(h.app.compose.is_none());
    assert!(h.store.load_drafts().unwrap().is_empty());
    assert!(h
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("u brings it back"));
    h.keys("j j u");
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    assert_eq!(h.app.drafts[&id], "Half a reply");
    assert_eq!(
        h.store.load_drafts().unwrap(),
        vec![(id.clone(), "Half a reply".to_string())]
    );
    h.keys("r");
    assert_eq!(
        h.app.compose.as_ref().unwrap().editor.text(),
        "Half a reply"
    );
}

fn with_keymap(name: &str) -> Harness {
    let mut h = Harness::new();
    h.app.keymap = modq::keymap::Keymap::embedded(name).unwrap();
    h
}

/// vim: `dd` closes one complaint, `3dd` three, `d` then anything else closes none.
#[test]
fn vim_dd_closes_exactly_one() {
    let mut h = with_keymap("vim");
    h.demo(20);
    let open = h.app.visible.len();
    let first = h.app.selected.clone().unwrap();
    h.keys("d");
    assert_eq!(h.app.visible.len(), open, "d alone waits");
    h.keys("d");
    assert_eq!(h.app.visible.len(), open - 1);
    assert_eq!(h.app.mentions[&first].state, MentionState::Done);
    h.keys("3 d d");
    assert_eq!(h.app.visible.len(), open - 4);
    h.keys("d <Esc> d j");
    assert_eq!(
        h.app.visible.len(),
        open - 4,
        "a broken sequence does nothing"
    );
    h.keys("u u");
    assert_eq!(h.app.visible.len(), open);
    assert_eq!(h.app.selected.as_ref(), Some(&first));
    h.keys("G g g");
    assert_eq!(h.app.selected_index(), Some(0));
}

/// Shrinking the terminal scrolls the queue to keep the selection; growing it back brings
/// the most urgent rows back into view.
#[test]
fn resize_brings_back_the_top_rows() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("6 j");
    h.render(80, 12);
    assert!(h.app.scroll > 0, "a short screen scrolls to the selection");
    let screen = h.screen(80, 24);
    assert_eq!(h.app.scroll, 0, "{screen}");
    let top = h.app.mentions[&h.app.visible.keys[0].id]
        .author
        .handle
        .clone();
    assert!(screen.contains(&top[..12]), "{top} not in\n{screen}");
    assert_eq!(h.app.selected_index(), Some(6));
    // Deep in the queue the least scroll that shows the selection is kept.
    h.keys("2 0 j");
    h.render(80, 12);
    h.render(80, 24);
    let rows = h.app.queue_rows();
    assert_eq!(h.app.scroll, 26 + 1 - rows);
    // A queue that fits whole is never scrolled.
    let mut h = Harness::new();
    h.demo(8);
    h.keys("G");
    h.render(80, 8);
    h.render(200, 60);
    assert_eq!(h.app.scroll, 0);
}

/// After `kill -9` the selection is on the mention it was on, with its reply open, so the
/// draft is not mistaken for another mention's.
#[test]
fn crash_brings_back_the_selection_and_the_open_editor() {
    let mut h = Harness::new();
    h.demo(30);
    h.keys("v v v 7 j");
    let id = h.app.selected.clone().unwrap();
    let h = h.crash();
    assert_eq!(h.app.view, View::All);
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    assert!(h.app.compose.is_none());

    let mut h = h;
    h.keys("v 4 j r");
    let id = h.app.selected.clone().unwrap();
    h.type_text("Half a reply");
    let mut h = h.crash();
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    let c = h.app.compose.as_ref().expect("the editor is open again");
    assert_eq!(c.mention, id);
    assert_eq!(c.editor.text(), "Half a reply");
    assert_eq!(h.app.mode, Mode::Compose);
    h.type_text(", and the rest.");
    h.key("<Esc>");
    let h = h.crash();
    assert!(h.app.compose.is_none(), "closed stays closed");
    assert_eq!(h.app.selected.as_ref(), Some(&id));
    assert_eq!(h.app.drafts[&id], "Half a reply, and the rest.");
}

/// "New" (●) stays on rows the selection only passed over; reading a mention clears it.
#[test]
fn new_is_cleared_by_reading_not_by_scrolling_past() {
    let mut h = Harness::new();
    h.demo(10);
    let passed = h.app.visible.keys[1].id.clone();
    h.keys("j j");
    assert_eq!(h.app.mentions[&passed].state, MentionState::New);
    h.keys("k <Enter>");
    assert_eq!(h.app.mentions[&passed].state, MentionState::Seen);
    // In the detail pane the next mention is read as the selection reaches it.
    h.keys("J");
    let next = h.app.selected.clone().unwrap();
    assert_eq!(h.app.mentions[&next].state, MentionState::Seen);
}

/// A reply of unknown fate: `R` offers the choice (send again with the same key, mark sent,
/// discard); each choice is audited and stored, and "mark sent" closes the mention.
#[test]
fn an_unknown_reply_waits_for_the_moderators_choice() {
    let mut h = Harness::new();
    h.demo(3);
    let unknown = |mention: &str, n: u32| {
        let mut r = modq::model::Reply {
            id: format!("{mention}#r{n}"),
            mention_id: mention.to_string(),
            source: "demo".into(),
            text: "Sorry, we are on it".into(),
            private: false,
            created: NOW,
            sent: None,
            state: ReplyState::Unknown,
            delivery: Default::default(),
        };
        r.delivery.note = Some("the look-up failed: 403: outside the authorized scopes".into());
        modq::app::Event::ReplyUpdated(Box::new(r))
    };
    let stored = |h: &Harness, rid: &str| {
        h.store
            .load_replies()
            .unwrap()
            .into_iter()
            .find(|r| r.id == rid)
            .unwrap_or_else(|| panic!("{rid} not stored"))
    };
    let audited = |h: &Harness, what: &str| {
        h.store
            .load_audit()
            .unwrap()
            .iter()
            .any(|a| format!("{} {}", a.action, a.detail) == what)
    };
    let id = h.app.selected.clone().unwrap();
    h.event(unknown(&id, 1));
    h.keys("R");
    let picker = h
        .app
        .picker
        .as_ref()
        .expect("R on an unknown reply offers the choice");
    assert_eq!(picker.items.len(), 3);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("send it again with the same key"),
        "{screen}"
    );
    assert!(screen.contains("403"), "the reason is shown: {screen}");
    // Discard: not sent, kept in the history, audited; the mention still waits.
    h.keys("<Down> <Down> <Enter>");
    match stored(&h, &format!("{id}#r1")).state {
        ReplyState::Failed(why) => assert!(why.starts_with("discarded by tester"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(audited(&h, &format!("reply.discard {id}#r1")));
    assert!(h.app.mentions[&id].state.is_open(h.now));

    // Mark sent: the reply is sent and the mention replied, in the store too.
    h.event(unknown(&id, 2));
    h.keys("R <Down> <Enter>");
    assert_eq!(stored(&h, &format!("{id}#r2")).state, ReplyState::Sent);
    assert!(audited(&h, &format!("reply.mark_sent {id}#r2")));
    let in_store = h.store.load_mentions().unwrap();
    let m = in_store.iter().find(|m| m.id == id).unwrap();
    assert_eq!(m.state, MentionState::Replied);
    assert_eq!(h.app.mentions[&id].state, MentionState::Replied);

    // Send again, from the command line: the same reply (so the same key) goes back to the
    // outbox (here the demo sink, which sends it).
    let other = h.app.selected.clone().unwrap();
    assert_ne!(other, id);
    h.event(unknown(&other, 3));
    h.keys(": r e p l y . r e s e n d <Enter>");
    assert_eq!(stored(&h, &format!("{other}#r3")).state, ReplyState::Sent);
    assert!(audited(&h, &format!("reply.resend {other}#r3")));
    h.keys(": r e p l y . m a r k _ s e n t <Enter>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("no reply of unknown fate here"), "{screen}");
}

/// During an outage every reply says where it stands, on its row and in detail, from the
/// states the outbox writes; a like is reported as a like.
#[test]
fn replies_show_their_true_state_through_an_outage() {
    use modq::store::writer::StoreOp;
    let mut h = Harness::new();
    h.demo(10);
    let id = h.app.selected.clone().unwrap();
    h.key("f");
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.starts_with("liked "), "{status}");
    assert!(!status.contains("reply"), "{status}");

    // The outbox backs off: queued again, not before 20:01:35, after two tries.
    let mut r = modq::model::Reply {
        id: format!("{id}#r1"),
        mention_id: id.clone(),
        source: "masto".into(),
        text: "We are on it.".into(),
        private: false,
        created: NOW - 33_000,
        sent: None,
        state: ReplyState::Queued,
        delivery: Default::default(),
    };
    r.delivery.not_before = Some(NOW + 95_000);
    r.delivery.tries = 2;
    h.store_ops(vec![StoreOp::ReplyResult(Box::new(r.clone()))]);
    let row = h
        .screen(100, 30)
        .lines()
        .find(|l| l.contains("[wait"))
        .map(str::to_string);
    assert!(
        row.as_deref()
            .is_some_and(|l| l.contains("[wait 20:01:35 (retry 2)]")),
        "{row:?}"
    );
    h.key("<Enter>");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("reply waiting until 20:01:35 UTC (retry 2)"),
        "{screen}"
    );
    assert!(!screen.contains("sending 33s ago"), "{screen}");
    assert!(screen.contains("♥ liked"), "{screen}");
    h.key("<Esc>");

    // The retry leaves: the row says so; once sent, the row's mark goes.
    r.state = ReplyState::Sending;
    r.delivery.not_before = None;
    r.delivery.tries = 3;
    h.store_ops(vec![StoreOp::ReplyResult(Box::new(r.clone()))]);
    assert!(h.screen(100, 30).contains("[sending]"));
    r.state = ReplyState::Failed("gave up after 8 tries: 503".into());
    h.store_ops(vec![StoreOp::ReplyResult(Box::new(r.clone()))]);
    assert!(h.screen(100, 30).contains("[failed]"));
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.starts_with("reply failed: gave up"), "{status}");
}

/// `o` opens the post, `O` its author's profile, `y` copies the link (once OSC 52 is on):
/// each as an effect carrying the checked link and nothing else; bad or missing links are
/// refused with a notice.
#[test]
fn link_keys_open_and_copy_only_checked_links() {
    use modq::app::Effect;
    let mut h = Harness::new();
    let raw = |n: u64, url: Option<&str>| {
        let mut r = modq::sources::demo::raw_at(&modq::sources::demo::lines(), n, NOW - 60_000);
        r.source = "sky".into();
        r.network = modq::model::Network::Bluesky;
        r.url = url.map(str::to_string);
        r
    };
    let post = "https://bsky.app/profile/kim.bsky.social/post/3kpost0001";
    h.ingest(vec![raw(1, Some(post))]);
    assert!(h.app.selected.is_some());
    h.key("o");
    assert_eq!(
        h.outside,
        [Effect::OpenLink(modq::links::check(post).unwrap())]
    );
    h.key("O");
    assert_eq!(
        h.outside[1],
        Effect::OpenLink(modq::links::check("https://bsky.app/profile/kim.bsky.social").unwrap())
    );
    // Copying is off until the config turns it on.
    h.key("y");
    assert_eq!(h.outside.len(), 2);
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("osc52 = true"), "{status}");
    h.app.osc52 = true;
    h.key("y");
    assert_eq!(
        h.outside[2],
        Effect::CopyLink(modq::links::check(post).unwrap())
    );

    // A mention whose link is not a web link, or that has none, opens nothing.
    let mut h = Harness::new();
    h.ingest(vec![raw(2, Some("javascript:alert(1)"))]);
    h.app.osc52 = true;
    h.keys("o O y");
    assert!(h.outside.is_empty(), "{:?}", h.outside);
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("not a web link"), "{status}");
    let mut h = Harness::new();
    h.demo(3);
    h.keys("o");
    assert!(h.outside.is_empty());
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("no link"), "{status}");
}
