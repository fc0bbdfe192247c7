//! A department's webhook on 127.0.0.1: answers each POST from a script (a status, or hang
//! without answering), logs every request (its `Idempotency-Key`, the key in its body, the
//! body, the headers asked about) and delivers each key once, as a receiver that honours
//! idempotency keys does. It runs on its own thread: the test may block.
#![allow(dead_code)]

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    /// Take the request (it counts as delivered) and never answer.
    Hang,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub header_key: Option<String>,
    pub body: String,
    pub authorization: Option<String>,
}

#[derive(Debug, Default)]
pub struct Log {
    pub requests: Vec<Request>,
    /// Keys delivered (a 2xx given, or taken by a hanging request).
    pub delivered: BTreeSet<String>,
    /// Deliveries in order: a key appears twice only if the receiver acted twice.
    pub acted: Vec<String>,
    pub script: VecDeque<Answer>,
}

#[derive(Clone)]
pub struct HookServer {
    pub url: String,
    pub log: Arc<Mutex<Log>>,
}

impl HookServer {
    pub fn start(script: &[Answer]) -> Self {
        let log = Arc::new(Mutex::new(Log {
            script: script.iter().copied().collect(),
            ..Default::default()
        }));
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(log.clone());
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
            url: format!("http://{addr}/hook"),
            log,
        }
    }

    pub fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap()
    }
}

async fn hook(State(log): State<Arc<Mutex<Log>>>, headers: HeaderMap, body: String) -> StatusCode {
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let answer = {
        let mut l = log.lock().unwrap();
        l.requests.push(Request {
            header_key: header_key.clone(),
            body: body.clone(),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        });
        let answer = l.script.pop_front().unwrap_or(Answer::Status(200));
        let ok = matches!(answer, Answer::Hang | Answer::Status(200..=299));
        if let (true, Some(k)) = (ok, header_key) {
            // A receiver that honours the key acts on it once.
            if l.delivered.insert(k.clone()) {
                l.acted.push(k);
            }
        }
        answer
    };
    match answer {
        Answer::Status(s) => StatusCode::from_u16(s).unwrap(),
        Answer::Hang => {
            std::future::pending::<()>().await;
            StatusCode::OK
        }
    }
}
