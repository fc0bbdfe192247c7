//! `cargo bench --bench networks`: Mastodon HTML to text, parsing a page of notifications,
//! and the outbox's send rate against a local server with a real store (two flushes per
//! reply: "sending" before the request, the result after). Figures are printed, not asserted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use modq::model::{Reply, ReplyState};
use modq::outbox::backoff::Backoff;
use modq::outbox::worker::{self, WorkerConfig};
use modq::sources::adapter::{reply_ref_key, ReplyRef};
use modq::sources::mastodon::api::Mastodon;
use modq::sources::mastodon::{html, to_raw, Notification};
use modq::sources::net::Secret;
use modq::store::writer::{self};
use modq::store::{SledStore, Store};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HTML: &str = "<p><span class=\"h-card\"><a class=\"u-url mention\" href=\"https://brand.example/@brand\">@<span>brand</span></a></span> ordered on the 3rd, still &quot;processing&quot; &amp; nobody answers. <a href=\"https://shop.example/orders/123456789\" rel=\"nofollow noopener\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">shop.example/orders/12</span><span class=\"invisible\">3456789</span></a></p><p>This is the third time this year.<br>Refund please. <a href=\"https://x.example/tags/fail\" class=\"mention hashtag\">#<span>fail</span></a></p>";

fn page() -> String {
    let one: Value =
        serde_json::from_str(include_str!("../tests/fixtures/mastodon/mention.json")).unwrap();
    let items: Vec<Value> = (0..80)
        .map(|i| {
            let mut v = one.clone();
            v["id"] = (1000 + i).to_string().into();
            v["status"]["id"] = (5000 + i).to_string().into();
            v["status"]["content"] = HTML.into();
            v
        })
        .collect();
    serde_json::to_string(&items).unwrap()
}

fn main() {
    let n = 20_000;
    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes += html::to_text(std::hint::black_box(HTML)).len();
    }
    let e = t.elapsed();
    println!(
        "mastodon html→text: {:.2} µs per status ({} statuses, {} bytes out)",
        e.as_secs_f64() * 1e6 / n as f64,
        n,
        bytes
    );

    let body = page();
    let rounds = 200;
    let t = Instant::now();
    let mut kept = 0;
    for _ in 0..rounds {
        let list: Vec<Notification> = serde_json::from_str(std::hint::black_box(&body)).unwrap();
        kept += list.iter().filter_map(|n| to_raw("m", n)).count();
    }
    let e = t.elapsed();
    println!(
        "mastodon page of 80 notifications ({} KiB) → mentions: {:.2} ms per page ({kept} mentions)",
        body.len() / 1024,
        e.as_secs_f64() * 1e3 / rounds as f64
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(outbox_rate(300));
}

async fn outbox_rate(n: usize) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/statuses"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let (ev, mut ev_rx) = tokio::sync::mpsc::unbounded_channel();
    let (ob, _ob) = tokio::sync::mpsc::unbounded_channel();
    let thread = writer::spawn(store.clone(), rx, ev, ob);
    let to = ReplyRef {
        remote_id: "100".into(),
        handle: "kim@shop.example".into(),
        ..Default::default()
    };
    store
        .meta_put(
            &reply_ref_key("m:100"),
            &serde_json::to_string(&to).unwrap(),
        )
        .unwrap();
    let (otx, orx) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..n {
        otx.send(Reply {
            id: format!("m:100#r{i}"),
            mention_id: "m:100".into(),
            source: "m".into(),
            text: "Sorry about that".into(),
            private: false,
            created: modq::model::now_millis(),
            sent: None,
            state: ReplyState::Queued,
            delivery: Default::default(),
        })
        .unwrap();
    }
    drop(otx);
    let cfg = WorkerConfig {
        backoff: Backoff::new(Duration::from_millis(10), Duration::from_secs(1)),
        max_tries: 3,
        ..Default::default()
    };
    let m = Arc::new(Mastodon::new("m", &server.uri(), Secret("t".into())));
    let t = Instant::now();
    worker::run(m, store.clone(), tx.clone(), orx, cfg).await;
    let e = t.elapsed();
    let mut sent = 0;
    while let Ok(e) = ev_rx.try_recv() {
        sent += usize::from(matches!(e, modq::app::Event::ReplySent(_)));
    }
    println!(
        "outbox → local Mastodon, sled flushed twice per reply: {:.0} replies/s ({sent} of {n} sent in {:.2} s)",
        n as f64 / e.as_secs_f64(),
        e.as_secs_f64()
    );
    drop(tx);
    drop(store);
    let _ = thread.join();
}
