//! `modq score`: one text per line (or JSON objects with `text`) in, one JSON object per
//! line out, for scripts and measuring. A bad line gets an error object, never a crash.

use std::io::{BufRead, Write};

use serde::Deserialize;
use serde_json::json;

use crate::model::{Author, Mention, MentionState, Millis, Network};
use crate::triage::{self, priority};

#[derive(Debug, Deserialize)]
struct Input {
    text: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    followers: u64,
}

pub struct Options {
    /// The learned triage model to combine with the lexicon (`None`: the lexicon alone).
    pub model: Option<crate::triage::model::Model>,
    pub jsonl: bool,
    /// Forces the language (otherwise detected, or the object's `lang`).
    pub lang: Option<String>,
    pub sla: Millis,
    pub weights: priority::Weights,
}

/// The JSON line for one text: language, score, label, priority at arrival, cues, reasons.
pub fn line(text: &str, lang: Option<&str>, followers: u64, o: &Options) -> serde_json::Value {
    let clean = crate::sanitize::sanitize_text(text);
    let mut a = triage::analyse(&clean, lang);
    if let Some(model) = &o.model {
        a.sentiment = model.combine(&clean, &a.sentiment);
    }
    let m = Mention {
        id: String::new(),
        source: String::new(),
        network: Network::Jsonl,
        author: Author {
            name: String::new(),
            handle: String::new(),
            followers,
        },
        text: clean,
        lang: a.lang.clone(),
        created: 0,
        received: 0,
        in_reply_to: None,
        url: None,
        sentiment: a.sentiment,
        state: MentionState::New,
        cues: a.cues,
        author_waiting: false,
        cut: Vec::new(),
        work: Default::default(),
        escalation: None,
    };
    let cues: Vec<_> = m
        .cues
        .iter()
        .map(|c| json!({"tag": c.tag, "weight": round3(c.weight)}))
        .collect();
    let reasons: Vec<_> = m
        .sentiment
        .reasons
        .iter()
        .map(|r| json!({"what": r.what, "weight": round3(r.weight)}))
        .collect();
    json!({
        "lang": m.lang,
        "score": round3(m.sentiment.score),
        "label": m.sentiment.label.name(),
        "priority": priority::priority(&m, 0, o.sla, &o.weights),
        "cues": cues,
        "reasons": reasons,
    })
}

/// Three decimals, so that 0.6 prints as 0.6 and not as the f32 it is stored in.
fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn one(raw: &str, o: &Options) -> Result<serde_json::Value, String> {
    if raw.trim().is_empty() {
        return Err("blank line".into());
    }
    if !o.jsonl {
        return Ok(line(raw, o.lang.as_deref(), 0, o));
    }
    let input: Input = serde_json::from_str(raw).map_err(|e| format!("invalid JSON: {e}"))?;
    if input.text.trim().is_empty() {
        return Err("empty text".into());
    }
    let lang = o.lang.as_deref().or(input.lang.as_deref());
    Ok(line(&input.text, lang, input.followers, o))
}

pub fn run(input: impl BufRead, mut out: impl Write, o: &Options) -> std::io::Result<()> {
    for (n, raw) in input.split(b'\n').enumerate() {
        let raw = raw?;
        let value = match std::str::from_utf8(&raw) {
            Ok(s) => one(s.trim_end_matches('\r'), o),
            Err(_) => Err("not UTF-8".into()),
        };
        let value = value.unwrap_or_else(|e| json!({"line": n + 1, "error": e}));
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(input: &str, jsonl: bool, lang: Option<&str>) -> Vec<serde_json::Value> {
        let o = Options {
            model: None,
            jsonl,
            lang: lang.map(str::to_string),
            sla: 30 * 60_000,
            weights: Default::default(),
        };
        let mut out = Vec::new();
        run(input.as_bytes(), &mut out, &o).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn plain_lines_with_errors_in_place() {
        let v = score(
            "My order never arrived, I want a refund\n\nThank you, great service!\n",
            false,
            None,
        );
        assert_eq!(v.len(), 3);
        assert_eq!(v[0]["label"], "negative");
        assert_eq!(v[0]["lang"], "en");
        let tags: Vec<&str> = v[0]["cues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["tag"].as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"refund") && tags.contains(&"not arrived"),
            "{tags:?}"
        );
        assert!(v[0]["priority"].as_i64().unwrap() > 0);
        assert_eq!(v[1]["error"], "blank line");
        assert_eq!(v[1]["line"], 2);
        assert_eq!(v[2]["label"], "positive");
    }

    #[test]
    fn jsonl_and_forced_language() {
        let v = score(
            "{\"text\": \"nie jestem zadowolony\"}\n{\"nope\": 1}\nnot json\n",
            true,
            Some("pl"),
        );
        assert_eq!(v[0]["lang"], "pl");
        assert_eq!(v[0]["label"], "negative");
        assert!(v[1]["error"].as_str().unwrap().starts_with("invalid JSON"));
        assert!(v[2]["error"].is_string());
    }

    #[test]
    fn matches_what_the_console_shows() {
        // The queue marks come from the same analysis at ingest.
        let text = "Заказ так и не пришёл, это ужасно";
        let v = score(text, false, None);
        let a = triage::analyse(text, None);
        assert_eq!(v[0]["label"], a.sentiment.label.name());
    }
}
