//! The gate: everything that can be wrong with a reply before it is sent. Pure: text and
//! context in, findings out. Spelling needs a loaded dictionary; the caller says whether one
//! is ready, loading, or missing, and the gate never pretends a text was checked.

pub mod copy;
pub mod language;
pub mod length;
pub mod lexicon;
pub mod privacy;
pub mod tone;

use std::collections::HashSet;
use std::ops::Range;

use super::placeholder;
use super::spell::Speller;
use crate::model::Network;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Spelling,
    Placeholder,
    Length,
    Tone,
    Sensitive,
    Privacy,
    CopyPaste,
    Duplicate,
    /// The reply is not in the customer's language.
    Language,
    /// Spelling could not be checked (no dictionary, or still loading).
    Unchecked,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Spelling => "spelling",
            Kind::Placeholder => "placeholder",
            Kind::Length => "length",
            Kind::Tone => "tone",
            Kind::Sensitive => "sensitive",
            Kind::Privacy => "privacy",
            Kind::CopyPaste => "copy-paste",
            Kind::Duplicate => "duplicate",
            Kind::Language => "language",
            Kind::Unchecked => "unchecked",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range in the reply (empty for findings about the whole reply).
    pub range: Range<usize>,
    pub kind: Kind,
    pub message: String,
    /// Spelling: up to five, best first (filled from the suggestion cache).
    pub suggestions: Vec<String>,
    pub blocking: bool,
}

impl Finding {
    fn new(range: Range<usize>, kind: Kind, blocking: bool, message: impl Into<String>) -> Self {
        Self {
            range,
            kind,
            message: message.into(),
            suggestions: Vec::new(),
            blocking,
        }
    }

    /// What an override names: the kind and the text it covers ("spelling:refnud").
    pub fn key(&self, text: &str) -> String {
        format!(
            "{}:{}",
            self.kind.name(),
            text.get(self.range.clone()).unwrap_or("")
        )
    }

    /// Placeholders cannot be waved through: a customer must never read `{order_id}`.
    pub fn overridable(&self) -> bool {
        self.kind != Kind::Placeholder
    }
}

/// Whether spelling can be checked for the reply's language.
pub enum Dictionary<'a> {
    Ready(&'a Speller),
    Loading,
    Missing(&'a str),
}

/// Everything the gate looks at.
pub struct Input<'a> {
    pub text: &'a str,
    pub lang: &'a str,
    /// `lang` was chosen with a key rather than detected.
    pub lang_chosen: bool,
    /// The language the customer wrote in, when known.
    pub customer_lang: Option<&'a str>,
    pub network: Network,
    pub private: bool,
    pub limits: length::Limits,
    pub dictionary: Dictionary<'a>,
    /// Brand words, lowercased: never misspelt.
    pub known_words: &'a HashSet<String>,
    /// The template text as it was inserted (filled), if the reply started from one.
    pub template: Option<&'a str>,
    /// The author's names as they would appear in a personal reply.
    pub names: &'a [String],
    /// Replies already sent or queued to this mention.
    pub earlier_to_mention: usize,
    /// The same text went to the same author within a day.
    pub same_text_to_author: bool,
}

/// All findings, in text order.
pub fn check(input: &Input) -> Vec<Finding> {
    let text = input.text;
    let mut out = Vec::new();
    match &input.dictionary {
        Dictionary::Ready(s) => {
            for miss in s.misses(text, input.known_words) {
                out.push(Finding::new(
                    miss.range,
                    Kind::Spelling,
                    true,
                    format!("\"{}\" is not in the {} dictionary", miss.word, s.lang),
                ));
            }
        }
        Dictionary::Loading => out.push(Finding::new(
            0..0,
            Kind::Unchecked,
            false,
            format!("spelling: loading the {} dictionary…", input.lang),
        )),
        Dictionary::Missing(why) => out.push(Finding::new(
            0..0,
            Kind::Unchecked,
            false,
            format!("spelling NOT checked: {why}"),
        )),
    }
    for (r, name) in placeholder::find(text) {
        out.push(Finding::new(
            r,
            Kind::Placeholder,
            true,
            format!("fill in {{{name}}} (Tab jumps to it)"),
        ));
    }
    out.extend(length::check(text, input.network, &input.limits));
    out.extend(tone::check(text, input.lang));
    out.extend(tone::sensitive(text, input.lang));
    if !input.private {
        out.extend(privacy::check(text, input.lang));
    }
    out.extend(copy::check(input));
    out.extend(language::check(
        text,
        input.customer_lang,
        input.lang_chosen,
    ));
    out.sort_by_key(|f| (f.range.start, f.kind));
    out
}

#[cfg(test)]
mod tests;
