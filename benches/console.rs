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

    // `j` as the moderator presses it: the move, the counters, no frame.
    let j = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('j'),
        crossterm::event::KeyModifiers::NONE,
    );
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        update(&mut app, now, Event::Key(j));
        times.push(t.elapsed());
    }
    println!(
        "key j             {} mentions: median {:.1} µs",
        app.mentions.len(),
        median(times).as_secs_f64() * 1e6
    );

    // The once-a-second tick: the first one an hour later wakes the whole hour's
    // deadlines at once; then each second costs only what crosses an instant.
    let t = Instant::now();
    update(&mut app, now + 3_600_000, Event::Tick);
    println!(
        "tick              one hour later, {} mentions (all their deadlines pass): {:.2} ms",
        app.mentions.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    for s in 1..=60 {
        let t = Instant::now();
        update(&mut app, now + 3_600_000 + s * 1_000, Event::Tick);
        times.push(t.elapsed());
    }
    println!(
        "tick              idle, once a second over {} mentions: median {:.1} µs (a full recount: {:.2} ms)",
        app.mentions.len(),
        median(times).as_secs_f64() * 1e6,
        {
            let t = Instant::now();
            app.recount();
            t.elapsed().as_secs_f64() * 1e3
        }
    );

    ingest_running(now);
    render_small(now);

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

/// JSON lines into a running console, through `update` as the source's mentions arrive:
/// parse, sanitise and triage, then the arrival (queue, counters, author index, spikes).
fn ingest_running(now: i64) {
    let demo = demo::lines();
    let lines: Vec<String> = (0..QUEUE)
        .map(|i| {
            let d = &demo[i % demo.len()];
            serde_json::json!({
                "id": format!("j{i}"),
                "handle": d.author.handle,
                "name": d.author.name,
                "followers": d.author.followers,
                "text": d.text,
                "lang": d.lang,
                "created": now - (i as i64 % 3_600) * 1_000,
            })
            .to_string()
        })
        .collect();
    let mut app = App::new(
        now,
        30 * 60_000,
        Keymap::default_keymap(),
        Theme::default_theme(),
    );
    update(&mut app, now, Event::Resize(80, 24));
    let block = 1_000;
    let mut rates = Vec::new();
    let all = Instant::now();
    for (n, chunk) in lines.chunks(block).enumerate() {
        let t = Instant::now();
        for line in chunk {
            let raw = modq::sources::jsonl::parse_line(line, now).unwrap();
            let m = modq::ingest::prepare(&raw, now);
            update(&mut app, now, Event::MentionArrived(Box::new(m)));
        }
        rates.push(((n + 1) * block, block as f64 / t.elapsed().as_secs_f64()));
    }
    let at = |q: usize| rates.iter().find(|(n, _)| *n == q).map_or(0.0, |r| r.1);
    println!(
        "ingest running    {QUEUE} JSON lines through update(): {:.0}/s at 10k queued, {:.0}/s at 50k, {:.0}/s at 100k; {:.1} s in all ({} in the queue)",
        at(10_000),
        at(50_000),
        at(100_000),
        all.elapsed().as_secs_f64(),
        app.mentions.len()
    );
}

/// The same frame with 100 mentions queued, to show a frame does not grow with the queue.
fn render_small(now: i64) {
    let mut app = App::new(
        now,
        30 * 60_000,
        Keymap::default_keymap(),
        Theme::default_theme(),
    );
    app.load(mentions(100, now), Vec::new(), Vec::new());
    update(&mut app, now, Event::Resize(200, 60));
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut times = Vec::new();
    for i in 0..200 {
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
        "render 200x60     one frame with {} mentions queued: median {:.0} µs",
        app.visible.len(),
        median(times).as_secs_f64() * 1e6
    );
}
