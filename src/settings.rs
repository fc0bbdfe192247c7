//! Finding the keymap and theme the user asked for: an embedded name, a file in the config
//! directory, or a path. A broken file is reported (file, line, what) and the defaults are used.

use std::path::Path;

use crate::config::{DataError, Paths};
use crate::keymap::Keymap;
use crate::theme::Theme;

fn read(path: &Path) -> Result<String, DataError> {
    std::fs::read_to_string(path)
        .map_err(|e| DataError::at(&path.display().to_string(), None, e.to_string()))
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
