//! The live part: `GET /api/v1/streaming/user/notification` as server-sent events. The
//! stream has no replay, so every (re)connect is followed by a REST backfill from the
//! cursor; the store drops what it already has, so nothing appears twice.

use std::sync::Arc;
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use tokio::sync::mpsc::Sender;

use super::api::Mastodon;
use super::{to_raw, Notification};
use crate::model::SourceState;
use crate::outbox::backoff::Backoff;
use crate::sources::adapter::{Adapter, Page};
use crate::sources::feed::{down, emit, status};
use crate::sources::net::{classify, NetError};
use crate::sources::SourceMsg;

#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// Silence longer than this (≈ three 15 s heartbeats) means the stream is dead.
    pub idle: Duration,
    pub backoff: Backoff,
    /// Someone else reached the server (a reply went out): stop waiting, reconnect now.
    pub reached: Arc<tokio::sync::Notify>,
}

impl Default for StreamConfig {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(45),
            backoff: Backoff::new(Duration::from_secs(1), Duration::from_secs(300)),
            reached: Default::default(),
        }
    }
}

#[derive(Debug)]
enum Broke {
    Idle,
    Net(String),
}

impl std::fmt::Display for Broke {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broke::Idle => f.write_str("the stream went silent"),
            Broke::Net(e) => f.write_str(e),
        }
    }
}

/// Runs until the channel closes: connect, backfill, read; on any break back off and again.
pub async fn run(
    m: Arc<Mastodon>,
    mut cursor: Option<String>,
    tx: Sender<SourceMsg>,
    mut cfg: StreamConfig,
) {
    let source = m.source.clone();
    let mut streaming: Option<String> = None;
    let mut attempt = 0u32;
    loop {
        if !status(&tx, &source, SourceState::Connecting).await {
            return;
        }
        match connect(&m, &mut streaming, &tx).await {
            Ok(resp) => {
                attempt = 0;
                if !status(
                    &tx,
                    &source,
                    SourceState::Live {
                        detail: "streaming".into(),
                    },
                )
                .await
                {
                    return;
                }
                // Connected first, then backfill: what arrives meanwhile waits in the stream.
                match m.backfill(cursor.clone()).await {
                    Ok(page) => {
                        cursor = page.cursor.clone().or(cursor);
                        if !emit(&tx, &source, page).await {
                            return;
                        }
                    }
                    Err(e) => {
                        // The stream is up: say so, not "cannot connect", or the error
                        // would stand for as long as the stream lasts.
                        tracing::warn!(source, "backfill failed: {e}");
                        let detail = format!("streaming; catching up failed: {e}");
                        if !status(&tx, &source, SourceState::Live { detail }).await {
                            return;
                        }
                    }
                }
                let why = match read(resp, &source, &tx, cfg.idle).await {
                    Some(why) => why,
                    None => return,
                };
                tracing::info!(source, "stream broke: {why}");
                if !status(
                    &tx,
                    &source,
                    SourceState::Down {
                        reason: format!("{why}; reconnecting"),
                    },
                )
                .await
                {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!(source, "stream connect failed: {e}");
                if !status(&tx, &source, down(&e)).await {
                    return;
                }
                if matches!(e, NetError::Auth(_)) {
                    // A refused token will not fix itself quickly; do not hammer the server.
                    attempt = attempt.max(8);
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(cfg.backoff.delay(attempt, None)) => {}
            () = cfg.reached.notified() => attempt = 0,
        }
        attempt = attempt.saturating_add(1);
    }
}

async fn connect(
    m: &Mastodon,
    streaming: &mut Option<String>,
    tx: &Sender<SourceMsg>,
) -> Result<reqwest::Response, NetError> {
    let host = match streaming {
        Some(h) => h.clone(),
        None => {
            let i = m.instance().await?;
            // The compose gate counts replies to this account's mentions as its server does.
            let limits = crate::compose::gate::length::Limits {
                mastodon_max: i.limits.max_characters,
                mastodon_url: i.limits.characters_reserved_per_url,
                ..Default::default()
            };
            let msg = SourceMsg::Limits {
                source: m.source.clone(),
                limits,
            };
            if tx.send(msg).await.is_err() {
                return Err(NetError::Rejected("the console has stopped".into()));
            }
            let h = i.streaming;
            *streaming = Some(h.clone());
            h
        }
    };
    let resp = m
        .stream_request(&host)
        .send()
        .await
        .map_err(|e| NetError::transport(&e))?;
    if resp.status().is_success() {
        return Ok(resp);
    }
    let code = resp.status();
    let headers = resp.headers().clone();
    let body = resp.text().await.unwrap_or_default();
    Err(classify(code, &headers, &body, crate::model::now_millis()))
}

/// Reads events until the stream ends or goes silent. None: modq is closing.
async fn read(
    resp: reqwest::Response,
    source: &str,
    tx: &Sender<SourceMsg>,
    idle: Duration,
) -> Option<Broke> {
    // Time out on bytes, not events: the `:thump` heartbeat is a comment, never an event.
    let bytes = futures_util::stream::unfold(Some(resp.bytes_stream()), move |s| async move {
        let mut s = s?;
        match tokio::time::timeout(idle, s.next()).await {
            Ok(Some(Ok(b))) => Some((Ok(b), Some(s))),
            Ok(Some(Err(e))) => Some((Err(Broke::Net(e.to_string())), None)),
            Ok(None) => None,
            Err(_) => Some((Err(Broke::Idle), None)),
        }
    });
    let mut events = Box::pin(bytes.eventsource());
    let mut bad = 0u64;
    while let Some(ev) = events.next().await {
        let ev = match ev {
            Ok(ev) => ev,
            Err(eventsource_stream::EventStreamError::Transport(b)) => return Some(b),
            Err(e) => return Some(Broke::Net(e.to_string())),
        };
        if ev.event != "notification" {
            continue;
        }
        match serde_json::from_str::<Notification>(&ev.data) {
            Ok(n) => {
                let page = Page {
                    mentions: to_raw(source, &n).into_iter().collect(),
                    cursor: None,
                };
                if !emit(tx, source, page).await {
                    return None;
                }
            }
            Err(e) => {
                bad += 1;
                tracing::warn!(source, bad, "skipping an unreadable stream event: {e}");
            }
        }
    }
    Some(Broke::Net("the server closed the stream".into()))
}
