//! `modq export`: mentions, replies or the audit log as CSV (RFC 4180, with a header) or
//! JSON lines, streamed record by record from a copy of the store, so an export of any size
//! costs the memory of one record. [`Snapshot`] is also how `modq stats` and `modq handover`
//! read the store without changing it.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::{AuditEntry, Mention, Millis, Reply, ReplyState};
use crate::sources::net::format_time;
use crate::stats::Window;
use crate::store::record::Record;

/// A read-only copy of the store, removed when dropped. Sled lets one program open a store
/// at a time, so a store a console is using cannot be read: [`Snapshot::open`] says so.
pub struct Snapshot {
    opened: crate::store::recover::Opened,
}

impl Snapshot {
    pub fn open(store_dir: &Path) -> Result<Self, String> {
        if crate::store::recover::in_use(store_dir) {
            return Err(format!(
                "the store in {} is in use by a running modq, and sled lets only one program \
                 open it at a time (nothing was read or changed). The same figures are in that \
                 console: press S (stats) or B (hand-over); or quit it and run this again",
                store_dir.display()
            ));
        }
        Ok(Self {
            opened: crate::store::recover::open_copy(store_dir)?,
        })
    }

    /// Calls `each` with every readable record of `tree`, in the store's order; returns how
    /// many could not be read (left out, and logged).
    pub fn each<T: Record>(
        &self,
        tree: &str,
        mut each: impl FnMut(T) -> Result<(), String>,
    ) -> Result<usize, String> {
        let t = self.opened.db.open_tree(tree).map_err(|e| e.to_string())?;
        let mut bad = 0;
        for item in t.iter() {
            let (_, v) = item.map_err(|e| format!("reading {tree}: {e}"))?;
            match T::decode(&v) {
                Ok(r) => each(r)?,
                Err(e) => {
                    tracing::warn!("{tree}: unreadable record left out: {e}");
                    bad += 1;
                }
            }
        }
        Ok(bad)
    }

    pub fn load<T: Record>(&self, tree: &str) -> Result<Vec<T>, String> {
        let mut out = Vec::new();
        self.each(tree, |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    pub fn meta(&self, key: &str) -> Option<String> {
        let t = self.opened.db.open_tree("meta").ok()?;
        let v = t.get(key.as_bytes()).ok()??;
        Some(String::from_utf8_lossy(&v).into_owned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Mentions,
    Replies,
    Audit,
}

/// A mention as one CSV row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionRow {
    pub id: String,
    pub source: String,
    pub network: String,
    /// UTC, RFC 3339.
    pub created: String,
    pub received: String,
    pub handle: String,
    pub name: String,
    pub followers: u64,
    pub lang: String,
    pub sentiment: String,
    pub score: f32,
    pub state: String,
    /// Care cues, `;` between them.
    pub cues: String,
    pub in_reply_to: String,
    pub url: String,
    pub text: String,
}

impl From<&Mention> for MentionRow {
    fn from(m: &Mention) -> Self {
        Self {
            id: m.id.clone(),
            source: m.source.clone(),
            network: m.network.name().into(),
            created: format_time(m.created),
            received: format_time(m.received),
            handle: m.author.handle.clone(),
            name: m.author.name.clone(),
            followers: m.author.followers,
            lang: m.lang.clone(),
            sentiment: m.sentiment.label.name().into(),
            score: m.sentiment.score,
            state: m.state.name().into(),
            cues: m
                .cues
                .iter()
                .map(|c| c.tag.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            in_reply_to: m.in_reply_to.clone().unwrap_or_default(),
            url: m.url.clone().unwrap_or_default(),
            text: m.text.clone(),
        }
    }
}

/// A reply (or like) as one CSV row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyRow {
    pub id: String,
    pub mention: String,
    pub source: String,
    pub created: String,
    /// Empty until it is sent.
    pub sent: String,
    pub state: String,
    /// Why it failed, when it did.
    pub reason: String,
    pub private: bool,
    pub like: bool,
    pub text: String,
}

impl From<&Reply> for ReplyRow {
    fn from(r: &Reply) -> Self {
        let (state, reason) = match &r.state {
            ReplyState::Queued => ("queued", ""),
            ReplyState::Sending => ("sending", ""),
            ReplyState::Sent => ("sent", ""),
            ReplyState::Failed(why) => ("failed", why.as_str()),
            ReplyState::Unknown => ("unknown", ""),
        };
        Self {
            id: r.id.clone(),
            mention: r.mention_id.clone(),
            source: r.source.clone(),
            created: format_time(r.created),
            sent: r.sent.map(format_time).unwrap_or_default(),
            state: state.into(),
            reason: reason.into(),
            private: r.private,
            like: crate::outbox::is_like(r),
            text: r.text.clone(),
        }
    }
}

/// An audit entry as one CSV row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub mention: String,
    pub detail: String,
}

impl From<&AuditEntry> for AuditRow {
    fn from(e: &AuditEntry) -> Self {
        Self {
            at: format_time(e.at),
            actor: e.actor.clone(),
            action: e.action.clone(),
            mention: e.mention.clone().unwrap_or_default(),
            detail: e.detail.clone(),
        }
    }
}

/// The CSV header of each kind of row (as serialising a row writes it).
pub fn header(what: What) -> &'static [&'static str] {
    match what {
        What::Mentions => &[
            "id",
            "source",
            "network",
            "created",
            "received",
            "handle",
            "name",
            "followers",
            "lang",
            "sentiment",
            "score",
            "state",
            "cues",
            "in_reply_to",
            "url",
            "text",
        ],
        What::Replies => &[
            "id", "mention", "source", "created", "sent", "state", "reason", "private", "like",
            "text",
        ],
        What::Audit => &["at", "actor", "action", "mention", "detail"],
    }
}

/// Writes one record at a time: a CSV row, or the record as the store holds it as JSON.
enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> Sink<W> {
    fn new(format: Format, out: W) -> Self {
        match format {
            Format::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
            Format::Jsonl => Sink::Jsonl(out),
        }
    }

    fn write<R: Serialize, Row: Serialize>(&mut self, record: &R, row: Row) -> Result<(), String> {
        match self {
            Sink::Csv(w) => w.serialize(row).map_err(|e| e.to_string()),
            Sink::Jsonl(w) => {
                serde_json::to_writer(&mut *w, record).map_err(|e| e.to_string())?;
                w.write_all(b"\n").map_err(|e| e.to_string())
            }
        }
    }

    /// A CSV export of nothing still has its header, for the spreadsheet that reads it.
    fn finish(self, what: What, rows: usize) -> Result<(), String> {
        match self {
            Sink::Csv(mut w) => {
                if rows == 0 {
                    w.write_record(header(what)).map_err(|e| e.to_string())?;
                }
                w.flush().map_err(|e| e.to_string())
            }
            Sink::Jsonl(mut w) => w.flush().map_err(|e| e.to_string()),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub rows: usize,
    /// Records that could not be read, left out.
    pub unreadable: usize,
}

/// Streams `what` within `window` (none: everything) to `out`. Mentions are in the window
/// by when they were posted, replies by when they were written, audit entries by their time.
pub fn export<W: Write>(
    snap: &Snapshot,
    what: What,
    format: Format,
    window: Option<Window>,
    out: W,
) -> Result<Written, String> {
    let inside = |t: Millis| window.is_none_or(|w| t >= w.from && t < w.to);
    let mut sink = Sink::new(format, out);
    let mut rows = 0;
    let unreadable = match what {
        What::Mentions => snap.each("mentions", |m: Mention| {
            if !inside(m.created) {
                return Ok(());
            }
            rows += 1;
            sink.write(&m, MentionRow::from(&m))
        })?,
        What::Replies => snap.each("replies", |r: Reply| {
            if !inside(r.created) {
                return Ok(());
            }
            rows += 1;
            sink.write(&r, ReplyRow::from(&r))
        })?,
        What::Audit => snap.each("audit", |e: AuditEntry| {
            if !inside(e.at) {
                return Ok(());
            }
            rows += 1;
            sink.write(&e, AuditRow::from(&e))
        })?,
    };
    sink.finish(what, rows)?;
    Ok(Written { rows, unreadable })
}

/// `modq export`: to stdout, buffered; the count goes to stderr.
pub fn run(
    store_dir: &Path,
    what: What,
    format: Format,
    window: Option<Window>,
) -> anyhow::Result<i32> {
    let snap = Snapshot::open(store_dir).map_err(anyhow::Error::msg)?;
    let stdout = std::io::stdout().lock();
    let w = export(
        &snap,
        what,
        format,
        window,
        std::io::BufWriter::with_capacity(64 * 1024, stdout),
    )
    .map_err(anyhow::Error::msg)?;
    eprintln!(
        "modq: exported {} rows{}",
        w.rows,
        if w.unreadable > 0 {
            format!(" ({} unreadable records left out)", w.unreadable)
        } else {
            String::new()
        }
    );
    Ok(0)
}
