//! `{placeholders}` in a reply: where they are, filling the ones modq knows, and moving the
//! cursor to the next one the moderator must fill.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::Mention;

/// Filled from the mention, the config and the SLA; every other name is custom.
pub const KNOWN: &[&str] = &[
    "first_name",
    "name",
    "handle",
    "agent",
    "brand",
    "expected_time",
];

/// Every `{name}` in `text` (name: letters, digits, `_`), with its byte range.
pub fn find(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| i + from) {
        let rest = &text[open + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len > 0 && rest[len..].starts_with('}') {
            out.push((open..open + len + 2, &rest[..len]));
            from = open + len + 2;
        } else {
            from = open + 1;
        }
    }
    out
}

/// Problems with the placeholder syntax of a template body (a brace that opens nothing).
pub fn syntax_errors(text: &str) -> Vec<String> {
    let mut stripped = text.to_string();
    for (r, _) in find(text).into_iter().rev() {
        stripped.replace_range(r, "");
    }
    match stripped.find(['{', '}']) {
        Some(i) => {
            // Ten chars of context before the brace (chars, not bytes: bodies are in any script).
            let from = stripped[..i]
                .char_indices()
                .rev()
                .nth(9)
                .map_or(0, |(j, _)| j);
            vec![format!(
                "a stray brace near \"{}\" (placeholders look like {{order_id}})",
                stripped[from..].chars().take(20).collect::<String>()
            )]
        }
        None => Vec::new(),
    }
}

/// The values modq can fill for one mention.
pub fn values(
    m: &Mention,
    agent: &str,
    brand: Option<&str>,
    expected_time: &str,
) -> HashMap<&'static str, String> {
    let mut v = HashMap::new();
    let handle = m.author.handle.clone();
    let name = m.author.name.trim();
    v.insert("handle", handle.clone());
    v.insert(
        "name",
        if name.is_empty() {
            handle.clone()
        } else {
            name.to_string()
        },
    );
    v.insert("first_name", first_name(name, &handle));
    v.insert("agent", agent.to_string());
    v.insert("expected_time", expected_time.to_string());
    if let Some(b) = brand.filter(|b| !b.trim().is_empty()) {
        v.insert("brand", b.trim().to_string());
    }
    v
}

/// Words of a display name that are not a first name: articles, titles and filler.
const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "real", "official", "just",
    "not", "your", "my", "der", "die", "das", "el", "la", "le", "les", "los", "pan", "pani",
];

/// The first word of the display name that looks like a name (mostly letters, capitalised
/// where the script has case, not an article or title); otherwise the handle's user part,
/// so a greeting never reads "Hi 🚀🚀" or "Hi the".
pub fn first_name(name: &str, handle: &str) -> String {
    let named = name.split_whitespace().find_map(|w| {
        let word = w.trim_matches(|c: char| !c.is_alphanumeric());
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let capital = word.chars().next().is_some_and(|c| !c.is_lowercase());
        let filler = NOT_NAMES.contains(&word.to_lowercase().trim_end_matches('.'));
        (letters >= 2 && letters * 2 >= w.chars().count() && capital && !filler).then_some(word)
    });
    if let Some(first) = named {
        return first.to_string();
    }
    handle
        .trim_start_matches('@')
        .split('@')
        .next()
        .unwrap_or(handle)
        .to_string()
}

/// Replaces the placeholders that have a value; the rest stay visible for the moderator.
pub fn fill(text: &str, values: &HashMap<&'static str, String>) -> String {
    let mut out = text.to_string();
    for (r, name) in find(text).into_iter().rev() {
        if let Some(v) = values.get(name) {
            out.replace_range(r, v);
        }
    }
    out
}

/// The next placeholder after the cursor (wrapping round), for Tab; `back` goes the other way.
pub fn next(text: &str, cursor: usize, back: bool) -> Option<Range<usize>> {
    let all: Vec<Range<usize>> = find(text).into_iter().map(|(r, _)| r).collect();
    if back {
        all.iter()
            .rev()
            .find(|r| r.start < cursor && !r.contains(&cursor.saturating_sub(1)))
            .or_else(|| all.iter().rev().find(|r| r.start < cursor))
            .or(all.last())
            .cloned()
    } else {
        all.iter()
            .find(|r| r.start > cursor)
            .or(all.first())
            .cloned()
    }
}

/// Typing with the cursor on the start of a placeholder replaces it, so Tab then typing
/// fills it in; anywhere else it is plain typing.
pub fn type_char(e: &mut super::editor::Editor, c: char) {
    let at = e.cursor();
    let hit = find(e.text())
        .into_iter()
        .find(|(r, _)| r.start == at)
        .map(|(r, _)| r);
    match hit {
        Some(r) if !c.is_control() => e.replace_range(r, c.encode_utf8(&mut [0u8; 4])),
        _ => e.insert_char(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_fills() {
        let t = "Hi {first_name}, order {order_id} {not closed";
        let found: Vec<&str> = find(t).into_iter().map(|(_, n)| n).collect();
        assert_eq!(found, ["first_name", "order_id"]);
        let mut v = HashMap::new();
        v.insert("first_name", "Ana".to_string());
        assert_eq!(fill(t, &v), "Hi Ana, order {order_id} {not closed");
        assert_eq!(syntax_errors(t).len(), 1);
        assert!(syntax_errors("Hi {first_name}").is_empty());
    }

    #[test]
    fn a_stray_brace_after_any_script_is_quoted_not_a_crash() {
        // The context used to start ten bytes back, inside a Cyrillic letter.
        let e = syntax_errors("Здравствуйте, где он. {Merhaba");
        assert_eq!(
            e,
            ["a stray brace near \", где он. {Merhaba\" (placeholders look like {order_id})"]
        );
        assert_eq!(syntax_errors("ż}").len(), 1);
    }

    #[test]
    fn first_name_falls_back_to_the_handle() {
        assert_eq!(first_name("Anna Kowalska", "@ak"), "Anna");
        assert_eq!(
            first_name("🚀🚀 launch", "@rocket@mastodon.social"),
            "rocket"
        );
        assert_eq!(first_name("", "@ivan.bsky.social"), "ivan.bsky.social");
        // Articles, titles and lowercase filler are not a name.
        assert_eq!(first_name("the real jess", "@jess_t"), "jess_t");
        assert_eq!(first_name("The Real Jess", "@jess_t"), "Jess");
        assert_eq!(first_name("Dr. Ana Silva", "@as"), "Ana");
        assert_eq!(first_name("Иван Петров", "@ivan"), "Иван");
    }

    #[test]
    fn typing_on_a_placeholder_replaces_it() {
        let mut e = super::super::editor::Editor::from_text("order {order_id}, ok");
        let r = next(e.text(), 0, false).unwrap();
        e.set_cursor(r.start);
        for c in "A-17".chars() {
            type_char(&mut e, c);
        }
        assert_eq!(e.text(), "order A-17, ok");
        assert!(find(e.text()).is_empty());
    }

    #[test]
    fn tab_order_wraps() {
        let t = "{a} x {b} y {c}";
        assert_eq!(next(t, 0, false), Some(6..9));
        assert_eq!(next(t, 6, false), Some(12..15));
        assert_eq!(next(t, 14, false), Some(0..3));
        assert_eq!(next(t, 12, true), Some(6..9));
        assert_eq!(next(t, 0, true), Some(12..15));
        assert_eq!(next("none", 0, false), None);
    }
}
