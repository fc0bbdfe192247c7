//! Keys written like `j`, `G`, `<C-r>`, `<S-Tab>`, mapped per mode to named actions.
//! Named keymaps are embedded; a user file overrides them key by key.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::actions::Action;
use crate::config::DataError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Queue,
    Detail,
    Compose,
    Picker,
    Command,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::Queue,
        Mode::Detail,
        Mode::Compose,
        Mode::Picker,
        Mode::Command,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Mode::Queue => "queue",
            Mode::Detail => "detail",
            Mode::Compose => "compose",
            Mode::Picker => "picker",
            Mode::Command => "command",
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// A key as the keymap sees it: shift folded into the character for printable keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                // "G" arrives as Shift+'G'; a keymap writes it "G".
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, mods }
    }

    pub fn from_event(e: &KeyEvent) -> Self {
        Self::new(e.code, e.modifiers)
    }

    pub fn char(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// Parses `j`, `?`, `<Enter>`, `<C-s>`, `<A-Left>`, `<S-Tab>`, `<lt>`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Self::char(c));
        }
        let inner = text
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .ok_or_else(|| format!("'{text}' is not a key: write one character or <Name>"))?;
        let mut mods = KeyModifiers::NONE;
        let mut rest = inner;
        while rest.len() > 2 && rest.as_bytes()[1] == b'-' {
            match rest.as_bytes()[0] {
                b'C' | b'c' => mods |= KeyModifiers::CONTROL,
                b'A' | b'a' | b'M' | b'm' => mods |= KeyModifiers::ALT,
                b'S' | b's' => mods |= KeyModifiers::SHIFT,
                _ => return Err(format!("'{text}': unknown modifier")),
            }
            rest = &rest[2..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "cr" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "bs" | "backspace" => KeyCode::Backspace,
            "del" | "delete" => KeyCode::Delete,
            "ins" | "insert" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            "lt" => KeyCode::Char('<'),
            "gt" => KeyCode::Char('>'),
            f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                Ok(n @ 1..=24) => KeyCode::F(n),
                _ => return Err(format!("'{text}': unknown key name")),
            },
            _ => {
                let mut cs = rest.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("'{text}': unknown key name")),
                }
            }
        };
        Ok(Self::new(code, mods))
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char('<') => "lt".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "BS".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PageUp".into(),
            KeyCode::PageDown => "PageDown".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut prefix = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            prefix.push_str("C-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            prefix.push_str("A-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            prefix.push_str("S-");
        }
        let plain_char = matches!(self.code, KeyCode::Char(c) if c != ' ' && c != '<');
        if prefix.is_empty() && plain_char {
            f.write_str(&name)
        } else {
            write!(f, "<{prefix}{name}>")
        }
    }
}

/// One key, or a sequence pressed one after the other (vim's `dd`, `gg`), written
/// `dd` or `g<Enter>` in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keys(Vec<Key>);

impl Keys {
    pub fn one(k: Key) -> Self {
        Self(vec![k])
    }

    /// A single key, or a sequence of them: `j`, `<C-s>`, `dd`, `g<Home>`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Ok(k) = Key::parse(text) {
            return Ok(Self::one(k));
        }
        let mut keys = Vec::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let len = if c == '<' {
                rest.find('>').map(|i| i + 1).unwrap_or(rest.len())
            } else {
                c.len_utf8()
            };
            keys.push(Key::parse(&rest[..len]).map_err(|_| {
                format!("'{text}' is not a key: write one character, <Name>, or a sequence like dd")
            })?);
            rest = &rest[len..];
        }
        if keys.is_empty() {
            return Err("an empty key".into());
        }
        Ok(Self(keys))
    }

    pub fn keys(&self) -> &[Key] {
        &self.0
    }

    pub fn first(&self) -> Key {
        self.0[0]
    }
}

impl std::fmt::Display for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for k in &self.0 {
            write!(f, "{k}")?;
        }
        Ok(())
    }
}

/// What the keys pressed so far mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// The start of a longer sequence: wait for the next key.
    Prefix,
    None,
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    pub name: String,
    /// Per mode, in file order, so help lists keys the way the file reads.
    bindings: HashMap<Mode, Vec<(Keys, Action)>>,
}

pub const EMBEDDED: &[(&str, &str)] = &[
    ("default", include_str!("../keymaps/default.toml")),
    ("vim", include_str!("../keymaps/vim.toml")),
    ("emacs", include_str!("../keymaps/emacs.toml")),
];

impl Keymap {
    /// The embedded default; the shipped file is tested, so this cannot fail in a release.
    pub fn default_keymap() -> Self {
        Self::embedded("default").unwrap_or_default()
    }

    pub fn embedded(name: &str) -> Option<Self> {
        let (n, src) = EMBEDDED.iter().find(|(n, _)| *n == name)?;
        Self::parse(n, src, &format!("keymaps/{n}.toml")).ok()
    }

    /// The action of one key on its own.
    pub fn lookup(&self, mode: Mode, key: Key) -> Option<&Action> {
        self.bindings(mode)
            .iter()
            .find(|(k, _)| k.keys() == [key])
            .map(|(_, a)| a)
    }

    /// The meaning of the keys pressed so far; a longer sequence wins over a shorter one
    /// that starts it (a keymap binding both `d` and `dd` reaches `d` never).
    pub fn lookup_seq(&self, mode: Mode, pressed: &[Key]) -> Lookup {
        let binds = self.bindings(mode);
        if binds
            .iter()
            .any(|(k, _)| k.keys().len() > pressed.len() && k.keys().starts_with(pressed))
        {
            return Lookup::Prefix;
        }
        binds
            .iter()
            .find(|(k, _)| k.keys() == pressed)
            .map_or(Lookup::None, |(_, a)| Lookup::Action(a.clone()))
    }

    pub fn bindings(&self, mode: Mode) -> &[(Keys, Action)] {
        self.bindings.get(&mode).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key (or sequence) bound to an action in a mode, for hints.
    pub fn key_for(&self, mode: Mode, kind: crate::actions::ActionKind) -> Option<Keys> {
        self.bindings(mode)
            .iter()
            .find(|(_, a)| a.kind == kind)
            .map(|(k, _)| k.clone())
    }

    /// Parses a keymap file. `file` names it in errors.
    pub fn parse(name: &str, src: &str, file: &str) -> Result<Self, DataError> {
        let mut map = Keymap {
            name: name.to_string(),
            ..Default::default()
        };
        map.overlay(src, file)?;
        Ok(map)
    }

    /// Applies a file on top: each key it names replaces that key; `""` unbinds it.
    pub fn overlay(&mut self, src: &str, file: &str) -> Result<(), DataError> {
        let table: toml::Table = toml::from_str(src).map_err(|e| DataError::toml(file, src, &e))?;
        for (section, value) in &table {
            let line = crate::config::line_of(src, None, section);
            let mode = Mode::from_name(section).ok_or_else(|| {
                DataError::at(
                    file,
                    line,
                    format!(
                        "unknown mode [{section}] (modes: queue, detail, compose, picker, command)"
                    ),
                )
            })?;
            let keys = value.as_table().ok_or_else(|| {
                DataError::at(
                    file,
                    line,
                    format!("[{section}] must be a table of key = \"action\""),
                )
            })?;
            for (key_text, action) in keys {
                let line = crate::config::line_of(src, Some(section), key_text);
                let key = Keys::parse(key_text).map_err(|m| DataError::at(file, line, m))?;
                // Typing modes read every key at once: a sequence there would swallow text.
                if key.keys().len() > 1 && !matches!(mode, Mode::Queue | Mode::Detail) {
                    return Err(DataError::at(
                        file,
                        line,
                        format!("'{key_text}': key sequences work in [queue] and [detail] only"),
                    ));
                }
                let action_text = action.as_str().ok_or_else(|| {
                    DataError::at(
                        file,
                        line,
                        format!("'{key_text}': the action must be a string"),
                    )
                })?;
                let list = self.bindings.entry(mode).or_default();
                // The later binding wins, and so does it over a sequence it starts or ends
                // (a user's `d` replaces vim's `dd`).
                list.retain(|(k, _)| {
                    !k.keys().starts_with(key.keys()) && !key.keys().starts_with(k.keys())
                });
                if action_text.is_empty() {
                    continue;
                }
                let action = Action::parse(action_text).ok_or_else(|| {
                    DataError::at(
                        file,
                        line,
                        format!("unknown action '{action_text}' (see `?` for the list)"),
                    )
                })?;
                list.push((key, action));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_notation() {
        assert_eq!(Key::parse("j").unwrap(), Key::char('j'));
        assert_eq!(
            Key::parse("<C-s>").unwrap(),
            Key::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
        );
        assert_eq!(
            Key::parse("<S-Tab>").unwrap(),
            Key::new(KeyCode::BackTab, KeyModifiers::NONE)
        );
        assert_eq!(Key::parse("<lt>").unwrap(), Key::char('<'));
        assert!(Key::parse("<Nope>").is_err());
        assert!(Key::parse("jj").is_err());
        assert_eq!(
            Keys::parse("dd").unwrap().keys(),
            [Key::char('d'), Key::char('d')]
        );
        assert_eq!(Keys::parse("g<Home>").unwrap().to_string(), "g<Home>");
        assert!(Keys::parse("d<Nope>").is_err());
    }

    #[test]
    fn sequences_wait_for_their_last_key() {
        let m = Keymap::parse(
            "t",
            "[queue]\ndd = \"mention.done\"\nx = \"mention.spam\"\n",
            "t",
        )
        .unwrap();
        let d = Key::char('d');
        assert_eq!(m.lookup_seq(Mode::Queue, &[d]), Lookup::Prefix);
        assert!(
            matches!(m.lookup_seq(Mode::Queue, &[d, d]), Lookup::Action(a) if a.kind.name() == "mention.done")
        );
        assert_eq!(
            m.lookup_seq(Mode::Queue, &[d, Key::char('x')]),
            Lookup::None
        );
        assert!(Keymap::parse("t", "[compose]\nab = \"reply.send\"\n", "t").is_err());
    }

    #[test]
    fn shift_folds_into_char() {
        let e = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::char('G'));
    }

    #[test]
    fn display_round_trips() {
        for t in [
            "j", "G", "<C-s>", "<Enter>", "<A-Left>", "<S-Tab>", "<Space>", "<lt>",
        ] {
            let k = Key::parse(t).unwrap();
            assert_eq!(Key::parse(&k.to_string()).unwrap(), k, "{t}");
        }
    }

    #[test]
    fn overlay_replaces_and_unbinds() {
        let mut m = Keymap::parse(
            "t",
            "[queue]\nj = \"queue.next\"\nk = \"queue.prev\"\n",
            "t",
        )
        .unwrap();
        m.overlay("[queue]\nj = \"queue.prev\"\nk = \"\"\n", "u")
            .unwrap();
        assert_eq!(
            m.lookup(Mode::Queue, Key::char('j')).unwrap().kind.name(),
            "queue.prev"
        );
        assert!(m.lookup(Mode::Queue, Key::char('k')).is_none());
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Keymap::parse(
            "t",
            "[queue]\nj = \"queue.next\"\nx = \"no.such\"\n",
            "my.toml",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "my.toml:3: unknown action 'no.such' (see `?` for the list)"
        );
        let e = Keymap::parse("t", "[queue\n", "bad.toml").unwrap_err();
        assert!(e.to_string().starts_with("bad.toml:1"), "{e}");
    }
}
