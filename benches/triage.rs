//! Triage speed alone: every text of the evaluation data in ../shared/data/sentiment (read
//! where it is, never copied; skipped when absent) analysed in its declared language, then
//! with the language detected, then in the declared language with a learned model on (fed
//! 3 000 of the texts as corrections, as the console combines it: score and reasons),
//! after the time to parse the lexicons. Texts per second of this thread's CPU time, so
//! that other work on the machine slows it less. Prints; asserts nothing. `cargo bench --bench triage`
//! (MODQ_BENCH_ROUNDS sets how often the texts are scored, 10 by default).

use std::time::Instant;

use modq::triage::{self, eval, lexicon, model::Model};

/// Nanoseconds this thread has run on a CPU (Linux), else wall time.
fn cpu_ns(wall: Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| wall.elapsed().as_nanos())
}

fn main() {
    let Some(files) = eval::data_files() else {
        println!("no evaluation data at ../shared/data/sentiment: nothing to measure");
        return;
    };
    let rounds: usize = std::env::var("MODQ_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    let mut samples = Vec::new();
    for f in &files {
        samples.extend(eval::read_tsv(f).expect("read tsv"));
    }
    let started = Instant::now();
    // Parsing the lexicons, best of five.
    let load_ns = (0..5)
        .map(|_| {
            let before = cpu_ns(started);
            drop(std::hint::black_box(lexicon::load()));
            cpu_ns(started) - before
        })
        .min()
        .unwrap_or(0);
    println!("lexicons: loaded in {:.1} ms CPU", load_ns as f64 / 1e6);
    let _ = triage::analyse("warm up", Some("en"));
    for (what, declared, rounds) in [
        ("declared language", true, rounds),
        ("language detected", false, rounds.div_ceil(5)),
    ] {
        let before = cpu_ns(started);
        let mut sink = 0.0f32;
        for _ in 0..rounds {
            for s in &samples {
                let a = triage::analyse(&s.text, declared.then_some(s.lang.as_str()));
                sink += a.sentiment.score + a.cues.len() as f32;
            }
        }
        let secs = (cpu_ns(started) - before) as f64 / 1e9;
        let n = samples.len() * rounds;
        println!(
            "{what}: {:.0} texts/s per CPU second ({n} texts, {secs:.2} s CPU) [{sink:.0}]",
            n as f64 / secs.max(1e-9)
        );
    }
    let mut model = Model::default();
    for s in samples.iter().step_by(samples.len().div_ceil(3_000).max(1)) {
        let a = triage::analyse(&s.text, Some(&s.lang));
        model.learn(&s.text, &a.sentiment, s.negative, 0);
    }
    let before = cpu_ns(started);
    let mut sink = 0.0f32;
    for _ in 0..rounds.div_ceil(2) {
        for s in &samples {
            let a = triage::analyse(&s.text, Some(&s.lang));
            let c = model.combine(&s.text, &a.sentiment);
            sink += c.score + c.reasons.len() as f32;
        }
    }
    let secs = (cpu_ns(started) - before) as f64 / 1e9;
    let n = samples.len() * rounds.div_ceil(2);
    println!(
        "declared language, model on ({} corrections): {:.0} texts/s per CPU second \
         ({n} texts, {secs:.2} s CPU) [{sink:.0}]",
        model.corrections(),
        n as f64 / secs.max(1e-9)
    );
}
