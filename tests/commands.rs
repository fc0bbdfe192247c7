//! The command layer: `:` commands from the registry, Tab completion, help's own keys from
//! the keymap, help's filter and its render at 80×24 and 40×12.

mod common;

use common::Harness;
use modq::app::queue::View;
use modq::keymap::{Keymap, Mode};
use modq::model::MentionState;

fn command(h: &mut Harness, line: &str) {
    h.keys(":");
    h.type_text(line);
    h.key("<Enter>");
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn line(h: &Harness) -> String {
    h.app
        .input
        .as_ref()
        .map(|l| l.text.clone())
        .unwrap_or_default()
}

#[test]
fn aliases_and_names_run_the_same_action() {
    let mut h = Harness::new();
    h.demo(10);
    command(&mut h, "view handled");
    assert_eq!(h.app.view, View::Handled);
    command(&mut h, "queue.view all");
    assert_eq!(h.app.view, View::All);
    command(&mut h, "view nowhere");
    assert!(status(&h).contains("views: open"), "{}", status(&h));
    assert_eq!(h.app.view, View::All);
    command(&mut h, "view open");

    command(&mut h, "sla 15");
    assert_eq!(h.app.sla, 15 * 60_000);
    command(&mut h, "sla.set 20");
    assert_eq!(h.app.sla, 20 * 60_000);
    // A required argument missing: its usage, from the signature.
    command(&mut h, "sla");
    assert_eq!(status(&h), "usage: :sla MINUTES");

    command(&mut h, "filter sentiment=neg");
    assert_eq!(h.app.filter.raw, "sentiment=neg");
    command(&mut h, "filter");
    assert!(h.app.filter.is_empty());

    let id = h.app.selected.clone().unwrap();
    command(&mut h, "snooze 2h");
    assert!(matches!(
        h.app.mentions[&id].state,
        MentionState::Snoozed { until } if until == h.now + 2 * 3_600_000
    ));
    command(&mut h, "u");
    assert!(h.app.mentions[&id].state.is_open(h.now));
    // A keymap's `name:arg` form works on the command line too.
    command(&mut h, "mention.snooze:45m");
    assert!(matches!(
        h.app.mentions[&id].state,
        MentionState::Snoozed { until } if until == h.now + 45 * 60_000
    ));
}

#[test]
fn unknown_or_misplaced_commands_say_so() {
    let mut h = Harness::new();
    h.demo(5);
    command(&mut h, "snoze 2h");
    assert_eq!(
        status(&h),
        "unknown command :snoze (did you mean 'snooze'?) (Tab completes)"
    );
    // An editor action without an editor does nothing, so it says where it works.
    command(&mut h, "reply.send");
    assert_eq!(status(&h), ":reply.send works in compose mode, not queue");
}

#[test]
fn keymap_and_theme_load_by_command() {
    let mut h = Harness::new();
    h.demo(5);
    command(&mut h, "keymap emacs");
    assert_eq!(h.app.keymap.name, "emacs");
    command(&mut h, "keymap");
    assert_eq!(status(&h), "keymap: emacs");
    command(&mut h, "theme light");
    assert_eq!(h.app.theme.name, "light");
}

#[test]
fn tab_completes_names_then_arguments_and_cycles() {
    let mut h = Harness::new();
    h.demo(5);
    h.keys(":");
    h.type_text("sn");
    h.key("<Tab>");
    // One command starts with "sn": completed, with the space its argument needs.
    assert_eq!(line(&h), "snooze ");
    h.key("<Tab>");
    assert_eq!(line(&h), "snooze 15m");
    h.key("<Tab>");
    assert_eq!(line(&h), "snooze 30m");
    // An edit ends the cycle; the next Tab completes what is typed.
    h.key("<BS>");
    h.key("<BS>");
    h.key("<BS>");
    h.type_text("1");
    h.key("<Tab>");
    assert_eq!(line(&h), "snooze 15m");
    h.key("<Tab>");
    assert_eq!(line(&h), "snooze 1h");
    h.key("<Tab>");
    assert_eq!(line(&h), "snooze 1d");
    h.key("<Tab>");
    assert_eq!(line(&h), "snooze 15m");
    h.key("<Esc>");

    h.keys(":");
    h.type_text("view h");
    h.key("<Tab>");
    assert_eq!(line(&h), "view handled");
    h.key("<Enter>");
    assert_eq!(h.app.view, View::Handled);

    h.keys(":");
    h.type_text("label ");
    h.key("<Tab>");
    assert_eq!(line(&h), "label neg");
    h.key("<Tab>");
    h.key("<Tab>");
    assert_eq!(line(&h), "label pos");
    h.key("<Tab>");
    assert_eq!(line(&h), "label neg");
    h.key("<Esc>");

    h.keys(":");
    h.type_text("keymap e");
    h.key("<Tab>");
    assert_eq!(line(&h), "keymap emacs");
    h.key("<Esc>");

    h.keys(":");
    h.type_text("theme ");
    h.key("<Tab>");
    let first = line(&h);
    assert!(
        h.app
            .theme_names
            .iter()
            .any(|n| first == format!("theme {n}")),
        "{first}"
    );
    h.key("<Esc>");

    // Many commands: the first on the line, the rest shown inline after it.
    h.keys(":");
    h.type_text("s");
    h.key("<Tab>");
    let c = h.app.input.as_ref().unwrap().completion.clone().unwrap();
    assert!(c.candidates.contains(&"spam".to_string()), "{c:?}");
    assert!(c.candidates.contains(&"sla".to_string()), "{c:?}");
    // Only commands that work here: no editor action from the queue.
    assert!(!c.candidates.iter().any(|w| w.starts_with("reply.send")));
    assert_eq!(line(&h), c.candidates[0]);
    let screen = h.screen(80, 24);
    let bottom = screen.lines().last().unwrap().to_string();
    assert!(bottom.contains(&c.candidates[1]), "{bottom}");

    h.key("<Esc>");
    h.keys(":");
    h.type_text("zzz");
    h.key("<Tab>");
    assert_eq!(line(&h), "zzz");
    assert_eq!(status(&h), "no command starts with 'zzz'");
}

#[test]
fn help_closes_and_scrolls_with_the_keymaps_own_keys() {
    for (keymap, open, down, up, close) in [
        ("default", "?", "j", "k", "<Esc>"),
        ("vim", "?", "<C-e>", "<C-y>", "q"),
        ("emacs", "<C-h>", "<C-n>", "<C-p>", "<C-g>"),
    ] {
        let mut h = Harness::new();
        h.app.keymap = Keymap::embedded(keymap).unwrap();
        h.demo(5);
        h.keys(open);
        assert_eq!(h.app.active_mode(), Mode::Help, "{keymap}");
        h.keys(&format!("{down} {down} {down} {up}"));
        assert_eq!(h.app.help.as_ref().unwrap().scroll, 2, "{keymap}");
        h.keys(close);
        assert!(h.app.help.is_none(), "{keymap}: {close} did not close help");
        assert_eq!(h.app.active_mode(), Mode::Queue);
    }
}

#[test]
fn a_keymap_file_rebinds_helps_keys() {
    let mut h = Harness::new();
    h.demo(5);
    let skipped = h
        .app
        .keymap
        .overlay("[help]\nx = \"help.close\"\n", "keymap.toml")
        .unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    h.keys("? x");
    assert!(h.app.help.is_none());
    // The :messages overlay reads the same section.
    h.keys(": m e s <Enter>");
    assert!(h.app.messages_view.is_some());
    h.keys("x");
    assert!(h.app.messages_view.is_none());
}

#[test]
fn typing_in_help_filters_it() {
    let mut h = Harness::new();
    h.app.keymap = Keymap::embedded("emacs").unwrap();
    h.demo(5);
    h.key("<C-h>");
    // In emacs help a plain letter is not bound: it starts the filter.
    h.type_text("snooze");
    assert_eq!(h.app.help.as_ref().unwrap().filter, "snooze");
    let screen = h.screen(80, 24);
    assert!(screen.contains("Snooze (default 30 min"), "{screen}");
    assert!(screen.contains(":snooze [DURATION]"), "{screen}");
    assert!(!screen.contains("Select the next mention"), "{screen}");
    // Enter keeps the filter and gives the keys back to help; Esc then closes it.
    h.key("<Enter>");
    assert_eq!(h.app.active_mode(), Mode::Help);
    assert_eq!(h.app.help.as_ref().unwrap().filter, "snooze");
    h.key("<Esc>");
    assert!(h.app.help.is_none());

    // By key: `/` then the key's name.
    let mut h = Harness::new();
    h.demo(5);
    h.keys("? /");
    h.type_text("C-x");
    let screen = h.screen(80, 24);
    assert!(screen.contains("Throw the draft away"), "{screen}");
    assert!(!screen.contains("Mark the mention done"), "{screen}");
    // Esc while typing puts the filter back as it was.
    h.key("<Esc>");
    assert_eq!(h.app.help.as_ref().unwrap().filter, "");
}

#[test]
fn help_snapshots() {
    for (w, hgt) in [(80, 24), (40, 12)] {
        let mut h = Harness::new();
        h.demo(5);
        h.keys("?");
        insta::assert_snapshot!(format!("help_{w}x{hgt}"), h.screen(w, hgt));
        h.keys("/");
        h.type_text("snooze");
        insta::assert_snapshot!(format!("help_filtered_{w}x{hgt}"), h.screen(w, hgt));
    }
}

#[test]
fn every_alias_in_help() {
    let mut h = Harness::new();
    h.demo(5);
    h.keys("?");
    // Tall enough for the whole help, so every command line shows.
    let screen = h.screen(120, 300);
    for c in modq::actions::COMMANDS {
        for a in c.aliases {
            assert!(screen.contains(&format!(":{a}")), ":{a} not in help");
        }
    }
    for usage in [
        ":sla MINUTES",
        ":view open|snoozed|handled|all",
        ":filter [TEXT]",
    ] {
        assert!(screen.contains(usage), "{usage} not in help");
    }
}

#[test]
fn editor_counts_against_the_limit_the_gate_uses_and_shows_it_at_80() {
    let mut h = Harness::new();
    h.demo(10);
    let source = h.app.selected_mention().unwrap().source.clone();
    h.event(modq::app::Event::Limits {
        source,
        limits: modq::compose::gate::length::Limits {
            mastodon_max: 1000,
            bluesky_max: 1000,
            ..Default::default()
        },
    });
    h.keys("r");
    h.type_text(&"word ".repeat(42));
    let used = h
        .app
        .compose
        .as_ref()
        .unwrap()
        .editor
        .text()
        .chars()
        .count();
    assert_eq!(used, 210);
    let screen = h.screen(80, 24);
    assert!(screen.contains("210/1000"), "{screen}");
    // Over the configured 500 but under the instance's 1000: the gate lets it through.
    h.type_text(&"word ".repeat(70));
    let screen = h.screen(80, 24);
    assert!(screen.contains("560/1000"), "{screen}");
    assert!(!screen.contains("over the"), "{screen}");
}

#[test]
fn counts_apply_to_done_spam_and_no_reply() {
    for (keys, state) in [
        ("3d", MentionState::Done),
        ("2x", MentionState::Spam),
        ("4n", MentionState::NoReply),
    ] {
        let mut h = Harness::new();
        h.demo(10);
        let ids: Vec<String> = h.app.visible.keys.iter().map(|k| k.id.clone()).collect();
        let n: usize = keys[..1].parse().unwrap();
        h.keys(
            &keys
                .chars()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        );
        for (i, id) in ids.iter().enumerate() {
            let s = h.app.mentions[id].state;
            assert_eq!(s == state, i < n, "{keys}: row {i} is {s:?}");
        }
        // One undo takes the whole count back.
        h.keys("u");
        assert!(
            ids.iter().all(|id| h.app.mentions[id].state != state),
            "{keys}"
        );
    }
}

#[test]
fn subcommand_help_lists_only_its_own_options() {
    let help = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_modq"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let sync = help(&["sync", "--help"]);
    assert!(sync.contains("--once"), "{sync}");
    assert!(sync.contains("--data-dir"), "{sync}");
    for console in ["--rate", "--theme", "--keymap", "--source", "--sla"] {
        assert!(!sync.contains(console), "{console} in\n{sync}");
    }
    let keys = help(&["keys", "--help"]);
    assert!(
        keys.contains("--keymap") && !keys.contains("--rate"),
        "{keys}"
    );
    let demo = help(&["demo", "--help"]);
    assert!(
        demo.contains("--rate") && demo.contains("--theme"),
        "{demo}"
    );
    // `modq keys` starts with its first section, no blank line before it.
    let table = help(&["keys", "--keymap", "vim"]);
    assert!(table.starts_with("**queue**\n"), "{table:.40}");
    assert!(table.contains("| `dd` | `mention.done` |"), "{table:.40}");
}
