//! Handing what an adapter found to the ingest channel, and the polling loop for networks
//! without a stream (Bluesky) — or for `modq sync --once`, one backfill and done.

use std::time::Duration;

use tokio::sync::mpsc::Sender;

use super::adapter::{reply_ref_key, Adapter, Page};
use super::net::NetError;
use super::SourceMsg;
use crate::model::SourceState;
use crate::outbox::backoff::Backoff;

pub fn cursor_key(source: &str) -> String {
    format!("cursor:{source}")
}

/// Sends a page's mentions (each with what a reply needs), then the new cursor: the ingest
/// task stores the mentions before it moves the cursor. Returns false when modq is closing.
pub async fn emit(tx: &Sender<SourceMsg>, source: &str, page: Page) -> bool {
    for (raw, to) in page.mentions {
        let id = crate::ingest::mention_id(source, &crate::sanitize::sanitize_line(&raw.remote_id));
        let Ok(json) = serde_json::to_string(&to) else {
            continue;
        };
        let msgs = [
            SourceMsg::Cursor {
                key: reply_ref_key(&id),
                value: json,
            },
            SourceMsg::Mention(Box::new(raw)),
        ];
        for m in msgs {
            if tx.send(m).await.is_err() {
                return false;
            }
        }
    }
    match page.cursor {
        Some(c) => tx
            .send(SourceMsg::Cursor {
                key: cursor_key(source),
                value: c,
            })
            .await
            .is_ok(),
        None => true,
    }
}

pub async fn status(tx: &Sender<SourceMsg>, source: &str, state: SourceState) -> bool {
    tx.send(SourceMsg::Status {
        source: source.to_string(),
        state,
    })
    .await
    .is_ok()
}

/// One line for the status bar: what went wrong and what to do.
pub fn down(e: &NetError) -> SourceState {
    SourceState::Down {
        reason: match e {
            NetError::Auth(m) => format!("login refused ({m})"),
            other => other.to_string(),
        },
    }
}

/// How a network without a stream is polled.
#[derive(Debug, Clone)]
pub struct PollConfig {
    pub every: Duration,
    pub backoff: Backoff,
    /// The longest wait after a failure the service recovers from by itself (network, 5xx,
    /// time-outs): once it answers again, polling resumes within this, not after minutes.
    /// A refused login backs off up to the backoff's own cap; a wait the server asked for
    /// (Retry-After, rate-limit reset) is always honoured.
    pub retry_cap: Duration,
    /// Woken by the account's outbox worker when a reply got through: the server is back.
    pub reached: std::sync::Arc<tokio::sync::Notify>,
}

impl PollConfig {
    /// The wait before the next try after `failures` failures in a row, the last being `e`.
    pub fn failure_wait(&mut self, failures: u32, e: &NetError) -> Duration {
        let (asked, cap) = match e {
            NetError::Retry { after, .. } => (*after, self.retry_cap),
            _ => (None, self.backoff.cap),
        };
        let backoff = self.backoff.delay(failures, None).min(cap);
        backoff
            .max(self.every.min(cap))
            .max(asked.unwrap_or_default())
    }
}

/// Backfills, then again every `every`, until the channel closes. Failures back off.
pub async fn poll<A: Adapter>(
    adapter: &A,
    source: &str,
    mut cursor: Option<String>,
    tx: Sender<SourceMsg>,
    mut cfg: PollConfig,
) {
    let mut failures = 0u32;
    loop {
        match adapter.backfill(cursor.clone()).await {
            Ok(page) => {
                failures = 0;
                let n = page.mentions.len();
                cursor = page.cursor.clone().or(cursor);
                if !emit(&tx, source, page).await
                    || !status(
                        &tx,
                        source,
                        SourceState::Live {
                            detail: format!("polled, {n} new"),
                        },
                    )
                    .await
                {
                    return;
                }
                tokio::time::sleep(cfg.every).await;
            }
            Err(e) => {
                tracing::warn!(source, "poll failed: {e}");
                if !status(&tx, source, down(&e)).await {
                    return;
                }
                let wait = cfg.failure_wait(failures, &e);
                failures = failures.saturating_add(1);
                // A reply that got through means the server is back: poll now.
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = cfg.reached.notified() => failures = 0,
                }
            }
        }
    }
}
