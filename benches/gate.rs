//! The gate's figures: spelling quality against Hunspell's own order on the evaluation data
//! in ../shared/data/spelling (read where it is, never copied; skipped when absent), the time
//! to check a 500-character reply, and the time to suggest for one word. Prints; asserts
//! nothing. `cargo bench --bench gate`: an even sample of 300 rows per file, every row of a
//! smaller file (MODQ_BENCH_ROWS samples more or fewer; MODQ_BENCH_OURS_ONLY=1 leaves out
//! Hunspell's own order, which is slow; MODQ_BENCH_FILES=pl,ru measures only the files whose
//! names start so).
//!
//! First it prints the memory each set of dictionaries takes: each scenario (nothing, each
//! language alone, all five) runs in a child process of its own (this binary again, with
//! `MODQ_BENCH_SCENARIO` naming it), so one scenario's memory does not hide another's.
//! MODQ_BENCH_ONLY=memory stops after that table.

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

/// Set in a child process: the languages it loads, then reports its memory (see `memory`).
const SCENARIO: &str = "MODQ_BENCH_SCENARIO";
const LANGS: [&str; 5] = ["en", "pl", "ru", "tr", "bg"];

fn main() {
    if let Ok(scenario) = std::env::var(SCENARIO) {
        measure_scenario(&scenario);
        return;
    }
    // `cargo test --benches` runs bench targets with --bench absent; keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("gate bench: run with `cargo bench --bench gate`");
        return;
    }
    memory();
    if std::env::var("MODQ_BENCH_ONLY").is_ok_and(|v| v == "memory") {
        return;
    }
    let rows_per_file: usize = std::env::var("MODQ_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let ours_only = std::env::var("MODQ_BENCH_OURS_ONLY").is_ok_and(|v| v == "1");
    let mut spellers = std::collections::HashMap::new();
    for lang in LANGS {
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
    // Per language: (wall-clock ms, CPU ms of this thread) of each suggestion.
    let mut by_lang: std::collections::BTreeMap<String, (Vec<f64>, Vec<f64>)> = Default::default();
    // Every list suggested, hashed in order: equal on every run when the results are.
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    println!(
        "\n{:<40} {:>5} {:>7} {:>7} | {:>13} {:>13} | {:>13} {:>13} | {:>16}",
        "file (sampled rows)",
        "rows",
        "detect",
        "f.alarm",
        "hunspell top1",
        "hunspell top5",
        "modq top1",
        "modq top5",
        "p50/p99/max ms"
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
        let (mut times, mut cpu) = (Vec::new(), Vec::new());
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
            let (t, c) = (Instant::now(), cpu_ms());
            let ours = s.suggest(bad);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            cpu.push(cpu_ms() - c);
            std::hash::Hash::hash(&ours, &mut digest);
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
        let (p50, p99) = (pct(&times, 0.5), pct(&times, 0.99));
        let slowest = times.last().copied().unwrap_or(0.0);
        let entry = by_lang.entry(lang.to_string()).or_default();
        entry.0.extend(times);
        entry.1.extend(cpu);
        let n = sample.len().max(1) as f64;
        let d = detected.max(1) as f64;
        let p = |x: usize, of: f64| format!("{:.1}%", 100.0 * x as f64 / of);
        println!(
            "{:<40} {:>5} {:>7} {:>7} | {:>13} {:>13} | {:>13} {:>13} | {:>4.0} {:>4.0} {:>5.0} | missed: {} ranked below 5th, {} not a candidate",
            name,
            sample.len(),
            p(detected, n),
            p(alarms, n),
            p(h1, d),
            p(h5, d),
            p(m1, d),
            p(m5, d),
            p50,
            p99,
            slowest,
            below,
            absent
        );
    }
    println!(
        "\nsuggestions for one word (modq: edit candidates, listed words and a bounded search two edits away, noisy-channel ranking); CPU is this thread's time on a core, what a quiet core would take"
    );
    let mut all = (Vec::new(), Vec::new());
    for (lang, (mut wall, mut cpu)) in by_lang {
        wall.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        print_times(&lang, &wall, &cpu);
        all.0.extend(wall);
        all.1.extend(cpu);
    }
    all.0.sort_by(f64::total_cmp);
    all.1.sort_by(f64::total_cmp);
    print_times("all", &all.0, &all.1);
    println!(
        "suggestions digest: {:016x}",
        std::hash::Hasher::finish(&digest)
    );
}

fn print_times(lang: &str, wall: &[f64], cpu: &[f64]) {
    println!(
        "  {lang:<4} {:>5} words: wall p50 {:>5.1} ms, p99 {:>5.1} ms, max {:>5.1} ms | CPU p50 {:>5.1} ms, p99 {:>5.1} ms, max {:>5.1} ms",
        wall.len(),
        pct(wall, 0.5),
        pct(wall, 0.99),
        wall.last().copied().unwrap_or(0.0),
        pct(cpu, 0.5),
        pct(cpu, 0.99),
        cpu.last().copied().unwrap_or(0.0)
    );
}

/// The CPU time this thread has run, in milliseconds (Linux; 0 elsewhere).
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
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

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// A misspelling per language, suggested for once a dictionary is loaded, so that what
/// suggesting builds on first use is counted too.
fn first_typo(lang: &str) -> &'static str {
    match lang {
        "pl" => "dziekujemy",
        "ru" => "пожалуста",
        "tr" => "tesekkurler",
        "bg" => "благударим",
        _ => "recieve",
    }
}

/// In the child: loads the scenario's dictionaries as the console does (dictionary, then the
/// word prior and its indexes, one suggestion), then prints `MEM` and the resident size after
/// the dictionaries alone, after everything, the peak (KiB) and the time taken (ms).
fn measure_scenario(scenario: &str) {
    let langs: Vec<&str> = match scenario {
        "none" => Vec::new(),
        "all" => LANGS.to_vec(),
        one => vec![one],
    };
    let t = Instant::now();
    let mut dicts = Vec::new();
    for lang in &langs {
        match dict::load(lang, &dict::search_dirs(&[])) {
            Ok(l) => dicts.push((*lang, l.dict)),
            Err(e) => {
                println!("{e}");
                return;
            }
        }
    }
    let dicts_only = status_kib("VmRSS:");
    let mut spellers = Vec::new();
    for (lang, d) in dicts {
        let s = Speller::new(lang, d);
        // Waits for the prior `Speller::new` starts building.
        modq::compose::freq::Prior::for_lang(lang).map(|p| p.warm().len());
        s.suggest(first_typo(lang));
        spellers.push(s);
    }
    println!(
        "MEM {dicts_only} {} {} {:.0}",
        status_kib("VmRSS:"),
        status_kib("VmHWM:"),
        t.elapsed().as_secs_f64() * 1e3
    );
}

/// The memory table: one child process per scenario.
fn memory() {
    let Ok(exe) = std::env::current_exe() else {
        println!("memory: SKIPPED (no path to this binary)");
        return;
    };
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "languages loaded", "RSS MiB", "over none", "of which", "peak MiB", "load ms"
    );
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "", "", "", "priors", "", ""
    );
    let mut none = None;
    let scenarios = std::iter::once("none")
        .chain(LANGS)
        .chain(std::iter::once("all"));
    for scenario in scenarios {
        let out = std::process::Command::new(&exe)
            .env(SCENARIO, scenario)
            .output();
        let text = out
            .as_ref()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default();
        let Some(line) = text.lines().find_map(|l| l.strip_prefix("MEM ")) else {
            println!("{scenario:<20} SKIPPED ({})", text.trim());
            continue;
        };
        let f: Vec<f64> = line
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        let [dicts_only, rss, hwm, ms] = f[..] else {
            continue;
        };
        let base = *none.get_or_insert(rss);
        let name = match scenario {
            "all" => "all five".to_string(),
            "none" => "none (the binary)".to_string(),
            l => format!("{l} alone"),
        };
        let mib = |kib: f64| kib / 1024.0;
        println!(
            "{name:<20} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.0}",
            mib(rss),
            mib(rss - base),
            mib(rss - dicts_only),
            mib(hwm),
            ms
        );
    }
    println!();
}
