//! Mastodon and Bluesky against local servers on 127.0.0.1 that speak their APIs:
//! `wiremock` for REST, a small `axum` server for the Mastodon stream. Payloads are shaped
//! like the networks' documentation (tests/fixtures).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use modq::model::{Reply, ReplyState};
use modq::outbox::backoff::Backoff;
use modq::outbox::worker::{self, WorkerConfig};
use modq::sources::adapter::{reply_ref_key, Adapter, ReplyRef};
use modq::sources::bluesky::api::Bluesky;
use modq::sources::mastodon::api::Mastodon;
use modq::sources::mastodon::stream::{self, StreamConfig};
use modq::sources::net::Secret;
use modq::sources::SourceMsg;
use modq::store::writer::{self, StoreOp};
use modq::store::{SledStore, Store};
use serde_json::{json, Value};
use wiremock::matchers::{
    body_string_contains, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "common/disk.rs"]
mod disk;
use disk::Disk;

fn masto_mention(nid: &str, sid: &str, text: &str) -> Value {
    let mut v: Value =
        serde_json::from_str(include_str!("fixtures/mastodon/mention.json")).unwrap();
    v["id"] = nid.into();
    v["status"]["id"] = sid.into();
    v["status"]["content"] = format!("<p>{text}</p>").into();
    v
}

fn sky_mention(n: u32, text: &str, at: &str) -> Value {
    let mut v: Value = serde_json::from_str(include_str!("fixtures/bluesky/mention.json")).unwrap();
    v["uri"] = format!("at://did:plc:kim/app.bsky.feed.post/3kpost{n:04}").into();
    v["cid"] = format!("bafycid{n}").into();
    v["record"]["text"] = text.into();
    v["record"]["createdAt"] = at.into();
    v["indexedAt"] = at.into();
    v
}

fn queued(mention_id: &str, source: &str) -> Reply {
    Reply {
        id: format!("{mention_id}#r1714557600000"),
        mention_id: mention_id.into(),
        source: source.into(),
        text: "Sorry about that, we are on it".into(),
        private: false,
        created: modq::model::now_millis(),
        sent: None,
        state: ReplyState::Queued,
        delivery: Default::default(),
    }
}

fn fast() -> WorkerConfig {
    WorkerConfig {
        backoff: Backoff::seeded(Duration::from_millis(1), Duration::from_millis(20), 1),
        max_tries: 4,
        ..Default::default()
    }
}

fn masto_ref(store: &dyn Store, mention_id: &str, status: &str) {
    let to = ReplyRef {
        remote_id: status.into(),
        handle: "kim@shop.example".into(),
        lang: Some("en".into()),
        ..Default::default()
    };
    store
        .meta_put(
            &reply_ref_key(mention_id),
            &serde_json::to_string(&to).unwrap(),
        )
        .unwrap();
}

async fn posts(server: &MockServer, p: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == p)
        .collect()
}

/// A route that always gives the same answer.
async fn answer(server: &MockServer, verb: &str, route: &str, reply: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(reply)
        .mount(server)
        .await;
}

// ---------------------------------------------------------------- Mastodon REST

#[tokio::test]
async fn mastodon_backfill_pages_forward_from_the_cursor() {
    let server = MockServer::start().await;
    let page = |items: Vec<Value>| ResponseTemplate::new(200).set_body_json(Value::Array(items));
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("types[]", "mention"))
        .and(query_param("min_id", "10"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(page(vec![
            masto_mention("12", "212", "b"),
            masto_mention("11", "211", "a"),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "12"))
        .respond_with(page(vec![masto_mention("13", "213", "c")]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "13"))
        .respond_with(page(vec![]))
        .mount(&server)
        .await;
    let m = Mastodon::new("masto", &server.uri(), Secret("tok".into()));
    let got = m.backfill(Some("10".into())).await.unwrap();
    let ids: Vec<_> = got
        .mentions
        .iter()
        .map(|(r, _)| r.remote_id.as_str())
        .collect();
    assert_eq!(ids, ["211", "212", "213"], "oldest first, all pages");
    assert_eq!(got.cursor.as_deref(), Some("13"));
    assert_eq!(got.mentions[0].0.text, "a");
}

/// A 429 in the middle of a backfill keeps the pages already read (the cursor moves past
/// them) and the next request to the account waits for the time the server asked.
#[tokio::test]
async fn mastodon_backfill_keeps_what_it_read_when_rate_limited() {
    let server = MockServer::start().await;
    let page = |items: Vec<Value>| ResponseTemplate::new(200).set_body_json(Value::Array(items));
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "10"))
        .respond_with(page(vec![
            masto_mention("12", "212", "b"),
            masto_mention("11", "211", "a"),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "12"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"error": "Too many requests"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "12"))
        .respond_with(page(vec![masto_mention("13", "213", "c")]))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "13"))
        .respond_with(page(vec![]))
        .mount(&server)
        .await;
    let m = Mastodon::new("masto", &server.uri(), Secret("tok".into()));
    let got = m.backfill(Some("10".into())).await.unwrap();
    let ids: Vec<_> = got
        .mentions
        .iter()
        .map(|(r, _)| r.remote_id.clone())
        .collect();
    assert_eq!(ids, ["211", "212"]);
    assert_eq!(got.cursor.as_deref(), Some("12"));
    let asked_again = Instant::now();
    let rest = m.backfill(got.cursor).await.unwrap();
    assert!(asked_again.elapsed() >= Duration::from_millis(900));
    assert_eq!(rest.mentions[0].0.remote_id, "213");
    assert_eq!(rest.cursor.as_deref(), Some("13"));
}

#[tokio::test]
async fn mastodon_malformed_json_is_an_error_not_a_crash() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/api/v1/notifications",
        ResponseTemplate::new(200).set_body_string("[{\"id\": \"1\", \"type\": "),
    )
    .await;
    let m = Mastodon::new("masto", &server.uri(), Secret("tok".into()));
    let e = m.backfill(None).await.unwrap_err();
    assert!(e.to_string().contains("unreadable answer"), "{e}");
}

/// Runs one reply through a worker on a real store; returns the stored end state.
async fn deliver<A: Adapter>(
    adapter: A,
    dir: &std::path::Path,
    refs: fn(&dyn Store),
    r: Reply,
) -> Reply {
    let disk = Disk::open(dir);
    refs(disk.store.as_ref());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tx.send(r.clone()).unwrap();
    drop(tx);
    worker::run(
        Arc::new(adapter),
        disk.store.clone(),
        disk.writer.clone(),
        rx,
        fast(),
    )
    .await;
    let stored = disk.reply(&r.id);
    disk.close();
    stored
}

async fn deliver_one(m: Mastodon, dir: &std::path::Path) -> Reply {
    let refs: fn(&dyn Store) = |s| masto_ref(s, "masto:100", "100");
    deliver(m, dir, refs, queued("masto:100", "masto")).await
}

#[tokio::test]
async fn mastodon_reply_carries_key_handle_and_thread() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/statuses"))
        .and(body_string_contains("in_reply_to_id=100"))
        .and(body_string_contains("status=%40kim%40shop.example+Sorry"))
        .and(body_string_contains("visibility=public"))
        .and(body_string_contains("language=en"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "900", "unknown": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let m = Mastodon::new("masto", &server.uri(), Secret("tok".into()));
    let r = deliver_one(m, dir.path()).await;
    assert_eq!(r.state, ReplyState::Sent);
    let p = posts(&server, "/api/v1/statuses").await;
    let key = p[0]
        .headers
        .get("idempotency-key")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(key, modq::outbox::key::new_key(&r.id, r.created));
}

#[tokio::test]
async fn mastodon_429_waits_for_retry_after_then_sends() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/statuses"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"error": "Too many requests"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(
        &server,
        "POST",
        "/api/v1/statuses",
        ResponseTemplate::new(200).set_body_json(json!({"id": "901"})),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let m = Mastodon::new("masto", &server.uri(), Secret("tok".into()));
    let r = deliver_one(m, dir.path()).await;
    assert_eq!(r.state, ReplyState::Sent);
    assert_eq!(posts(&server, "/api/v1/statuses").await.len(), 2);
    // The backoff alone is at most 20 ms here: only Retry-After explains a second's wait.
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn mastodon_401_and_422_fail_with_the_servers_words() {
    for (code, body, want) in [
        (
            401,
            json!({"error": "The access token is invalid"}),
            "The access token is invalid",
        ),
        (
            422,
            json!({"error": "Validation failed: Text can't be blank"}),
            "Validation failed: Text can't be blank",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v1/statuses"))
            .respond_with(ResponseTemplate::new(code).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let m = Mastodon::new("masto", &server.uri(), Secret("bad".into()));
        let r = deliver_one(m, dir.path()).await;
        match r.state {
            ReplyState::Failed(why) => assert!(why.contains(want), "{code}: {why}"),
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn mastodon_5xx_is_retried_until_it_works() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/statuses"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    answer(
        &server,
        "POST",
        "/api/v1/statuses",
        ResponseTemplate::new(200).set_body_json(json!({"id": "902"})),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let m = Mastodon::new("masto", &server.uri(), Secret("tok".into()));
    let r = deliver_one(m, dir.path()).await;
    assert_eq!(r.state, ReplyState::Sent);
    assert_eq!(r.delivery.remote_id.as_deref(), Some("902"));
    // A 5xx may hide a success: within the key's hour it is sent again with the same key,
    // which the server answers with the first status (or makes it once).
    let keys: Vec<_> = posts(&server, "/api/v1/statuses")
        .await
        .iter()
        .map(|p| p.headers.get("idempotency-key").unwrap().clone())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
}

// ---------------------------------------------------------------- Mastodon stream

/// What the streaming server does on each connection, in order.
#[derive(Clone, Copy)]
enum Conn {
    /// A heartbeat, one mention, then half of the next event and a hang-up.
    DropMidEvent,
    Error500,
    /// 503 Service Unavailable: the streaming server is down, the REST side is not.
    Unavailable,
    /// Headers, then nothing at all.
    Silent,
    /// One mention, then heartbeats.
    Healthy,
}

#[derive(Clone)]
struct World {
    /// All mention notifications on the server, by id (what the REST backfill serves).
    notifications: Arc<Mutex<Vec<Value>>>,
    plan: Arc<Vec<Conn>>,
    conns: Arc<AtomicUsize>,
    base: Arc<Mutex<String>>,
}

impl World {
    fn add(&self, n: u32) -> Value {
        let v = masto_mention(
            &n.to_string(),
            &format!("{}", 500 + n),
            &format!("mention {n}"),
        );
        self.notifications.lock().unwrap().push(v.clone());
        v
    }
}

async fn instance(axum::extract::State(w): axum::extract::State<World>) -> axum::Json<Value> {
    let base = w.base.lock().unwrap().clone();
    axum::Json(
        json!({"domain": "test", "configuration": {"urls": {"streaming": base.replace("http://", "ws://")},
        "statuses": {"max_characters": 640, "characters_reserved_per_url": 25}}}),
    )
}

async fn notifications(
    axum::extract::State(w): axum::extract::State<World>,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> axum::Json<Value> {
    let min: u64 = q
        .iter()
        .find(|(k, _)| k == "min_id")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut page: Vec<Value> = w
        .notifications
        .lock()
        .unwrap()
        .iter()
        .filter(|n| n["id"].as_str().unwrap().parse::<u64>().unwrap() > min)
        .cloned()
        .collect();
    // Newest first, one page of two: proves paging forward.
    page.sort_by_key(|n| n["id"].as_str().unwrap().parse::<u64>().unwrap());
    page.truncate(2);
    page.reverse();
    axum::Json(Value::Array(page))
}

async fn stream_route(
    axum::extract::State(w): axum::extract::State<World>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let i = w.conns.fetch_add(1, Ordering::SeqCst);
    let conn = w.plan.get(i).copied().unwrap_or(Conn::Healthy);
    let event = |v: &Value| format!("event: notification\ndata: {v}\n\n");
    let body = match conn {
        Conn::Error500 => {
            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response()
        }
        Conn::Unavailable => {
            return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down").into_response()
        }
        Conn::Silent => axum::body::Body::from_stream(futures_util::stream::pending::<
            Result<String, std::io::Error>,
        >()),
        Conn::DropMidEvent => {
            let one = w.add(2);
            let two = w.add(3);
            let whole = event(&two);
            let chunks: Vec<Result<String, std::io::Error>> = vec![
                Ok(":thump\n\n".into()),
                Ok(event(&one)),
                Ok(whole[..whole.len() / 2].to_string()),
            ];
            axum::body::Body::from_stream(futures_util::stream::iter(chunks))
        }
        Conn::Healthy => {
            let v = w.add(5);
            let first = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(event(&v))]);
            let beats = futures_util::stream::unfold((), |_| async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Some((Ok::<_, std::io::Error>(":thump\n\n".to_string()), ()))
            });
            use futures_util::StreamExt;
            axum::body::Body::from_stream(first.chain(beats))
        }
    };
    ([("content-type", "text/event-stream")], body).into_response()
}

#[tokio::test]
async fn mastodon_stream_survives_drops_errors_and_silence_without_losing_or_doubling() {
    let world = World {
        notifications: Arc::new(Mutex::new(Vec::new())),
        plan: Arc::new(vec![
            Conn::DropMidEvent,
            Conn::Error500,
            Conn::Silent,
            Conn::Healthy,
        ]),
        conns: Arc::new(AtomicUsize::new(0)),
        base: Arc::new(Mutex::new(String::new())),
    };
    world.add(1); // the backlog before modq ever connected
    let app = axum::Router::new()
        .route("/api/v2/instance", axum::routing::get(instance))
        .route("/api/v1/notifications", axum::routing::get(notifications))
        .route(
            "/api/v1/streaming/user/notification",
            axum::routing::get(stream_route),
        )
        .with_state(world.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    *world.base.lock().unwrap() = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let m = Arc::new(Mastodon::new(
        "masto",
        &world.base.lock().unwrap().clone(),
        Secret("tok".into()),
    ));
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let cfg = StreamConfig {
        idle: Duration::from_millis(400),
        backoff: Backoff::seeded(Duration::from_millis(5), Duration::from_millis(20), 3),
        ..Default::default()
    };
    let task = tokio::spawn(stream::run(m, None, tx, cfg));
    // Ingest as the console does: prepare, then insert-if-absent in the store.
    let store = SledStore::temporary().unwrap();
    let mut stored = Vec::new();
    let mut states = Vec::new();
    let mut limits = Vec::new();
    let t0 = Instant::now();
    // Mention 4 arrives while the stream is down (during the silent connection).
    let mut added_four = false;
    while stored.len() < 5 {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "stored so far: {stored:?}, states: {states:?}"
        );
        let msg = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .unwrap()
            .unwrap();
        match msg {
            SourceMsg::Mention(raw) => {
                let m = modq::ingest::prepare(&raw, modq::model::now_millis());
                let out = writer::apply(&store, vec![StoreOp::Ingest(vec![m.clone()])]);
                if !out.events.is_empty() {
                    stored.push(m.id);
                }
            }
            SourceMsg::Status { state, .. } => states.push(state),
            SourceMsg::Limits { source, limits: l } => limits.push((source, l)),
            SourceMsg::Cursor { .. } => {}
        }
        if !added_four && world.conns.load(Ordering::SeqCst) >= 3 {
            world.add(4);
            added_four = true;
        }
    }
    task.abort();
    stored.sort();
    assert_eq!(
        stored,
        [
            "masto:501",
            "masto:502",
            "masto:503",
            "masto:504",
            "masto:505"
        ]
    );
    assert_eq!(store.mention_count(), 5);
    let said = |p: &str| {
        states
            .iter()
            .any(|s| matches!(s, modq::model::SourceState::Down { reason } if reason.contains(p)))
    };
    assert!(said("500"), "{states:?}");
    assert!(said("went silent"), "{states:?}");
    assert!(said("closed the stream"), "{states:?}");
    // The instance's limits reach the console once (the instance is asked once).
    let want = modq::compose::gate::length::Limits {
        mastodon_max: 640,
        mastodon_url: 25,
        ..Default::default()
    };
    assert_eq!(limits, [("masto".to_string(), want)]);
}

/// The reported outage over real HTTP: the streaming endpoint answers 503 from the start
/// while REST works. Mentions come in by polling the notifications endpoint, each once, and
/// the stream is taken up again once it answers.
#[tokio::test]
async fn mastodon_stream_503_with_rest_up_polls_then_streams_again() {
    const DOWN: usize = 8;
    let world = World {
        notifications: Arc::new(Mutex::new(Vec::new())),
        plan: Arc::new(vec![Conn::Unavailable; DOWN]),
        conns: Arc::new(AtomicUsize::new(0)),
        base: Arc::new(Mutex::new(String::new())),
    };
    for n in 100..140 {
        world.add(n);
    }
    let app = axum::Router::new()
        .route("/api/v2/instance", axum::routing::get(instance))
        .route("/api/v1/notifications", axum::routing::get(notifications))
        .route(
            "/api/v1/streaming/user/notification",
            axum::routing::get(stream_route),
        )
        .with_state(world.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    *world.base.lock().unwrap() = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let m = Arc::new(Mastodon::new(
        "masto",
        &world.base.lock().unwrap().clone(),
        Secret("tok".into()),
    ));
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    // Stream attempts far apart, polls close together: only polling can bring the backlog
    // while the stream is refused.
    let cfg = StreamConfig {
        idle: Duration::from_secs(5),
        backoff: Backoff::seeded(Duration::from_millis(400), Duration::from_secs(5), 3),
        poll: Duration::from_millis(20),
        rest_cap: Duration::from_millis(300),
        ..Default::default()
    };
    let task = tokio::spawn(stream::run(m, Some("99".into()), tx, cfg));
    let store = SledStore::temporary().unwrap();
    let mut stored = Vec::new();
    let mut polled_while_down = 0;
    let mut streaming_again = false;
    let t0 = Instant::now();
    // 40 waiting, 10 more while the stream is down, and the one the healthy stream sends.
    while stored.len() < 51 || !streaming_again {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "stored {} of 51, {} stream attempts",
            stored.len(),
            world.conns.load(Ordering::SeqCst)
        );
        let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await else {
            panic!("the source stopped");
        };
        match msg {
            SourceMsg::Mention(raw) => {
                let m = modq::ingest::prepare(&raw, modq::model::now_millis());
                let out = writer::apply(&store, vec![StoreOp::Ingest(vec![m.clone()])]);
                if !out.events.is_empty() {
                    stored.push(m.id);
                }
                if world.conns.load(Ordering::SeqCst) < DOWN {
                    polled_while_down += 1;
                }
                if stored.len() == 40 {
                    for n in 140..150 {
                        world.add(n);
                    }
                }
            }
            SourceMsg::Status {
                state: modq::model::SourceState::Live { detail },
                ..
            } => streaming_again |= detail == "streaming",
            _ => {}
        }
    }
    task.abort();
    assert!(
        polled_while_down >= 40,
        "only {polled_while_down} came while the stream was refused"
    );
    stored.sort();
    stored.dedup();
    assert_eq!(stored.len(), 51);
    assert_eq!(store.mention_count(), 51);
}

// ---------------------------------------------------------------- Bluesky

fn sky_client(server: &MockServer) -> Bluesky {
    Bluesky::new(
        "sky",
        &server.uri(),
        "brand.bsky.social",
        Secret("app-pass".into()),
    )
}

async fn sky_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.createSession"))
        .and(body_string_contains("app-pass"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accessJwt": "acc1", "refreshJwt": "ref1", "did": "did:plc:brand", "handle": "brand.bsky.social",
            "email": "x@y", "active": true
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn bluesky_pages_back_to_the_last_seen_and_refreshes_an_expired_token() {
    let server = sky_server().await;
    // The first call finds the access token expired: refresh (no new login), then go on.
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.notification.listNotifications"))
        .and(header("authorization", "Bearer acc1"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "ExpiredToken", "message": "Token has expired"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.refreshSession"))
        .and(header("authorization", "Bearer ref1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accessJwt": "acc2", "refreshJwt": "ref2", "did": "did:plc:brand", "handle": "brand.bsky.social"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.notification.listNotifications"))
        .and(header("authorization", "Bearer acc2"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "notifications": [sky_mention(4, "four", "2024-05-01T10:04:00.000Z"), sky_mention(3, "three", "2024-05-01T10:03:00.000Z")],
            "cursor": "p2"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.notification.listNotifications"))
        .and(query_param("cursor", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "notifications": [sky_mention(2, "two", "2024-05-01T10:02:00.000Z"), sky_mention(1, "one", "2024-05-01T10:01:00.000Z")],
            "cursor": "p3"
        })))
        .mount(&server)
        .await;
    let b = sky_client(&server);
    let page = b
        .backfill(Some("2024-05-01T10:02:00.000Z".into()))
        .await
        .unwrap();
    let texts: Vec<_> = page.mentions.iter().map(|(r, _)| r.text.as_str()).collect();
    assert_eq!(
        texts,
        ["two", "three", "four"],
        "back to the last seen, oldest first"
    );
    assert_eq!(page.cursor.as_deref(), Some("2024-05-01T10:04:00.000Z"));
    let logins = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().ends_with("createSession"))
        .count();
    assert_eq!(
        logins, 1,
        "an expired token is refreshed, not logged in again"
    );
}

#[tokio::test]
async fn bluesky_session_is_kept_privately_so_a_restart_does_not_log_in_again() {
    use std::os::unix::fs::PermissionsExt;
    let server = sky_server().await;
    let list = ResponseTemplate::new(200).set_body_json(json!({"notifications": []}));
    answer(
        &server,
        "GET",
        "/xrpc/app.bsky.notification.listNotifications",
        list,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sky.session");
    let client = || sky_client(&server).with_session_file(file.clone());
    client().backfill(None).await.unwrap();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A second run (a restart) uses the kept session.
    client().backfill(None).await.unwrap();
    let logins = |reqs: &[wiremock::Request]| {
        reqs.iter()
            .filter(|r| r.url.path().ends_with("createSession"))
            .count()
    };
    assert_eq!(logins(&server.received_requests().await.unwrap()), 1);
}

fn sky_ref(store: &dyn Store) {
    let to = ReplyRef {
        remote_id: "at://did:plc:kim/app.bsky.feed.post/3kpost0001".into(),
        handle: "kim.bsky.social".into(),
        lang: Some("en".into()),
        did: Some("did:plc:kim".into()),
        cid: Some("bafycid1".into()),
        root_uri: Some("at://did:plc:kim/app.bsky.feed.post/3kroot".into()),
        root_cid: Some("bafyroot".into()),
        ..Default::default()
    };
    store
        .meta_put(
            &reply_ref_key("sky:x"),
            &serde_json::to_string(&to).unwrap(),
        )
        .unwrap();
}

/// A reply record as the PDS keeps it, answering the mention `sky_ref` points at.
fn sky_record(text: &str) -> Value {
    json!({
        "$type": "app.bsky.feed.post", "text": text, "createdAt": "2024-05-01T10:00:00.000Z",
        "reply": {
            "root": {"uri": "at://did:plc:kim/app.bsky.feed.post/3kroot", "cid": "bafyroot"},
            "parent": {"uri": "at://did:plc:kim/app.bsky.feed.post/3kpost0001", "cid": "bafycid1"}
        }
    })
}

async fn sky_deliver(server: &MockServer, dir: &std::path::Path, text: &str) -> Reply {
    let mut r = queued("sky:x", "sky");
    r.text = text.into();
    let b = sky_client(server);
    deliver(b, dir, sky_ref, r).await
}

#[tokio::test]
async fn bluesky_reply_has_strong_refs_record_key_and_byte_offset_facets() {
    let server = sky_server().await;
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.repo.createRecord"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uri": "at://did:plc:brand/app.bsky.feed.post/x", "cid": "c", "commit": {"cid": "c", "rev": "r"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let text = "Przepraszamy, zażółć — https://help.example/x";
    let r = sky_deliver(&server, dir.path(), text).await;
    assert_eq!(r.state, ReplyState::Sent);
    let p = posts(&server, "/xrpc/com.atproto.repo.createRecord").await;
    let body: Value = serde_json::from_slice(&p[0].body).unwrap();
    assert_eq!(body["repo"], "did:plc:brand");
    assert_eq!(body["rkey"], modq::outbox::key::new_key(&r.id, r.created));
    let rec = &body["record"];
    assert_eq!(rec["reply"]["parent"]["cid"], "bafycid1");
    assert_eq!(
        rec["reply"]["root"]["uri"],
        "at://did:plc:kim/app.bsky.feed.post/3kroot"
    );
    assert_eq!(rec["langs"], json!(["en"]));
    let posted = rec["text"].as_str().unwrap();
    assert!(posted.starts_with("@kim.bsky.social "), "{posted}");
    let bytes = posted.as_bytes();
    for f in rec["facets"].as_array().unwrap() {
        let (s, e) = (
            f["index"]["byteStart"].as_u64().unwrap() as usize,
            f["index"]["byteEnd"].as_u64().unwrap() as usize,
        );
        let piece = std::str::from_utf8(&bytes[s..e]).unwrap();
        assert!(
            piece == "@kim.bsky.social" || piece == "https://help.example/x",
            "{piece}"
        );
    }
    assert_eq!(rec["facets"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bluesky_duplicate_record_key_is_recognised_as_already_posted() {
    let server = sky_server().await;
    // The record went out before a crash; sending it again under the same key is refused.
    answer(
        &server,
        "POST",
        "/xrpc/com.atproto.repo.createRecord",
        ResponseTemplate::new(500).set_body_json(
            json!({"error": "InternalServerError", "message": "Internal Server Error"}),
        ),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/com.atproto.repo.getRecord"))
        .and(query_param("collection", "app.bsky.feed.post"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uri": "at://did:plc:brand/app.bsky.feed.post/k", "cid": "c",
            "value": sky_record("@kim.bsky.social Sorry")
        })))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let r = sky_deliver(&server, dir.path(), "Sorry").await;
    assert_eq!(r.state, ReplyState::Sent);
    assert_eq!(
        posts(&server, "/xrpc/com.atproto.repo.createRecord")
            .await
            .len(),
        1
    );
}

/// The look-up checks that the record under the reply's key is this reply (its text, the
/// post it answers): another record there leaves the reply for the moderator, not "sent".
#[tokio::test]
async fn bluesky_a_record_under_our_key_that_is_not_our_reply_does_not_settle_it() {
    let server = sky_server().await;
    Mock::given(method("GET"))
        .and(path("/xrpc/com.atproto.repo.getRecord"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uri": "at://did:plc:brand/app.bsky.feed.post/k", "cid": "c",
            "value": sky_record("@kim.bsky.social something else entirely")
        })))
        .mount(&server)
        .await;
    answer(
        &server,
        "POST",
        "/xrpc/com.atproto.repo.createRecord",
        ResponseTemplate::new(200).set_body_json(json!({"uri": "at://x", "cid": "c"})),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut r = queued("sky:x", "sky");
    r.state = ReplyState::Unknown;
    let r = deliver(sky_client(&server), dir.path(), sky_ref, r).await;
    assert_eq!(r.state, ReplyState::Unknown);
    let note = r.delivery.note.unwrap();
    assert!(note.contains("holds another record"), "{note}");
    assert!(posts(&server, "/xrpc/com.atproto.repo.createRecord")
        .await
        .is_empty());
}

#[tokio::test]
async fn bluesky_too_long_and_wrong_password_fail_clearly() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/xrpc/com.atproto.server.createSession",
        ResponseTemplate::new(401).set_body_json(
            json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
        ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let r = sky_deliver(&server, dir.path(), "fine").await;
    match r.state {
        ReplyState::Failed(why) => assert!(why.contains("Invalid identifier or password"), "{why}"),
        other => panic!("{other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let r = sky_deliver(&server, dir.path(), &"ł".repeat(300)).await;
    match r.state {
        ReplyState::Failed(why) => assert!(why.contains("too long"), "{why}"),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- the command line

fn modq(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_modq"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--config-dir")
        .arg(dir.join("config"))
        .args(args)
        .env("MODQ_TEST_TOKEN", "tok-sekrit-42")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn account_and_sync_once_fetch_each_mention_once_and_never_leak_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(header("authorization", "Bearer tok-sekrit-42"))
        .and(query_param_is_missing("min_id"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([masto_mention("7", "107", "first")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/notifications"))
        .and(query_param("min_id", "7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let me = ResponseTemplate::new(200).set_body_json(json!({"id": "5", "acct": "brand"}));
    answer(&server, "GET", "/api/v1/accounts/verify_credentials", me).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let uri = server.uri();
    let add = [
        "account",
        "add",
        "mastodon",
        "--instance",
        &uri,
        "--name",
        "brand",
        "--token-env",
        "MODQ_TEST_TOKEN",
    ];
    let (code, out) = tokio::task::block_in_place(|| modq(d, &add));
    assert_eq!(code, 0, "{out}");
    let (code, out) = tokio::task::block_in_place(|| modq(d, &["account", "test", "brand"]));
    assert_eq!((code, out.trim()), (0, "brand: ok, signed in as @brand"));
    let (code, out) = tokio::task::block_in_place(|| modq(d, &["sync", "--once"]));
    assert_eq!(
        (code, out.trim()),
        (0, "sync: brand: 1 new, 0 sent, 0 failed, 0 unknown")
    );
    let (code, out) = tokio::task::block_in_place(|| modq(d, &["sync", "--once"]));
    assert_eq!(
        (code, out.trim()),
        (0, "sync: brand: 0 new, 0 sent, 0 failed, 0 unknown")
    );
    // The token is only in its own private file: not in the list, the store or the log.
    for entry in walk(d) {
        let bytes = std::fs::read(&entry).unwrap();
        let has = bytes.windows(13).any(|w| w == b"tok-sekrit-42");
        assert_eq!(has, entry.ends_with("brand.secret"), "{}", entry.display());
    }
}

#[test]
fn plain_http_to_another_host_is_refused_unless_insecure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "account",
            "add",
            "mastodon",
            "--instance",
            "http://mastodon.example",
            "--token-env",
            "MODQ_TEST_TOKEN",
        ];
        args.extend(extra);
        modq(d, &args)
    };
    let (code, out) = add(&[]);
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("refusing plain http://") && out.contains("--insecure"),
        "{out}"
    );
    let (code, out) = modq(d, &["account", "list"]);
    assert!(code == 0 && out.contains("no accounts"), "{out}");
    let (code, out) = add(&["--insecure"]);
    assert_eq!(code, 0, "{out}");
    let list = std::fs::read_to_string(d.join("config/accounts/accounts.toml")).unwrap();
    assert!(list.contains("insecure = true"), "{list}");
    let (code, out) = modq(
        d,
        &[
            "account",
            "add",
            "bluesky",
            "--handle",
            "b.example",
            "--service",
            "http://pds.example",
            "--token-env",
            "MODQ_TEST_TOKEN",
        ],
    );
    assert!(code != 0 && out.contains("refusing plain http://"), "{out}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn tls_failure_and_unreachable_server_say_what_is_wrong() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Plain HTTP where TLS was expected.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut c, _)) = listener.accept().await {
            let mut buf = [0u8; 512];
            let _ = c.read(&mut buf).await;
            let _ = c.write_all(b"HTTP/1.1 200 OK\r\n\r\nplain").await;
        }
    });
    let m = Mastodon::new("m", &format!("https://{addr}"), Secret("t".into()));
    let e = m.whoami().await.unwrap_err().to_string();
    assert!(e.starts_with("TLS failed"), "{e}");
    // Nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let m = Mastodon::new("m", &format!("http://127.0.0.1:{port}"), Secret("t".into()));
    let e = m.whoami().await.unwrap_err().to_string();
    assert!(e.starts_with("cannot connect"), "{e}");
}

// ---------------------------------------------------------------- threads for the detail pane

fn thread_post(uri: &str, handle: &str, text: &str) -> Value {
    json!({
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": {
            "uri": uri, "cid": "c", "indexedAt": "2024-05-01T10:00:00.000Z",
            "author": {"did": "did:plc:x", "handle": handle, "aNewField": 1},
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2024-05-01T10:00:00.000Z"}
        },
        "replies": []
    })
}

#[tokio::test]
async fn mastodon_thread_comes_back_split_sanitised_and_numbered() {
    let server = MockServer::start().await;
    let status = |id: &str, html: &str| {
        let mut s = masto_mention("1", id, "x")["status"].clone();
        s["content"] = html.into();
        s
    };
    answer(
        &server,
        "GET",
        "/api/v1/statuses/100/context",
        ResponseTemplate::new(200).set_body_json(json!({
            "ancestors": [status("90", "<p>first &amp; \u{1b}[31mred</p><p>second para</p>")],
            "descendants": [status("110", "<p>thanks!</p>"), status("111", "<p>me too</p>")],
        })),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let disk = Disk::open(dir.path());
    masto_ref(disk.store.as_ref(), "masto:x", "100");
    let m = Mastodon::new("work", &server.uri(), Secret("tok".into()));
    let client = modq::accounts::Client::Mastodon(Arc::new(m));
    let (ev_tx, mut ev_rx) = tokio::sync::mpsc::unbounded_channel();
    let tx = modq::sources::thread::spawn(&[client], disk.store.clone(), ev_tx);
    tx.send(modq::app::Effect::Thread {
        seq: 7,
        mention: "masto:x".into(),
        source: "work".into(),
    })
    .unwrap();
    let Some(modq::app::Event::Thread { seq, result }) = ev_rx.recv().await else {
        panic!("no thread event");
    };
    assert_eq!(seq, 7);
    let t = result.unwrap();
    assert_eq!(t.ancestors.len(), 1);
    assert_eq!(t.ancestors[0].handle, "@kim@shop.example");
    let first = &t.ancestors[0].text;
    assert!(
        first.contains("first & ") && first.contains("second para"),
        "{first:?}"
    );
    assert!(
        !first.contains('\u{1b}'),
        "escape reached the screen: {first:?}"
    );
    let after: Vec<&str> = t.descendants.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(after, ["thanks!", "me too"]);

    // A source without an account, and a status the server does not know: one line each.
    tx.send(modq::app::Effect::Thread {
        seq: 8,
        mention: "masto:x".into(),
        source: "gone".into(),
    })
    .unwrap();
    let Some(modq::app::Event::Thread { result, .. }) = ev_rx.recv().await else {
        panic!("no thread event");
    };
    assert!(result.unwrap_err().contains("no account gone"));
    masto_ref(disk.store.as_ref(), "masto:y", "404");
    tx.send(modq::app::Effect::Thread {
        seq: 9,
        mention: "masto:y".into(),
        source: "work".into(),
    })
    .unwrap();
    let Some(modq::app::Event::Thread { seq, result }) = ev_rx.recv().await else {
        panic!("no thread event");
    };
    let err = result.unwrap_err();
    assert_eq!(seq, 9);
    assert!(
        err.starts_with("thread unavailable: ") && !err.contains('\n'),
        "{err}"
    );
    drop(tx);
    disk.close();
}

#[tokio::test]
async fn bluesky_thread_walks_parents_and_nested_replies_and_skips_blocked_posts() {
    let server = sky_server().await;
    let mut root = thread_post(
        "at://a/app.bsky.feed.post/1",
        "root.bsky.social",
        "where is it",
    );
    let mut parent = thread_post(
        "at://a/app.bsky.feed.post/2",
        "mid.bsky.social",
        "same here",
    );
    parent["parent"] = root.take();
    let mut me = thread_post(
        "at://did:plc:kim/app.bsky.feed.post/3kpost0001",
        "kim.bsky.social",
        "@brand help",
    );
    me["parent"] = parent;
    let mut reply = thread_post(
        "at://b/app.bsky.feed.post/4",
        "brand.bsky.social",
        "on it \u{7}",
    );
    reply["replies"] = json!([thread_post(
        "at://c/app.bsky.feed.post/5",
        "kim.bsky.social",
        "thanks"
    )]);
    me["replies"] = json!([
        reply,
        {"$type": "app.bsky.feed.defs#blockedPost", "uri": "at://d/x", "blocked": true},
        thread_post("at://e/app.bsky.feed.post/6", "other.bsky.social", "later")
    ]);
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.feed.getPostThread"))
        .and(query_param(
            "uri",
            "at://did:plc:kim/app.bsky.feed.post/3kpost0001",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"thread": me})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let disk = Disk::open(dir.path());
    sky_ref(disk.store.as_ref());
    let b = sky_client(&server);
    let client = modq::accounts::Client::Bluesky(Arc::new(b));
    let t = modq::sources::thread::fetch(&client, disk.store.as_ref(), "sky:x")
        .await
        .unwrap();
    let show = |v: &[modq::model::Post]| {
        v.iter()
            .map(|p| format!("{} {}", p.handle, p.text))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        show(&t.ancestors),
        [
            "@root.bsky.social where is it",
            "@mid.bsky.social same here"
        ]
    );
    let after = show(&t.descendants);
    assert_eq!(after.len(), 3, "{after:?}");
    assert!(after[0].starts_with("@brand.bsky.social on it") && !after[0].contains('\u{7}'));
    assert_eq!(
        after[1..],
        ["@kim.bsky.social thanks", "@other.bsky.social later"]
    );
    disk.close();
}

// ---------------------------------------------------------------- unknown replies at start

/// A reply left `unknown` (no answer came) is looked up before anything queued behind it is
/// sent: found on the server, it is sent, and only the queued one is posted.
#[tokio::test]
async fn an_unknown_reply_is_looked_up_at_start_before_the_queue_moves() {
    let server = sky_server().await;
    let dir = tempfile::tempdir().unwrap();
    let disk = Disk::open(dir.path());
    sky_ref(disk.store.as_ref());
    let mut queued_one = queued("sky:x", "sky");
    queued_one.id = "sky:x#r2".into();
    let mut unknown = queued("sky:x", "sky");
    unknown.id = "sky:x#r9".into();
    unknown.state = ReplyState::Unknown;
    // The store lists them queued first (by id): the order at start must not depend on it.
    for r in [&queued_one, &unknown] {
        disk.store.put_reply(r).unwrap();
    }
    let key = modq::outbox::key::new_key(&unknown.id, unknown.created);
    Mock::given(method("GET"))
        .and(path("/xrpc/com.atproto.repo.getRecord"))
        .and(query_param("rkey", key.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uri": "at://did:plc:brand/app.bsky.feed.post/r1", "cid": "c",
            "value": sky_record("@kim.bsky.social Sorry about that, we are on it")
        })))
        .mount(&server)
        .await;
    answer(
        &server,
        "POST",
        "/xrpc/com.atproto.repo.createRecord",
        ResponseTemplate::new(200).set_body_json(json!({
            "uri": "at://did:plc:brand/app.bsky.feed.post/r2", "cid": "c"
        })),
    )
    .await;
    let start = modq::outbox::unfinished(&disk.store.load_replies().unwrap());
    let order: Vec<&str> = start.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(order, ["sky:x#r9", "sky:x#r2"]);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    for r in start {
        tx.send(r).unwrap();
    }
    drop(tx);
    let b = sky_client(&server);
    worker::run(
        Arc::new(b),
        disk.store.clone(),
        disk.writer.clone(),
        rx,
        fast(),
    )
    .await;
    let reqs = server.received_requests().await.unwrap();
    let at = |p: &str| reqs.iter().position(|r| r.url.path().ends_with(p)).unwrap();
    assert!(
        at("getRecord") < at("createRecord"),
        "looked up after sending"
    );
    let created = posts(&server, "/xrpc/com.atproto.repo.createRecord").await;
    assert_eq!(created.len(), 1);
    let body: Value = serde_json::from_slice(&created[0].body).unwrap();
    assert_eq!(
        body["rkey"],
        modq::outbox::key::new_key(&queued_one.id, queued_one.created)
    );
    assert_eq!(disk.reply("sky:x#r9").state, ReplyState::Sent);
    assert_eq!(disk.reply("sky:x#r2").state, ReplyState::Sent);
    disk.close();
}

// ---------------------------------------------------------------- Bluesky reach

/// Notifications carry no follower counts: they come from `getProfiles`, 25 actors a
/// request, each author once, and the next page asks only for authors not seen yet.
#[tokio::test]
async fn bluesky_follower_counts_come_in_batches_of_25_and_are_cached() {
    let server = sky_server().await;
    let page: Vec<Value> = (0..30u32)
        .map(|n| {
            let mut v = sky_mention(n, "hi", "2024-05-01T10:00:00.000Z");
            // 27 authors: the last three mentions come from authors already on the page.
            v["author"]["did"] = format!("did:plc:a{}", n % 27).into();
            v
        })
        .collect();
    answer(
        &server,
        "GET",
        "/xrpc/app.bsky.notification.listNotifications",
        ResponseTemplate::new(200).set_body_json(json!({"notifications": page})),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.actor.getProfiles"))
        .respond_with(|req: &wiremock::Request| {
            let profiles: Vec<Value> = req
                .url
                .query_pairs()
                .filter(|(k, _)| k == "actors")
                .map(|(_, did)| {
                    let n: u64 = did.trim_start_matches("did:plc:a").parse().unwrap();
                    json!({"did": did, "handle": format!("a{n}.bsky.social"), "followersCount": n * 100})
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({"profiles": profiles}))
        })
        .mount(&server)
        .await;
    let b = sky_client(&server);
    let lookups = || async {
        server
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.url.path().ends_with("getProfiles"))
            .map(|r| r.url.query_pairs().filter(|(k, _)| k == "actors").count())
            .collect::<Vec<_>>()
    };
    let got = b.backfill(None).await.unwrap();
    for (raw, to) in &got.mentions {
        let n: u64 = to.did.as_deref().unwrap()[9..].parse().unwrap();
        assert_eq!(raw.followers, n * 100, "{}", raw.remote_id);
    }
    assert_eq!(lookups().await, [25, 2]);
    // The same authors again: from the cache, no request.
    b.backfill(None).await.unwrap();
    assert_eq!(lookups().await, [25, 2]);
}

/// A source that cannot connect waits out its backoff, but not once a reply got through to
/// the same server: it reconnects then, and its error clears as soon as it is live again.
#[tokio::test]
async fn a_source_error_clears_as_soon_as_the_server_answers_again() {
    let world = World {
        notifications: Arc::new(Mutex::new(Vec::new())),
        plan: Arc::new(vec![Conn::Error500, Conn::Healthy]),
        conns: Arc::new(AtomicUsize::new(0)),
        base: Arc::new(Mutex::new(String::new())),
    };
    let app = axum::Router::new()
        .route("/api/v2/instance", axum::routing::get(instance))
        .route("/api/v1/notifications", axum::routing::get(notifications))
        .route(
            "/api/v1/streaming/user/notification",
            axum::routing::get(stream_route),
        )
        .with_state(world.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    *world.base.lock().unwrap() = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let m = Arc::new(Mastodon::new(
        "masto",
        &world.base.lock().unwrap().clone(),
        Secret("tok".into()),
    ));
    // A backoff far longer than the test: only the wake-up can bring the source back.
    let backoff = Backoff::seeded(
        Duration::from_secs(1_000_000),
        Duration::from_secs(1_000_000),
        3,
    );
    assert!(backoff.clone().delay(0, None) > Duration::from_secs(600));
    let reached = Arc::new(tokio::sync::Notify::new());
    let cfg = StreamConfig {
        idle: Duration::from_secs(30),
        backoff,
        reached: reached.clone(),
        ..Default::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let task = tokio::spawn(stream::run(m, None, tx, cfg));
    let mut states = Vec::new();
    // Down first.
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await;
        match msg.unwrap().unwrap() {
            SourceMsg::Status { state, .. } => {
                let down = matches!(state, modq::model::SourceState::Down { .. });
                states.push(state);
                if down {
                    break;
                }
            }
            _ => continue,
        }
    }
    // A reply got through (the worker says so): the source reconnects and is live.
    for round in 0.. {
        assert!(round < 400, "still not live: {states:?}");
        reached.notify_waiters();
        match tokio::time::timeout(Duration::from_millis(50), rx.recv()).await {
            Ok(Some(SourceMsg::Status { state, .. })) => {
                // Polling the REST side while the stream is down is live too; what this
                // test waits for is the stream itself back, long before its backoff.
                let streaming = matches!(
                    &state,
                    modq::model::SourceState::Live { detail } if !detail.starts_with("polling")
                );
                states.push(state);
                if streaming {
                    break;
                }
            }
            Ok(Some(_)) | Err(_) => {}
            Ok(None) => panic!("the source stopped: {states:?}"),
        }
    }
    task.abort();
    assert_eq!(world.conns.load(Ordering::SeqCst), 2, "{states:?}");
}
