//! `modq export` of a large store, run as the real binary in a child process: its time and
//! peak memory (the child's maximum RSS), at 10 000 and 100 000 mentions, so that memory
//! that grew with the rows would show. `MODQ_BENCH_ROWS=N` measures N instead of 100 000.

use std::process::{Command, Stdio};
use std::time::Instant;

use modq::model::*;
use modq::store::{SledStore, Store};

fn mention(n: usize) -> Mention {
    Mention {
        id: format!("shop:{n}"),
        source: "shop".into(),
        network: Network::Mastodon,
        author: Author {
            name: format!("Customer {n}"),
            handle: format!("@customer{n}@example.social"),
            followers: (n * 37 % 5000) as u64,
        },
        text: format!(
            "Order {n} still has not arrived, it is the third week. Your courier says \
             \"delivered\", nobody answers the phone, I want a refund, please answer."
        ),
        lang: "en".into(),
        created: 1_796_680_800_000 + n as Millis * 1000,
        received: 1_796_680_800_000 + n as Millis * 1000,
        in_reply_to: None,
        url: Some(format!("https://example.social/@customer{n}/{n}")),
        sentiment: Sentiment {
            score: -0.6,
            label: Label::Negative,
            reasons: vec![],
        },
        state: MentionState::New,
        cues: vec![Cue {
            tag: "refund".into(),
            weight: 0.5,
        }],
        author_waiting: false,
        cut: vec![],
        work: Default::default(),
        escalation: None,
    }
}

/// Peak RSS of the largest child waited for so far, KiB.
fn children_max_rss_kib() -> i64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is a valid rusage for the call to fill.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss
}

fn measure(rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    {
        let store = SledStore::open(&store_dir).unwrap();
        for i in 0..rows {
            store.insert_mention_if_absent(&mention(i)).unwrap();
        }
        store.flush().unwrap();
    }
    while modq::store::recover::in_use(&store_dir) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out_path = dir.path().join("out.csv");
    let run = |what: &str| {
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_modq"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["export", "--format", "csv", "--what", what])
            .stdout(std::fs::File::create(&out_path).unwrap())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        (t.elapsed(), children_max_rss_kib())
    };
    // The same store with nothing to write (no audit log): what opening it costs.
    let (open_took, open_peak) = run("audit");
    let (took, peak) = run("mentions");
    let lines = std::fs::read(&out_path)
        .unwrap()
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(lines, rows + 1, "a header and a line per mention");
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let peak_of = |p: i64| {
        if p > BEFORE.with(|b| b.get()) {
            format!("{:>5.1} MiB", p as f64 / 1024.0)
        } else {
            "  (n/a)  ".to_string()
        }
    };
    println!(
        "export {rows:>7} mentions  {:>6.2} s  peak RSS {}  (opening the copy alone: {:.2} s, {})  store {:.1} MiB  csv {:.1} MiB",
        took.as_secs_f64(),
        peak_of(peak),
        open_took.as_secs_f64(),
        peak_of(open_peak),
        mib(dir_size(&store_dir)),
        mib(std::fs::metadata(&out_path).unwrap().len()),
    );
    BEFORE.with(|b| b.set(peak.max(open_peak)));
}

thread_local! {
    /// The children's peak so far: a later, smaller child cannot be told apart from it.
    static BEFORE: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|d| {
            d.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let rows = std::env::var("MODQ_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    measure(10_000.min(rows));
    measure(rows);
}
