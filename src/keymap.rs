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
    /// The help and `:messages` overlays.
    Help,
}

impl Mode {
    pub const ALL: [Mode; 6] = [
        Mode::Queue,
        Mode::Detail,
        Mode::Compose,
        Mode::Picker,
        Mode::Command,
        Mode::Help,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Mode::Queue => "queue",
            Mode::Detail => "detail",
            Mode::Compose => "compose",
            Mode::Picker => "picker",
            Mode::Command => "command",
            Mode::Help => "help",
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

    /// Parses a keymap file, strictly: the first bad line is the error. `file` names it.
    pub fn parse(name: &str, src: &str, file: &str) -> Result<Self, DataError> {
        let (map, skipped) = Self::parse_partial(name, src, file)?;
        match skipped.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(map),
        }
    }

    /// Parses a keymap file, keeping every valid line; the bad ones are returned. An error
    /// only when the file is not TOML at all.
    pub fn parse_partial(
        name: &str,
        src: &str,
        file: &str,
    ) -> Result<(Self, Vec<DataError>), DataError> {
        let mut map = Keymap {
            name: name.to_string(),
            ..Default::default()
        };
        let skipped = map.overlay(src, file)?;
        Ok((map, skipped))
    }

    /// Applies a file on top: each key it names replaces that key; `""` unbinds it. Each
    /// `key = "action"` line stands on its own: an unknown mode, key or action is returned
    /// with its place and the line changes nothing. An error only when the file is not TOML.
    pub fn overlay(&mut self, src: &str, file: &str) -> Result<Vec<DataError>, DataError> {
        let doc = crate::config::parse_spanned(file, src)?;
        let at = |offset: usize, message: String| DataError::at_offset(file, src, offset, message);
        let mut skipped = Vec::new();
        for (section, value) in &doc {
            let name = section.get_ref().as_ref();
            let Some(mode) = Mode::from_name(name) else {
                let modes = Mode::ALL.map(Mode::name);
                skipped.push(at(
                    section.span().start,
                    format!(
                        "unknown mode [{name}]{} (modes: {}); its keys are ignored",
                        crate::config::did_you_mean(name, modes),
                        modes.join(", ")
                    ),
                ));
                continue;
            };
            let Some(keys) = value.get_ref().as_table() else {
                skipped.push(at(
                    section.span().start,
                    format!("[{name}] must be a table of key = \"action\"; ignored"),
                ));
                continue;
            };
            for (key_text, action) in keys {
                let key = match Keys::parse(key_text.get_ref()) {
                    Ok(k) => k,
                    Err(m) => {
                        skipped.push(at(key_text.span().start, format!("{m}; line ignored")));
                        continue;
                    }
                };
                // Typing modes read every key at once: a sequence there would swallow text.
                if key.keys().len() > 1 && !matches!(mode, Mode::Queue | Mode::Detail) {
                    skipped.push(at(
                        key_text.span().start,
                        format!(
                            "'{}': key sequences work in [queue] and [detail] only; line ignored",
                            key_text.get_ref()
                        ),
                    ));
                    continue;
                }
                let Some(action_text) = action.get_ref().as_str() else {
                    skipped.push(at(
                        action.span().start,
                        format!(
                            "'{}': the action must be a string; line ignored",
                            key_text.get_ref()
                        ),
                    ));
                    continue;
                };
                let parsed = match action_text {
                    "" => None,
                    text => match Action::parse(text) {
                        Some(a) => Some(a),
                        None => {
                            let names = crate::actions::COMMANDS.iter().map(|c| c.name);
                            let wanted = text.split(':').next().unwrap_or(text).trim();
                            skipped.push(at(
                                action.span().start,
                                format!(
                                    "unknown action '{text}'{} (see `?` for the list); line ignored",
                                    crate::config::did_you_mean(wanted, names)
                                ),
                            ));
                            continue;
                        }
                    },
                };
                let list = self.bindings.entry(mode).or_default();
                // The later binding wins, and so does it over a sequence it starts or ends
                // (a user's `d` replaces vim's `dd`).
                list.retain(|(k, _)| {
                    !k.keys().starts_with(key.keys()) && !key.keys().starts_with(k.keys())
                });
                list.extend(parsed.map(|a| (key, a)));
            }
        }
        Ok(skipped)
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
        let skipped = m
            .overlay("[queue]\nj = \"queue.prev\"\nk = \"\"\n", "u")
            .unwrap();
        assert_eq!(skipped, []);
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
            "my.toml:3:5: unknown action 'no.such' (see `?` for the list); line ignored"
        );
        let e = Keymap::parse("t", "[queue\n", "bad.toml").unwrap_err();
        assert!(e.to_string().starts_with("bad.toml:1"), "{e}");
    }

    #[test]
    fn each_bad_line_is_reported_where_it_is_and_the_rest_applies() {
        let src = "[queue]\nj = \"queue.prev\"\nx = \"queue.nxt\"\n\"<Nope>\" = \"queue.next\"\n\
                   d = 1\n[queeu]\nk = \"queue.next\"\n[compose]\n\"<C-s>\" = \"reply.send\"\n";
        let mut m = Keymap::default_keymap();
        let skipped = m.overlay(src, "k.toml").unwrap();
        let shown: Vec<String> = skipped.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "k.toml:3:5: unknown action 'queue.nxt' (did you mean 'queue.next'?) \
                 (see `?` for the list); line ignored",
                "k.toml:4:1: '<Nope>' is not a key: write one character, <Name>, or a sequence like dd; line ignored",
                "k.toml:5:5: 'd': the action must be a string; line ignored",
                "k.toml:6:2: unknown mode [queeu] (did you mean 'queue'?) \
                 (modes: queue, detail, compose, picker, command, help); its keys are ignored",
            ]
        );
        let kind = |mode, k| {
            m.lookup(mode, Key::parse(k).unwrap())
                .map(|a| a.kind.name())
        };
        assert_eq!(
            kind(Mode::Queue, "j"),
            Some("queue.prev"),
            "a good line applies"
        );
        let default = Keymap::default_keymap();
        let default_kind = |k| {
            default
                .lookup(Mode::Queue, Key::char(k))
                .map(|a| a.kind.name())
        };
        assert_eq!(
            kind(Mode::Queue, "x"),
            default_kind('x'),
            "a bad line changes nothing"
        );
        assert_eq!(kind(Mode::Queue, "d"), default_kind('d'));
        assert_eq!(kind(Mode::Compose, "<C-s>"), Some("reply.send"));
    }

    /// Wherever a bad entry is written (top level, array of tables, dotted header or key,
    /// inline table, a value where a table belongs), its error says the line.
    #[test]
    fn errors_have_a_line_in_every_toml_layout() {
        for (src, line) in [
            ("name = \"x\"\n", 1),
            ("\n[[template]]\nid = 1\n", 2),
            ("[queue]\nj = \"queue.next\"\n[roles.base]\n", 3),
            ("\n\nqueue.j = \"nope\"\n", 3),
            ("# c\nqueue = { j = \"queue.next\", <Bad> = \"x\" }\n", 2),
            ("\nqueue = 1\n", 2),
            ("[queue.j]\n", 1),
        ] {
            let e = Keymap::parse("t", src, "f.toml").unwrap_err();
            assert_eq!(e.line, Some(line), "{src:?}: {e}");
            assert!(e.column.is_some(), "{src:?}: {e}");
        }
    }
}
