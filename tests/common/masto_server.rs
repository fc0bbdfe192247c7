//! A small Mastodon on 127.0.0.1 that keeps state, for the outbox's fault tests: it posts
//! statuses with `Idempotency-Key` as Mastodon does (the first status comes back for a key it
//! has seen), lists the account's own posts, serves mention notifications by `min_id` (and a
//! user stream of heartbeats, so the console backfills), and
//! injects faults on `POST /api/v1/statuses` from a queue: 500 after the status was made,
//! 503 before, 429 with `Retry-After`, or a slow answer. Every status made is logged, so a
//! test can count what was posted. It runs on its own thread: the test may block.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// What the next `POST /api/v1/statuses` meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The status is made, then the answer is a 500.
    CommitThen500,
    /// 503, nothing made.
    Unavailable,
    /// 429 with `Retry-After` in seconds, nothing made.
    TooMany(u64),
    /// The status is made, the answer comes after this many milliseconds.
    Slow(u64),
}

/// One status the server made: what a test checks for lost or doubled replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub id: String,
    pub key: Option<String>,
    pub in_reply_to: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct World {
    pub made: Vec<Made>,
    /// Every POST to /api/v1/statuses, as (key, answer status).
    pub posts: Vec<(Option<String>, u16)>,
    pub faults: VecDeque<Fault>,
    /// Idempotency keys the server still remembers, with the status each made.
    pub keys: HashMap<String, String>,
    /// Answer to the own-posts look-up instead of the list (e.g. 403: a token without scope).
    pub lookup_refused: Option<u16>,
    /// Mention notifications, oldest first.
    pub notifications: Vec<Value>,
    /// POSTs to /api/v1/statuses not answered yet.
    pub in_flight: usize,
    next_id: u64,
}

impl World {
    /// Adds a mention from @kim@shop.example in status `status`, notification `n`.
    pub fn mention(&mut self, n: u64, status: &str, text: &str) {
        let mut v: Value =
            serde_json::from_str(include_str!("../fixtures/mastodon/mention.json")).unwrap();
        v["id"] = n.to_string().into();
        v["status"]["id"] = status.into();
        v["status"]["content"] = format!("<p>{}</p>", escape(text)).into();
        self.notifications.push(v);
    }
}

#[derive(Clone)]
pub struct MastoServer {
    pub base: String,
    pub world: Arc<Mutex<World>>,
}

impl MastoServer {
    pub fn start() -> Self {
        let world = Arc::new(Mutex::new(World {
            next_id: 10_000,
            ..Default::default()
        }));
        let app = axum::Router::new()
            .route(
                "/api/v1/accounts/verify_credentials",
                axum::routing::get(|| async {
                    Json(json!({"id": "5", "username": "brand", "acct": "brand"}))
                }),
            )
            .route("/api/v1/accounts/{id}/statuses", axum::routing::get(own))
            .route("/api/v1/statuses", axum::routing::post(post))
            .route("/api/v1/notifications", axum::routing::get(notifications))
            .route("/api/v2/instance", axum::routing::get(instance))
            .route(
                "/api/v1/streaming/user/notification",
                axum::routing::get(stream),
            )
            .with_state(world.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        let addr = rx.recv().unwrap();
        Self {
            base: format!("http://{addr}"),
            world,
        }
    }

    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap()
    }
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The status text as Mastodon renders it: `@user@host` becomes a link showing `@user`,
/// lines become `<br>`.
fn render(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .map(|w| match w.strip_prefix('@') {
            Some(acct) if !acct.is_empty() => {
                let (user, host) = acct.split_once('@').unwrap_or((acct, "brand.example"));
                format!(
                    "<span class=\"h-card\"><a href=\"https://{}/@{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                    escape(host),
                    escape(user),
                    escape(user)
                )
            }
            _ => escape(w).replace('\n', "<br>"),
        })
        .collect();
    format!("<p>{}</p>", words.join(" "))
}

fn status(made: &Made) -> Value {
    json!({
        "id": made.id, "created_at": modq::sources::net::format_time(modq::model::now_millis()),
        "in_reply_to_id": made.in_reply_to, "visibility": "public", "language": "en",
        "content": render(&made.text), "spoiler_text": "",
        "account": {"id": "5", "username": "brand", "acct": "brand"}
    })
}

async fn post(
    State(w): State<Arc<Mutex<World>>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (answer, delay) = {
        let mut w = w.lock().unwrap();
        let fault = w.faults.pop_front();
        let answer = match fault {
            Some(Fault::Unavailable) => Err((503, json!({"error": "Service Unavailable"}), None)),
            Some(Fault::TooMany(s)) => Err((429, json!({"error": "Too many requests"}), Some(s))),
            _ => {
                // As Mastodon: a key seen before gives back the status it made.
                let known = key
                    .as_ref()
                    .and_then(|k| w.keys.get(k))
                    .and_then(|id| w.made.iter().find(|m| &m.id == id))
                    .cloned();
                let made = known.unwrap_or_else(|| {
                    w.next_id += 1;
                    let m = Made {
                        id: w.next_id.to_string(),
                        key: key.clone(),
                        in_reply_to: field("in_reply_to_id"),
                        text: field("status"),
                    };
                    if let Some(k) = &key {
                        w.keys.insert(k.clone(), m.id.clone());
                    }
                    w.made.push(m.clone());
                    m
                });
                if fault == Some(Fault::CommitThen500) {
                    Err((500, json!({"error": "Internal Server Error"}), None))
                } else {
                    Ok(status(&made))
                }
            }
        };
        let code = match &answer {
            Ok(_) => 200,
            Err((c, _, _)) => *c,
        };
        w.posts.push((key.clone(), code));
        w.in_flight += 1;
        let delay = match fault {
            Some(Fault::Slow(ms)) => ms,
            _ => 0,
        };
        (answer, delay)
    };
    // Counted down even when the client hangs up mid-wait (a killed modq).
    struct Landed(Arc<Mutex<World>>);
    impl Drop for Landed {
        fn drop(&mut self) {
            self.0.lock().unwrap().in_flight -= 1;
        }
    }
    let _landed = Landed(w.clone());
    tokio::time::sleep(Duration::from_millis(delay)).await;
    match answer {
        Ok(v) => Json(v).into_response(),
        Err((code, body, after)) => {
            let mut r = (StatusCode::from_u16(code).unwrap(), Json(body)).into_response();
            if let Some(s) = after {
                r.headers_mut()
                    .insert("retry-after", s.to_string().parse().unwrap());
            }
            r
        }
    }
}

async fn own(
    State(w): State<Arc<Mutex<World>>>,
    Path(_id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(code) = w.lookup_refused {
        let body = json!({"error": "This action is outside the authorized scopes"});
        return (StatusCode::from_u16(code).unwrap(), Json(body)).into_response();
    }
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let limit: usize = get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    let max: u64 = get("max_id")
        .and_then(|m| m.parse().ok())
        .unwrap_or(u64::MAX);
    let mut list: Vec<Value> = w
        .made
        .iter()
        .filter(|m| m.id.parse::<u64>().unwrap() < max)
        .map(status)
        .collect();
    list.reverse();
    list.truncate(limit);
    Json(Value::Array(list)).into_response()
}

async fn notifications(
    State(w): State<Arc<Mutex<World>>>,
    Query(q): Query<Vec<(String, String)>>,
) -> Json<Value> {
    let min: u64 = q
        .iter()
        .find(|(k, _)| k == "min_id")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let w = w.lock().unwrap();
    let mut page: Vec<Value> = w
        .notifications
        .iter()
        .filter(|n| n["id"].as_str().unwrap().parse::<u64>().unwrap() > min)
        .take(80)
        .cloned()
        .collect();
    page.reverse();
    Json(Value::Array(page))
}

/// Streaming from this same host; the default post length.
async fn instance(headers: HeaderMap) -> Json<Value> {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    Json(
        json!({"domain": "test", "configuration": {"urls": {"streaming": format!("http://{host}")}}}),
    )
}

/// A live stream with heartbeats only: mentions come by the backfill after each connect.
async fn stream() -> Response {
    let beats = futures_util::stream::unfold((), |_| async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        Some((Ok::<_, std::io::Error>(":thump\n\n".to_string()), ()))
    });
    (
        [("content-type", "text/event-stream")],
        axum::body::Body::from_stream(beats),
    )
        .into_response()
}
