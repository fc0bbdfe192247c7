//! `cargo bench`: render time with 100 000 mentions, the demo pipeline's ingest rate into
//! the store, scoring and sanitising speed, and peak memory. Figures are printed, not asserted.

use std::time::{Duration, Instant};

use modq::app::{update, App, Event};
use modq::keymap::Keymap;
use modq::model::{now_millis, Mention};
use modq::sources::demo;
use modq::store::writer::{self, StoreOp};
use modq::store::{SledStore, Store};
use modq::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const QUEUE: usize = 100_000;

fn rss_kib(field: &str) -> u64 {
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mentions(n: usize, now: i64) -> Vec<Mention> {
    let lines = demo::lines();
    (0..n)
        .map(|i| {
            let raw = demo::raw_at(&lines, i as u64, now - (i as i64 % 3_600) * 1_000);
            modq::ingest::prepare(&raw, now)
        })
        .collect()
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent; keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("console bench: run with `cargo bench`");
        return;
    }
    let now = now_millis();
    let base_rss = rss_kib("VmRSS:");

    // Ingest: the demo pipeline (sanitise, triage) into an on-disk store, in writer batches.
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("store")).unwrap();
    let lines = demo::lines();
    let t = Instant::now();
    let mut n = 0u64;
    while n < QUEUE as u64 {
        let batch: Vec<Mention> = (n..(n + 256).min(QUEUE as u64))
            .map(|i| modq::ingest::prepare(&demo::raw_at(&lines, i, now), now))
            .collect();
        n += batch.len() as u64;
        writer::apply(&store, vec![StoreOp::Ingest(batch)]);
    }
    let ingest = t.elapsed();
    println!(
        "ingest            {QUEUE} mentions into sled in {:.2} s = {:.0} mentions/s (batches of 256, one flush each)",
        ingest.as_secs_f64(),
        QUEUE as f64 / ingest.as_secs_f64()
    );

    // Load the queue as a restart would.
    let t = Instant::now();
    let mut app = App::new(
        now,
        30 * 60_000,
        Keymap::default_keymap(),
        Theme::default_theme(),
    );
    app.load(store.load_mentions().unwrap(), Vec::new(), Vec::new());
    println!(
        "restart load      {} mentions in {:.0} ms",
        app.mentions.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "memory            RSS {} MiB with {} mentions in the app and the store open (process start {} MiB); peak {} MiB",
        rss_kib("VmRSS:") / 1024,
        app.mentions.len(),
        base_rss / 1024,
        rss_kib("VmHWM:") / 1024
    );

    for (w, h) in [(80u16, 24u16), (200, 60)] {
        update(&mut app, now, Event::Resize(w, h));
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut times = Vec::new();
        for i in 0..200 {
            // Move the selection so each frame differs, as it does in use.
            let key = if i % 2 == 0 { 'j' } else { 'k' };
            update(
                &mut app,
                now,
                Event::Key(crossterm::event::KeyEvent::new(
                    crossterm::event::KeyCode::Char(key),
                    crossterm::event::KeyModifiers::NONE,
                )),
            );
            let t = Instant::now();
            term.draw(|f| modq::ui::render(f, &app)).unwrap();
            times.push(t.elapsed());
        }
        println!(
            "render {w}x{h}     one frame with {} mentions queued: median {:.0} µs",
            app.visible.len(),
            median(times).as_secs_f64() * 1e6
        );
    }

    let t = Instant::now();
    update(&mut app, now, Event::Tick);
    println!(
        "tick              recount over {} mentions: {:.2} ms",
        app.mentions.len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    let rounds = 200;
    let t = Instant::now();
    let mut sink = 0.0f32;
    for _ in 0..rounds {
        for s in &texts {
            sink += modq::triage::score(s).score;
        }
    }
    let per_s = (rounds * texts.len()) as f64 / t.elapsed().as_secs_f64();
    println!("score             {per_s:.0} texts/s on one core (word-list scorer) [{sink:.0}]");

    let t = Instant::now();
    let mut bytes = 0usize;
    for _ in 0..rounds {
        for s in &texts {
            bytes += modq::sanitize::sanitize_text(s).len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "sanitize          {:.0} MB/s, {:.0} posts/s",
        bytes as f64 / secs / 1e6,
        (rounds * texts.len()) as f64 / secs
    );
    let mentions = mentions(1, now);
    drop(mentions);
    store.flush().unwrap();
}
