//! One worker per account: one request in flight, replies in the order they were queued.
//! queued → sending (flushed before the request leaves) → sent | failed | unknown.
//! Network errors, 408, 429 and 5xx are retried with backoff, never sooner than the server
//! asked; after a crash or an answer that never came, the server is asked whether the reply
//! is already there before it is sent again: never lost, never doubled.

use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::Notify;

use super::backoff::Backoff;
use crate::model::{now_millis, Millis, Reply, ReplyState};
use crate::sources::adapter::{reply_ref_key, Adapter, Outgoing, ReplyRef};
use crate::sources::net::NetError;
use crate::store::writer::StoreOp;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub backoff: Backoff,
    /// Tries per reply before it is left as failed (or unknown, if it may have gone out).
    pub max_tries: u32,
    /// Told when a reply got through: the account's server answers again, so its source
    /// stops waiting out its backoff and reconnects now.
    pub reached: Arc<Notify>,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            backoff: Backoff::new(Duration::from_secs(2), Duration::from_secs(600)),
            max_tries: 8,
            reached: Default::default(),
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
        claimed: Vec::new(),
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
            if done.state == ReplyState::Sent {
                cfg.reached.notify_waiters();
            }
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
        r.delivery.note = None;
    }
    r.delivery.not_before = None;
    r.state = state;
    r
}

fn posted(mut r: Reply, remote: String) -> Reply {
    r.delivery.remote_id = Some(remote);
    finish(r, ReplyState::Sent)
}

fn unknown(mut r: Reply, why: String) -> Reply {
    // Shown to the moderator, and parts of it came from the server.
    r.delivery.note = Some(crate::sanitize::sanitize_line(&why));
    finish(r, ReplyState::Unknown)
}

/// Whether a reply that may be out can be settled by sending it again with its key: the
/// server still remembers the key. Measured from the first try (from queueing for records
/// that did not keep it: earlier, so on the safe side).
pub fn may_replay<A: Adapter>(adapter: &A, r: &Reply, now: Millis) -> bool {
    let first = r.delivery.first_try.unwrap_or(r.created);
    adapter
        .replay_window()
        .is_some_and(|w| now - first < w.as_millis() as Millis)
}

/// The remote ids of our other replies to the same mention.
fn claimed(store: &dyn Store, r: &Reply) -> Vec<String> {
    store
        .load_replies()
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o.mention_id == r.mention_id && o.id != r.id)
        .filter_map(|o| o.delivery.remote_id)
        .collect()
}

/// Waits `d` before the next try, with the time on disk first so a restart waits too.
/// `maybe_out`: an earlier try may have gone out, so a restart settles before it sends.
async fn pause(writer: &Sender<StoreOp>, r: &mut Reply, d: Duration, maybe_out: bool) -> bool {
    r.state = if maybe_out {
        ReplyState::Sending
    } else {
        ReplyState::Queued
    };
    r.delivery.not_before = Some(now_millis() + d.as_millis() as Millis);
    if !record(writer, r).await {
        return false;
    }
    tokio::time::sleep(d).await;
    true
}

/// Takes one reply to its end state. None: the store has stopped (modq is closing).
pub async fn deliver<A: Adapter>(
    adapter: &A,
    store: &dyn Store,
    writer: &Sender<StoreOp>,
    mut r: Reply,
    cfg: &mut WorkerConfig,
) -> Option<Reply> {
    let mut out = match outgoing(store, &r) {
        Ok(o) => o,
        Err(why) => return Some(finish(r, ReplyState::Failed(why))),
    };
    // The server asked to wait, before a restart too.
    if let Some(d) = super::wait_left(&r, now_millis()) {
        tracing::info!(reply = %r.id, "waiting {} s as the server asked", d.as_secs());
        tokio::time::sleep(d).await;
    }
    // It may have gone out before a crash or an answer that never came: settle it before
    // anything else goes, by sending again with its key while the server remembers it,
    // after that by looking.
    let mut maybe_out = matches!(r.state, ReplyState::Sending | ReplyState::Unknown);
    let mut tries = 0u32;
    loop {
        if maybe_out && !may_replay(adapter, &r, now_millis()) {
            out.claimed = claimed(store, &r);
            match adapter.find_posted(&out).await {
                Ok(Some(id)) => {
                    tracing::info!(reply = %r.id, remote = %id, "already posted");
                    return Some(posted(r, id));
                }
                // Not there: it never went out.
                Ok(None) => maybe_out = false,
                Err(e) => {
                    tries += 1;
                    r.delivery.tries = r.delivery.tries.saturating_add(1);
                    if tries >= cfg.max_tries || !matches!(e, NetError::Retry { .. }) {
                        tracing::warn!(reply = %r.id, "look-up failed: {e}");
                        return Some(unknown(r, format!("the look-up failed: {e}")));
                    }
                    let d = cfg.backoff.delay(tries - 1, wait(&e));
                    if !pause(writer, &mut r, d, true).await {
                        return None;
                    }
                    continue;
                }
            }
        }
        // On disk as "sending" before the request leaves: a crash from here on is settled
        // as above, not guessed.
        r.state = ReplyState::Sending;
        r.delivery.first_try.get_or_insert_with(now_millis);
        r.delivery.not_before = None;
        r.delivery.tries = r.delivery.tries.saturating_add(1);
        if !record(writer, &r).await {
            return None;
        }
        tries += 1;
        match adapter.post(&out).await {
            Ok(id) => {
                tracing::info!(reply = %r.id, remote = %id, "posted");
                return Some(posted(r, id));
            }
            Err(NetError::Retry {
                reason,
                after,
                ambiguous,
            }) => {
                tracing::warn!(reply = %r.id, tries, "will retry: {reason}");
                maybe_out |= ambiguous;
                if tries >= cfg.max_tries {
                    return Some(if maybe_out {
                        unknown(r, format!("no clear answer after {tries} tries: {reason}"))
                    } else {
                        finish(
                            r,
                            ReplyState::Failed(format!("gave up after {tries} tries: {reason}")),
                        )
                    });
                }
                let d = cfg.backoff.delay(tries - 1, after);
                if !pause(writer, &mut r, d, maybe_out).await {
                    return None;
                }
            }
            Err(NetError::Auth(m)) | Err(NetError::Rejected(m)) => {
                tracing::warn!(reply = %r.id, "refused: {m}");
                // Refused now, but an earlier try may have gone out.
                return Some(if maybe_out {
                    unknown(
                        r,
                        format!("refused ({m}), but an earlier try may have gone out"),
                    )
                } else {
                    finish(r, ReplyState::Failed(m))
                });
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
