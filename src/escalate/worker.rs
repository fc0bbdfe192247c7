//! The webhook outbox: takes escalations to their departments, one request at a time.
//! queued → sending (on disk before the request leaves) → delivered | failed. Network
//! errors, 408, 429 and 5xx are retried with the outbox's backoff (full jitter, never sooner
//! than `Retry-After`). A webhook cannot be asked whether it already has something, so a
//! delivery that may have arrived (a crash while sending, an answer that never came) is sent
//! again with the same key, in the body and in `Idempotency-Key`: the receiver sees one
//! escalation. Never a new key for the same escalation.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::department::{self, Department};
use super::webhook::{self, Webhook, WebhookState};
use crate::app::Event;
use crate::model::{now_millis, Millis};
use crate::outbox::backoff::Backoff;
use crate::store::writer::StoreOp;
use crate::store::Store;

/// Finished deliveries older than this leave the list (their records stay in the store).
const KEEP_MS: Millis = 30 * 24 * 3_600_000;

pub struct Worker {
    pub store: Arc<dyn Store>,
    pub writer: Sender<StoreOp>,
    /// The console, told of every change (None for `modq sync`).
    pub events: Option<UnboundedSender<Event>>,
    pub departments: Vec<Department>,
    pub backoff: Backoff,
    /// Tries before a delivery is left as failed.
    pub max_tries: u32,
    http: crate::sources::net::Http,
    keys: Vec<String>,
}

/// What one try came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Try {
    Delivered,
    /// Try again after the backoff (and not before `after`); `maybe_out`: it may have arrived.
    Again {
        why: String,
        after: Option<Duration>,
        maybe_out: bool,
    },
    Refused(String),
}

impl Worker {
    pub fn new(
        store: Arc<dyn Store>,
        writer: Sender<StoreOp>,
        events: Option<UnboundedSender<Event>>,
        departments: Vec<Department>,
    ) -> Self {
        let keys = webhook::load(store.as_ref())
            .into_iter()
            .map(|w| w.key)
            .collect();
        Self {
            store,
            writer,
            events,
            departments,
            backoff: Backoff::new(Duration::from_secs(2), Duration::from_secs(600)),
            max_tries: 8,
            http: crate::sources::net::Http::new(Duration::from_secs(30)),
            keys,
        }
    }

    /// Deliveries left unfinished when modq last stopped, oldest first.
    pub fn unfinished(&self) -> Vec<Webhook> {
        webhook::load(self.store.as_ref())
            .into_iter()
            .filter(|w| !w.finished())
            .collect()
    }

    /// Writes `w` and waits until it is on disk; then tells the console.
    pub async fn record(&mut self, w: &Webhook) -> bool {
        let now = now_millis();
        let new = !self.keys.contains(&w.key);
        if new {
            self.keys.push(w.key.clone());
            let store = self.store.clone();
            // Finished and old: off the list, so it stays short.
            self.keys.retain(|k| {
                k == &w.key
                    || !webhook::load_one(store.as_ref(), k)
                        .is_some_and(|o| o.finished() && now - o.created > KEEP_MS)
            });
        }
        let (tx, rx) = std::sync::mpsc::channel();
        for op in webhook::writes(w, new.then_some(self.keys.as_slice())) {
            if self.writer.send(op).is_err() {
                return false;
            }
        }
        if self.writer.send(StoreOp::Flush(tx)).is_err() {
            return false;
        }
        let stored =
            tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(30)).is_ok())
                .await
                .unwrap_or(false);
        if let Some(e) = &self.events {
            let _ = e.send(Event::Webhook(Box::new(w.clone())));
        }
        stored
    }

    /// One request for `w`, with the headers from the environment.
    pub async fn post(&self, w: &Webhook) -> Try {
        let Some(d) = department::find(&self.departments, &w.department) else {
            return Try::Refused(format!(
                "department {} is no longer in config.toml",
                w.department
            ));
        };
        let headers = match d.header_values() {
            Ok(h) => h,
            Err(e) => return Try::Refused(e),
        };
        let mut req = self
            .http
            .client
            .post(&d.webhook)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", &w.key)
            .body(w.body.clone());
        for (name, value) in headers {
            let Ok(mut v) = reqwest::header::HeaderValue::from_str(&value) else {
                return Try::Refused(format!("the value of header {name} is not valid"));
            };
            // Kept out of debug output and logs.
            v.set_sensitive(true);
            req = req.header(name.as_str(), v);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let e = crate::sources::net::NetError::transport(&e);
                let maybe_out = matches!(
                    e,
                    crate::sources::net::NetError::Retry {
                        ambiguous: true,
                        ..
                    }
                );
                return Try::Again {
                    why: e.to_string(),
                    after: None,
                    maybe_out,
                };
            }
        };
        let status = resp.status();
        if status.is_success() {
            return Try::Delivered;
        }
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let said: String = crate::sanitize::sanitize_line(text.trim())
            .chars()
            .take(120)
            .collect();
        let why = format!(
            "{} {}{}",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        );
        match status.as_u16() {
            408 | 429 | 500..=599 => Try::Again {
                why,
                after: crate::sources::net::wait_asked(&headers, now_millis()),
                // The receiver may have acted before it failed.
                maybe_out: status.as_u16() >= 500,
            },
            _ => Try::Refused(why),
        }
    }

    /// One try for `w`, recorded: sending first (on disk), then what came of it. Returns the
    /// delivery as it is now; None when the store has stopped.
    pub async fn attempt(&mut self, mut w: Webhook) -> Option<Webhook> {
        w.state = WebhookState::Sending;
        w.not_before = None;
        if !self.record(&w).await {
            return None;
        }
        let result = self.post(&w).await;
        w.tries = w.tries.saturating_add(1);
        match result {
            Try::Delivered => {
                tracing::info!(key = %w.key, department = %w.department, "escalation delivered");
                w.state = WebhookState::Sent;
                w.sent = Some(now_millis());
                w.note = None;
            }
            Try::Refused(why) => {
                tracing::warn!(key = %w.key, "escalation refused: {why}");
                w.state = WebhookState::Failed(why);
            }
            Try::Again {
                why,
                after,
                maybe_out,
            } => {
                tracing::warn!(key = %w.key, tries = w.tries, "escalation will be retried: {why}");
                if w.tries >= self.max_tries {
                    let may = if maybe_out {
                        "; it may have arrived: ask the department before escalating again"
                    } else {
                        ""
                    };
                    w.state = WebhookState::Failed(format!(
                        "gave up after {} tries: {why}{may}",
                        w.tries
                    ));
                } else {
                    let d = self.backoff.delay(w.tries - 1, after);
                    // Sending again is safe either way: the key stays the same.
                    w.state = WebhookState::Queued;
                    w.not_before = Some(now_millis() + d.as_millis() as Millis);
                    w.note = Some(why);
                }
            }
        }
        self.record(&w).await.then_some(w)
    }

    /// Runs until the console closes: new escalations from `rx`, plus those left unfinished.
    pub async fn run(mut self, mut rx: UnboundedReceiver<Webhook>) {
        let mut due: VecDeque<Webhook> = self.unfinished().into();
        loop {
            while let Ok(w) = rx.try_recv() {
                if !self.record(&w).await {
                    return;
                }
                due.push_back(w);
            }
            let now = now_millis();
            let next = due
                .iter()
                .position(|w| w.not_before.is_none_or(|t| t <= now));
            let Some(i) = next else {
                let wait = due
                    .iter()
                    .filter_map(|w| w.not_before)
                    .min()
                    .map(|t| Duration::from_millis((t - now).max(0) as u64));
                tokio::select! {
                    w = rx.recv() => match w {
                        Some(w) => {
                            if !self.record(&w).await {
                                return;
                            }
                            due.push_back(w);
                        }
                        None => return,
                    },
                    _ = sleep_or_forever(wait) => {}
                }
                continue;
            };
            let Some(w) = due.remove(i) else { continue };
            let Some(w) = self.attempt(w).await else {
                return;
            };
            if !w.finished() {
                due.push_back(w);
            }
        }
    }

    /// `modq sync --once`: one pass over what is due; what must wait is left for a later
    /// run. Returns (delivered, failed, waiting).
    pub async fn drain_once(&mut self) -> (usize, usize, usize) {
        let (mut sent, mut failed, mut waiting) = (0, 0, 0);
        for w in self.unfinished() {
            if w.not_before.is_some_and(|t| t > now_millis()) {
                waiting += 1;
                continue;
            }
            match self.attempt(w).await.map(|w| w.state) {
                Some(WebhookState::Sent) => sent += 1,
                Some(WebhookState::Failed(_)) => failed += 1,
                Some(_) => waiting += 1,
                None => break,
            }
        }
        (sent, failed, waiting)
    }
}

async fn sleep_or_forever(d: Option<Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}
