//! Triage quality and speed on `../shared/data/sentiment/`: ROC-AUC of "negative vs. the
//! rest" and negative-class F1 per file, texts per second on one core, lexicon load time
//! and memory. Run with `cargo run --release --bin triage-report`; `-- --lexicons DIR`
//! measures the lexicon files in DIR (same names as `src/triage/lexicons/`) instead of the
//! embedded ones, without a rebuild. `-- --curve` prints the learned model's learning curve
//! instead: per file, AUC of the lexicon alone and combined with a model fed the first K
//! rows (fixed shuffle) as corrections, on the rest; then model speed and memory.
//! `-- --digest FILE…` prints, per TSV file, fingerprints of everything triage says about
//! its texts (the guard that a change meant to keep scores keeps them byte for byte).

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
    if args == ["--curve"] {
        return learning_curve();
    }
    if let Some(("--digest", files)) = args.split_first().map(|(f, r)| (f.as_str(), r)) {
        return digest(files);
    }
    if let [flag, dir] = args.as_slice() {
        if flag == "--lexicons" {
            let lex = lexicon::load_dir(std::path::Path::new(dir)).unwrap_or_else(|e| {
                eprintln!("triage-report: {e}");
                std::process::exit(2)
            });
            lexicon::install(lex).expect("nothing analysed yet");
        }
    } else if !args.is_empty() {
        eprintln!("usage: triage-report [--lexicons DIR | --curve | --digest FILE…]");
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

/// FNV-1a, 64 bits: a fixed hash, so that digests compare across builds and runs.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn eat_analysis(&mut self, a: &triage::Analysis) {
        self.eat(a.lang.as_bytes());
        self.eat(&a.sentiment.score.to_bits().to_le_bytes());
        self.eat(&[a.sentiment.label as u8]);
        for r in &a.sentiment.reasons {
            self.eat(r.what.as_bytes());
            self.eat(&r.weight.to_bits().to_le_bytes());
        }
        for c in &a.cues {
            self.eat(c.tag.as_bytes());
            self.eat(&c.weight.to_bits().to_le_bytes());
        }
        self.eat(b"\n");
    }
}

/// Per file: a digest of the analyses in the declared language, with the language
/// detected, of the model's features, and of the scores of a model fed the first 1 000
/// rows (score bits, labels, reasons, cues, buckets): any change in what triage says
/// about any text changes one of them.
fn digest(files: &[String]) {
    use modq::triage::model::{Features, Model};
    if files.is_empty() {
        eprintln!("usage: triage-report --digest FILE…");
        std::process::exit(2);
    }
    println!(
        "{:<42} {:>6} {:>16} {:>16} {:>16} {:>16}",
        "file", "n", "declared", "detected", "features", "model"
    );
    for path in files {
        let samples = eval::read_tsv(std::path::Path::new(path)).unwrap_or_else(|e| {
            eprintln!("triage-report: {path}: {e}");
            std::process::exit(2)
        });
        let (mut declared, mut detected, mut feats, mut combined) =
            (Fnv::new(), Fnv::new(), Fnv::new(), Fnv::new());
        let mut model = Model::default();
        let mut f = Features::default();
        for (i, s) in samples.iter().enumerate() {
            let a = triage::analyse(&s.text, Some(&s.lang));
            declared.eat_analysis(&a);
            detected.eat_analysis(&triage::analyse(&s.text, None));
            f.fill(&s.text);
            for b in &f.buckets {
                feats.eat(&b.to_le_bytes());
            }
            feats.eat(&f.value.to_bits().to_le_bytes());
            let c = model.combine(&s.text, &a.sentiment);
            combined.eat_analysis(&triage::Analysis {
                sentiment: c,
                ..a.clone()
            });
            if i < 1_000 {
                model.learn(&s.text, &a.sentiment, s.negative, 0);
            }
        }
        println!(
            "{:<42} {:>6} {:016x} {:016x} {:016x} {:016x}",
            std::path::Path::new(path)
                .file_name()
                .map_or(path.clone(), |n| n.to_string_lossy().into_owned()),
            samples.len(),
            declared.0,
            detected.0,
            feats.0,
            combined.0
        );
    }
}

/// Seed of the row order in the learning curve (fixed so that runs compare).
const CURVE_SEED: u64 = 21;

fn learning_curve() {
    use modq::triage::model::{Features, Model, Params};
    // MODQ_CURVE_PARAMS=name=value,… measures other learning parameters without a rebuild.
    let params = Params::parse(&std::env::var("MODQ_CURVE_PARAMS").unwrap_or_default())
        .unwrap_or_else(|e| {
            eprintln!("triage-report: MODQ_CURVE_PARAMS: {e}");
            std::process::exit(2)
        });
    println!("{params:?}");
    let Some(files) = eval::data_files() else {
        println!("no evaluation data at ../shared/data/sentiment: nothing to measure");
        return;
    };
    println!(
        "{:<42} {:>6} {:>7} {:>7} {:>7}",
        "file", "K", "lexicon", "model+", "gain"
    );
    // Gains per K over the files with at least 3 000 rows.
    let mut gains: Vec<(usize, Vec<f64>)> = eval::CURVE_KS.iter().map(|&k| (k, vec![])).collect();
    let mut worst = f64::INFINITY;
    let mut all = Vec::new();
    for f in &files {
        let samples = eval::read_tsv(f).expect("read tsv");
        for p in eval::curve(&samples, CURVE_SEED, params) {
            let gain = p.combined - p.lexicon;
            worst = worst.min(gain);
            println!(
                "{:<42} {:>6} {:>7.4} {:>7.4} {:>+7.4}",
                f.file_name().unwrap().to_string_lossy(),
                p.k,
                p.lexicon,
                p.combined,
                gain
            );
            if samples.len() >= 3_000 {
                if let Some((_, g)) = gains.iter_mut().find(|(k, _)| *k == p.k) {
                    g.push(gain);
                }
            }
        }
        all.extend(samples);
    }
    println!("over the files with at least 3 000 rows:");
    for (k, g) in &gains {
        if g.is_empty() {
            continue;
        }
        let mean = g.iter().sum::<f64>() / g.len() as f64;
        let min = g.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "  K = {k:>5}: mean gain {mean:+.4}, least {min:+.4} ({} files)",
            g.len()
        );
    }
    println!("worst gain at any K on any file: {worst:+.4}");

    // Speed with the model on: a model fed 3 000 texts, then every text analysed and combined.
    let mut model = Model::with_params(params);
    let mut feats = Features::default();
    for s in all.iter().take(3_000) {
        let lex = triage::analyse(&s.text, Some(&s.lang)).sentiment;
        feats.fill(&s.text);
        model.learn_features(&feats, lex.score, s.negative, 0);
    }
    let rounds = 3;
    let cpu = cpu_seconds();
    let mut sink = 0.0f32;
    for _ in 0..rounds {
        for s in &all {
            sink += triage::analyse(&s.text, Some(&s.lang)).sentiment.score;
        }
    }
    let lex_cpu = cpu_seconds().zip(cpu).map_or(0.0, |(b, a)| b - a);
    println!(
        "speed, lexicon alone: {:.0} texts/s per CPU second [{sink:.0}]",
        (all.len() * rounds) as f64 / lex_cpu.max(1e-9)
    );
    let cpu = cpu_seconds();
    let t = Instant::now();
    let mut sink = 0.0f32;
    for _ in 0..rounds {
        for s in &all {
            let a = triage::analyse(&s.text, Some(&s.lang));
            feats.fill(&s.text);
            sink += model.combine_features(&feats, a.sentiment.score) + a.cues.len() as f32;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu).map(|(b, a)| b - a).unwrap_or(secs);
    let n = all.len() * rounds;
    println!(
        "speed with the model on: {:.0} texts/s per CPU second ({n} texts, {cpu:.2} s CPU) [{sink:.0}]",
        n as f64 / cpu.max(1e-9)
    );
    // A correction: one step, timed over many.
    let t = Instant::now();
    let steps = 10_000;
    for s in all.iter().cycle().take(steps) {
        feats.fill(&s.text);
        model.learn_features(&feats, 0.0, s.negative, 0);
    }
    println!(
        "a correction (features + SGD step): {:.1} µs wall; model memory {:.2} MiB, stored {:.2} MiB",
        t.elapsed().as_secs_f64() * 1e6 / steps as f64,
        model.memory_bytes() as f64 / (1024.0 * 1024.0),
        model.to_bytes().len() as f64 / (1024.0 * 1024.0)
    );
}
