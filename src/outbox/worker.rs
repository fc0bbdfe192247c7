//! One worker per account: one request in flight, replies in the order they were queued.
//! queued → sending (flushed before the request leaves) → sent | failed | unknown.
//! Network errors, 408, 429 and 5xx are retried with backoff, never sooner than the server
//! asked; after a crash or an answer that never came, the server is asked whether the reply
//! is already there before it is sent again: never lost, never doubled.

use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;

use super::backoff::Backoff;
use crate::model::{now_millis, Reply, ReplyState};
use crate::sources::adapter::{reply_ref_key, Adapter, Outgoing, ReplyRef};
use crate::sources::net::NetError;
use crate::store::writer::StoreOp;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub backoff: Backoff,
    /// Tries per reply before it is left as failed (or unknown, if it may have gone out).
    pub max_tries: u32,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            backoff: Backoff::new(Duration::from_secs(2), Duration::from_secs(600)),
            max_tries: 8,
        }
    }
}

/// Writes a reply's state through the store writer and waits until it is on disk.
async fn record(store: &Sender<StoreOp>, r: &Reply) -> bool {
    let (tx, rx) = std::sync::mpsc::channel();
    if store
        .send(StoreOp::ReplyResult(Box::new(r.clone())))
        .is_err()
        || store.send(StoreOp::Flush(tx)).is_err()
    {
        return false;
    }
    tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(30)).is_ok())
        .await
        .unwrap_or(false)
}

/// What the outbox needs to send `r`, or why it cannot.
pub fn outgoing(store: &dyn Store, r: &Reply) -> Result<Outgoing, String> {
    let to: ReplyRef = store
        .meta_get(&reply_ref_key(&r.mention_id))
        .map_err(|e| e.to_string())?
        .and_then(|j| serde_json::from_str(&j).ok())
        .ok_or("this mention carries no reference to answer it on its network")?;
    Ok(Outgoing {
        key: super::key::new_key(&r.id, r.created),
        like: super::is_like(r),
        to,
        reply: r.clone(),
    })
}

pub async fn run<A: Adapter>(
    adapter: Arc<A>,
    store: Arc<dyn Store>,
    writer: Sender<StoreOp>,
    mut rx: UnboundedReceiver<Reply>,
    mut cfg: WorkerConfig,
) {
    while let Some(r) = rx.recv().await {
        let done = deliver(adapter.as_ref(), store.as_ref(), &writer, r, &mut cfg).await;
        if let Some(done) = done {
            if !record(&writer, &done).await {
                return;
            }
        } else {
            return;
        }
    }
}

fn finish(mut r: Reply, state: ReplyState) -> Reply {
    if state == ReplyState::Sent {
        r.sent = Some(now_millis());
    }
    r.state = state;
    r
}

/// Takes one reply to its end state. None: the store has stopped (modq is closing).
pub async fn deliver<A: Adapter>(
    adapter: &A,
    store: &dyn Store,
    writer: &Sender<StoreOp>,
    r: Reply,
    cfg: &mut WorkerConfig,
) -> Option<Reply> {
    let out = match outgoing(store, &r) {
        Ok(o) => o,
        Err(why) => return Some(finish(r, ReplyState::Failed(why))),
    };
    // It may have gone out before a crash: ask before sending again.
    let mut must_look = matches!(r.state, ReplyState::Sending | ReplyState::Unknown);
    let mut sending = r.clone();
    sending.state = ReplyState::Sending;
    let mut tries = 0u32;
    loop {
        if std::mem::take(&mut must_look) {
            match adapter.find_posted(&out).await {
                Ok(Some(id)) => {
                    tracing::info!(reply = %r.id, remote = %id, "already posted");
                    return Some(finish(r, ReplyState::Sent));
                }
                Ok(None) => {}
                Err(e) => {
                    tries += 1;
                    if tries >= cfg.max_tries || !matches!(e, NetError::Retry { .. }) {
                        return Some(finish(r, ReplyState::Unknown));
                    }
                    tokio::time::sleep(cfg.backoff.delay(tries - 1, wait(&e))).await;
                    must_look = true;
                    continue;
                }
            }
        }
        // On disk as "sending" before the request leaves: a crash from here on is resolved
        // by looking, not by guessing.
        if !record(writer, &sending).await {
            return None;
        }
        tries += 1;
        match adapter.post(&out).await {
            Ok(id) => {
                tracing::info!(reply = %r.id, remote = %id, "posted");
                return Some(finish(r, ReplyState::Sent));
            }
            Err(NetError::Retry {
                reason,
                after,
                ambiguous,
            }) => {
                tracing::warn!(reply = %r.id, tries, "will retry: {reason}");
                if tries >= cfg.max_tries {
                    let end = if ambiguous {
                        ReplyState::Unknown
                    } else {
                        ReplyState::Failed(format!("gave up after {tries} tries: {reason}"))
                    };
                    return Some(finish(r, end));
                }
                tokio::time::sleep(cfg.backoff.delay(tries - 1, after)).await;
                must_look = ambiguous;
            }
            Err(NetError::Auth(m)) | Err(NetError::Rejected(m)) => {
                tracing::warn!(reply = %r.id, "refused: {m}");
                return Some(finish(r, ReplyState::Failed(m)));
            }
        }
    }
}

fn wait(e: &NetError) -> Option<Duration> {
    match e {
        NetError::Retry { after, .. } => *after,
        _ => None,
    }
}
