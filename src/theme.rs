//! Themes name roles (what a thing is), not colours. Files are TOML with embedded defaults;
//! a theme may `inherits` another; `mono` works through reverse/bold/underline alone.

use std::collections::HashMap;

use ratatui::style::{Color, Modifier, Style};

use crate::config::{did_you_mean, parse_spanned, DataError};
use toml::de::DeValue;
use toml::Spanned;

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
    Tag = "tag": "tags from the team's list ([tags] known); others are dim",
    Marked = "marked": "rows marked for a bulk action",
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

/// A theme and the parts of its file (or its parents' files) that were left out, each with
/// its place and what is drawn instead.
pub type Parsed = (Theme, Vec<DataError>);

/// Finds a parent theme that is not embedded: None when there is no such theme, else the
/// theme or the reason it cannot be loaded.
pub type Parents<'a> = &'a dyn Fn(&str) -> Option<Result<Parsed, DataError>>;

const TOP_KEYS: [&str; 3] = ["name", "inherits", "roles"];

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
        Self::parse(src, &format!("themes/{n}.toml"), &|_| None)
            .ok()
            .map(|(t, _)| t)
    }

    /// Each role stands on its own: an unknown role, colour or modifier is returned with its
    /// place and the role keeps its inherited style (or `base`). An error only when the file
    /// is not TOML or its parent cannot be had; `parents` finds those that are not embedded.
    pub fn parse(src: &str, file: &str, parents: Parents<'_>) -> Result<Parsed, DataError> {
        let doc = parse_spanned(file, src)?;
        let at = |offset: usize, message: String| DataError::at_offset(file, src, offset, message);
        let mut skipped = Vec::new();
        let (mut name, mut inherits, mut roles) = (None, None, None);
        for (key, value) in &doc {
            let v = value.get_ref();
            match (key.get_ref().as_ref(), v) {
                ("name", DeValue::String(n)) => name = Some(n.to_string()),
                ("inherits", DeValue::String(n)) => inherits = Some((n.as_ref(), value.span())),
                ("roles", DeValue::Table(t)) => roles = Some(t),
                (k @ ("name" | "inherits"), _) => skipped.push(at(
                    value.span().start,
                    format!("{k} must be a string; ignored"),
                )),
                ("roles", _) => skipped.push(at(
                    key.span().start,
                    "roles must be a table of role = { fg, bg, modifiers }; ignored".into(),
                )),
                (k, _) => skipped.push(at(
                    key.span().start,
                    format!("unknown key '{k}'{}; ignored", did_you_mean(k, TOP_KEYS)),
                )),
            }
        }
        let mut styles = match inherits {
            None => HashMap::new(),
            Some((parent, span)) => {
                let found = Self::embedded(parent)
                    .map(|t| Ok((t, Vec::new())))
                    .or_else(|| parents(parent));
                match found {
                    Some(Ok((base, parent_skipped))) => {
                        skipped.extend(parent_skipped);
                        base.styles
                    }
                    Some(Err(e)) => {
                        return Err(at(
                            span.start,
                            format!("inherits '{parent}', which cannot be loaded: {e}"),
                        ))
                    }
                    None => {
                        let known = EMBEDDED.iter().map(|(n, _)| *n);
                        return Err(at(
                            span.start,
                            format!(
                                "inherits unknown theme '{parent}'{}",
                                did_you_mean(parent, known)
                            ),
                        ));
                    }
                }
            }
        };
        for (role_name, spec) in roles.into_iter().flatten() {
            let Some(role) = Role::from_name(role_name.get_ref()) else {
                let known = ROLES.iter().map(|(_, n, _)| *n);
                skipped.push(at(
                    role_name.span().start,
                    format!(
                        "unknown role '{}'{}; ignored",
                        role_name.get_ref(),
                        did_you_mean(role_name.get_ref(), known)
                    ),
                ));
                continue;
            };
            match style_of(spec) {
                Ok(style) => {
                    styles.insert(role, style);
                }
                Err((offset, why)) => {
                    let instead = match (styles.contains_key(&role), role) {
                        (true, _) => "its inherited style is used",
                        (false, Role::Base) => "drawn in the terminal's colours",
                        (false, _) => "drawn as base",
                    };
                    skipped.push(at(offset, format!("{}: {why}; {instead}", role.name())));
                }
            }
        }
        let name = name.unwrap_or_else(|| {
            std::path::Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        Ok((Self { name, styles }, skipped))
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

/// A role's `{ fg, bg, modifiers }`, or the byte offset of the first bad part and why.
fn style_of(spec: &Spanned<DeValue<'_>>) -> Result<Style, (usize, String)> {
    let Some(table) = spec.get_ref().as_table() else {
        return Err((
            spec.span().start,
            "must be a table such as { fg = \"red\", modifiers = [\"bold\"] }".into(),
        ));
    };
    let mut style = Style::default();
    for (key, value) in table {
        let bad = |what: &str| (value.span().start, what.to_string());
        match key.get_ref().as_ref() {
            k @ ("fg" | "bg") => {
                let text = value
                    .get_ref()
                    .as_str()
                    .ok_or_else(|| bad("a colour is a string"))?;
                let c = parse_color(text).ok_or_else(|| {
                    bad(&format!(
                        "'{text}' is not a colour (a name such as red, #rrggbb or 0-255)"
                    ))
                })?;
                style = if k == "fg" { style.fg(c) } else { style.bg(c) };
            }
            "modifiers" => {
                let list = value
                    .get_ref()
                    .as_array()
                    .ok_or_else(|| bad("modifiers is a list such as [\"bold\"]"))?;
                for item in list.iter() {
                    let m = item.get_ref().as_str().and_then(parse_modifier).ok_or_else(|| {
                        (
                            item.span().start,
                            format!("{} is not a modifier (bold, dim, italic, underlined, reversed, crossed_out, slow_blink)", item_text(item)),
                        )
                    })?;
                    style = style.add_modifier(m);
                }
            }
            other => {
                return Err((
                    key.span().start,
                    format!("unknown field '{other}' (fields: fg, bg, modifiers)"),
                ))
            }
        }
    }
    Ok(style)
}

fn item_text(item: &Spanned<DeValue<'_>>) -> String {
    match item.get_ref().as_str() {
        Some(s) => format!("'{s}'"),
        None => format!("a {}", item.get_ref().type_str()),
    }
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
        let file: toml::Table = toml::from_str(src).unwrap();
        for spec in file["roles"].as_table().unwrap().values() {
            for c in ["fg", "bg"].iter().filter_map(|k| spec.get(k)) {
                let c = c.as_str().unwrap();
                assert!(ANSI16.contains(&c) || c == "reset", "dark uses {c}");
            }
        }
    }

    #[test]
    fn each_bad_role_is_reported_and_the_rest_applied() {
        let src = "name = \"x\"\ninherits = \"dark\"\n[roles]\nbase = { fg = \"white\" }\n\
                   negatve = { fg = \"red\" }\nnegative = { fg = \"purpleish\" }\n\
                   positive = { fg = \"green\", modifiers = [\"bold\", \"wobble\"] }\n\
                   title = { fg = \"magenta\" }\nvoice = 1\n";
        let (t, skipped) = Theme::parse(src, "x.toml", &|_| None).unwrap();
        let shown: Vec<String> = skipped.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "x.toml:5:1: unknown role 'negatve' (did you mean 'negative'?); ignored",
                "x.toml:6:19: negative: 'purpleish' is not a colour (a name such as red, \
                 #rrggbb or 0-255); its inherited style is used",
                "x.toml:7:49: positive: 'wobble' is not a modifier (bold, dim, italic, \
                 underlined, reversed, crossed_out, slow_blink); its inherited style is used",
                "x.toml:9:1: unknown role 'voice'; ignored",
            ]
        );
        let dark = Theme::embedded("dark").unwrap();
        assert_eq!(
            t.style(Role::Title).fg,
            Some(Color::Magenta),
            "good roles apply"
        );
        assert_eq!(t.style(Role::Negative), dark.style(Role::Negative));
        assert_eq!(t.style(Role::Positive), dark.style(Role::Positive));
        let (t, skipped) = Theme::parse(
            "[roles]\nbase = { fg = 3.5 }\nsent = {}\n",
            "y.toml",
            &|_| None,
        )
        .unwrap();
        assert_eq!(
            skipped[0].to_string(),
            "y.toml:2:15: base: a colour is a string; drawn in the terminal's colours"
        );
        assert!(t.defines(Role::Sent) && !t.defines(Role::Base));
    }

    #[test]
    fn a_broken_parent_is_reported_with_its_own_place() {
        let src = "\ninherits = \"mine\"\n";
        let broken = |_: &str| {
            Some(Err(DataError::at_offset(
                "mine.toml",
                "[roles\n",
                6,
                "unclosed table",
            )))
        };
        let e = Theme::parse(src, "child.toml", &broken).unwrap_err();
        assert_eq!(
            e.to_string(),
            "child.toml:2:12: inherits 'mine', which cannot be loaded: mine.toml:1:7: unclosed table"
        );
        let e = Theme::parse("inherits = \"drak\"\n", "c.toml", &|_| None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.toml:1:12: inherits unknown theme 'drak' (did you mean 'dark'?)"
        );
    }

    #[test]
    fn inherits_then_overrides() {
        let src = "inherits = \"dark\"\n[roles]\nnegative = { fg = \"magenta\" }\n";
        let (t, skipped) = Theme::parse(src, "z.toml", &|_| None).unwrap();
        assert_eq!(skipped, []);
        assert_eq!(t.style(Role::Negative).fg, Some(Color::Magenta));
        assert_eq!(
            t.style(Role::Selected),
            Theme::embedded("dark").unwrap().style(Role::Selected)
        );
    }
}
