//! Themes name roles (what a thing is), not colours. Files are TOML with embedded defaults;
//! a theme may `inherits` another; `mono` works through reverse/bold/underline alone.

use std::collections::HashMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::config::{line_of, DataError};

macro_rules! roles {
    ($( $variant:ident = $name:literal : $desc:literal ),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role { $($variant),* }
        pub const ROLES: &[(Role, &str, &str)] = &[ $( (Role::$variant, $name, $desc) ),* ];
    };
}

roles! {
    Base = "base": "ordinary text",
    Dim = "dim": "secondary text",
    Border = "border": "pane borders",
    BorderFocus = "border_focus": "border of the focused pane",
    Title = "title": "pane titles",
    Selected = "selected": "the selected row",
    New = "new": "marker of mentions not yet opened",
    Negative = "negative": "negative sentiment",
    Neutral = "neutral": "neutral sentiment",
    Positive = "positive": "positive sentiment",
    SlaOk = "sla_ok": "age well inside the SLA",
    SlaWarn = "sla_warn": "age close to the SLA",
    SlaBreach = "sla_breach": "age past the SLA",
    Author = "author": "author names and handles",
    Reach = "reach": "follower counts",
    Lang = "lang": "language codes",
    Network = "network": "network letters",
    Status = "status": "the status bar",
    StatusMode = "status_mode": "the mode name in the status bar",
    Notice = "notice": "notices and confirmations",
    Error = "error": "errors",
    KeyHint = "key_hint": "keys in hints and help",
    Sent = "sent": "sent replies",
    Cursor = "cursor": "the text cursor when drawn by modq",
    Banner = "banner": "alerts across the top",
    Finding = "finding": "a problem found in a reply",
}

impl Role {
    pub fn name(self) -> &'static str {
        ROLES
            .iter()
            .find(|(r, _, _)| *r == self)
            .map(|(_, n, _)| *n)
            .unwrap_or("?")
    }
    pub fn from_name(s: &str) -> Option<Self> {
        ROLES.iter().find(|(_, n, _)| *n == s).map(|(r, _, _)| *r)
    }
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    styles: HashMap<Role, Style>,
}

pub const EMBEDDED: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    ("night", include_str!("../themes/night.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../themes/mono.toml")),
];

/// The 16 colours every terminal has.
pub const ANSI16: &[&str] = &[
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    inherits: Option<String>,
    #[serde(default)]
    roles: HashMap<String, StyleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

pub fn parse_color(s: &str) -> Option<Color> {
    let s = s.trim().to_ascii_lowercase();
    Some(match s.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        hex if hex.starts_with('#') && hex.len() == 7 => {
            let v = u32::from_str_radix(&hex[1..], 16).ok()?;
            Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
        }
        n => Color::Indexed(n.parse().ok()?),
    })
}

fn parse_modifier(s: &str) -> Option<Modifier> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        "slow_blink" => Modifier::SLOW_BLINK,
        _ => return None,
    })
}

impl Theme {
    /// The embedded default (dark); shipped files are tested, so this is infallible in practice.
    pub fn default_theme() -> Self {
        Self::embedded("dark").unwrap_or_else(|| Self {
            name: "fallback".into(),
            styles: HashMap::new(),
        })
    }

    pub fn embedded(name: &str) -> Option<Self> {
        let (n, src) = EMBEDDED.iter().find(|(n, _)| *n == name)?;
        Self::parse(src, &format!("themes/{n}.toml"), &|_| None).ok()
    }

    /// `user` resolves a theme name that is not embedded (for `inherits`).
    pub fn parse(
        src: &str,
        file: &str,
        user: &dyn Fn(&str) -> Option<Theme>,
    ) -> Result<Self, DataError> {
        let parsed: ThemeFile = toml::from_str(src).map_err(|e| DataError::toml(file, src, &e))?;
        let mut styles = match &parsed.inherits {
            None => HashMap::new(),
            Some(parent) => {
                let base = Self::embedded(parent)
                    .or_else(|| user(parent))
                    .ok_or_else(|| {
                        DataError::at(
                            file,
                            line_of_top_key(src, "inherits"),
                            format!("inherits unknown theme '{parent}'"),
                        )
                    })?;
                base.styles
            }
        };
        for (role_name, spec) in &parsed.roles {
            let line = line_of(src, Some("roles"), role_name);
            let role = Role::from_name(role_name)
                .ok_or_else(|| DataError::at(file, line, format!("unknown role '{role_name}'")))?;
            let mut style = Style::default();
            for (value, set_fg) in [(&spec.fg, true), (&spec.bg, false)] {
                if let Some(v) = value {
                    let c = parse_color(v).ok_or_else(|| {
                        DataError::at(file, line, format!("'{v}' is not a colour"))
                    })?;
                    style = if set_fg { style.fg(c) } else { style.bg(c) };
                }
            }
            for m in &spec.modifiers {
                let m = parse_modifier(m)
                    .ok_or_else(|| DataError::at(file, line, format!("'{m}' is not a modifier")))?;
                style = style.add_modifier(m);
            }
            styles.insert(role, style);
        }
        let name = parsed.name.unwrap_or_else(|| {
            std::path::Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        Ok(Self { name, styles })
    }

    /// A role's style; roles a theme leaves out fall back to `base`.
    pub fn style(&self, role: Role) -> Style {
        self.styles
            .get(&role)
            .or_else(|| self.styles.get(&Role::Base))
            .copied()
            .unwrap_or_default()
    }

    pub fn defines(&self, role: Role) -> bool {
        self.styles.contains_key(&role)
    }

    /// True when no role carries a colour: the theme reads through modifiers alone.
    pub fn is_colourless(&self) -> bool {
        self.styles.values().all(|s| {
            matches!(s.fg, None | Some(Color::Reset)) && matches!(s.bg, None | Some(Color::Reset))
        })
    }
}

fn line_of_top_key(src: &str, key: &str) -> Option<usize> {
    src.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_theme_parses_and_covers_every_role() {
        for (name, _) in EMBEDDED {
            let t = Theme::embedded(name).unwrap_or_else(|| panic!("{name} does not parse"));
            for (role, role_name, _) in ROLES {
                assert!(t.defines(*role), "theme {name} misses role {role_name}");
            }
        }
    }

    #[test]
    fn mono_has_no_colour_and_dark_uses_only_ansi16() {
        assert!(Theme::embedded("mono").unwrap().is_colourless());
        let src = EMBEDDED.iter().find(|(n, _)| *n == "dark").unwrap().1;
        let file: ThemeFile = toml::from_str(src).unwrap();
        for spec in file.roles.values() {
            for c in [&spec.fg, &spec.bg].into_iter().flatten() {
                assert!(
                    ANSI16.contains(&c.as_str()) || c == "reset",
                    "dark uses {c}"
                );
            }
        }
    }

    #[test]
    fn errors_name_the_line() {
        let src = "name = \"x\"\n[roles]\nbase = { fg = \"white\" }\nnegatve = { fg = \"red\" }\n";
        let e = Theme::parse(src, "x.toml", &|_| None).unwrap_err();
        assert_eq!(e.to_string(), "x.toml:4: unknown role 'negatve'");
        let src = "[roles]\nbase = { fg = \"purpleish\" }\n";
        let e = Theme::parse(src, "y.toml", &|_| None).unwrap_err();
        assert_eq!(e.to_string(), "y.toml:2: 'purpleish' is not a colour");
    }

    #[test]
    fn inherits_then_overrides() {
        let src = "inherits = \"dark\"\n[roles]\nnegative = { fg = \"magenta\" }\n";
        let t = Theme::parse(src, "z.toml", &|_| None).unwrap();
        assert_eq!(t.style(Role::Negative).fg, Some(Color::Magenta));
        assert_eq!(
            t.style(Role::Selected),
            Theme::embedded("dark").unwrap().style(Role::Selected)
        );
    }
}
