//! The gate's figures: spelling quality against Hunspell's own order on the evaluation data
//! in ../shared/data/spelling (read where it is, never copied; skipped when absent), the time
//! to check a 500-character reply, and the time to suggest for one word. Prints; asserts
//! nothing. `cargo bench --bench gate`: an even sample of 300 rows per file, every row of a
//! smaller file (MODQ_BENCH_ROWS samples more or fewer; MODQ_BENCH_OURS_ONLY=1 leaves out
//! Hunspell's own order, which is slow; MODQ_BENCH_FILES=pl,ru measures only the files whose
//! names start so).

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use modq::compose::gate::{self, length::Limits};
use modq::compose::spell::Speller;
use modq::compose::{dict, template};
use modq::model::Network;

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn load(lang: &str) -> Option<Speller> {
    let t = Instant::now();
    match dict::load(lang, &dict::search_dirs(&[])) {
        Ok(l) => {
            println!(
                "dictionary {lang}: {} loaded in {:.0} ms",
                l.origin,
                t.elapsed().as_secs_f64() * 1e3
            );
            Some(Speller::new(lang, l.dict))
        }
        Err(e) => {
            println!("dictionary {lang}: SKIPPED ({e})");
            None
        }
    }
}

fn main() {
    let rows_per_file: usize = std::env::var("MODQ_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let ours_only = std::env::var("MODQ_BENCH_OURS_ONLY").is_ok_and(|v| v == "1");
    let mut spellers = std::collections::HashMap::new();
    for lang in ["en", "pl", "ru", "tr", "bg"] {
        if let Some(s) = load(lang) {
            spellers.insert(lang, s);
        }
    }
    check_speed(&spellers);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/spelling");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("spelling data: SKIPPED ({} not found)", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "tsv"));
    if let Ok(only) = std::env::var("MODQ_BENCH_FILES") {
        let wanted = |p: &Path| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            only.split(',').any(|f| name.starts_with(f.trim()))
        };
        files.retain(|p| wanted(p));
    }
    files.sort();
    let mut all_times = Vec::new();
    println!(
        "\n{:<40} {:>5} {:>7} {:>7} | {:>13} {:>13} | {:>13} {:>13} | {:>8}",
        "file (sampled rows)",
        "rows",
        "detect",
        "f.alarm",
        "hunspell top1",
        "hunspell top5",
        "modq top1",
        "modq top5",
        "slowest"
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let lang = &name[..2];
        let Some(s) = spellers.get(lang) else {
            println!("{name}: SKIPPED (no {lang} dictionary)");
            continue;
        };
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        let rows: Vec<(String, String)> = src
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (_, bad, good) = (f.next()?, f.next()?, f.next()?);
                // Typographic apostrophes become straight ones, as in the editor and `modq spell`.
                let (bad, good) = (bad.replace('’', "'"), good.replace('’', "'"));
                (bad != good && !bad.contains(' ') && !good.contains(' ')).then_some((bad, good))
            })
            .collect();
        // An even sample over the whole file (every row of a small one), the same every run.
        let n = rows.len().min(rows_per_file.max(1));
        let sample: Vec<_> = (0..n).map(|i| &rows[i * rows.len() / n]).collect();
        let (mut detected, mut alarms) = (0, 0);
        let (mut h1, mut h5, mut m1, mut m5) = (0, 0, 0, 0);
        let mut times = Vec::new();
        // Where our misses went: the intended word ranked below the fifth, or not a candidate.
        let (mut below, mut absent) = (0, 0);
        for (bad, good) in &sample {
            if !s.check_word(good) {
                alarms += 1;
            }
            if s.check_word(bad) {
                continue;
            }
            detected += 1;
            // MODQ_BENCH_OURS_ONLY=1 skips Hunspell's own (slow) order while iterating.
            let raw = if ours_only {
                Vec::new()
            } else {
                s.hunspell_suggestions(bad)
            };
            // What the editor and `modq spell` do: the timed path.
            let t = Instant::now();
            let ours = s.suggest(bad);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            if !ours.contains(good) {
                if s.ranked(bad).contains(good) {
                    below += 1;
                } else {
                    absent += 1;
                }
            }
            let pos = |l: &[String]| l.iter().take(5).position(|x| x == good);
            match pos(&raw) {
                Some(0) => (h1, h5) = (h1 + 1, h5 + 1),
                Some(_) => h5 += 1,
                None => {}
            }
            match pos(&ours) {
                Some(0) => (m1, m5) = (m1 + 1, m5 + 1),
                Some(_) => m5 += 1,
                None => {}
            }
        }
        times.sort_by(f64::total_cmp);
        let slowest = times.last().copied().unwrap_or(0.0);
        all_times.extend(times);
        let n = sample.len().max(1) as f64;
        let d = detected.max(1) as f64;
        let p = |x: usize, of: f64| format!("{:.1}%", 100.0 * x as f64 / of);
        println!(
            "{:<40} {:>5} {:>7} {:>7} | {:>13} {:>13} | {:>13} {:>13} | {:>5.0} ms | missed: {} ranked below 5th, {} not a candidate",
            name,
            sample.len(),
            p(detected, n),
            p(alarms, n),
            p(h1, d),
            p(h5, d),
            p(m1, d),
            p(m5, d),
            slowest,
            below,
            absent
        );
    }
    all_times.sort_by(f64::total_cmp);
    println!(
        "\nsuggestions for one word (modq: edit candidates, listed words and a bounded search two edits away, noisy-channel ranking), {} words: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all_times.len(),
        pct(&all_times, 0.5),
        pct(&all_times, 0.99),
        all_times.last().copied().unwrap_or(0.0)
    );
}

/// The whole gate (spelling, placeholders, length, tone, sensitive, privacy, copy-paste) over
/// a 500-character reply written from the templates, with two typos.
fn check_speed(spellers: &std::collections::HashMap<&str, Speller>) {
    let (all, _) = template::load(None);
    let known: HashSet<String> = HashSet::new();
    for (lang, s) in spellers {
        let mut text = String::new();
        for t in &all {
            if text.chars().count() >= 500 {
                break;
            }
            text.push_str(t.body_for(lang).1);
            text.push(' ');
        }
        let text: String = text.chars().take(500).collect();
        let text = text.replacen("a", "aa", 2);
        let input = gate::Input {
            text: &text,
            lang,
            lang_chosen: false,
            // The customer's language too, so detection is part of the measured cost.
            customer_lang: Some(lang),
            network: Network::Mastodon,
            private: false,
            limits: Limits::default(),
            dictionary: gate::Dictionary::Ready(s),
            known_words: &known,
            template: None,
            names: &[],
            earlier_to_mention: 0,
            same_text_to_author: false,
        };
        let mut times = Vec::new();
        let mut findings = 0;
        for _ in 0..500 {
            let t = Instant::now();
            findings = gate::check(&input).len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "gate check, 500 characters, {lang}: p50 {:.3} ms, p99 {:.3} ms ({findings} findings)",
            pct(&times, 0.5),
            pct(&times, 0.99)
        );
    }
}
