//! Network faults on tokio's paused clock, so minutes of outage take milliseconds and no
//! assertion depends on how fast this machine is: a Mastodon server whose stream refuses
//! connections (503) or goes silent while its REST side answers and mentions keep coming,
//! and a Bluesky service that fails for half an hour and then answers again. The same loops
//! modq runs (`stream::run_live`, `feed::poll`) drive them; the real HTTP path of an outage
//! is in tests/networks.rs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use modq::model::{Network, SourceState};
use modq::outbox::backoff::Backoff;
use modq::sources::adapter::{Adapter, Outgoing, Page, ReplyRef};
use modq::sources::feed;
use modq::sources::mastodon::stream::{self, Events, Live, StreamConfig};
use modq::sources::mastodon::{to_raw, Notification};
use modq::sources::net::NetError;
use modq::sources::{RawMention, SourceMsg};
use modq::store::writer::{self, StoreOp};
use modq::store::{SledStore, Store};
use tokio::sync::mpsc;
use tokio::time::Instant;

const SECOND: Duration = Duration::from_secs(1);

fn unavailable() -> NetError {
    NetError::Retry {
        reason: "503: Service Unavailable".into(),
        after: None,
        ambiguous: false,
    }
}

// ---------------------------------------------------------------- a simulated Mastodon

/// A mention notification as the server sends it, shaped like the network's documentation.
fn notification(id: u64) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/mastodon/mention.json")).unwrap();
    v["id"] = id.to_string().into();
    v["status"]["id"] = (100_000 + id).to_string().into();
    v["status"]["content"] = format!("<p>@brand order {id} never came</p>").into();
    v
}

/// The server's end of one open stream.
type Wire = mpsc::UnboundedSender<Result<Vec<u8>, String>>;

#[derive(Default)]
struct Server {
    /// Every mention posted so far, by notification id, with when it was posted.
    posted: Vec<(u64, Instant)>,
    /// Open streams; a stalled one is kept open and sent nothing.
    streams: Vec<(Wire, bool)>,
    /// The streaming endpoint answers 503 until this time.
    down_until: Option<Instant>,
    /// Stream attempts: when, and whether they connected.
    opens: Vec<(Instant, bool)>,
    /// When each REST request was made.
    rest_calls: Vec<Instant>,
}

/// The server's side of the scenario, shared by the loop under test and the scenario tasks.
#[derive(Clone, Default)]
struct Sim(Arc<Mutex<Server>>);

impl Sim {
    fn post(&self, id: u64) {
        let mut s = self.0.lock().unwrap();
        s.posted.push((id, Instant::now()));
        let ev = format!("event: notification\ndata: {}\n\n", notification(id)).into_bytes();
        s.streams
            .retain(|(tx, stalled)| *stalled || tx.send(Ok(ev.clone())).is_ok());
    }

    fn heartbeat(&self) {
        let mut s = self.0.lock().unwrap();
        s.streams
            .retain(|(tx, stalled)| *stalled || tx.send(Ok(b":thump\n\n".to_vec())).is_ok());
    }

    /// The streaming server fails: open streams break, new ones get 503 for `for_how_long`.
    fn outage(&self, for_how_long: Duration) {
        let mut s = self.0.lock().unwrap();
        for (tx, _) in s.streams.drain(..) {
            let _ = tx.send(Err("connection reset by peer".into()));
        }
        s.down_until = Some(Instant::now() + for_how_long);
    }

    /// Open streams stay open and say nothing more, heartbeats included.
    fn stall(&self) {
        for (_, stalled) in self.0.lock().unwrap().streams.iter_mut() {
            *stalled = true;
        }
    }
}

impl Live for Sim {
    fn source(&self) -> &str {
        "masto"
    }

    async fn open(&self, _tx: &mpsc::Sender<SourceMsg>) -> Result<Events, NetError> {
        // A connection takes a moment, as it would.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut s = self.0.lock().unwrap();
        let now = Instant::now();
        if s.down_until.is_some_and(|t| now < t) {
            s.opens.push((now, false));
            return Err(unavailable());
        }
        s.opens.push((now, true));
        let (tx, rx) = mpsc::unbounded_channel();
        s.streams.push((tx, false));
        Ok(Box::pin(futures_util::stream::unfold(rx, |mut rx| async {
            rx.recv().await.map(|item| (item, rx))
        })))
    }

    /// `GET /api/v1/notifications?types[]=mention&min_id=…`, paged forward 80 at a time until
    /// empty, each page a request of 100 ms.
    async fn backfill(&self, cursor: Option<String>) -> Result<Page, NetError> {
        let mut from: u64 = cursor.as_deref().map_or(0, |c| c.parse().unwrap());
        let mut page = Page {
            cursor: cursor.clone(),
            ..Default::default()
        };
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let batch: Vec<u64> = {
                let mut s = self.0.lock().unwrap();
                s.rest_calls.push(Instant::now());
                let mut ids: Vec<u64> = s
                    .posted
                    .iter()
                    .map(|(id, _)| *id)
                    .filter(|id| *id > from)
                    .collect();
                ids.sort();
                ids.truncate(80);
                ids
            };
            let Some(&newest) = batch.last() else {
                return Ok(page);
            };
            for id in batch {
                let n: Notification = serde_json::from_value(notification(id)).unwrap();
                page.mentions.push(to_raw("masto", &n).unwrap());
            }
            from = newest;
            page.cursor = Some(newest.to_string());
        }
    }
}

/// The console's side: every message the source sends, mentions stored as the writer does.
struct Console {
    store: SledStore,
    /// Notification id (from the status id) → when it was first stored.
    arrived: HashMap<u64, Instant>,
    states: Vec<(Instant, SourceState)>,
}

impl Console {
    fn new() -> Self {
        Console {
            store: SledStore::temporary().unwrap(),
            arrived: HashMap::new(),
            states: Vec::new(),
        }
    }

    fn take(&mut self, msg: SourceMsg) {
        match msg {
            SourceMsg::Mention(raw) => {
                let m = modq::ingest::prepare(&raw, modq::model::now_millis());
                let out = writer::apply(&self.store, vec![StoreOp::Ingest(vec![m])]);
                if !out.events.is_empty() {
                    let id: u64 = raw.remote_id.parse::<u64>().unwrap() - 100_000;
                    assert!(self.arrived.insert(id, Instant::now()).is_none());
                }
            }
            SourceMsg::Status { state, .. } => self.states.push((Instant::now(), state)),
            SourceMsg::Cursor { .. } | SourceMsg::Limits { .. } => {}
        }
    }
}

/// What a scenario did, for its assertions.
struct Run {
    sim: Sim,
    console: Console,
    t0: Instant,
}

/// Starts the loop with modq's own timings (45 s silence, 15 s polls, 30 s cap) against the
/// simulated server, runs `scenario` beside it, and reads until `done` or `limit` passes.
async fn run_mastodon<F>(
    scenario: impl FnOnce(Sim, Instant) -> F,
    limit: Duration,
    done: impl Fn(&Console, Instant) -> bool,
) -> Run
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let sim = Sim::default();
    let t0 = Instant::now();
    let (tx, mut rx) = mpsc::channel(64);
    let cfg = StreamConfig {
        backoff: Backoff::seeded(SECOND, Duration::from_secs(300), 11),
        ..Default::default()
    };
    let live = sim.clone();
    let looping = tokio::spawn(async move { stream::run_live(&live, None, tx, cfg).await });
    // The server's heartbeat, every 15 s.
    let beat = sim.clone();
    let heart = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(15)).await;
            beat.heartbeat();
        }
    });
    let play = tokio::spawn(scenario(sim.clone(), t0));
    let mut console = Console::new();
    while !done(&console, t0) {
        match tokio::time::timeout_at(t0 + limit, rx.recv()).await {
            Ok(Some(msg)) => console.take(msg),
            Ok(None) => panic!("the source stopped"),
            Err(_) => break,
        }
    }
    looping.abort();
    heart.abort();
    play.abort();
    Run { sim, console, t0 }
}

/// A stream outage of `outage` with REST up while 1 000 mentions arrive evenly across it.
async fn outage_with_rest_up(outage: Duration) {
    const N: u64 = 1000;
    let start = Duration::from_secs(60);
    let scenario = move |sim: Sim, t0: Instant| async move {
        tokio::time::sleep_until(t0 + start).await;
        sim.outage(outage);
        for id in 1..=N {
            tokio::time::sleep_until(t0 + start + outage.mul_f64(id as f64 / N as f64)).await;
            sim.post(id);
        }
    };
    let end = start + outage;
    let limit = end + Duration::from_secs(120);
    // Until every mention is in and the stream is back.
    let done = move |c: &Console, t0: Instant| {
        c.arrived.len() as u64 == N
            && c.states.iter().any(|(at, s)| {
                *at > t0 + end
                    && *s
                        == SourceState::Live {
                            detail: "streaming".into(),
                        }
            })
    };
    let r = run_mastodon(scenario, limit, done).await;
    let server = r.sim.0.lock().unwrap();

    // Every mention in the store, exactly once.
    assert_eq!(
        r.console.arrived.len() as u64,
        N,
        "stored {}",
        r.console.arrived.len()
    );
    assert_eq!(r.console.store.mention_count(), N as usize);
    // Promptly: none waits longer than one poll (15 s) and its requests; all within a minute.
    let lateness: Vec<Duration> = server
        .posted
        .iter()
        .map(|(id, at)| r.console.arrived[id] - *at)
        .collect();
    let worst = lateness.iter().max().unwrap();
    assert!(
        *worst <= Duration::from_secs(17),
        "a mention waited {worst:?}"
    );
    let last = r.console.arrived.values().max().unwrap();
    assert!(*last - r.t0 <= end + Duration::from_secs(60));
    // The stream is back within 30 s (+ one connection) of the server's recovery.
    let back = server
        .opens
        .iter()
        .find(|(at, ok)| *ok && *at - r.t0 > start)
        .map(|(at, _)| *at - r.t0);
    let back = back.expect("the stream never came back");
    assert!(
        back >= end && back <= end + Duration::from_secs(32),
        "reconnected {:?} after the outage",
        back.checked_sub(end)
    );
    // Within the server's budget (300 requests in 5 minutes), stream attempts included.
    let mut asked: Vec<Instant> = server.rest_calls.clone();
    asked.extend(server.opens.iter().map(|(at, _)| *at));
    asked.sort();
    let busiest = (0..asked.len())
        .map(|i| {
            asked[i..]
                .iter()
                .take_while(|t| **t - asked[i] < Duration::from_secs(300))
                .count()
        })
        .max()
        .unwrap();
    assert!(busiest <= 300, "{busiest} requests in 5 minutes");
    // And the moderator is told mentions still come while the stream is down.
    assert!(r.console.states.iter().any(|(_, s)| matches!(
        s,
        SourceState::Live { detail } if detail.starts_with("polling (")
    )));
}

#[tokio::test(start_paused = true)]
async fn a_10_second_stream_outage_loses_and_doubles_nothing() {
    outage_with_rest_up(Duration::from_secs(10)).await;
}

#[tokio::test(start_paused = true)]
async fn a_10_minute_stream_outage_keeps_mentions_coming_over_rest() {
    outage_with_rest_up(Duration::from_secs(600)).await;
}

#[tokio::test(start_paused = true)]
async fn streaming_refused_from_the_start_still_fills_the_queue() {
    // As reported: 503 from the first connection, 40 mentions waiting.
    let scenario = |sim: Sim, _t0: Instant| async move {
        sim.outage(Duration::from_secs(3600));
        for id in 1..=40 {
            sim.post(id);
        }
    };
    let r = run_mastodon(scenario, Duration::from_secs(60), |c, _| {
        c.arrived.len() == 40
    })
    .await;
    assert_eq!(r.console.arrived.len(), 40);
    let last = *r.console.arrived.values().max().unwrap() - r.t0;
    assert!(
        last < Duration::from_secs(5),
        "the queue filled after {last:?}"
    );
    let server = r.sim.0.lock().unwrap();
    assert!(server.opens.iter().all(|(_, ok)| !ok));
}

#[tokio::test(start_paused = true)]
async fn a_silent_stream_is_noticed_within_45_seconds_and_nothing_is_lost() {
    let stall_at = Duration::from_secs(100);
    let scenario = move |sim: Sim, t0: Instant| async move {
        sim.post(1);
        tokio::time::sleep_until(t0 + stall_at).await;
        sim.stall();
        // Posted into the silence: only a backfill can bring it.
        tokio::time::sleep(Duration::from_secs(5)).await;
        sim.post(2);
    };
    let r = run_mastodon(scenario, Duration::from_secs(300), |c, _| {
        c.arrived.len() == 2
    })
    .await;
    let silent = r
        .console
        .states
        .iter()
        .find(|(_, s)| matches!(s, SourceState::Down { reason } if reason.contains("went silent")))
        .map(|(at, _)| *at - r.t0)
        .expect("the silence was never noticed");
    // Heartbeats every 15 s kept the healthy stream up until then.
    assert!(
        silent > stall_at,
        "a healthy stream was dropped at {silent:?}"
    );
    assert!(
        silent <= stall_at + Duration::from_secs(45),
        "noticed {:?} after it went silent",
        silent - stall_at
    );
    assert_eq!(r.console.arrived.len(), 2);
    let second = r.console.arrived[&2] - r.t0;
    assert!(second <= silent + Duration::from_secs(2), "{second:?}");
    assert_eq!(r.console.store.mention_count(), 2);
}

// ---------------------------------------------------------------- a simulated Bluesky

/// A service that fails until `up_at`, then answers with every mention posted since.
struct Sky {
    up_at: Instant,
    posted: Mutex<Vec<(u64, Instant)>>,
    calls: Mutex<Vec<Instant>>,
    error: NetError,
}

impl Adapter for Sky {
    async fn backfill(&self, cursor: Option<String>) -> Result<Page, NetError> {
        self.calls.lock().unwrap().push(Instant::now());
        if Instant::now() < self.up_at {
            return Err(self.error.clone());
        }
        let from: u64 = cursor.as_deref().map_or(0, |c| c.parse().unwrap());
        let ids: Vec<u64> = self
            .posted
            .lock()
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| *id > from)
            .collect();
        Ok(Page {
            cursor: ids.last().map(|id| id.to_string()).or(cursor),
            mentions: ids
                .iter()
                .map(|id| {
                    let raw = RawMention {
                        source: "sky".into(),
                        network: Network::Bluesky,
                        remote_id: format!("at://did:plc:kim/app.bsky.feed.post/{id}"),
                        author_name: "Kim".into(),
                        author_handle: "@kim.bsky.social".into(),
                        followers: 0,
                        text: format!("@brand parcel {id} lost"),
                        lang: Some("en".into()),
                        created: 0,
                        in_reply_to: None,
                        url: None,
                    };
                    (raw, ReplyRef::default())
                })
                .collect(),
        })
    }

    async fn post(&self, _: &Outgoing) -> Result<String, NetError> {
        unreachable!("nothing is posted here")
    }

    async fn find_posted(&self, _: &Outgoing) -> Result<Option<String>, NetError> {
        unreachable!("nothing is posted here")
    }

    async fn whoami(&self) -> Result<String, NetError> {
        Ok("@brand.bsky.social".into())
    }
}

/// Polls with modq's own Bluesky timings; the service fails for `down`, a mention is posted
/// as it comes back. Returns when it arrived (after the recovery) and the calls made.
async fn sky_outage(down: Duration, error: NetError) -> (Duration, Vec<Duration>) {
    let t0 = Instant::now();
    let sky = Arc::new(Sky {
        up_at: t0 + down,
        posted: Mutex::new(Vec::new()),
        calls: Mutex::new(Vec::new()),
        error,
    });
    let (tx, mut rx) = mpsc::channel(16);
    let poller = sky.clone();
    let task = tokio::spawn(async move {
        let cfg = modq::sources::launch::bluesky_poll();
        feed::poll(poller.as_ref(), "sky", None, tx, cfg).await
    });
    tokio::time::sleep_until(t0 + down).await;
    sky.posted.lock().unwrap().push((1, Instant::now()));
    let arrived = loop {
        match tokio::time::timeout_at(t0 + down + Duration::from_secs(3600), rx.recv()).await {
            Ok(Some(SourceMsg::Mention(_))) => break Instant::now(),
            Ok(Some(_)) => {}
            other => panic!("no mention: {:?}", other.is_err()),
        }
    };
    task.abort();
    let calls = sky.calls.lock().unwrap().iter().map(|c| *c - t0).collect();
    (arrived - (t0 + down), calls)
}

#[tokio::test(start_paused = true)]
async fn bluesky_polling_resumes_within_a_minute_of_a_long_outage() {
    // Half an hour of 503s: the old backoff waited up to 10 minutes between tries by then.
    let (late, calls) = sky_outage(Duration::from_secs(1800), unavailable()).await;
    assert!(
        late <= Duration::from_secs(60),
        "the mention came {late:?} late"
    );
    // Still not hammering: at least 30 s between tries.
    for w in calls.windows(2) {
        assert!(w[1] - w[0] >= Duration::from_secs(30), "{calls:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn bluesky_waits_as_long_as_the_service_asks() {
    let limited = NetError::Retry {
        reason: "429: RateLimitExceeded".into(),
        after: Some(Duration::from_secs(300)),
        ambiguous: false,
    };
    let down = Duration::from_secs(900);
    let (_, calls) = sky_outage(down, limited).await;
    let failing: Vec<Duration> = calls.into_iter().filter(|c| *c < down).collect();
    assert!(failing.len() >= 3, "{failing:?}");
    for w in failing.windows(2) {
        assert!(w[1] - w[0] >= Duration::from_secs(300), "{failing:?}");
    }
    // A refused login backs off further than a failure the service recovers from.
    let mut cfg = modq::sources::launch::bluesky_poll();
    let refused = NetError::Auth("401: Invalid identifier or password".into());
    let longest = (0..30)
        .map(|n| cfg.failure_wait(n, &refused))
        .max()
        .unwrap();
    assert!(longest > Duration::from_secs(120), "{longest:?}");
    let longest = (0..30)
        .map(|n| cfg.failure_wait(n, &unavailable()))
        .max()
        .unwrap();
    assert!(longest <= Duration::from_secs(60), "{longest:?}");
}
