//! Render tests on ratatui's TestBackend: snapshots at 80×24 and 200×60, every size down to
//! 1×1 without a panic, and hostile text that never reaches a cell as a control character.

mod common;

use common::{Harness, NOW};
use modq::model::Network;
use modq::sanitize::is_display_safe;
use modq::sources::RawMention;
use ratatui::style::Modifier;

fn hostile_corpus() -> Vec<String> {
    let src = include_str!("fixtures/hostile.txt");
    src.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<String>(l).unwrap())
        .collect()
}

#[test]
fn queue_at_80x24() {
    let mut h = Harness::new();
    h.demo(40);
    insta::assert_snapshot!(h.screen(80, 24));
}

#[test]
fn compose_at_80x24() {
    let mut h = Harness::new();
    h.demo(40);
    // The Russian order complaint, third in the queue, answered in English: the gate line
    // warns about the language (a warning: the reply can still be sent).
    h.keys("2 j r");
    h.type_text("Hi, we are sorry about the delay. A colleague is checking your order right now and we will write back within the hour.");
    insta::assert_snapshot!(h.screen(80, 24));
}

/// The words being answered stay on screen above the editor, and scroll from it.
#[test]
fn compose_quotes_the_mention_at_80x24_and_40x12() {
    for (w, hgt) in [(80u16, 24u16), (40, 12)] {
        let mut h = Harness::new();
        h.demo(40);
        h.keys("3 j r"); // the long English complaint: the quote must scroll
        h.type_text("Hi, sorry about the delay.");
        let text = h.selected_text();
        let first_words: String = text
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        let screen = h.screen(w, hgt);
        assert!(screen.contains("Replying to"), "{screen}");
        assert!(
            screen.contains(&first_words),
            "{first_words:?} not in\n{screen}"
        );
        insta::assert_snapshot!(format!("compose_quote_{w}x{hgt}"), screen);
        // Scrolled to its end, the last words of the mention are on screen.
        for _ in 0..20 {
            h.key("<A-Down>");
        }
        let last_word = text.split_whitespace().last().unwrap();
        let screen = h.screen(w, hgt);
        assert!(screen.contains(last_word), "{last_word:?} not in\n{screen}");
        insta::assert_snapshot!(format!("compose_quote_{w}x{hgt}_scrolled"), screen);
        // And back to the top, one row per key.
        for _ in 0..20 {
            h.key("<A-k>");
        }
        assert_eq!(h.app.quote_scroll, 0);
        assert!(h.screen(w, hgt).contains(&first_words));
    }
}

#[test]
fn wide_at_200x60() {
    let mut h = Harness::new();
    h.demo(120);
    h.keys("3 j <Enter>");
    insta::assert_snapshot!(h.screen(200, 60));
}

#[test]
fn detail_shows_thread_and_reasons() {
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
    let screen = h.screen(200, 60);
    assert!(screen.contains("Thread"), "{screen}");
    assert!(screen.contains("↑ "));
    assert!(screen.contains("why here: #"));
}

#[test]
fn every_size_down_to_1x1() {
    let mut h = Harness::new();
    h.demo(60);
    let states: [&str; 5] = ["", "r", "?", ":", "T"];
    for keys in states {
        let mut h2 = Harness::new();
        h2.demo(30);
        h2.keys(keys);
        if keys == "r" {
            h2.type_text("a reply with 中文 and 👨‍👩‍👧 that wraps around");
        }
        for w in 1..=45u16 {
            for hgt in 1..=16u16 {
                h2.render(w, hgt);
            }
        }
    }
    for (w, hgt) in [
        (1, 1),
        (2, 1),
        (1, 2),
        (80, 1),
        (1, 24),
        (300, 3),
        (13, 100),
    ] {
        h.render(w, hgt);
    }
}

#[test]
fn hostile_text_never_reaches_a_cell() {
    let mut h = Harness::new();
    let raws = hostile_corpus()
        .into_iter()
        .enumerate()
        .map(|(i, text)| RawMention {
            source: "demo".into(),
            network: Network::Mastodon,
            remote_id: format!("h{i}"),
            author_name: format!(
                "name\u{1b}]0;title\u{7}{}",
                &text.chars().take(20).collect::<String>()
            ),
            author_handle: format!("@h{i}\u{202e}@x.example"),
            followers: 10,
            text,
            lang: Some("en".into()),
            created: NOW - 60_000,
            in_reply_to: None,
            url: None,
        })
        .collect();
    h.ingest(raws);
    let n = h.app.visible.len();
    assert!(n >= 40, "{n} hostile mentions");
    for i in 0..n {
        for (w, hgt) in [(80, 24), (200, 60)] {
            let t = h.render(w, hgt);
            let buf = t.backend().buffer();
            for cell in buf.content() {
                let sym = cell.symbol();
                assert!(is_display_safe(sym), "unsafe cell {sym:?} on mention {i}");
                assert!(!sym.chars().any(|c| c.is_control()), "control in {sym:?}");
            }
        }
        h.keys("j");
    }
}

#[test]
fn mono_reads_through_modifiers() {
    let mut h = Harness::new();
    h.demo(10);
    h.keys(":");
    h.type_text("theme mono\n");
    let t = h.render(80, 24);
    let buf = t.backend().buffer();
    let sel_row = 1 + (h.app.selected_index().unwrap() - h.app.scroll) as u16;
    let cell = &buf[(10, sel_row)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    for c in buf.content() {
        assert!(matches!(c.fg, ratatui::style::Color::Reset), "{c:?}");
        assert!(matches!(c.bg, ratatui::style::Color::Reset), "{c:?}");
    }
}

#[test]
fn truncates_by_display_width() {
    let mut h = Harness::new();
    h.ingest(vec![RawMention {
        source: "demo".into(),
        network: Network::Bluesky,
        remote_id: "wide".into(),
        author_name: "宽".into(),
        author_handle: "wide.bsky.social".into(),
        followers: 1,
        text: "日本語のテキストがとても長い場合でも列を壊さずに切り詰めるべきです。👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧 end"
            .into(),
        lang: Some("ja".into()),
        created: NOW,
        in_reply_to: None,
        url: None,
    }]);
    let screen = h.screen(80, 24);
    let row = screen.lines().nth(1).unwrap();
    assert!(row.contains('…'), "{row}");
    assert_eq!(unicode_width::UnicodeWidthStr::width(row), 80, "{row}");
}

#[test]
fn help_rows_fit_on_one_line_at_80x24() {
    let mut h = Harness::new();
    h.demo(5);
    h.keys("?");
    let screen = h.screen(80, 24);
    // Inside the overlay a row starts with two spaces and a key, or is a heading; a
    // description that spilled onto a line of its own would start right at the border.
    for line in screen.lines().skip(2).take(20) {
        let Some((_, inner)) = line.split_once('│') else {
            continue;
        };
        let starts_text = inner.starts_with(|c: char| !c.is_whitespace() && c != '│');
        let heading = inner.contains(" mode") || inner.starts_with("commands");
        assert!(!starts_text || heading, "spilled row: {line}");
    }
}

/// A message longer than the status line is drawn whole above it, not cut.
#[test]
fn long_message_gets_a_second_line_at_80x24() {
    let mut h = Harness::new();
    h.demo(40);
    h.keys("r");
    h.event(modq::app::Event::Action(
        modq::app::Action::parse("reply.lang:en").unwrap(),
    ));
    h.type_text("Hi, we are chekcing it now.");
    h.key("<C-s>");
    let msg = h.app.status.as_ref().unwrap().text.clone();
    assert!(msg.starts_with("not sent (1 to fix): spelling"), "{msg}");
    assert!(msg.len() > 60, "{msg}");
    let screen = h.screen(80, 24);
    let bottom: String = screen
        .lines()
        .skip(22)
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        bottom.contains(msg.trim()),
        "{msg:?} not whole in\n{screen}"
    );
    insta::assert_snapshot!(screen);
}

/// `:messages` lists what was said, whole, config problems included; Esc closes it.
#[test]
fn messages_history_at_80x24_and_40x12() {
    for (w, hgt) in [(80u16, 24u16), (40, 12)] {
        let mut h = Harness::new();
        h.app.notices.push(
            "config.toml:4: sla_minutes: invalid type: string \"thirty\", expected u32 — using the default for this value"
                .into(),
        );
        h.demo(20);
        h.keys("d : s n o z e <Enter>");
        h.keys(": m e s s a g e s <Enter>");
        assert!(h.app.messages_view.is_some());
        let screen = h.screen(w, hgt);
        // The overlay's inside, row after row.
        let flat: String = screen
            .lines()
            .filter_map(|l| {
                let a = l.find('│')?;
                let b = l.rfind('│')?;
                (b > a).then(|| l[a + '│'.len_utf8()..b].trim().to_string())
            })
            .collect::<Vec<_>>()
            .join(" ");
        for part in ["unknown command :snoze", "done @", "expected u32"] {
            assert!(flat.contains(part), "{part:?} not in\n{screen}");
        }
        insta::assert_snapshot!(format!("messages_{w}x{hgt}"), screen);
        h.keys("k k j <Esc>");
        assert!(h.app.messages_view.is_none());
    }
}

/// The hint bar at 80 columns: the queue's main keys and the editor's template, field, fix
/// and private keys, as the active keymap binds them; help in every keymap.
#[test]
fn hints_show_the_main_keys_at_80_columns() {
    let hint_row = |h: &mut Harness| h.screen(80, 24).lines().nth(22).unwrap().to_string();
    for (keymap, queue, compose) in [
        (
            "default",
            &[
                "? help",
                "/ filter",
                ": command",
                "q quit",
                "u undo",
                "r reply",
            ][..],
            &[
                "F1 help",
                "C-t template",
                "Tab field",
                "A-s fix",
                "A-p private",
                "C-s send",
            ][..],
        ),
        (
            "emacs",
            &[
                "C-h help",
                "C-s filter",
                "A-x command",
                "C-q quit",
                "u undo",
            ][..],
            &[
                "F1 help",
                "C-t template",
                "Tab field",
                "A-s fix",
                "A-p private",
            ][..],
        ),
        (
            "vim",
            &["? help", "/ filter", ": command", "q quit", "dd done"][..],
            &[
                "F1 help",
                "C-t template",
                "Tab field",
                "A-s fix",
                "A-p private",
            ][..],
        ),
    ] {
        let mut h = Harness::new();
        h.app.keymap = modq::keymap::Keymap::embedded(keymap).unwrap();
        h.demo(10);
        let row = hint_row(&mut h);
        for want in queue {
            assert!(
                row.contains(want),
                "{keymap} queue: {want:?} not in {row:?}"
            );
        }
        h.keys("r");
        let row = hint_row(&mut h);
        for want in compose {
            assert!(
                row.contains(want),
                "{keymap} editor: {want:?} not in {row:?}"
            );
        }
    }
}

/// Until the first reply, the detail pane says how to answer with a template.
#[test]
fn first_run_says_how_to_reply_with_a_template() {
    let mut h = Harness::new();
    h.demo(10);
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("New here? r replies, C-t picks a template, Tab fills it, C-s sends"),
        "{screen}"
    );
    h.keys("r");
    h.type_text("Thank you, we are on it.");
    h.key("<C-s>");
    assert!(!h.screen(80, 24).contains("New here?"));
}

/// Old mentions say days and the date, never thousands of hours; handles widen with room.
#[test]
fn old_mentions_and_wide_handles() {
    let mut h = Harness::new();
    h.ingest(vec![RawMention {
        source: "demo".into(),
        network: Network::Mastodon,
        remote_id: "old".into(),
        author_name: "Old Timer".into(),
        author_handle: "@a_rather_long_handle_name@example.social".into(),
        followers: 10,
        text: "Where is my order?".into(),
        lang: Some("en".into()),
        created: NOW - 950 * 86_400_000,
        in_reply_to: None,
        url: None,
    }]);
    let screen = h.screen(80, 24);
    assert!(screen.contains("   2y! "), "{screen}");
    assert!(screen.contains("2y old (2024-04-17)"), "{screen}");
    let wide = h.screen(200, 60);
    assert!(wide.contains("@a_rather_long_handle_name@exam"), "{wide}");
}
