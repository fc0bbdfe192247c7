//! `modq sync [--once]`: the sources and the outbox without the console, for a server or
//! cron. `--once` backfills every account, drains its outbox and exits; otherwise it runs
//! until a signal and prints a summary line a minute.

use std::collections::BTreeMap;
use std::sync::mpsc as std_mpsc;
use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};

use crate::accounts::{Accounts, Client};
use crate::app::Event;
use crate::config::Paths;
use crate::model::{now_millis, ReplyState};
use crate::outbox::worker::WorkerConfig;
use crate::sources::adapter::reply_ref_key;
use crate::sources::feed::cursor_key;
use crate::store::writer::{self, StoreOp};
use crate::store::{SledStore, Store};

/// What one account did in a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub new: usize,
    pub sent: usize,
    pub failed: usize,
    pub unknown: usize,
    /// Left for a later run: the server asked to wait.
    pub waiting: usize,
    pub problem: Option<String>,
    /// Replies whose fate became unknown in this run, each said once, in full.
    pub news: Vec<String>,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new, {} sent, {} failed, {} unknown",
            self.new, self.sent, self.failed, self.unknown
        )?;
        if self.waiting > 0 {
            write!(f, ", {} waiting", self.waiting)?;
        }
        if let Some(p) = &self.problem {
            write!(f, " ({p})")?;
        }
        Ok(())
    }
}

pub fn run(paths: &Paths, once: bool) -> anyhow::Result<i32> {
    let accounts = Accounts::new(&paths.config_dir);
    let mut clients = Vec::new();
    let mut code = 0;
    // Escalations still on their way to departments are delivered too.
    let departments = crate::config::Config::load(&paths.config_file())
        .0
        .departments;
    for a in accounts.load().map_err(anyhow::Error::msg)? {
        match accounts.connect(&a) {
            Ok(c) => clients.push(c),
            Err(e) => {
                code = 1;
                println!("{}: {e}", a.name);
            }
        }
    }
    if clients.is_empty() && departments.is_empty() {
        println!("sync: no usable account; add one with: modq account add");
        return Ok(code.max(1));
    }
    // Only `[store]` matters here; the console reports the file's problems.
    let config = crate::settings::config(paths).0;
    let store: Arc<dyn Store> = Arc::new(SledStore::open_with(&paths.store_dir(), &config.store)?);
    crate::store::kind::claim(
        store.as_ref(),
        crate::store::kind::Kind::Real,
        &paths.store_dir(),
    )
    .map_err(anyhow::Error::msg)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let worst = rt.block_on(async {
        if once {
            once_all(&clients, store.clone(), departments).await
        } else {
            forever(clients, store.clone(), departments).await
        }
    })?;
    Ok(code.max(worst))
}

/// Backfill, store, drain the outbox, one account after the other; a line each.
async fn once_all(
    clients: &[Client],
    store: Arc<dyn Store>,
    departments: Vec<crate::escalate::department::Department>,
) -> anyhow::Result<i32> {
    let (tx, rx) = std_mpsc::channel();
    let (events, mut events_rx) = tokio::sync::mpsc::unbounded_channel();
    let (outbox, _outbox_rx) = tokio::sync::mpsc::unbounded_channel();
    let thread = writer::spawn(store.clone(), rx, events, outbox);
    let replies = store.load_replies()?;
    let mut code = 0;
    for c in clients {
        let t = once(c, store.as_ref(), &tx, &mut events_rx, &replies).await;
        // A reply of unknown fate fails the run once, when it is first reported: then it
        // waits for the moderator's choice, and cron stays quiet.
        if t.problem.is_some() || t.failed > 0 || !t.news.is_empty() {
            code = 1;
        }
        println!("sync: {}: {t}", c.name());
        for n in &t.news {
            println!("sync: {}: {n}", c.name());
        }
    }
    if !departments.is_empty() {
        let mut w =
            crate::escalate::worker::Worker::new(store.clone(), tx.clone(), None, departments);
        let (sent, failed, waiting) = w.drain_once().await;
        if failed > 0 {
            code = 1;
        }
        let wait = if waiting > 0 {
            format!(", {waiting} waiting")
        } else {
            String::new()
        };
        println!("sync: escalations: {sent} delivered, {failed} failed{wait}");
    }
    drop(tx);
    let _ = tokio::task::spawn_blocking(move || thread.join()).await;
    Ok(code)
}

async fn once(
    c: &Client,
    store: &dyn Store,
    tx: &std_mpsc::Sender<StoreOp>,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    replies: &[crate::model::Reply],
) -> Tally {
    let mut t = Tally::default();
    let name = c.name().to_string();
    let cursor = store.meta_get(&cursor_key(&name)).ok().flatten();
    match c.backfill(cursor).await {
        Ok(page) => {
            let now = now_millis();
            let mut ops = Vec::new();
            let mut batch = Vec::new();
            for (raw, to) in page.mentions {
                let m = crate::ingest::prepare(&raw, now);
                if let Ok(j) = serde_json::to_string(&to) {
                    ops.push(StoreOp::Meta(reply_ref_key(&m.id), j));
                }
                batch.push(m);
            }
            ops.push(StoreOp::Ingest(batch));
            if let Some(cur) = page.cursor {
                ops.push(StoreOp::Meta(cursor_key(&name), cur));
            }
            let (done, wait) = std_mpsc::channel();
            ops.push(StoreOp::Flush(done));
            for op in ops {
                let _ = tx.send(op);
            }
            let _ = tokio::task::spawn_blocking(move || wait.recv()).await;
            while let Ok(e) = events.try_recv() {
                t.new += usize::from(matches!(e, Event::MentionArrived(_)));
            }
        }
        Err(e) => t.problem = Some(e.to_string()),
    }
    let mut cfg = WorkerConfig::default();
    for r in crate::outbox::unfinished(replies)
        .into_iter()
        .filter(|r| r.source == name)
    {
        // The server asked to wait: a later run sends it (cron must not hang here). What
        // follows it waits too, so replies go out in order.
        if crate::outbox::wait_left(&r, now_millis()).is_some() || t.waiting > 0 {
            t.waiting += 1;
            continue;
        }
        let Some(done) = c.deliver(store, tx, r, &mut cfg).await else {
            break;
        };
        count(&mut t, &done.state);
        if done.state == ReplyState::Unknown {
            let key = reported_key(&done.id);
            if store.meta_get(&key).ok().flatten().is_none() {
                t.news.push(unknown_news(store, &done));
                let _ = tx.send(StoreOp::Meta(key, now_millis().to_string()));
            }
        }
        let (ack, wait) = std_mpsc::channel();
        let _ = tx.send(StoreOp::ReplyResult(Box::new(done)));
        let _ = tx.send(StoreOp::Flush(ack));
        let _ = tokio::task::spawn_blocking(move || wait.recv()).await;
    }
    t
}

/// Where `modq sync` notes that it reported a reply of unknown fate.
fn reported_key(reply: &str) -> String {
    format!("unknown-reported:{reply}")
}

/// One line that says which reply, why its fate is unknown, and what to do.
fn unknown_news(store: &dyn Store, r: &crate::model::Reply) -> String {
    let to = store
        .meta_get(&reply_ref_key(&r.mention_id))
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str::<crate::sources::adapter::ReplyRef>(&j).ok())
        .map(|to| format!(" to @{}", to.handle.trim_start_matches('@')))
        .unwrap_or_default();
    let why = r
        .delivery
        .note
        .as_deref()
        .unwrap_or("the network did not say whether it was posted");
    format!(
        "reply {id}{to} may or may not be on the network ({why}). Check the thread there, then \
         run one of: modq outbox resend {id} (again, with the same key) | modq outbox mark-sent \
         {id} | modq outbox discard {id} (or R on the mention in the console). Reported once; \
         later runs look it up again quietly.",
        id = r.id
    )
}

fn count(t: &mut Tally, s: &ReplyState) {
    match s {
        ReplyState::Sent => t.sent += 1,
        ReplyState::Failed(_) => t.failed += 1,
        ReplyState::Unknown => t.unknown += 1,
        ReplyState::Queued | ReplyState::Sending => {}
    }
}

/// The engine without the console; a summary a minute until SIGINT or SIGTERM.
async fn forever(
    clients: Vec<Client>,
    store: Arc<dyn Store>,
    departments: Vec<crate::escalate::department::Department>,
) -> anyhow::Result<i32> {
    let plan = crate::runtime::Plan {
        accounts: clients,
        departments,
        ..Default::default()
    };
    let mut engine = crate::runtime::Engine::start_with(store, plan)?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    loop {
        tokio::select! {
            Some(e) = engine.events_rx.recv() => match e {
                Event::MentionArrived(m) => tallies.entry(m.source.clone()).or_default().new += 1,
                Event::ReplySent(r) | Event::ReplyFailed(r) | Event::ReplyUpdated(r) => {
                    count(tallies.entry(r.source.clone()).or_default(), &r.state)
                }
                Event::Source { name, state } => {
                    tallies.entry(name).or_default().problem = match state {
                        crate::model::SourceState::Down { reason } => Some(reason),
                        _ => None,
                    }
                }
                _ => {}
            },
            _ = tick.tick() => {
                for (name, t) in std::mem::take(&mut tallies) {
                    println!("sync: {name}: {t}");
                }
            }
            _ = sigterm.recv() => break,
            _ = sigint.recv() => break,
        }
    }
    for (name, t) in tallies {
        println!("sync: {name}: {t}");
    }
    engine.flush();
    Ok(0)
}
