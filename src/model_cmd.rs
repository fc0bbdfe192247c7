//! `modq train --from FILE` and `modq model show|reset|export|import`: the learned triage
//! model of a data directory, from the shell.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::model::now_millis;
use crate::store::{SledStore, Store};
use crate::triage::{self, eval, model::Model};

/// One labelled text of a training file.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub text: String,
    pub negative: bool,
    pub lang: Option<String>,
}

#[derive(serde::Deserialize)]
struct JsonLine {
    text: String,
    label: serde_json::Value,
    #[serde(default)]
    lang: Option<String>,
}

/// Negative or not, from the names help desks use; `None` when the label is not one.
fn negative(label: &str) -> Option<bool> {
    match label.trim().to_lowercase().as_str() {
        "negative" | "neg" | "complaint" | "-1" | "-" => Some(true),
        "neutral" | "neu" | "0" | "positive" | "pos" | "praise" | "1" | "+" => Some(false),
        _ => None,
    }
}

/// A line of a training file: JSON (`text`, `label`, optional `lang`) when it starts with
/// `{`, else `label<TAB>text`.
pub fn parse_line(line: &str) -> Result<Labelled, String> {
    if line.trim_start().starts_with('{') {
        let j: JsonLine = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
        let label = match &j.label {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        let negative = negative(&label).ok_or(format!("unknown label {label:?}"))?;
        if j.text.trim().is_empty() {
            return Err("empty text".into());
        }
        return Ok(Labelled {
            text: j.text,
            negative,
            lang: j.lang.filter(|l| !l.is_empty()),
        });
    }
    let (label, text) = line
        .split_once('\t')
        .ok_or("expected label<TAB>text or a JSON object")?;
    let negative = negative(label).ok_or(format!("unknown label {label:?}"))?;
    if text.trim().is_empty() {
        return Err("empty text".into());
    }
    Ok(Labelled {
        text: text.to_string(),
        negative,
        lang: None,
    })
}

/// Held-out AUC of the lexicon alone and combined with `model`.
pub fn held_out_auc(model: &Model, rows: &[Labelled]) -> (f64, f64) {
    let mut lex = Vec::with_capacity(rows.len());
    let mut comb = Vec::with_capacity(rows.len());
    for r in rows {
        let s = triage::analyse(&r.text, r.lang.as_deref()).sentiment;
        comb.push(model.combine(&r.text, &s).score);
        lex.push(s.score);
    }
    let neg: Vec<bool> = rows.iter().map(|r| r.negative).collect();
    (eval::auc(&lex, &neg), eval::auc(&comb, &neg))
}

/// Share of a file held out to measure the model on.
const HOLD_OUT: usize = 10;

fn open(data_dir: &Path) -> anyhow::Result<SledStore> {
    SledStore::open(data_dir).context("opening the store (is modq running on it?)")
}

fn load(store: &dyn Store) -> anyhow::Result<Model> {
    match store.model_get()? {
        Some(bytes) => Model::from_bytes(&bytes).context("the stored model"),
        None => Ok(Model::default()),
    }
}

/// Trains the stored model on a labelled file, one text at a time as corrections would,
/// after setting a tenth aside (in a fixed shuffled order) to measure it on; those are learnt
/// from last, so nothing labelled is wasted.
pub fn train(store_dir: &Path, from: &Path) -> anyhow::Result<i32> {
    let src =
        std::fs::read_to_string(from).with_context(|| format!("reading {}", from.display()))?;
    let mut rows = Vec::new();
    let mut bad = 0usize;
    for (n, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(r) => rows.push(r),
            // A header line is not worth a complaint.
            Err(_) if n == 0 => {}
            Err(e) => {
                bad += 1;
                if bad <= 5 {
                    eprintln!("modq: {}:{}: {e} (skipped)", from.display(), n + 1);
                }
            }
        }
    }
    if bad > 5 {
        eprintln!("modq: {bad} lines skipped in all");
    }
    if rows.is_empty() {
        anyhow::bail!("{}: no labelled lines", from.display());
    }
    let rows = eval::shuffled(rows, 21);
    let held = if rows.len() >= 50 {
        rows.len() / HOLD_OUT
    } else {
        0
    };
    let (test, learn) = rows.split_at(held);
    let store = open(store_dir)?;
    let mut model = load(&store)?;
    let mut err = std::io::stderr().lock();
    // A bar for a person watching; a log or a pipe gets the results alone.
    let bar = std::io::IsTerminal::is_terminal(&err);
    let total = rows.len();
    let mut shown = usize::MAX;
    for (i, r) in learn.iter().chain(test).enumerate() {
        if i == learn.len() && held > 0 {
            let (lex, comb) = held_out_auc(&model, test);
            writeln!(
                err,
                "\r{:<60}\rheld out {held} texts: AUC {lex:.3} lexicon alone, {comb:.3} with the model ({:+.3})",
                "",
                comb - lex
            )?;
        }
        let lex = triage::analyse(&r.text, r.lang.as_deref()).sentiment;
        model.learn(&r.text, &lex, r.negative, now_millis());
        let pct = (i + 1) * 100 / total;
        if bar && pct != shown {
            shown = pct;
            let bar = "#".repeat(pct / 5);
            write!(err, "\rtraining [{bar:<20}] {pct:>3}% ({}/{total})", i + 1)?;
            err.flush()?;
        }
    }
    if bar {
        writeln!(err)?;
    }
    store.model_put(&model.to_bytes())?;
    store.flush()?;
    println!(
        "model stored: {} corrections in all ({total} from {}, {bad} lines skipped)",
        model.corrections(),
        from.display()
    );
    Ok(0)
}

#[derive(Debug, clap::Subcommand)]
pub enum ModelCmd {
    /// Size, corrections, last update and the n-grams that weigh most in the stored mentions.
    Show,
    /// Forget everything learnt: triage goes back to the lexicon alone.
    Reset,
    /// Write the model to a file (to move it to another data directory).
    Export { file: std::path::PathBuf },
    /// Replace the model with one exported before.
    Import { file: std::path::PathBuf },
}

pub fn run(cmd: ModelCmd, store_dir: &Path) -> anyhow::Result<i32> {
    let store = open(store_dir)?;
    match cmd {
        ModelCmd::Show => {
            let model = load(&store)?;
            print!("{}", show(&model, &store.load_mentions()?, now_millis()));
        }
        ModelCmd::Reset => {
            let before = load(&store)?.corrections();
            store.model_put(&Model::default().to_bytes())?;
            store.flush()?;
            println!("model reset ({before} corrections forgotten); triage is the lexicon's");
        }
        ModelCmd::Export { file } => {
            let bytes = store
                .model_get()?
                .unwrap_or_else(|| Model::default().to_bytes());
            std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))?;
            println!("model written to {}", file.display());
        }
        ModelCmd::Import { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let model = Model::from_bytes(&bytes).with_context(|| file.display().to_string())?;
            store.model_put(&bytes)?;
            store.flush()?;
            println!("model imported: {} corrections", model.corrections());
        }
    }
    Ok(0)
}

/// What `modq model show` prints.
pub fn show(model: &Model, mentions: &[crate::model::Mention], now: i64) -> String {
    let mut out = format!(
        "corrections: {}\nweight beside the lexicon: {:.2} (bound {:.2})\nmemory: {:.2} MiB, stored {:.2} MiB\n",
        model.corrections(),
        model.mix(),
        model.bound(),
        model.memory_bytes() as f64 / 1048576.0,
        model.to_bytes().len() as f64 / 1048576.0,
    );
    if model.updated > 0 {
        let min = (now - model.updated).max(0) / 60_000;
        let ago = match min {
            m if m < 120 => format!("{m} min"),
            m if m < 48 * 60 => format!("{} h", m / 60),
            m => format!("{} days", m / (24 * 60)),
        };
        out += &format!("last update: {ago} ago\n");
    } else {
        out += "last update: never\n";
    }
    // Buckets are hashes: name them by the n-grams of the stored mentions that fall in them.
    let mut seen: std::collections::HashMap<String, f32> = Default::default();
    for m in mentions {
        for mv in model.moved(&triage::model::Features::of_text(&m.text)) {
            seen.entry(mv.ngram).or_insert(mv.weight);
        }
    }
    let mut top: Vec<(String, f32)> = seen.into_iter().collect();
    top.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    if !top.is_empty() {
        out += "towards complaint:";
        for (g, w) in top.iter().filter(|(_, w)| *w < 0.0).take(10) {
            out += &format!(" \"{g}\" {w:+.2}");
        }
        out += "\ntowards praise:";
        for (g, w) in top.iter().rev().filter(|(_, w)| *w > 0.0).take(10) {
            out += &format!(" \"{g}\" {w:+.2}");
        }
        out += "\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_and_json_lines() {
        assert_eq!(
            parse_line("negative\tthe app logs me out").unwrap(),
            Labelled {
                text: "the app logs me out".into(),
                negative: true,
                lang: None
            }
        );
        let j =
            parse_line(r#"{"text": "karta zablokowana", "label": "neg", "lang": "pl"}"#).unwrap();
        assert!(j.negative);
        assert_eq!(j.lang.as_deref(), Some("pl"));
        assert!(
            !parse_line(r#"{"text": "ok", "label": 1}"#)
                .unwrap()
                .negative
        );
        assert!(parse_line("meh\ttext")
            .unwrap_err()
            .contains("unknown label"));
        assert!(parse_line("no tab here").is_err());
        assert!(parse_line("neg\t  ").is_err());
    }

    #[test]
    fn training_measures_on_held_out_rows_and_stores_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("history.tsv");
        let mut lines = vec!["label\ttext".to_string()];
        for i in 0..120 {
            lines.push(format!("negative\tthe raduga app logs me out, try {i}"));
            lines.push(format!("neutral\twhen does branch {i} open"));
        }
        lines.push("bogus line".into());
        std::fs::write(&file, lines.join("\n")).unwrap();
        let store_dir = dir.path().join("store");
        assert_eq!(train(&store_dir, &file).unwrap(), 0);
        let store = SledStore::open(&store_dir).unwrap();
        let model = load(&store).unwrap();
        assert_eq!(model.corrections(), 240);
        let shown = show(&model, &[], 0);
        assert!(shown.starts_with("corrections: 240\n"), "{shown}");
    }
}
