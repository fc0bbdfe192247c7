//! Sends what the outbox holds, through the sender of the reply's source. A reply reaches
//! a sender only after the writer has flushed it as queued.

pub mod backoff;
pub mod key;
pub mod settle;
pub mod worker;

use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::model::{now_millis, Millis, Reply, ReplyState};
use crate::store::writer::StoreOp;

/// The demo sink records a reply as sent; nothing leaves the machine.
pub fn demo_send(mut r: Reply, now: Millis) -> Reply {
    r.state = ReplyState::Sent;
    r.sent = Some(now);
    r
}

/// What happens to a reply whose source has no sender (yet): it stays visible as failed.
pub fn no_sender(mut r: Reply) -> Reply {
    r.state = ReplyState::Failed(format!("no account is connected for source '{}'", r.source));
    r
}

/// Replies in the store that were queued, in flight or of unknown fate when modq last stopped.
pub fn unfinished(replies: &[Reply]) -> Vec<Reply> {
    let mut out: Vec<Reply> = replies
        .iter()
        .filter(|r| {
            matches!(
                r.state,
                ReplyState::Queued | ReplyState::Sending | ReplyState::Unknown
            )
        })
        .cloned()
        .collect();
    // What may already be out (sending, unknown) is looked up on the server first, so the
    // queue behind it never overtakes a reply whose fate is still open. Stable: each group
    // keeps its order.
    out.sort_by_key(|r| r.state == ReplyState::Queued);
    out
}

/// How much longer the server asked us to wait before sending `r` (persisted with it, so a
/// restart honours it). None: it may go now.
pub fn wait_left(r: &Reply, now: Millis) -> Option<Duration> {
    r.delivery
        .not_before
        .filter(|t| *t > now)
        .map(|t| Duration::from_millis((t - now) as u64))
}

/// A like travels through the outbox as a reply with this id suffix and no text.
pub const LIKE_SUFFIX: &str = "#like";

pub fn is_like(r: &Reply) -> bool {
    r.id.ends_with(LIKE_SUFFIX)
}

/// Routes each reply to its account's worker; the demo sink answers itself.
pub async fn run(
    mut rx: UnboundedReceiver<Reply>,
    store: Sender<StoreOp>,
    accounts: HashMap<String, UnboundedSender<Reply>>,
) {
    while let Some(r) = rx.recv().await {
        if let Some(worker) = accounts.get(&r.source) {
            if let Err(e) = worker.send(r) {
                let _ = store.send(StoreOp::ReplyResult(Box::new(no_sender(e.0))));
            }
            continue;
        }
        let result = if r.source == crate::model::DEMO_SOURCE {
            // A beat, so the moderator sees "queued" turn into "sent".
            tokio::time::sleep(Duration::from_millis(250)).await;
            demo_send(r, now_millis())
        } else {
            no_sender(r)
        };
        if store.send(StoreOp::ReplyResult(Box::new(result))).is_err() {
            return;
        }
    }
}
