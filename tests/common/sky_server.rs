//! A small Bluesky PDS on 127.0.0.1 that keeps state, for the outbox's fault tests: sessions,
//! mention notifications, `createRecord` under the client's record key (a key already used
//! is answered with a 500, as the PDS has done), `getRecord`, and the same fault queue as the
//! Mastodon one. Every record made is logged. It runs on its own thread.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub use super::masto_server::{Fault, Made};

#[derive(Debug, Default)]
pub struct World {
    /// Every post record made (`in_reply_to`: the parent's URI).
    pub made: Vec<Made>,
    /// Every createRecord, as (record key, answer status).
    pub posts: Vec<(Option<String>, u16)>,
    pub faults: VecDeque<Fault>,
    /// Records by (collection, rkey): (uri, value).
    records: HashMap<(String, String), (String, Value)>,
    /// Mention notifications, oldest first.
    pub notifications: Vec<Value>,
    pub in_flight: usize,
}

impl World {
    /// Adds a mention from @kim.bsky.social, post `n`.
    pub fn mention(&mut self, n: u64, text: &str) {
        let mut v: Value =
            serde_json::from_str(include_str!("../fixtures/bluesky/mention.json")).unwrap();
        let at = modq::sources::net::format_time(modq::model::now_millis());
        v["uri"] = format!("at://did:plc:kim/app.bsky.feed.post/3kpost{n:06}").into();
        v["cid"] = format!("bafycid{n}").into();
        v["record"]["text"] = text.into();
        v["record"]["createdAt"] = at.clone().into();
        v["indexedAt"] = at.into();
        self.notifications.push(v);
    }
}

#[derive(Clone)]
pub struct SkyServer {
    pub base: String,
    pub world: Arc<Mutex<World>>,
}

impl SkyServer {
    pub fn start() -> Self {
        let world = Arc::new(Mutex::new(World::default()));
        let session = || async {
            Json(json!({
                "accessJwt": "acc", "refreshJwt": "ref", "did": "did:plc:brand",
                "handle": "brand.bsky.social"
            }))
        };
        let app = axum::Router::new()
            .route(
                "/xrpc/com.atproto.server.createSession",
                axum::routing::post(session),
            )
            .route(
                "/xrpc/com.atproto.server.refreshSession",
                axum::routing::post(session),
            )
            .route(
                "/xrpc/app.bsky.notification.listNotifications",
                axum::routing::get(notifications),
            )
            .route(
                "/xrpc/com.atproto.repo.createRecord",
                axum::routing::post(create),
            )
            .route("/xrpc/com.atproto.repo.getRecord", axum::routing::get(get))
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

fn error(code: u16, name: &str, after: Option<u64>) -> Response {
    let body = json!({"error": name, "message": name});
    let mut r = (StatusCode::from_u16(code).unwrap(), Json(body)).into_response();
    if let Some(s) = after {
        r.headers_mut()
            .insert("retry-after", s.to_string().parse().unwrap());
    }
    r
}

async fn notifications(State(w): State<Arc<Mutex<World>>>) -> Json<Value> {
    let mut all = w.lock().unwrap().notifications.clone();
    all.reverse();
    Json(json!({"notifications": all}))
}

async fn create(State(w): State<Arc<Mutex<World>>>, Json(body): Json<Value>) -> Response {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let (collection, rkey, record) = (s(&body["collection"]), s(&body["rkey"]), &body["record"]);
    let (answer, delay) = {
        let mut w = w.lock().unwrap();
        let fault = w.faults.pop_front();
        let slot = (collection.clone(), rkey.clone());
        let answer = match fault {
            Some(Fault::Unavailable) => Err((503, None)),
            Some(Fault::TooMany(s)) => Err((429, Some(s))),
            // A record key already used: the PDS has answered this with a 500.
            _ if w.records.contains_key(&slot) => Err((500, None)),
            _ => {
                let uri = format!("at://did:plc:brand/{collection}/{rkey}");
                w.records.insert(slot, (uri.clone(), record.clone()));
                w.made.push(Made {
                    id: uri.clone(),
                    key: Some(rkey.clone()),
                    in_reply_to: s(&record["reply"]["parent"]["uri"]),
                    text: s(&record["text"]),
                });
                if fault == Some(Fault::CommitThen500) {
                    Err((500, None))
                } else {
                    Ok(json!({"uri": uri, "cid": "bafyreply"}))
                }
            }
        };
        let code = answer.as_ref().map_or_else(|(c, _)| *c, |_| 200);
        w.posts.push((Some(rkey.clone()), code));
        w.in_flight += 1;
        let delay = match fault {
            Some(Fault::Slow(ms)) => ms,
            _ => 0,
        };
        (answer, delay)
    };
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
        Err((code, after)) => error(code, "InternalServerError", after),
    }
}

async fn get(
    State(w): State<Arc<Mutex<World>>>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        q.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let w = w.lock().unwrap();
    match w.records.get(&(get("collection"), get("rkey"))) {
        Some((uri, value)) => {
            Json(json!({"uri": uri, "cid": "bafyreply", "value": value})).into_response()
        }
        None => error(400, "RecordNotFound", None),
    }
}
