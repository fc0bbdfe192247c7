//! `cargo bench --bench store`: the store at 100 000 mentions, in the JSON records modq wrote
//! before the compact format and in today's: size on disk, restart load, the rewrite of a
//! JSON store at first start, and the queries the paged queue asks. Figures are printed,
//! not asserted.

use std::path::Path;
use std::time::Instant;

use modq::model::{now_millis, Mention};
use modq::sources::demo;
use modq::store::writer::{self, StoreOp};
use modq::store::{Ranking, SledStore, Store};

const N: usize = 100_000;

fn dir_size(dir: &Path) -> u64 {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let m = e.metadata().unwrap();
        n += if m.is_dir() {
            dir_size(&e.path())
        } else {
            m.len()
        };
    }
    n
}

fn mib(b: u64) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// sled lets go of its lock a moment after the last handle is dropped.
fn reopen(dir: &Path) -> SledStore {
    SledStore::open(dir).unwrap()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("store bench: run with `cargo bench --bench store`");
        return;
    }
    let now = now_millis();
    let lines = demo::lines();
    let mentions: Vec<Mention> = (0..N as u64)
        .map(|i| {
            let raw = demo::raw_at(&lines, i, now - (i as i64 % 3_600) * 1_000);
            modq::ingest::prepare(&raw, now)
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();

    // Before: the JSON records earlier versions wrote, read as they read them.
    let json_dir = tmp.path().join("json");
    {
        let db = sled::Config::new()
            .path(&json_dir)
            .cache_capacity(8 << 20)
            .open()
            .unwrap();
        let tree = db.open_tree("mentions").unwrap();
        for chunk in mentions.chunks(256) {
            for m in chunk {
                tree.insert(m.id.as_bytes(), serde_json::to_vec(m).unwrap())
                    .unwrap();
            }
            db.flush().unwrap();
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let json_size = dir_size(&json_dir);
    let t = Instant::now();
    let loaded = {
        let db = sled::Config::new()
            .path(&json_dir)
            .cache_capacity(8 << 20)
            .open()
            .unwrap();
        let tree = db.open_tree("mentions").unwrap();
        let all: Vec<Mention> = tree
            .iter()
            .map(|kv| serde_json::from_slice(&kv.unwrap().1).unwrap())
            .collect();
        all.len()
    };
    println!(
        "JSON records      {N} mentions: {:.1} MiB on disk; open and load {loaded} in {:.0} ms",
        mib(json_size),
        ms(t)
    );
    std::thread::sleep(std::time::Duration::from_millis(300));

    // The rewrite at first start.
    let t = Instant::now();
    let s = reopen(&json_dir);
    println!(
        "migration         {N} JSON mentions rewritten at open in {:.0} ms",
        ms(t)
    );
    drop(s);
    std::thread::sleep(std::time::Duration::from_millis(300));
    println!(
        "                  store after the rewrite in place: {:.1} MiB (sled reuses the old space as it writes)",
        mib(dir_size(&json_dir))
    );

    // After: written by today's writer, one flush per batch of 256.
    let dir = tmp.path().join("binary");
    {
        let s = SledStore::open(&dir).unwrap();
        let t = Instant::now();
        for chunk in mentions.chunks(256) {
            writer::apply(&s, vec![StoreOp::Ingest(chunk.to_vec())]);
        }
        println!(
            "ingest            {N} mentions in {:.0} ms = {:.0}/s",
            ms(t),
            N as f64 / t.elapsed().as_secs_f64()
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let size = dir_size(&dir);
    let t = Instant::now();
    let s = reopen(&dir);
    let opened = ms(t);
    let t = Instant::now();
    let all = s.load_mentions().unwrap();
    println!(
        "compact records   {N} mentions: {:.1} MiB on disk; open {opened:.0} ms, load {} in {:.0} ms",
        mib(size),
        all.len(),
        ms(t)
    );
    drop(all);

    // The paged queue's questions.
    let ranking = Ranking {
        sla: 30 * 60_000,
        weights: Default::default(),
    };
    let open = ["new", "seen", "snoozed"];
    let t = Instant::now();
    let page = s.rank_range(&ranking, None, 60, &open).unwrap();
    println!(
        "rank index        built over {N} mentions at the first query in {:.0} ms",
        ms(t)
    );
    let t = Instant::now();
    let next = s
        .rank_range(&ranking, page.last().map(|(k, _)| k), 60, &open)
        .unwrap();
    let page_ms = ms(t);
    let ids: Vec<String> = next.iter().map(|(k, _)| k.id.clone()).collect();
    let t = Instant::now();
    let rows = s.mentions_by_ids(&ids).unwrap();
    let rows_ms = ms(t);
    let t = Instant::now();
    let counts = s.count_by_state().unwrap();
    println!(
        "queries           a page of 60: {page_ms:.2} ms; its {} mentions by id: {rows_ms:.2} ms; counts by state ({} states): {:.0} ms",
        rows.len(),
        counts.len(),
        ms(t)
    );
    drop(s);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let t = Instant::now();
    let s = reopen(&dir);
    println!(
        "                  store with the rank index: {:.1} MiB on disk; open {:.0} ms",
        mib(dir_size(&dir)),
        ms(t)
    );
    // Ingest while the index is kept (each write updates it in the same transaction).
    let more: Vec<Mention> = mentions
        .iter()
        .take(20_000)
        .map(|m| Mention {
            id: format!("{}+", m.id),
            ..m.clone()
        })
        .collect();
    let t = Instant::now();
    for chunk in more.chunks(256) {
        writer::apply(&s, vec![StoreOp::Ingest(chunk.to_vec())]);
    }
    println!(
        "ingest, indexed   {} mentions in {:.0} ms = {:.0}/s",
        more.len(),
        ms(t),
        more.len() as f64 / t.elapsed().as_secs_f64()
    );
}
