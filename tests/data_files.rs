//! The shipped data files: every keymap and theme parses and names only known actions and
//! roles; the README's key table is the embedded keymap; broken files are reported and the
//! defaults used.

use std::path::Path;

use modq::app::ActionKind;
use modq::config::Paths;
use modq::keymap::{Keymap, Mode};
use modq::theme::{Theme, ROLES};

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_keymap_parses_and_binds_the_essentials() {
    let keymaps = files("keymaps");
    assert!(keymaps.len() >= 3);
    for path in keymaps {
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let map = Keymap::parse(&name, &src, &path.display().to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        for mode in Mode::ALL {
            assert!(
                !map.bindings(mode).is_empty(),
                "{name}: [{}] is empty",
                mode.name()
            );
        }
        for (mode, kind) in [
            (Mode::Queue, ActionKind::QueueNext),
            (Mode::Queue, ActionKind::ReplyOpen),
            (Mode::Queue, ActionKind::MentionDone),
            (Mode::Queue, ActionKind::CommandOpen),
            (Mode::Queue, ActionKind::HelpToggle),
            (Mode::Queue, ActionKind::AppQuit),
            (Mode::Detail, ActionKind::DetailClose),
            (Mode::Compose, ActionKind::ReplySend),
            (Mode::Compose, ActionKind::ComposeClose),
            (Mode::Compose, ActionKind::ComposeBackspace),
            (Mode::Command, ActionKind::CommandRun),
            (Mode::Command, ActionKind::CommandCancel),
            (Mode::Picker, ActionKind::PickerAccept),
            (Mode::Picker, ActionKind::PickerCancel),
        ] {
            assert!(
                map.key_for(mode, kind).is_some(),
                "{name}: {} unbound in {}",
                kind.name(),
                mode.name()
            );
        }
        // Composing is text input first: no plain printable key may be bound there.
        for (keys, action) in map.bindings(Mode::Compose) {
            let key = keys.first();
            let plain =
                matches!(key.code, crossterm::event::KeyCode::Char(_)) && key.mods.is_empty();
            assert!(!plain, "{name}: compose binds plain '{key}' to {action}");
        }
        // The embedded copy is the file.
        let embedded = Keymap::embedded(&name).unwrap();
        for mode in Mode::ALL {
            assert_eq!(embedded.bindings(mode), map.bindings(mode));
        }
    }
}

#[test]
fn every_theme_parses_and_defines_every_role() {
    let themes = files("themes");
    assert!(themes.len() >= 5);
    for path in themes {
        let src = std::fs::read_to_string(&path).unwrap();
        let (t, skipped) = Theme::parse(&src, &path.display().to_string(), &|_| None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(skipped, [], "{}", path.display());
        for (role, name, _) in ROLES {
            assert!(t.defines(*role), "{}: role {name} missing", path.display());
        }
        assert!(
            Theme::embedded(&t.name).is_some(),
            "{} is not embedded",
            t.name
        );
    }
}

#[test]
fn readme_key_table_is_the_default_keymap() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("<!-- keys:start -->\n").unwrap() + "<!-- keys:start -->\n".len();
    let end = readme.find("<!-- keys:end -->").unwrap();
    let table = modq::cli::key_table(&Keymap::default_keymap());
    assert_eq!(
        &readme[start..end],
        table,
        "README keys are stale: run `modq keys`"
    );
}

fn temp_paths() -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::resolve(
        Some(dir.path().join("data")),
        Some(dir.path().join("config")),
    );
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    (dir, paths)
}

#[test]
fn broken_keymap_is_reported_and_defaults_used() {
    let (dir, paths) = temp_paths();
    let bad = dir.path().join("broken.toml");
    std::fs::write(
        &bad,
        "[queue]\nj = \"queue.next\"\nk = \"queue.sideways\"\n",
    )
    .unwrap();
    let (map, notices) = modq::settings::keymap(Some(bad.to_str().unwrap()), &paths);
    assert_eq!(map.name, "broken", "the valid lines of the file are used");
    assert_eq!(
        map.lookup(Mode::Queue, modq::keymap::Key::char('j'))
            .unwrap()
            .kind,
        ActionKind::QueueNext
    );
    assert_eq!(notices.len(), 1);
    assert!(
        notices[0].contains("broken.toml:3:5: unknown action 'queue.sideways'"),
        "{notices:?}"
    );
    std::fs::write(&bad, "[queue]\nj = \"queue.next\"\nk = \"queue.prev\n").unwrap();
    let (map, notices) = modq::settings::keymap(Some(bad.to_str().unwrap()), &paths);
    assert_eq!(
        map.name, "default",
        "a file that is not TOML gives the default"
    );
    assert!(
        notices[0].starts_with("keymap not loaded, using default: ")
            && notices[0].contains("broken.toml:3:"),
        "{notices:?}"
    );
}

#[test]
fn user_keymap_overrides_key_by_key_and_bad_one_is_reported() {
    let (_dir, paths) = temp_paths();
    std::fs::write(paths.user_keymap(), "[queue]\nd = \"mention.snooze\"\n").unwrap();
    let (map, notices) = modq::settings::keymap(None, &paths);
    assert!(notices.is_empty());
    assert_eq!(
        map.lookup(Mode::Queue, modq::keymap::Key::char('d'))
            .unwrap()
            .kind,
        ActionKind::MentionSnooze
    );
    assert_eq!(
        map.lookup(Mode::Queue, modq::keymap::Key::char('j'))
            .unwrap()
            .kind,
        ActionKind::QueueNext
    );

    std::fs::write(
        paths.user_keymap(),
        "[queue]\nd = \"mention.snooze\"\n[queeu]\n",
    )
    .unwrap();
    let (map, notices) = modq::settings::keymap(None, &paths);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("keymap.toml:3:2: unknown mode [queeu] (did you mean 'queue'?)"),
        "{notices:?}"
    );
    assert_eq!(
        map.lookup(Mode::Queue, modq::keymap::Key::char('d'))
            .unwrap()
            .kind,
        ActionKind::MentionSnooze,
        "the valid line before the bad one still applies"
    );
}

#[test]
fn broken_theme_is_reported_and_no_color_picks_mono() {
    let (_dir, paths) = temp_paths();
    std::fs::create_dir_all(paths.user_themes()).unwrap();
    std::fs::write(
        paths.user_themes().join("mine.toml"),
        "inherits = \"dark\"\n[roles]\nnegative = { fg = \"ultraviolet\" }\n",
    )
    .unwrap();
    let (t, notices) = modq::settings::theme(Some("mine"), None, false, &paths);
    assert_eq!(t.name, "mine", "the rest of the theme is used");
    let dark = modq::theme::Theme::embedded("dark").unwrap();
    let negative = modq::theme::Role::Negative;
    assert_eq!(t.style(negative), dark.style(negative));
    assert!(
        notices[0].contains("mine.toml:3:19: negative: 'ultraviolet' is not a colour"),
        "{notices:?}"
    );
    let (t, _) = modq::settings::theme(None, Some("light"), true, &paths);
    assert_eq!(t.name, "mono");
    let (t, _) = modq::settings::theme(Some("night"), None, true, &paths);
    assert_eq!(t.name, "night", "an explicit --theme wins over NO_COLOR");
    std::fs::write(
        paths.user_themes().join("mine.toml"),
        "inherits = \"night\"\n[roles]\nnegative = { fg = \"magenta\" }\n",
    )
    .unwrap();
    let (t, notices) = modq::settings::theme(Some("mine"), None, false, &paths);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(t.name, "mine");
}

#[test]
fn theme_by_path() {
    let (dir, paths) = temp_paths();
    let file = dir.path().join("custom-night.toml");
    std::fs::write(&file, "name = \"custom\"\ninherits = \"night\"\n").unwrap();
    let (t, notices) = modq::settings::theme(Some(file.to_str().unwrap()), None, false, &paths);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(t.name, "custom");
}

/// A config, keymap and theme with one bad line each, and good lines around it: the console
/// opens with the good lines applied and one notice per bad line, each with its file, line,
/// column, what is wrong and what is used instead.
#[test]
fn the_console_lists_each_bad_line_and_applies_the_rest() {
    let (dir, paths) = temp_paths();
    std::fs::write(
        paths.config_file(),
        "sla_minutes = 20\nsnooze_minutes = \"an hour\"\ntheme = \"mine\"\nagnet = \"ana\"\n",
    )
    .unwrap();
    std::fs::write(
        paths.user_keymap(),
        "[queue]\nd = \"mention.snooze\"\nx = \"mention.dun\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(paths.user_themes()).unwrap();
    std::fs::write(
        paths.user_themes().join("mine.toml"),
        "inherits = \"night\"\n[roles]\ntitle = { fg = \"red\" }\nbanner = { fg = \"reddish\" }\n",
    )
    .unwrap();

    let (config, notices) = modq::settings::config(&paths);
    let store = modq::store::SledStore::open(&dir.path().join("store")).unwrap();
    let opts = modq::runtime::Options {
        paths: paths.clone(),
        config,
        theme: None,
        keymap: None,
        rate: 0.0,
        notices,
        test_panic: None,
    };
    let app = modq::runtime::build_app(&store, &opts).unwrap();

    let config_file = paths.config_file().display().to_string();
    let keymap_file = paths.user_keymap().display().to_string();
    let theme_file = paths.user_themes().join("mine.toml").display().to_string();
    let want = [
        format!(
            "{config_file}:2:18: snooze_minutes: invalid type: string \"an hour\", expected u32; \
             using the default 30"
        ),
        format!("{config_file}:4:1: unknown key 'agnet' (did you mean 'agent'?); ignored"),
        format!(
            "your keymap line skipped (the default binding stays): {keymap_file}:3:5: unknown \
             action 'mention.dun' (did you mean 'mention.done'?) (see `?` for the list); \
             line ignored"
        ),
        format!(
            "theme mine: {theme_file}:4:17: banner: 'reddish' is not a colour (a name such as \
             red, #rrggbb or 0-255); its inherited style is used"
        ),
    ];
    assert_eq!(app.notices, want);
    // What was valid is in use.
    assert_eq!(app.sla, 20 * 60_000);
    assert_eq!(app.theme.name, "mine");
    assert_eq!(
        app.keymap
            .lookup(Mode::Queue, modq::keymap::Key::char('d'))
            .unwrap()
            .kind,
        ActionKind::MentionSnooze
    );
}
