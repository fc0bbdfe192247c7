//! Triage quality and speed on `../shared/data/sentiment/`: ROC-AUC of "negative vs. the
//! rest" and negative-class F1 per file, texts per second on one core, lexicon load time
//! and memory. Run with `cargo run --release --bin triage-report`; `-- --lexicons DIR`
//! measures the lexicon files in DIR (same names as `src/triage/lexicons/`) instead of the
//! embedded ones, without a rebuild.

use std::time::Instant;

use modq::triage::{self, eval, lexicon};

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU seconds this process has used (user + system), so that the speed is per core even
/// when the machine is busy with other work. Linux only; clock ticks of 1/100 s.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = s.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir] = args.as_slice() {
        if flag == "--lexicons" {
            let lex = lexicon::load_dir(std::path::Path::new(dir)).unwrap_or_else(|e| {
                eprintln!("triage-report: {e}");
                std::process::exit(2)
            });
            lexicon::install(lex).expect("nothing analysed yet");
        }
    } else if !args.is_empty() {
        eprintln!("usage: triage-report [--lexicons DIR]");
        std::process::exit(2);
    }
    let before = rss_kb();
    let t = Instant::now();
    let lex = lexicon::load();
    let load = t.elapsed();
    let after = rss_kb();
    let words: usize = lex.langs.iter().map(|(_, l)| l.word_entries).sum();
    println!(
        "lexicons: {} languages, {words} entries, loaded in {:.1} ms, RSS +{} KiB",
        lex.langs.len(),
        load.as_secs_f64() * 1e3,
        after.zip(before).map_or(0, |(a, b)| a.saturating_sub(b))
    );
    drop(lex);

    let Some(files) = eval::data_files() else {
        println!("no evaluation data at ../shared/data/sentiment: nothing to measure");
        return;
    };
    println!(
        "{:<42} {:>6} {:>6} {:>7} {:>7}",
        "file", "AUC", "negF1", "n", "silent"
    );
    let mut all = Vec::new();
    for f in &files {
        let samples = eval::read_tsv(f).expect("read tsv");
        let q = eval::measure(&samples);
        println!(
            "{:<42} {:>6.3} {:>6.3} {:>7} {:>6.1}%",
            f.file_name().unwrap().to_string_lossy(),
            q.auc,
            q.f1,
            q.n,
            q.silent * 100.0
        );
        all.extend(samples);
    }

    // Speed: every text of every file, scored in its declared language, then detected.
    let texts: Vec<(&str, &str)> = all
        .iter()
        .map(|s| (s.text.as_str(), s.lang.as_str()))
        .collect();
    for (what, declared) in [("declared language", true), ("language detected", false)] {
        let rounds = if declared { 5 } else { 1 };
        let cpu = cpu_seconds();
        let t = Instant::now();
        let mut sink = 0.0f32;
        for _ in 0..rounds {
            for (text, lang) in &texts {
                let a = triage::analyse(text, declared.then_some(*lang));
                sink += a.sentiment.score + a.cues.len() as f32;
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu).map(|(b, a)| b - a).unwrap_or(secs);
        let n = texts.len() * rounds;
        println!(
            "speed ({what}): {:.0} texts/s per CPU second ({n} texts, {cpu:.2} s CPU, \
             {:.2} s wall) [{sink:.0}]",
            n as f64 / cpu.max(1e-9),
            secs
        );
    }
}
