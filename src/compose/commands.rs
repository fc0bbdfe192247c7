//! `modq check`, `modq spell`, `modq templates`: thin commands over the gate, for scripts and
//! for measuring. Each returns the process exit code.

use std::io::{BufRead, Read, Write};

use serde_json::json;

use super::gate::{self, length::Limits, Finding};
use super::kit::Kit;
use super::spell::Speller;
use super::{dict, placeholder, template};
use crate::config::{line_at, Config, Paths};
use crate::model::Network;

fn speller(kit: &Kit, lang: &str) -> Result<Speller, String> {
    dict::load(lang, &kit.dict_dirs).map(|l| Speller::new(lang, l.dict))
}

pub fn parse_network(name: &str) -> Option<Network> {
    match name {
        "mastodon" => Some(Network::Mastodon),
        "bluesky" => Some(Network::Bluesky),
        _ => None,
    }
}

/// Reads a reply on stdin, prints its findings; 1 when something blocks, 0 when clean.
pub fn check(paths: &Paths, config: &Config, lang: Option<&str>, network: &str, json: bool) -> i32 {
    let Some(network) = parse_network(network) else {
        eprintln!("modq check: --network is mastodon or bluesky");
        return 2;
    };
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("modq check: stdin: {e}");
        return 2;
    }
    let text = text.trim_end_matches('\n');
    let kit = Kit::for_paths(paths, config);
    let lang = lang
        .map(str::to_string)
        .or_else(|| super::lang::detect(text).map(str::to_string))
        .unwrap_or_else(|| "en".into());
    let sp = speller(&kit, &lang);
    let dictionary = match &sp {
        Ok(s) => gate::Dictionary::Ready(s),
        Err(e) => gate::Dictionary::Missing(e),
    };
    let mut findings = gate::check(&gate::Input {
        text,
        lang: &lang,
        lang_chosen: false,
        customer_lang: None,
        network,
        private: false,
        limits: Limits::default(),
        dictionary,
        known_words: &kit.brand_words,
        template: None,
        names: &[],
        earlier_to_mention: 0,
        same_text_to_author: false,
    });
    if let Ok(s) = &sp {
        for f in findings
            .iter_mut()
            .filter(|f| f.kind == gate::Kind::Spelling)
        {
            f.suggestions = s.suggest(&text[f.range.clone()]);
        }
    }
    let mut out = std::io::stdout().lock();
    for f in &findings {
        let _ = writeln!(out, "{}", format_finding(text, f, json));
    }
    i32::from(findings.iter().any(|f| f.blocking))
}

fn format_finding(text: &str, f: &Finding, json: bool) -> String {
    let line = line_at(text, f.range.start);
    let line_start = text[..f.range.start].rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..f.range.start].chars().count() + 1;
    let covered = &text[f.range.clone()];
    if json {
        return json!({
            "line": line, "column": col, "kind": f.kind.name(), "blocking": f.blocking,
            "text": covered, "message": f.message, "suggestions": f.suggestions,
        })
        .to_string();
    }
    let mut s = format!(
        "{line}:{col}: {}{}: {}",
        f.kind.name(),
        if f.blocking { "" } else { " (warning)" },
        f.message
    );
    if !f.suggestions.is_empty() {
        s.push_str(&format!(" [{}]", f.suggestions.join(", ")));
    }
    s
}

/// One word a line on stdin → `{"word","ok","suggestions"}` a line (or tab-separated).
/// `raw`: Hunspell's own suggestion order, for comparison.
pub fn spell(paths: &Paths, config: &Config, lang: &str, json: bool, raw: bool) -> i32 {
    let kit = Kit::for_paths(paths, config);
    let s = match speller(&kit, lang) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("modq spell: {e}");
            return 2;
        }
    };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    match spell_lines(&s, std::io::stdin().lock(), out, json, raw) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("modq spell: {e}");
            2
        }
    }
}

/// One result per word of `input` (one a line; blank lines skipped). A line that is not
/// UTF-8 gets an error in its place (an object with `--json`, else a message on stderr), and
/// the words after it are still checked.
fn spell_lines(
    s: &Speller,
    input: impl BufRead,
    mut out: impl Write,
    json: bool,
    raw: bool,
) -> std::io::Result<()> {
    for (n, line) in input.split(b'\n').enumerate() {
        let Ok(line) = String::from_utf8(line?) else {
            if json {
                writeln!(out, "{}", json!({"line": n + 1, "error": "not UTF-8"}))?;
            } else {
                eprintln!("modq spell: line {}: not UTF-8", n + 1);
            }
            continue;
        };
        let word = line.trim().replace('’', "'");
        if word.is_empty() {
            continue;
        }
        let ok = s.check_word(&word);
        let suggestions = match (ok, raw) {
            (true, _) => Vec::new(),
            (false, true) => s.hunspell_suggestions(&word).into_iter().take(5).collect(),
            (false, false) => s.suggest(&word),
        };
        if json {
            let v = json!({"word": word, "ok": ok, "suggestions": suggestions});
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "{word}\t{ok}\t{}", suggestions.join(","))?;
        }
    }
    out.flush()
}

pub fn templates_list(paths: &Paths, config: &Config) -> i32 {
    let kit = Kit::for_paths(paths, config);
    for e in &kit.template_errors {
        eprintln!("modq: {e}");
    }
    for t in &kit.templates {
        let langs: Vec<&str> = t.body.keys().map(String::as_str).collect();
        println!("{:<24} {:<58} {}", t.id, t.title, langs.join(","));
    }
    i32::from(!kit.template_errors.is_empty())
}

pub fn templates_show(paths: &Paths, config: &Config, id: &str) -> i32 {
    let kit = Kit::for_paths(paths, config);
    let Some(t) = kit.template(id) else {
        eprintln!("modq: no template {id} (modq templates list)");
        return 2;
    };
    println!("{} — {}\ntags: {}", t.id, t.title, t.tags.join(", "));
    for (lang, body) in &t.body {
        println!("\n[{lang}]\n{body}");
    }
    0
}

/// Every template file parses, every default speaks every default language, placeholders are
/// well formed, and the bodies pass the spelling gate where a dictionary is installed.
pub fn templates_check(paths: &Paths, config: &Config) -> i32 {
    let kit = Kit::for_paths(paths, config);
    let mut problems: Vec<String> = kit.template_errors.iter().map(|e| e.to_string()).collect();
    let defaults: Vec<String> = template::load(None).0.into_iter().map(|t| t.id).collect();
    let mut spellers = std::collections::HashMap::new();
    for t in &kit.templates {
        if defaults.contains(&t.id) {
            for l in template::LANGS {
                if !t.body.contains_key(*l) {
                    problems.push(format!("{}: no {l} body", t.id));
                }
            }
        }
        for (lang, body) in &t.body {
            problems.extend(
                placeholder::syntax_errors(body)
                    .into_iter()
                    .map(|e| format!("{} ({lang}): {e}", t.id)),
            );
            let s = spellers
                .entry(lang.clone())
                .or_insert_with(|| speller(&kit, lang));
            match s {
                Ok(s) => {
                    for m in s.misses(body, &kit.brand_words) {
                        problems.push(format!("{} ({lang}): \"{}\" is misspelt", t.id, m.word));
                    }
                }
                Err(e) => eprintln!("modq: {} ({lang}): spelling not checked: {e}", t.id),
            }
        }
    }
    for p in &problems {
        println!("{p}");
    }
    println!(
        "{} templates, {} problems",
        kit.templates.len(),
        problems.len()
    );
    i32::from(!problems.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spell_keeps_going_past_a_line_that_is_not_utf8() {
        let l = dict::load("en", &dict::search_dirs(&[])).expect("English is embedded");
        let s = Speller::new("en", l.dict);
        let input: &[u8] = b"thanks\n\n\xff\xfe\nrecieve\n";
        let mut out = Vec::new();
        spell_lines(&s, input, &mut out, true, false).unwrap();
        let rows: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0]["word"], "thanks");
        assert_eq!(rows[1], json!({"line": 3, "error": "not UTF-8"}));
        assert_eq!(rows[2]["word"], "recieve");
        assert_eq!(rows[2]["suggestions"][0], "receive");
    }
}
