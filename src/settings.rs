//! Finding the keymap and theme the user asked for: an embedded name, a file in the config
//! directory, or a path. A broken file is reported (file, line, what) and the defaults are used.

use std::path::Path;

use crate::config::{DataError, Paths};
use crate::keymap::Keymap;
use crate::theme::Theme;

fn read(path: &Path) -> Result<String, DataError> {
    crate::config::read_text(path)?
        .ok_or_else(|| DataError::at(&path.display().to_string(), None, "no such file"))
}

/// `name` is an embedded keymap or a path. The user's keymap.toml is laid over it key by key.
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
                Keymap::parse(&stem, &src, &path.display().to_string())
            });
            match loaded {
                Ok(k) => k,
                Err(e) => {
                    notices.push(format!("keymap not loaded, using default: {e}"));
                    Keymap::default_keymap()
                }
            }
        }
    };
    let user = paths.user_keymap();
    if user.exists() {
        let mut layered = map.clone();
        match read(&user).and_then(|src| layered.overlay(&src, &user.display().to_string())) {
            Ok(()) => map = layered,
            Err(e) => notices.push(format!("your keymap overrides were not applied: {e}")),
        }
    }
    (map, notices)
}

/// Loads a theme by embedded name, by name from the config directory's themes/, or by path.
pub fn load_theme(name: &str, paths: &Paths) -> Result<Theme, DataError> {
    if let Some(t) = Theme::embedded(name) {
        return Ok(t);
    }
    let user_dir = paths.user_themes();
    let candidate = user_dir.join(format!("{name}.toml"));
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
    let src = read(&path)?;
    let user = |parent: &str| {
        let p = user_dir.join(format!("{parent}.toml"));
        let src = std::fs::read_to_string(&p).ok()?;
        Theme::parse(&src, &p.display().to_string(), &|_| None).ok()
    };
    Theme::parse(&src, &path.display().to_string(), &user)
}

/// The theme to start with: an explicit choice wins, then NO_COLOR (mono), then the config.
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
        Ok(t) => (t, Vec::new()),
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
}
