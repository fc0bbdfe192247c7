//! Finding the keymap and theme the user asked for: an embedded name, a file in the config
//! directory, or a path. A broken file is reported (file, line, what) and the defaults are used.

use std::path::Path;

use crate::config::{Config, DataError, Paths};
use crate::keymap::Keymap;
use crate::theme::{Parsed, Theme};

/// config.toml with each bad key reported (where, what, what is used instead) as a notice.
pub fn config(paths: &Paths) -> (Config, Vec<String>) {
    let (config, errors) = Config::load(&paths.config_file());
    (config, errors.iter().map(ToString::to_string).collect())
}

fn read(path: &Path) -> Result<String, DataError> {
    crate::config::read_text(path)?
        .ok_or_else(|| DataError::at(&path.display().to_string(), None, "no such file"))
}

/// `name` is an embedded keymap or a path. The user's keymap.toml is laid over it key by key.
/// Each bad line of either file is a notice and changes nothing; the valid lines apply.
pub fn keymap(name: Option<&str>, paths: &Paths) -> (Keymap, Vec<String>) {
    let mut notices = Vec::new();
    let name = name.unwrap_or("default");
    let mut map = match Keymap::embedded(name) {
        Some(k) => k,
        None => {
            let path = Path::new(name);
            let loaded = read(path).and_then(|src| {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.to_string());
                Keymap::parse_partial(&stem, &src, &path.display().to_string())
            });
            match loaded {
                Ok((k, skipped)) => {
                    notices.extend(skipped.iter().map(|e| format!("keymap line skipped: {e}")));
                    k
                }
                Err(e) => {
                    notices.push(format!("keymap not loaded, using default: {e}"));
                    Keymap::default_keymap()
                }
            }
        }
    };
    let user = paths.user_keymap();
    let base = map.name.clone();
    if user.exists() {
        match read(&user).and_then(|src| map.overlay(&src, &user.display().to_string())) {
            Ok(skipped) => notices.extend(
                skipped
                    .iter()
                    .map(|e| format!("your keymap line skipped (the {base} binding stays): {e}")),
            ),
            Err(e) => notices.push(format!("your keymap overrides were not applied: {e}")),
        }
    }
    (map, notices)
}

/// Loads a theme by embedded name, by name from the config directory's themes/, or by path,
/// with the parts of it that were left out.
pub fn load_theme(name: &str, paths: &Paths) -> Result<Parsed, DataError> {
    if let Some(t) = Theme::embedded(name) {
        return Ok((t, Vec::new()));
    }
    let candidate = paths.user_themes().join(format!("{name}.toml"));
    let path = if candidate.exists() {
        candidate
    } else {
        Path::new(name).to_path_buf()
    };
    if !path.exists() {
        let known: Vec<&str> = crate::theme::EMBEDDED.iter().map(|(n, _)| *n).collect();
        return Err(DataError::at(
            name,
            None,
            format!("no such theme (embedded: {})", known.join(", ")),
        ));
    }
    theme_file(&path, paths, 0)
}

/// A theme file; a parent it `inherits` is embedded or in the config directory's themes/.
fn theme_file(path: &Path, paths: &Paths, depth: usize) -> Result<Parsed, DataError> {
    let src = read(path)?;
    let file = path.display().to_string();
    let parent = |parent: &str| {
        let p = paths.user_themes().join(format!("{parent}.toml"));
        if !p.exists() {
            return None;
        }
        // A theme that inherits itself, directly or not, would never end.
        Some(match depth {
            0..8 => theme_file(&p, paths, depth + 1),
            _ => Err(DataError::at(
                &p.display().to_string(),
                None,
                "inherits in a loop",
            )),
        })
    };
    Theme::parse(&src, &file, &parent)
}

/// The theme to start with: an explicit choice wins, then NO_COLOR (mono), then the config.
/// The roles a theme file gets wrong are notices; the rest of the theme is used.
pub fn theme(
    explicit: Option<&str>,
    configured: Option<&str>,
    no_color: bool,
    paths: &Paths,
) -> (Theme, Vec<String>) {
    let name = match (explicit, no_color) {
        (Some(n), _) => n,
        (None, true) => "mono",
        (None, false) => configured.unwrap_or("dark"),
    };
    match load_theme(name, paths) {
        Ok((t, skipped)) => {
            let notices = skipped
                .iter()
                .map(|e| format!("theme {name}: {e}"))
                .collect();
            (t, notices)
        }
        Err(e) => {
            let fallback = if no_color { "mono" } else { "dark" };
            (
                Theme::embedded(fallback).unwrap_or_else(Theme::default_theme),
                vec![format!("theme not loaded, using {fallback}: {e}")],
            )
        }
    }
}

/// NO_COLOR: present and not empty (no-color.org).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every data file that is there but cannot be used is reported with its path and why.
    #[test]
    fn files_that_are_not_utf8_are_reported_with_path_and_reason() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::resolve(Some(dir.path().join("data")), Some(dir.path().into()));
        std::fs::write(paths.user_keymap(), b"[queue]\nj = \"queue.n\xffext\"\n").unwrap();
        let (_, notices) = keymap(None, &paths);
        let want = format!(
            "your keymap overrides were not applied: {}:2: not UTF-8 text",
            paths.user_keymap().display()
        );
        assert!(notices.iter().any(|n| n.starts_with(&want)), "{notices:?}");

        std::fs::create_dir_all(paths.user_themes()).unwrap();
        let theme_file = paths.user_themes().join("latin1.toml");
        std::fs::write(&theme_file, b"# th\xe8me\n").unwrap();
        let (_, notices) = theme(Some("latin1"), None, false, &paths);
        let want = format!(
            "theme not loaded, using dark: {}:1: not UTF-8 text (byte 0xe8 at column 5)",
            theme_file.display()
        );
        assert!(notices.iter().any(|n| n.starts_with(&want)), "{notices:?}");

        let templates = dir.path().join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        let t = templates.join("mine.toml");
        std::fs::write(&t, b"\xff").unwrap();
        let (_, errors) = crate::compose::template::load(Some(&templates));
        assert!(
            errors.iter().any(|e| e
                .to_string()
                .starts_with(&format!("{}:1: not UTF-8", t.display()))),
            "{errors:?}"
        );

        let brand = dir.path().join("brand-words.txt");
        std::fs::write(&brand, b"Acme\nCr\xe8me\n").unwrap();
        let kit = crate::compose::kit::Kit::for_paths(&paths, &Default::default());
        let e = kit.brand_error.expect("reported");
        assert!(
            e.to_string()
                .starts_with(&format!("{}:2: not UTF-8", brand.display())),
            "{e}"
        );

        let accounts = dir.path().join("accounts");
        std::fs::create_dir_all(&accounts).unwrap();
        std::fs::set_permissions(
            &accounts,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let list = accounts.join("accounts.toml");
        std::fs::write(&list, b"[[account]]\nname = \"caf\xe9\"\n").unwrap();
        let e = crate::accounts::Accounts::new(dir.path())
            .load()
            .unwrap_err();
        assert!(
            e.starts_with(&format!("{}:2: not UTF-8", list.display())),
            "{e}"
        );
    }

    /// A theme's parent that cannot be loaded is reported with its own file, line and reason,
    /// not as an unknown theme; a parent's bad role is reported where it is written.
    #[test]
    fn a_broken_parent_theme_is_reported_as_itself() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::resolve(Some(dir.path().join("data")), Some(dir.path().into()));
        std::fs::create_dir_all(paths.user_themes()).unwrap();
        let base = paths.user_themes().join("base.toml");
        std::fs::write(&base, "inherits = \"dark\"\n[roles\n").unwrap();
        std::fs::write(
            paths.user_themes().join("mine.toml"),
            "inherits = \"base\"\n[roles]\ntitle = { fg = \"red\" }\n",
        )
        .unwrap();
        let (t, notices) = theme(Some("mine"), None, false, &paths);
        assert_eq!(t.name, "dark");
        assert_eq!(notices.len(), 1, "{notices:?}");
        let want = format!(
            "mine.toml:1:12: inherits 'base', which cannot be loaded: {}:2:",
            base.display()
        );
        assert!(notices[0].contains(&want), "{notices:?}");

        std::fs::write(
            &base,
            "inherits = \"dark\"\n[roles]\nsent = { fg = \"nope\" }\n",
        )
        .unwrap();
        let (t, notices) = theme(Some("mine"), None, false, &paths);
        assert_eq!(t.name, "mine");
        assert_eq!(
            t.style(crate::theme::Role::Title).fg,
            Some(ratatui::style::Color::Red)
        );
        let want = format!(
            "theme mine: {}:3:15: sent: 'nope' is not a colour",
            base.display()
        );
        assert!(
            notices.len() == 1 && notices[0].starts_with(&want),
            "{notices:?}"
        );

        // A loop of parents ends with an error instead of never.
        std::fs::write(&base, "inherits = \"mine\"\n").unwrap();
        let (t, notices) = theme(Some("mine"), None, false, &paths);
        assert_eq!(t.name, "dark");
        assert!(notices[0].contains("inherits in a loop"), "{notices:?}");
    }
}
