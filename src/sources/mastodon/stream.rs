//! The live part: `GET /api/v1/streaming/user/notification` as server-sent events. The
//! stream has no replay, so every (re)connect is followed by a REST backfill from the
//! cursor; the store drops what it already has, so nothing appears twice. While the stream
//! is down the same REST endpoint is polled, so mentions keep arriving; and while REST
//! answers, the stream is tried again at least every `rest_cap`, not after minutes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc::Sender;
use tokio::time::Instant;

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
    /// Between stream attempts, when the server itself is unreachable too.
    pub backoff: Backoff,
    /// While the stream is down, the notifications endpoint is asked this often.
    pub poll: Duration,
    /// The longest wait between stream attempts while the REST side answers: the stream
    /// is back soon after the server is.
    pub rest_cap: Duration,
    /// Someone else reached the server (a reply went out): stop waiting, reconnect now.
    pub reached: Arc<tokio::sync::Notify>,
}

impl Default for StreamConfig {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(45),
            backoff: Backoff::new(Duration::from_secs(1), Duration::from_secs(300)),
            poll: Duration::from_secs(15),
            rest_cap: Duration::from_secs(30),
            reached: Default::default(),
        }
    }
}

/// The bytes of an open event stream; an error is the transport's, in words.
pub type Events = Pin<Box<dyn Stream<Item = Result<Vec<u8>, String>> + Send>>;

/// What the live loop needs from a server: the event stream and the REST backfill. Mastodon
/// over HTTP in modq; a scripted server on a simulated clock in the fault tests.
pub trait Live: Send + Sync + 'static {
    fn source(&self) -> &str;
    /// Opens the notification stream (the first time, also learns what the instance allows
    /// and tells the console).
    fn open(&self, tx: &Sender<SourceMsg>)
        -> impl Future<Output = Result<Events, NetError>> + Send;
    fn backfill(
        &self,
        cursor: Option<String>,
    ) -> impl Future<Output = Result<Page, NetError>> + Send;
}

/// A Mastodon account with the streaming host its instance named (asked once).
struct Http {
    m: Arc<Mastodon>,
    streaming: tokio::sync::Mutex<Option<String>>,
}

impl Live for Http {
    fn source(&self) -> &str {
        &self.m.source
    }

    async fn open(&self, tx: &Sender<SourceMsg>) -> Result<Events, NetError> {
        let mut streaming = self.streaming.lock().await;
        let resp = connect(&self.m, &mut streaming, tx).await?;
        Ok(Box::pin(
            resp.bytes_stream()
                .map(|r| r.map(|b| b.to_vec()).map_err(|e| e.to_string())),
        ))
    }

    async fn backfill(&self, cursor: Option<String>) -> Result<Page, NetError> {
        self.m.backfill(cursor).await
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

/// Runs until the channel closes: connect, backfill, read; on any break poll and again.
pub async fn run(
    m: Arc<Mastodon>,
    cursor: Option<String>,
    tx: Sender<SourceMsg>,
    cfg: StreamConfig,
) {
    let live = Http {
        m,
        streaming: Default::default(),
    };
    run_live(&live, cursor, tx, cfg).await
}

/// The loop itself, over any `Live` server.
pub async fn run_live<L: Live>(
    live: &L,
    mut cursor: Option<String>,
    tx: Sender<SourceMsg>,
    mut cfg: StreamConfig,
) {
    let source = live.source().to_string();
    let mut attempt = 0u32;
    let mut next_poll = Instant::now();
    loop {
        if !status(&tx, &source, SourceState::Connecting).await {
            return;
        }
        let (asked, broke) = match live.open(&tx).await {
            Ok(events) => {
                attempt = 0;
                let live_now = SourceState::Live {
                    detail: "streaming".into(),
                };
                if !status(&tx, &source, live_now).await {
                    return;
                }
                // Connected first, then backfill: what arrives meanwhile waits in the stream.
                match catch_up(live, &source, &mut cursor, &tx).await {
                    None => return,
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        // The stream is up: say so, not "cannot connect", or the error
                        // would stand for as long as the stream lasts.
                        let detail = format!("streaming; catching up failed: {e}");
                        if !status(&tx, &source, SourceState::Live { detail }).await {
                            return;
                        }
                    }
                }
                let Some(why) = read(events, &source, &tx, cfg.idle).await else {
                    return;
                };
                tracing::info!(source, "stream broke: {why}");
                let reason = format!("{why}; reconnecting");
                if !status(&tx, &source, SourceState::Down { reason }).await {
                    return;
                }
                // Whatever came between the last event and the break is fetched at once.
                next_poll = Instant::now();
                (None, why.to_string())
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
                let asked = match &e {
                    NetError::Retry { after, .. } => *after,
                    _ => None,
                };
                (asked, e.to_string())
            }
        };
        let wait = cfg.backoff.delay(attempt, asked);
        attempt = attempt.saturating_add(1);
        let gap = Gap {
            wait,
            asked,
            broke: &broke,
        };
        if !bridge(live, &source, &mut cursor, &tx, &cfg, gap, &mut next_poll).await {
            return;
        }
    }
}

/// The time between two stream attempts.
struct Gap<'a> {
    /// The backoff's wait.
    wait: Duration,
    /// What the streaming server asked for (Retry-After): never sooner.
    asked: Option<Duration>,
    /// Why the stream is down, for the status bar.
    broke: &'a str,
}

/// Keeps mentions coming over REST until it is time to try the stream again. Returns false
/// when modq is closing.
async fn bridge<L: Live>(
    live: &L,
    source: &str,
    cursor: &mut Option<String>,
    tx: &Sender<SourceMsg>,
    cfg: &StreamConfig,
    gap: Gap<'_>,
    next_poll: &mut Instant,
) -> bool {
    let start = Instant::now();
    let mut retry_at = start + gap.wait;
    // The server answers: the stream should be back as soon as the server lets it.
    let capped = start + cfg.rest_cap.max(gap.asked.unwrap_or_default());
    loop {
        if Instant::now() >= *next_poll {
            match catch_up(live, source, cursor, tx).await {
                None => return false,
                Some(Ok(n)) => {
                    retry_at = retry_at.min(capped);
                    *next_poll = Instant::now() + cfg.poll;
                    let detail = format!("polling ({n} new); stream: {}", gap.broke);
                    if !status(tx, source, SourceState::Live { detail }).await {
                        return false;
                    }
                }
                Some(Err(e)) => {
                    *next_poll = match &e {
                        NetError::Retry { after, .. } => {
                            Instant::now() + cfg.poll.max(after.unwrap_or_default())
                        }
                        // A refused token: ask no more often than the stream is tried.
                        _ => retry_at.max(Instant::now() + cfg.poll),
                    };
                    if !status(tx, source, down(&e)).await {
                        return false;
                    }
                }
            }
        }
        let now = Instant::now();
        if now >= retry_at {
            return true;
        }
        tokio::select! {
            () = tokio::time::sleep_until(retry_at.min(*next_poll)) => {}
            // Someone else reached the server (a reply went out): try the stream now.
            () = cfg.reached.notified() => return true,
        }
    }
}

/// One backfill from the cursor, handed to the console. None: modq is closing; otherwise
/// how many mentions came, or why none could.
async fn catch_up<L: Live>(
    live: &L,
    source: &str,
    cursor: &mut Option<String>,
    tx: &Sender<SourceMsg>,
) -> Option<Result<usize, NetError>> {
    match live.backfill(cursor.clone()).await {
        Ok(page) => {
            let n = page.mentions.len();
            *cursor = page.cursor.clone().or(cursor.take());
            emit(tx, source, page).await.then_some(Ok(n))
        }
        Err(e) => {
            tracing::warn!(source, "backfill failed: {e}");
            Some(Err(e))
        }
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
    events: Events,
    source: &str,
    tx: &Sender<SourceMsg>,
    idle: Duration,
) -> Option<Broke> {
    // Time out on bytes, not events: the `:thump` heartbeat is a comment, never an event.
    let bytes = futures_util::stream::unfold(Some(events), move |s| async move {
        let mut s = s?;
        match tokio::time::timeout(idle, s.next()).await {
            Ok(Some(Ok(b))) => Some((Ok(b), Some(s))),
            Ok(Some(Err(e))) => Some((Err(Broke::Net(e)), None)),
            Ok(None) => None,
            Err(_) => Some((Err(Broke::Idle), None)),
        }
    });
    // The event parser stalls for good on a byte that is not UTF-8 (it keeps every later
    // byte waiting behind it while heartbeats keep the stream looking alive): mend the text
    // first, so a bad byte costs one replacement character.
    let mut utf8 = Utf8Mend::default();
    let bytes = bytes.map(move |chunk| chunk.map(|b| utf8.push(&b)));
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

/// Turns a byte stream into valid UTF-8 chunk by chunk: a character cut between chunks waits
/// for its rest; a byte that cannot be part of one becomes U+FFFD.
#[derive(Default)]
struct Utf8Mend {
    /// The start of a character whose other bytes have not arrived yet.
    held: Vec<u8>,
}

impl Utf8Mend {
    fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut bytes = std::mem::take(&mut self.held);
        bytes.extend_from_slice(chunk);
        let mut out = Vec::with_capacity(bytes.len());
        let mut rest = &bytes[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    out.extend_from_slice(s.as_bytes());
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    out.extend_from_slice(good);
                    match e.error_len() {
                        Some(n) => {
                            out.extend_from_slice("\u{fffd}".as_bytes());
                            rest = &bad[n..];
                        }
                        None => {
                            self.held = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mending_keeps_cut_chars_and_replaces_bad_bytes() {
        let mut m = Utf8Mend::default();
        let ok = "zażółć 👍".as_bytes();
        let mut got = Vec::new();
        for b in ok {
            got.extend(m.push(std::slice::from_ref(b)));
        }
        assert_eq!(got, ok);
        assert_eq!(m.push(b"a\xffb\xc3"), "a\u{fffd}b".as_bytes());
        assert_eq!(m.push(b"("), "\u{fffd}(".as_bytes());
        assert_eq!(m.push(b"\xe2\x82"), b"");
        assert_eq!(
            m.push(b"\xac\xed\xa0\x80"),
            "€\u{fffd}\u{fffd}\u{fffd}".as_bytes()
        );
    }
}
