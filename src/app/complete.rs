//! Tab on the command line: completes a command's name or alias, then its argument from
//! the registry's signature. A second Tab moves to the next candidate; any edit ends it.

use super::input::InputKind;
use super::state::App;
use crate::actions::{ActionKind, ArgKind, COMMANDS};

/// The candidates of one run of Tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The text before the word being completed (`snooze `).
    pub prefix: String,
    pub candidates: Vec<String>,
    /// The candidate on the line now.
    pub index: usize,
}

/// Complete (first Tab) or cycle (the next ones).
pub fn tab(app: &mut App) {
    let Some(l) = app.input.as_mut() else {
        return;
    };
    if l.kind != InputKind::Command {
        return;
    }
    if let Some(c) = l.completion.as_mut() {
        c.index = (c.index + 1) % c.candidates.len();
        let text = format!("{}{}", c.prefix, c.candidates[c.index]);
        l.set(&text);
        return;
    }
    let text = l.text.clone();
    let (prefix, candidates) = candidates(app, &text);
    let Some(l) = app.input.as_mut() else {
        return;
    };
    match candidates.as_slice() {
        [] => {
            let what = if prefix.is_empty() {
                "command"
            } else {
                "argument"
            };
            app.error(format!("no {what} starts with '{}'", &text[prefix.len()..]));
        }
        [one] => {
            // A whole command that takes an argument gets its space, ready for the next Tab.
            let space = prefix.is_empty()
                && ActionKind::from_command(one)
                    .is_some_and(|k| k.command().signature.arg.is_some());
            let done = format!("{prefix}{one}{}", if space { " " } else { "" });
            l.set(&done);
        }
        many => {
            l.set(&format!("{prefix}{}", many[0]));
            l.completion = Some(Completion {
                prefix,
                candidates: candidates.clone(),
                index: 0,
            });
        }
    }
}

/// The text kept before the word being completed, and the words that may complete it.
pub fn candidates(app: &App, text: &str) -> (String, Vec<String>) {
    let Some((word, arg)) = text.split_once(' ') else {
        return (String::new(), commands(app, text));
    };
    let Some(kind) = ActionKind::from_command(word) else {
        return (text.to_string(), Vec::new());
    };
    let Some(sig) = kind.command().signature.arg else {
        return (text.to_string(), Vec::new());
    };
    // Free text completes its last word; the other kinds are one word.
    let start = if sig == ArgKind::Text {
        arg.rfind(' ').map(|i| i + 1).unwrap_or(0)
    } else {
        0
    };
    let typed = &arg[start..];
    let prefix = format!("{word} {}", &arg[..start]);
    let words = arguments(app, sig)
        .into_iter()
        .filter(|w| w.starts_with(typed) && w != typed)
        .collect();
    (prefix, words)
}

/// Names and aliases of the commands that work where the command line was opened.
fn commands(app: &App, typed: &str) -> Vec<String> {
    // The line is open over the queue or the detail pane: `app.mode` is where it came from.
    let here = app.mode;
    let mut words: Vec<String> = COMMANDS
        .iter()
        .filter(|c| c.works_in(here))
        .flat_map(|c| c.aliases.iter().chain(std::iter::once(&c.name)))
        .filter(|w| w.starts_with(typed))
        .map(|w| w.to_string())
        .collect();
    // Short aliases first: they are what people type.
    words.sort_by(|a, b| a.contains('.').cmp(&b.contains('.')).then(a.cmp(b)));
    words.dedup();
    words
}

/// What an argument of a kind may be.
fn arguments(app: &App, kind: ArgKind) -> Vec<String> {
    let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    match kind {
        ArgKind::View => list(&["open", "snoozed", "handled", "all"]),
        ArgKind::Label => list(&["neg", "neu", "pos"]),
        ArgKind::Duration => list(&["15m", "30m", "1h", "2h", "4h", "1d"]),
        ArgKind::Minutes => list(&["5", "15", "30", "60", "120"]),
        ArgKind::Index => list(&["1", "2", "3"]),
        ArgKind::Theme => app.theme_names.clone(),
        ArgKind::Keymap => crate::keymap::EMBEDDED
            .iter()
            .map(|(n, _)| n.to_string())
            .collect(),
        ArgKind::Template => app.kit.templates.iter().map(|t| t.id.clone()).collect(),
        ArgKind::Lang => list(super::state::LANGS),
        ArgKind::Text => {
            let mut w: Vec<String> = ["sentiment=neg", "sentiment=neu", "sentiment=pos"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            w.extend(super::state::LANGS.iter().map(|l| format!("lang={l}")));
            w
        }
    }
}
