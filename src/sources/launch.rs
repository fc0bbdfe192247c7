//! Starts what the configured accounts need: a source task each (Mastodon streams, Bluesky
//! polls) and an outbox worker each, and the JSON-lines reader when asked for.

use std::collections::HashMap;
use std::sync::mpsc as std_mpsc;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::adapter::Adapter;
use super::{feed, jsonl, mastodon, SourceMsg};
use crate::accounts::Client;
use crate::model::Reply;
use crate::outbox::backoff::Backoff;
use crate::outbox::worker::{self, WorkerConfig};
use crate::store::writer::StoreOp;
use crate::store::Store;

/// How often Bluesky is asked for new notifications.
pub const BLUESKY_POLL: Duration = Duration::from_secs(30);

/// Bluesky polling: every 30 s; after a failure between 30 s and a minute while the service
/// may come back by itself, up to 10 minutes for a refused login (logins are rate-limited).
pub fn bluesky_poll() -> feed::PollConfig {
    feed::PollConfig {
        every: BLUESKY_POLL,
        backoff: Backoff::new(Duration::from_secs(5), Duration::from_secs(600)),
        retry_cap: Duration::from_secs(60),
        reached: Default::default(),
    }
}

impl Client {
    pub fn name(&self) -> &str {
        match self {
            Client::Mastodon(m) => &m.source,
            Client::Bluesky(b) => &b.source,
        }
    }
}

/// Spawns the sources and workers; returns where each account's replies go.
pub fn launch(
    accounts: &[Client],
    jsonl_input: Option<jsonl::Input>,
    store: &Arc<dyn Store>,
    writer: &std_mpsc::Sender<StoreOp>,
    sources: &mpsc::Sender<SourceMsg>,
) -> HashMap<String, mpsc::UnboundedSender<Reply>> {
    let mut outboxes = HashMap::new();
    for c in accounts {
        let name = c.name().to_string();
        let cursor = store.meta_get(&feed::cursor_key(&name)).ok().flatten();
        let (tx, rx) = mpsc::unbounded_channel();
        outboxes.insert(name.clone(), tx);
        let tx_src = sources.clone();
        // The worker tells the source when a reply got through (the server is back).
        let reached = Arc::new(tokio::sync::Notify::new());
        match c.clone() {
            Client::Mastodon(m) => {
                spawn_worker(m.clone(), store, writer, rx, reached.clone());
                let cfg = mastodon::stream::StreamConfig {
                    reached,
                    ..Default::default()
                };
                tokio::spawn(mastodon::stream::run(m, cursor, tx_src, cfg));
            }
            Client::Bluesky(b) => {
                spawn_worker(b.clone(), store, writer, rx, reached.clone());
                tokio::spawn(async move {
                    let cfg = feed::PollConfig {
                        reached,
                        ..bluesky_poll()
                    };
                    feed::poll(b.as_ref(), &name, cursor, tx_src, cfg).await
                });
            }
        }
    }
    if let Some(input) = jsonl_input {
        tokio::spawn(jsonl::run(
            input,
            sources.clone(),
            Duration::from_millis(500),
        ));
    }
    outboxes
}

fn spawn_worker<A: Adapter>(
    adapter: Arc<A>,
    store: &Arc<dyn Store>,
    writer: &std_mpsc::Sender<StoreOp>,
    rx: mpsc::UnboundedReceiver<Reply>,
    reached: Arc<tokio::sync::Notify>,
) {
    tokio::spawn(worker::run(
        adapter,
        store.clone(),
        writer.clone(),
        rx,
        WorkerConfig {
            reached,
            ..Default::default()
        },
    ));
}

/// The adapter calls `modq sync` and `modq account test` make, for either network.
impl Client {
    pub async fn backfill(
        &self,
        cursor: Option<String>,
    ) -> Result<super::adapter::Page, super::net::NetError> {
        match self {
            Client::Mastodon(m) => m.backfill(cursor).await,
            Client::Bluesky(b) => b.backfill(cursor).await,
        }
    }

    pub async fn whoami(&self) -> Result<String, super::net::NetError> {
        match self {
            Client::Mastodon(m) => m.whoami().await,
            Client::Bluesky(b) => b.whoami().await,
        }
    }

    /// Takes one reply to its end state (see `outbox::worker::deliver`).
    pub async fn deliver(
        &self,
        store: &dyn Store,
        writer: &std_mpsc::Sender<StoreOp>,
        r: Reply,
        cfg: &mut WorkerConfig,
    ) -> Option<Reply> {
        match self {
            Client::Mastodon(m) => worker::deliver(m.as_ref(), store, writer, r, cfg).await,
            Client::Bluesky(b) => worker::deliver(b.as_ref(), store, writer, r, cfg).await,
        }
    }
}
