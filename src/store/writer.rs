//! The store's single writer. Batches what arrives, writes it, flushes once, and only then
//! reports back ("stored", "queued"): nothing is acknowledged on screen before it is on disk.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use super::Store;
use crate::app::{Effect, Event};
use crate::model::{Mention, Reply};

#[derive(Debug)]
pub enum StoreOp {
    /// New mentions from the sources; stored if absent, then shown.
    Ingest(Vec<Mention>),
    /// A write the app asked for.
    Apply(Effect),
    /// What a sender made of a reply (sent, failed).
    ReplyResult(Box<Reply>),
    Meta(String, String),
    /// Answers once everything before it is on disk.
    Flush(Sender<()>),
}

/// What a batch produced: events for the app, replies for the outbox.
#[derive(Debug, Default)]
pub struct Outcome {
    pub events: Vec<Event>,
    pub to_send: Vec<Reply>,
    pub flushed: Vec<Sender<()>>,
}

/// Applies a batch and flushes. Shared by the writer thread and by tests that drive it directly.
pub fn apply(store: &dyn Store, ops: Vec<StoreOp>) -> Outcome {
    let mut out = Outcome::default();
    let mut problems = Vec::new();
    for op in ops {
        let r = match op {
            StoreOp::Ingest(ms) => store.insert_mentions_if_absent(&ms).map(|new| {
                for (m, new) in ms.into_iter().zip(new) {
                    if new {
                        out.events.push(Event::MentionArrived(Box::new(m)));
                    }
                }
            }),
            StoreOp::Apply(effect) => apply_effect(store, effect, &mut out),
            StoreOp::ReplyResult(r) => store.put_reply(&r).map(|_| {
                out.events.push(match r.state {
                    crate::model::ReplyState::Sent => Event::ReplySent(r),
                    crate::model::ReplyState::Failed(_) => Event::ReplyFailed(r),
                    // Sending, or an outcome only the network can tell.
                    _ => Event::ReplyUpdated(r),
                })
            }),
            StoreOp::Meta(k, v) => store.meta_put(&k, &v),
            StoreOp::Flush(tx) => {
                out.flushed.push(tx);
                Ok(())
            }
        };
        if let Err(e) = r {
            problems.push(e.to_string());
        }
    }
    if let Err(e) = store.flush() {
        problems.push(e.to_string());
        // Nothing was made durable: take back the acknowledgements.
        out.events.retain(|e| !matches!(e, Event::ReplyQueued(_)));
        out.to_send.clear();
    }
    for p in problems {
        tracing::error!("store: {p}");
        out.events
            .push(Event::Problem(format!("could not save: {p}")));
    }
    out
}

fn apply_effect(store: &dyn Store, effect: Effect, out: &mut Outcome) -> super::Result<()> {
    match effect {
        Effect::PersistMention(m) => store.put_mention(&m),
        Effect::SaveDraft { mention, text } => store.put_draft(&mention, &text),
        Effect::DeleteDraft(mention) => store.delete_draft(&mention),
        Effect::Audit(e) => store.append_audit(&e),
        Effect::Meta(k, v) => store.meta_put(&k, &v),
        Effect::SaveModel(bytes) => store.model_put(&bytes),
        Effect::QueueReply(r) => {
            store.put_reply(&r)?;
            store.delete_draft(&r.mention_id)?;
            out.to_send.push((*r).clone());
            out.events.push(Event::ReplyQueued(r));
            Ok(())
        }
        Effect::SettleReply(r) => {
            store.put_reply(&r)?;
            if r.state == crate::model::ReplyState::Queued {
                out.to_send.push(*r);
            }
            Ok(())
        }
        // Not store work; the driver handles these.
        Effect::LoadTheme(_)
        | Effect::LoadKeymap(_)
        | Effect::Gate(_)
        | Effect::Bell
        | Effect::Quit
        | Effect::OpenLink(_)
        | Effect::CopyLink(_)
        | Effect::Escalate(_)
        | Effect::Thread { .. }
        | Effect::Figures(_) => Ok(()),
    }
}

/// Runs the writer on its own thread until every sender is dropped.
pub fn spawn(
    store: Arc<dyn Store>,
    rx: Receiver<StoreOp>,
    events: tokio::sync::mpsc::UnboundedSender<Event>,
    outbox: tokio::sync::mpsc::UnboundedSender<Reply>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("modq-store".into())
        .spawn(move || loop {
            let first = match rx.recv_timeout(Duration::from_secs(3600)) {
                Ok(op) => op,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut ops = vec![first];
            // Everything already waiting goes into the same flush.
            while ops.len() < 1024 {
                match rx.try_recv() {
                    Ok(op) => ops.push(op),
                    Err(_) => break,
                }
            }
            let out = apply(store.as_ref(), ops);
            for e in out.events {
                let _ = events.send(e);
            }
            for r in out.to_send {
                let _ = outbox.send(r);
            }
            for f in out.flushed {
                let _ = f.send(());
            }
        })
        .expect("spawning the store thread")
}
