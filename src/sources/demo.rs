//! The embedded demo stream: a bundled set of mentions written for modq, replayed at a steady
//! rate with its bursts sped up, so a newcomer sees a live queue with no account or network.

use std::time::Duration;

use serde::Deserialize;
use tokio::sync::mpsc::Sender;

use super::{RawMention, SourceMsg};
use crate::model::SourceState;
use crate::model::{now_millis, Millis, Network};

use crate::model::DEMO_SOURCE as SOURCE;
const CURSOR_KEY: &str = "demo.cursor";
const DATA: &str = include_str!("demo_mentions.jsonl");

#[derive(Debug, Clone, Deserialize)]
pub struct DemoAuthor {
    pub name: String,
    pub handle: String,
    pub followers: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DemoLine {
    pub id: String,
    pub network: Network,
    pub lang: String,
    pub author: DemoAuthor,
    pub text: String,
    pub kind: String,
    pub sentiment: String,
    pub topic: String,
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub ago_min: Option<i64>,
    #[serde(default)]
    pub burst: Option<String>,
}

/// The bundled lines. The file is tested, so a bad line is a build-time bug; skip it anyway.
pub fn lines() -> Vec<DemoLine> {
    DATA.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| match serde_json::from_str(l) {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::error!("demo data: skipping a bad line: {e}");
                None
            }
        })
        .collect()
}

/// The n-th mention of the endless replay: the data set over and over, each round with
/// fresh ids so it never collides with the last.
pub fn raw_at(lines: &[DemoLine], n: u64, created: Millis) -> RawMention {
    let len = lines.len().max(1) as u64;
    let round = n / len;
    let line = &lines[(n % len) as usize];
    let suffix = |id: &str| {
        if round == 0 {
            id.to_string()
        } else {
            format!("{id}.{round}")
        }
    };
    RawMention {
        source: SOURCE.into(),
        network: line.network,
        remote_id: suffix(&line.id),
        author_name: line.author.name.clone(),
        author_handle: line.author.handle.clone(),
        followers: line.author.followers,
        text: line.text.clone(),
        lang: Some(line.lang.clone()),
        created,
        in_reply_to: line.reply_to.as_deref().map(suffix),
        url: None,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct DemoConfig {
    /// Mentions per second; 0 shows the backlog only.
    pub rate: f64,
    /// Bursts replay this many times faster.
    pub burst_speedup: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            rate: 0.5,
            burst_speedup: 6.0,
        }
    }
}

impl DemoConfig {
    /// How long the stream waits before emitting `line` (`rate` > 0): bursts come faster.
    pub fn gap(&self, line: &DemoLine) -> Duration {
        let base = Duration::from_secs_f64(1.0 / self.rate);
        if line.burst.is_some() {
            base.div_f64(self.burst_speedup.max(1.0))
        } else {
            base
        }
    }
}

/// Runs until the receiver is gone. `cursor` is how many were emitted before (from the store).
pub async fn run(cfg: DemoConfig, cursor: Option<String>, tx: Sender<SourceMsg>) {
    let lines = lines();
    if lines.is_empty() {
        return;
    }
    let status = |state| SourceMsg::Status {
        source: SOURCE.into(),
        state,
    };
    let mut n: u64 = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
    let start = now_millis();
    if n == 0 {
        // First start: the backlog, with its ages, so some are already near or past the SLA.
        for line in lines.iter().take_while(|l| l.ago_min.is_some()) {
            let created = start - line.ago_min.unwrap_or(0) * 60_000;
            let raw = raw_at(&lines, n, created);
            if tx.send(SourceMsg::Mention(Box::new(raw))).await.is_err() {
                return;
            }
            n += 1;
        }
        let _ = tx
            .send(SourceMsg::Cursor {
                key: CURSOR_KEY.into(),
                value: n.to_string(),
            })
            .await;
    }
    if cfg.rate <= 0.0 {
        let _ = tx
            .send(status(SourceState::Idle {
                detail: "demo paused (--rate 0)".into(),
            }))
            .await;
        return;
    }
    let _ = tx
        .send(status(SourceState::Live {
            detail: format!("demo {}/s", cfg.rate),
        }))
        .await;
    loop {
        let line = &lines[(n % lines.len() as u64) as usize];
        tokio::time::sleep(cfg.gap(line)).await;
        let raw = raw_at(&lines, n, now_millis());
        n += 1;
        if tx.send(SourceMsg::Mention(Box::new(raw))).await.is_err() {
            return;
        }
        let cursor = SourceMsg::Cursor {
            key: CURSOR_KEY.into(),
            value: n.to_string(),
        };
        if tx.send(cursor).await.is_err() {
            return;
        }
    }
}

pub const CURSOR: &str = CURSOR_KEY;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn bundled_data_is_complete() {
        let lines = lines();
        assert_eq!(
            lines.len(),
            DATA.lines().filter(|l| !l.trim().is_empty()).count()
        );
        assert!(lines.len() >= 300, "{} lines", lines.len());
        let mut langs: HashMap<&str, usize> = HashMap::new();
        for l in &lines {
            *langs.entry(l.lang.as_str()).or_default() += 1;
        }
        for lang in ["en", "pl", "ru", "tr", "bg"] {
            assert!(
                langs.get(lang).copied().unwrap_or(0) >= 30,
                "{lang}: {langs:?}"
            );
        }
        let followers: Vec<u64> = lines.iter().map(|l| l.author.followers).collect();
        assert_eq!(followers.iter().min(), Some(&12));
        assert_eq!(followers.iter().max(), Some(&2_000_000));
        let ids: HashSet<&str> = lines.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids.len(), lines.len());
        for l in &lines {
            if let Some(r) = &l.reply_to {
                assert!(ids.contains(r.as_str()), "{} replies to unknown {r}", l.id);
            }
        }
        assert!(lines.iter().filter(|l| l.reply_to.is_some()).count() >= 20);
        assert!(lines.iter().filter(|l| l.burst.is_some()).count() >= 15);
        for kind in ["complaint", "question", "praise", "spam", "political"] {
            assert!(lines.iter().any(|l| l.kind == kind), "no {kind}");
        }
    }

    #[test]
    fn later_rounds_get_fresh_ids_and_keep_threads() {
        let lines = lines();
        let n = lines.len() as u64;
        let i = lines.iter().position(|l| l.reply_to.is_some()).unwrap() as u64;
        let first = raw_at(&lines, i, 0);
        let again = raw_at(&lines, n + i, 0);
        assert_ne!(first.remote_id, again.remote_id);
        assert_eq!(
            again.in_reply_to,
            first.in_reply_to.map(|r| format!("{r}.1"))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn replays_backlog_then_streams_at_the_rate() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let cfg = DemoConfig {
            rate: 2.0,
            burst_speedup: 6.0,
        };
        let task = tokio::spawn(run(cfg, None, tx));
        let backlog = lines().iter().take_while(|l| l.ago_min.is_some()).count();
        let mut mentions = 0;
        while mentions < backlog {
            if let Some(SourceMsg::Mention(_)) = rx.recv().await {
                mentions += 1;
            }
        }
        // Paused clock: each further mention needs the virtual clock to advance.
        let before = tokio::time::Instant::now();
        loop {
            if let Some(SourceMsg::Mention(_)) = rx.recv().await {
                break;
            }
        }
        assert!(tokio::time::Instant::now() - before >= Duration::from_millis(400));
        task.abort();
    }
}
