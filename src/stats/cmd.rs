//! `modq stats` and `modq handover`: read a copy of the store (never the one a console is
//! using), compute, print.

use std::path::Path;

use super::{Records, Settings, Window};
use crate::export::Snapshot;
use crate::model::{AuditEntry, Mention, Reply};

/// Everything the figures are computed from, read from the store.
pub struct Loaded {
    pub mentions: Vec<Mention>,
    pub replies: Vec<Reply>,
    pub audit: Vec<AuditEntry>,
}

impl Loaded {
    pub fn read(snap: &Snapshot) -> Result<Self, String> {
        Ok(Self {
            mentions: snap.load("mentions")?,
            replies: snap.load("replies")?,
            audit: snap.load("audit")?,
        })
    }

    pub fn from_store(store: &dyn crate::store::Store) -> Result<Self, String> {
        let e = |e: crate::store::StoreError| e.to_string();
        Ok(Self {
            mentions: store.load_mentions().map_err(e)?,
            replies: store.load_replies().map_err(e)?,
            audit: store.load_audit().map_err(e)?,
        })
    }

    pub fn records(&self) -> Records<'_> {
        Records {
            mentions: &self.mentions,
            replies: &self.replies,
            audit: &self.audit,
        }
    }
}

/// `modq stats`: the table, or JSON with `json`.
pub fn stats(
    store_dir: &Path,
    settings: &Settings,
    window: Window,
    json: bool,
) -> anyhow::Result<i32> {
    let snap = Snapshot::open(store_dir).map_err(anyhow::Error::msg)?;
    let loaded = Loaded::read(&snap).map_err(anyhow::Error::msg)?;
    let s = super::compute(loaded.records(), window, settings);
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print!("{}", super::text::render(&s, &settings.tz));
    }
    Ok(0)
}

/// The store's meta key where the console remembers the hand-over read: `<millis> <agent>`.
pub const DISMISSED: &str = "handover.dismissed";

/// A shift is at most this long: a hand-over read longer ago belongs to another shift.
pub const SHIFT: crate::model::Millis = 8 * 3_600_000;

/// The hand-over's window when none is given: since the hand-over was last read (the last
/// shift change), at most a day back; the last 12 hours when it never was.
pub fn handover_window(dismissed: Option<&str>, now: crate::model::Millis) -> Window {
    let since = dismissed
        .and_then(|d| {
            d.split_whitespace()
                .next()?
                .parse::<crate::model::Millis>()
                .ok()
        })
        .filter(|&t| t < now)
        .map_or(now - 12 * 3_600_000, |t| t.max(now - 24 * 3_600_000));
    Window {
        from: since,
        to: now,
    }
}

/// Whether the console shows the hand-over at start-up: there is something to hand over
/// (work logged since it was last read), and either someone else did it (a new moderator
/// takes over) or this moderator read it more than a shift ago (a new shift).
pub fn handover_due(
    dismissed: Option<&str>,
    agent: &str,
    now: crate::model::Millis,
    audit: &[AuditEntry],
) -> bool {
    let read_at = dismissed.and_then(|d| {
        d.split_whitespace()
            .next()?
            .parse::<crate::model::Millis>()
            .ok()
    });
    let since: Vec<&AuditEntry> = audit
        .iter()
        .filter(|e| read_at.is_none_or(|t| e.at > t))
        .collect();
    if since.is_empty() {
        return false;
    }
    since.iter().any(|e| e.actor != agent) || read_at.is_some_and(|t| now - t >= SHIFT)
}

/// `modq handover`: what the next moderator must know, as text or JSON.
pub fn handover(
    store_dir: &Path,
    settings: &Settings,
    names: &[String],
    window: Option<Window>,
    json: bool,
) -> anyhow::Result<i32> {
    let snap = Snapshot::open(store_dir).map_err(anyhow::Error::msg)?;
    let loaded = Loaded::read(&snap).map_err(anyhow::Error::msg)?;
    let now = crate::model::now_millis();
    let w = window.unwrap_or_else(|| handover_window(snap.meta(DISMISSED).as_deref(), now));
    let h = super::handover::compute(loaded.records(), w, now, settings, names);
    if json {
        println!("{}", serde_json::to_string_pretty(&h)?);
    } else {
        println!(
            "modq handover {} → {}\n",
            super::window::format(w.from, &settings.tz),
            super::window::format(w.to, &settings.tz)
        );
        for l in super::handover::lines(&h) {
            println!("{l}");
        }
    }
    Ok(0)
}
