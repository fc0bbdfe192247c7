//! Reply templates: the embedded defaults in `templates/*.toml`, a user directory that adds
//! and overrides by id, validation, and ranking for one mention.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::placeholder;
use crate::config::{line_at, DataError};
use crate::model::{Label, Mention};

/// The languages every default template is written in.
pub const LANGS: &[&str] = &["en", "pl", "ru", "tr", "bg"];

pub const EMBEDDED: &[(&str, &str)] = &[
    ("orders.toml", include_str!("../../templates/orders.toml")),
    ("care.toml", include_str!("../../templates/care.toml")),
    ("crisis.toml", include_str!("../../templates/crisis.toml")),
    (
        "escalation.toml",
        include_str!("../../templates/escalation.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Networks it fits; empty: all.
    #[serde(default)]
    pub networks: Vec<String>,
    /// complaint, question, praise, outage, crisis.
    #[serde(default)]
    pub situations: Vec<String>,
    /// Word beginnings, in any language, that make it rank first for a mention.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Language code → body.
    pub body: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    template: Vec<Template>,
}

impl Template {
    /// The body in `lang`, else English, else any.
    pub fn body_for(&self, lang: &str) -> (&str, &str) {
        self.body
            .get_key_value(lang)
            .or_else(|| self.body.get_key_value("en"))
            .or_else(|| self.body.iter().next())
            .map(|(l, b)| (l.as_str(), b.as_str()))
            .unwrap_or(("en", ""))
    }

    /// Text the picker searches: title, tags and the body in the reply's language.
    pub fn haystack(&self, lang: &str) -> String {
        format!(
            "{} {} {}",
            self.title,
            self.tags.join(" "),
            self.body_for(lang).1
        )
    }
}

/// Parses one file; the error names the file and line.
pub fn parse(file: &str, src: &str) -> Result<Vec<Template>, DataError> {
    let parsed: File = toml::from_str(src).map_err(|e| DataError::toml(file, src, &e))?;
    for t in &parsed.template {
        let at = || src.find(&format!("\"{}\"", t.id)).map(|o| line_at(src, o));
        for (lang, body) in &t.body {
            if let Some(e) = placeholder::syntax_errors(body).into_iter().next() {
                return Err(DataError::at(file, at(), format!("{} ({lang}): {e}", t.id)));
            }
        }
        if t.body.is_empty() {
            return Err(DataError::at(file, at(), format!("{}: no body", t.id)));
        }
    }
    Ok(parsed.template)
}

/// The defaults, then every `*.toml` in `user_dir` (same id: the user's wins). Broken user
/// files are reported and skipped.
pub fn load(user_dir: Option<&Path>) -> (Vec<Template>, Vec<DataError>) {
    let mut all: Vec<Template> = Vec::new();
    let mut errors = Vec::new();
    let add = |list: Vec<Template>, all: &mut Vec<Template>| {
        for t in list {
            match all.iter_mut().find(|o| o.id == t.id) {
                Some(o) => *o = t,
                None => all.push(t),
            }
        }
    };
    for (name, src) in EMBEDDED {
        match parse(name, src) {
            Ok(l) => add(l, &mut all),
            Err(e) => errors.push(e),
        }
    }
    if let Some(dir) = user_dir {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for p in files {
            let file = p.display().to_string();
            match crate::config::read_text(&p) {
                Ok(Some(src)) => match parse(&file, &src) {
                    Ok(l) => add(l, &mut all),
                    Err(e) => errors.push(e),
                },
                // Gone since the folder was listed.
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
    }
    (all, errors)
}

/// How well a template fits a mention, before any query: its language, its situation
/// (negative → complaint/crisis/outage, positive → praise), its cues in the text, its network.
pub fn fit(t: &Template, m: &Mention) -> i32 {
    let mut s = 0;
    if t.body.contains_key(&m.lang) {
        s += 10;
    }
    let text = m.text.to_lowercase();
    let hits = t.cues.iter().filter(|c| text.contains(c.as_str())).count() as i32;
    s += 8 * hits.min(3);
    let wants: &[&str] = match m.sentiment.label {
        Label::Negative => &["complaint", "outage", "crisis"],
        Label::Positive => &["praise"],
        Label::Neutral => &["question"],
    };
    if t.situations.iter().any(|x| wants.contains(&x.as_str())) {
        s += 5;
    }
    // A report of harm is answered with the safety template first, whatever its tone.
    let safety = crate::triage::priority::SAFETY_CUE;
    if m.cues.iter().any(|c| c.tag == safety) && t.situations.iter().any(|x| x == safety) {
        s += 30;
    }
    // The crisis set and outage follow-ups are for their moment, not the first thing offered.
    if t.situations.iter().all(|x| x == "crisis" || x == "outage") && hits == 0 {
        s -= 6;
    }
    if !t.networks.is_empty() && !t.networks.iter().any(|n| n == m.network.name()) {
        s -= 20;
    }
    s
}

/// Templates ordered for the picker: with an empty query by fit; with a query by the fuzzy
/// score over title, tags and body, fit breaking near-ties.
pub fn rank<'a>(
    all: &'a [Template],
    m: Option<&Mention>,
    lang: &str,
    query: &str,
) -> Vec<&'a Template> {
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    let fits: Vec<i32> = all.iter().map(|t| m.map_or(0, |m| fit(t, m))).collect();
    let mut order: Vec<(i64, usize)> = if query.trim().is_empty() {
        fits.iter()
            .enumerate()
            .map(|(i, f)| (*f as i64, i))
            .collect()
    } else {
        let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
        let pat = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        all.iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let hay = t.haystack(lang);
                let h = nucleo_matcher::Utf32Str::new(&hay, &mut buf);
                pat.score(h, &mut matcher)
                    .map(|s| (s as i64 * 4 + fits[i] as i64, i))
            })
            .collect()
    };
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, i)| &all[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_with_every_language() {
        let (all, errors) = load(None);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(all.len() >= 30, "{} templates", all.len());
        for t in &all {
            for l in LANGS {
                assert!(t.body.contains_key(*l), "{} has no {l} body", t.id);
            }
        }
        for step in 1..=5 {
            assert!(all
                .iter()
                .any(|t| t.id.starts_with(&format!("crisis-{step}"))));
        }
    }

    #[test]
    fn user_file_overrides_by_id_and_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "[[template]]\nid = \"refund\"\ntitle = \"Ours\"\n[template.body]\nen = \"Hi {first_name}\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("bad.toml"),
            "[[template]]\nid = \"x\"\ntitle = \"X\"\n[template.body]\nen = \"Hi {first_name\"\n",
        )
        .unwrap();
        let (all, errors) = load(Some(dir.path()));
        assert_eq!(all.iter().find(|t| t.id == "refund").unwrap().title, "Ours");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].to_string().contains("bad.toml:2:"),
            "{}",
            errors[0]
        );
    }
}
