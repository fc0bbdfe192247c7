//! The hand-over: what the next moderator must know when the shift changes. What is open by
//! band and how much of it is late, what breached, escalations still waiting, the spikes
//! seen, notes left for the next shift, and the authors who complained again and again.
//! Pure, like the figures: the clock, the window and the policy are given.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::category::{self, Category};
use super::{Records, Settings, Window};
use crate::model::{AuditEntry, Label, Mention, Millis};
use crate::sla::Pauses;
use crate::triage::priority;
use crate::triage::spike;

/// How many rows each list keeps: the pane and the command show the worst first.
const ROWS: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub band: String,
    pub open: usize,
    pub breached: usize,
}

/// One mention in a list: who, what about, and why it is listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub mention: String,
    pub handle: String,
    /// "34m over", "billing, 2h 10m ago", the note.
    pub why: String,
    /// The start of the mention's text (sanitised at ingest).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    pub window: Window,
    /// safety, negative, other: open now, and past target now.
    pub open_by_band: Vec<Band>,
    /// Open and past target now, most overdue first.
    pub breached_open: Vec<Item>,
    pub breached_open_count: usize,
    /// Mentions of the window answered or closed late, or still open past target.
    pub breached_in_window: usize,
    /// Escalated and not answered or closed since.
    pub escalations_waiting: Vec<Item>,
    /// Spikes of the window, as the console announced them (replayed).
    pub spikes: Vec<String>,
    /// Notes flagged for the next shift (see `category::Category::NextShiftNote`).
    pub notes: Vec<Item>,
    /// Authors with two or more negative mentions in the window: (handle, count).
    pub repeat_complainers: Vec<(String, usize)>,
}

fn band(m: &Mention) -> &'static str {
    match priority::band(m) {
        priority::Band::Safety => "safety",
        priority::Band::Negative => "negative",
        priority::Band::Rest => "other",
    }
}

fn item(m: Option<&Mention>, id: &str, why: String) -> Item {
    Item {
        mention: id.to_string(),
        handle: m.map_or_else(|| id.to_string(), |m| m.author.handle.clone()),
        why,
        text: m
            .map(|m| m.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .map(|t| t.chars().take(120).collect())
            .unwrap_or_default(),
    }
}

/// `names`: the brand and the accounts, never a spike's topic (as in the console).
pub fn compute(r: Records, w: Window, now: Millis, s: &Settings, names: &[String]) -> Handover {
    let mut audit: Vec<&AuditEntry> = r.audit.iter().filter(|e| e.at < w.to).collect();
    audit.sort_by_key(|e| e.at);
    let pauses = Pauses::from_audit(audit.iter().copied());
    let by_id: HashMap<&str, &Mention> = r.mentions.iter().map(|m| (m.id.as_str(), m)).collect();

    let mut bands: BTreeMap<&str, (usize, usize)> =
        [("safety", (0, 0)), ("negative", (0, 0)), ("other", (0, 0))].into();
    let mut late: Vec<(Millis, &Mention)> = Vec::new();
    for m in r.mentions.iter().filter(|m| m.state.is_open(now)) {
        let c = s.policy.clock(m, s.base, &s.weights, pauses.of(&m.id), now);
        let b = bands.entry(band(m)).or_default();
        b.0 += 1;
        if c.breached {
            b.1 += 1;
            late.push((c.left, m));
        }
    }
    late.sort_by_key(|(left, m)| (*left, m.created));
    let order = ["safety", "negative", "other"];
    let open_by_band = order
        .iter()
        .map(|b| Band {
            band: b.to_string(),
            open: bands[b].0,
            breached: bands[b].1,
        })
        .collect();

    // Escalations: the latest of each mention, unless answered or closed after it.
    let mut escalated: BTreeMap<&str, (&AuditEntry, bool)> = BTreeMap::new();
    let mut notes = Vec::new();
    for e in &audit {
        let Some(id) = e.mention.as_deref() else {
            continue;
        };
        match category::of(&e.action, &e.detail) {
            Category::Escalated => {
                escalated.insert(id, (e, true));
            }
            Category::ReplySent | Category::Closed(_) => {
                if let Some(x) = escalated.get_mut(id) {
                    x.1 = false;
                }
            }
            Category::NextShiftNote if e.at >= w.from => notes.push(item(
                by_id.get(id).copied(),
                id,
                format!(
                    "{} ({})",
                    e.detail
                        .strip_prefix(crate::model::Note::NEXT_SHIFT)
                        .unwrap_or(&e.detail),
                    e.actor
                ),
            )),
            _ => {}
        }
    }
    let mut waiting: Vec<&AuditEntry> = escalated
        .values()
        .filter(|(_, w)| *w)
        .map(|(e, _)| *e)
        .collect();
    waiting.sort_by_key(|e| e.at);

    let mut detector = spike::Detector::new(spike::Config::default());
    for n in names {
        detector.add_name(n);
    }
    let mut negative: Vec<&Mention> = r
        .mentions
        .iter()
        .filter(|m| m.sentiment.label == Label::Negative && m.created < w.to)
        .filter(|m| m.created >= w.from - detector.config.history)
        .collect();
    negative.sort_by_key(|m| m.created);
    let mut spikes: Vec<(String, String)> = Vec::new();
    let mut complainers: HashMap<&str, usize> = HashMap::new();
    for m in &negative {
        let post = spike::Post {
            at: m.created,
            author: &m.author.handle,
            lang: &m.lang,
            text: &m.text,
        };
        let alert = detector.observe(m.created, post);
        if m.created < w.from {
            continue;
        }
        *complainers.entry(m.author.handle.as_str()).or_default() += 1;
        if let Some(a) = alert {
            match spikes.iter_mut().find(|(t, _)| *t == a.topic) {
                Some(x) if !a.new => x.1 = a.summary(),
                _ => spikes.push((a.topic.clone(), a.summary())),
            }
        }
    }
    let mut repeat: Vec<(String, usize)> = complainers
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(h, n)| (h.to_string(), n))
        .collect();
    repeat.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    repeat.truncate(ROWS);

    let stats = super::compute(r, w, s);
    Handover {
        window: w,
        open_by_band,
        breached_open_count: late.len(),
        breached_open: late
            .iter()
            .take(ROWS)
            .map(|(left, m)| {
                item(
                    Some(m),
                    &m.id,
                    format!("{} over", super::text::duration(Some(-left))),
                )
            })
            .collect(),
        breached_in_window: stats.totals.sla_breached,
        escalations_waiting: waiting
            .iter()
            .take(ROWS)
            .map(|e| {
                let id = e.mention.as_deref().unwrap_or_default();
                let dep = category::department(&e.detail).unwrap_or_else(|| "escalated".into());
                item(
                    by_id.get(id).copied(),
                    id,
                    format!("{dep}, {} ago", super::text::duration(Some(now - e.at))),
                )
            })
            .collect(),
        spikes: spikes.into_iter().map(|(_, s)| s).collect(),
        notes,
        repeat_complainers: repeat,
    }
}

/// The hand-over as lines of plain text (`modq handover`, and the pane).
pub fn lines(h: &Handover) -> Vec<String> {
    let mut out = Vec::new();
    let open: Vec<String> = h
        .open_by_band
        .iter()
        .map(|b| format!("{} {} ({} late)", b.band, b.open, b.breached))
        .collect();
    out.push(format!("open now: {}", open.join(" · ")));
    out.push(format!(
        "breached this shift: {} · open past target now: {}",
        h.breached_in_window, h.breached_open_count
    ));
    let list = |out: &mut Vec<String>, title: &str, items: &[Item], none: &str| {
        out.push(String::new());
        if items.is_empty() {
            out.push(format!("{title}: {none}"));
            return;
        }
        out.push(format!("{title}:"));
        for i in items {
            out.push(format!("  {} — {} — {}", i.handle, i.why, i.text));
        }
    };
    list(&mut out, "late and still open", &h.breached_open, "none");
    list(
        &mut out,
        "escalations still waiting",
        &h.escalations_waiting,
        "none",
    );
    out.push(String::new());
    if h.spikes.is_empty() {
        out.push("spikes: none".into());
    } else {
        out.push("spikes:".into());
        out.extend(h.spikes.iter().map(|s| format!("  {s}")));
    }
    list(&mut out, "notes for the next shift", &h.notes, "none");
    out.push(String::new());
    if h.repeat_complainers.is_empty() {
        out.push("repeat complainers: none".into());
    } else {
        let r: Vec<String> = h
            .repeat_complainers
            .iter()
            .map(|(a, n)| format!("{a} ({n})"))
            .collect();
        out.push(format!("repeat complainers: {}", r.join(", ")));
    }
    out
}
