//! The shift in figures, computed from what modq records (mentions, replies and the audit
//! log), so a restart changes nothing. Pure: the window, the clock and the SLA policy are
//! given; `cmd` and the console read the store and call [`compute`].
//!
//! Mentions count in the window they arrived in (posted, as the SLA clock counts); what
//! happened to them counts up to the window's end. A mention is answered once a reply to
//! it was sent (public or private; a like is not an answer), as the store marks it
//! replied. Spam, hidden and "no reply needed" mentions left unanswered need no answer.

pub mod category;
pub mod cmd;
pub mod handover;
pub mod text;
pub mod window;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::model::{AuditEntry, Label, Mention, Millis, Reply, ReplyState};
use crate::sla::{Pauses, Policy};
use crate::triage::priority::Weights;
use category::{Category, Close};

const HOUR: Millis = 3_600_000;

/// What the figures are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub mentions: &'a [Mention],
    pub replies: &'a [Reply],
    /// In the order it was written (the store's order).
    pub audit: &'a [AuditEntry],
}

/// The SLA policy and how hours are labelled.
#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: Policy,
    /// The team's target (`sla_minutes`), milliseconds.
    pub base: Millis,
    pub weights: Weights,
    /// Hours are labelled on this clock.
    pub tz: jiff::tz::TimeZone,
}

impl Settings {
    pub fn from_config(c: &crate::config::Config, tz: jiff::tz::TimeZone) -> Self {
        Self {
            policy: c.sla.resolve().0,
            base: Millis::from(c.sla_minutes.max(1)) * 60_000,
            weights: c.triage.clone(),
            tz,
        }
    }
}

/// `[from, to)`, milliseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: Millis,
    pub to: Millis,
}

/// The figures of a set of mentions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub mentions_in: usize,
    /// Not spam, hidden or "no reply needed" (unless answered all the same).
    pub needing_reply: usize,
    pub answered: usize,
    /// answered / needing_reply, percent; the target is 100.
    pub response_rate: Option<f64>,
    /// Working time to the first reply (pauses and closed hours left out), milliseconds.
    pub first_response_median: Option<Millis>,
    pub first_response_p90: Option<Millis>,
    /// Handled (answered or closed) before its target.
    pub sla_met: usize,
    /// Handled at or after its target, or still open past it at the window's end.
    pub sla_breached: usize,
    pub sla_met_pct: Option<f64>,
    pub negative: usize,
    pub negative_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourGroup {
    pub start: Millis,
    /// `HH:00` on the settings' clock.
    pub label: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Csat {
    pub count: usize,
    pub average: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub window: Window,
    #[serde(flatten)]
    pub totals: Figures,
    /// Replies sent in the window (likes aside), to mentions of any age.
    pub replies_sent: usize,
    pub escalations: usize,
    /// Escalations by department (`unknown` when the log names none).
    pub escalations_by_department: Vec<(String, usize)>,
    pub csat: Csat,
    pub by_network: Vec<Group>,
    pub by_language: Vec<Group>,
    pub by_sentiment: Vec<Group>,
    /// By who handled the mention first (sent its first reply, or closed it).
    pub by_moderator: Vec<Group>,
    /// Every hour of the window, empty ones too: the arrivals and negative-share series.
    pub by_hour: Vec<HourGroup>,
    /// Audit entries in the window whose action the figures do not know.
    pub other_actions: usize,
}

impl Stats {
    pub fn arrivals_per_hour(&self) -> Vec<u64> {
        self.by_hour
            .iter()
            .map(|h| h.figures.mentions_in as u64)
            .collect()
    }

    /// Negative share per hour, percent (0 in an hour with no arrivals).
    pub fn negative_share_per_hour(&self) -> Vec<u64> {
        self.by_hour
            .iter()
            .map(|h| h.figures.negative_share.unwrap_or(0.0).round() as u64)
            .collect()
    }
}

/// What became of one mention by the window's end.
#[derive(Debug, Clone, Default)]
struct Fate {
    /// The first reply sent, and who wrote it.
    first_reply: Option<(Millis, Option<String>)>,
    /// How it stands closed at the window's end, since when and by whom. A close taken
    /// back (undone, reopened) handled nothing.
    closed: Option<(Close, Millis, String)>,
}

/// One mention's outcome, ready to be counted into groups.
#[derive(Debug, Clone)]
struct Outcome {
    needs_reply: bool,
    answered: bool,
    first_response: Option<Millis>,
    /// `Some(true)` met, `Some(false)` breached, `None` not yet either.
    sla_met: Option<bool>,
    negative: bool,
    moderator: Option<String>,
}

pub fn compute(r: Records, w: Window, s: &Settings) -> Stats {
    // As of the window's end: nothing logged later counts.
    let mut audit: Vec<&AuditEntry> = r.audit.iter().filter(|e| e.at < w.to).collect();
    audit.sort_by_key(|e| e.at);
    let pauses = Pauses::from_audit(audit.iter().copied());
    let fates = fates(&audit, r.replies, w);

    let mut outcomes: Vec<(&Mention, Outcome)> = Vec::new();
    for m in r.mentions {
        if m.created < w.from || m.created >= w.to {
            continue;
        }
        let fate = fates.get(m.id.as_str()).cloned().unwrap_or_default();
        outcomes.push((m, outcome(m, &fate, &pauses, w, s)));
    }
    let all: Vec<&Outcome> = outcomes.iter().map(|(_, o)| o).collect();
    let group_by = |key: &dyn Fn(&Mention, &Outcome) -> Option<String>| -> Vec<Group> {
        let mut groups: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
        for (m, o) in &outcomes {
            if let Some(k) = key(m, o) {
                groups.entry(k).or_default().push(o);
            }
        }
        let mut out: Vec<Group> = groups
            .into_iter()
            .map(|(key, os)| Group {
                key,
                figures: figures(&os),
            })
            .collect();
        // Biggest first; ties by name, so the order never wobbles.
        out.sort_by_key(|g| std::cmp::Reverse(g.figures.mentions_in));
        out
    };

    let first_hour = w.from - w.from.rem_euclid(HOUR);
    let hours = ((w.to - first_hour + HOUR - 1) / HOUR) as usize;
    let mut buckets: Vec<Vec<&Outcome>> = vec![Vec::new(); hours];
    for (m, o) in &outcomes {
        buckets[((m.created - first_hour) / HOUR) as usize].push(o);
    }
    let by_hour: Vec<HourGroup> = buckets
        .iter()
        .enumerate()
        .map(|(i, os)| {
            let start = first_hour + i as Millis * HOUR;
            HourGroup {
                start,
                label: hour_label(start, &s.tz),
                figures: figures(os),
            }
        })
        .collect();

    let in_window: Vec<&&AuditEntry> = audit.iter().filter(|e| e.at >= w.from).collect();
    let mut departments: BTreeMap<String, usize> = BTreeMap::new();
    let mut scores = Vec::new();
    let mut other_actions = 0;
    for e in &in_window {
        match category::of(&e.action, &e.detail) {
            Category::Escalated => {
                let d = category::department(&e.detail).unwrap_or_else(|| "unknown".into());
                *departments.entry(d).or_default() += 1;
            }
            Category::Csat => scores.extend(category::csat_score(&e.detail)),
            Category::Other => other_actions += 1,
            _ => {}
        }
    }
    let mut escalations_by_department: Vec<(String, usize)> = departments.into_iter().collect();
    escalations_by_department.sort_by_key(|d| std::cmp::Reverse(d.1));

    Stats {
        window: w,
        totals: figures(&all),
        replies_sent: r
            .replies
            .iter()
            .filter(|x| answers(x))
            .filter_map(|x| x.sent)
            .filter(|&t| t >= w.from && t < w.to)
            .count(),
        escalations: escalations_by_department.iter().map(|d| d.1).sum(),
        escalations_by_department,
        csat: Csat {
            count: scores.len(),
            average: (!scores.is_empty())
                .then(|| scores.iter().map(|&x| f64::from(x)).sum::<f64>() / scores.len() as f64),
        },
        by_network: group_by(&|m, _| Some(m.network.name().to_string())),
        by_language: group_by(&|m, _| Some(m.lang.clone())),
        by_sentiment: group_by(&|m, _| Some(m.sentiment.label.name().to_string())),
        by_moderator: group_by(&|_, o| o.moderator.clone()),
        by_hour,
        other_actions,
    }
}

/// A reply that answers its mention: sent, and not a like.
fn answers(r: &Reply) -> bool {
    r.state == ReplyState::Sent && !crate::outbox::is_like(r)
}

fn is_like_id(id: &str) -> bool {
    id.ends_with(crate::outbox::LIKE_SUFFIX)
}

/// Walks the log (already cut at the window's end, in order) and the replies.
fn fates<'a>(audit: &[&'a AuditEntry], replies: &'a [Reply], w: Window) -> HashMap<&'a str, Fate> {
    let mut out: HashMap<&str, Fate> = HashMap::new();
    let recorded: HashSet<&str> = replies.iter().map(|r| r.id.as_str()).collect();
    // Who wrote each reply: the moderator who queued it.
    let mut writer: HashMap<&str, &str> = HashMap::new();
    let note_reply =
        |out: &mut HashMap<&'a str, Fate>, mention: &'a str, at: Millis, who: Option<String>| {
            let f = out.entry(mention).or_default();
            if f.first_reply.as_ref().is_none_or(|(t, _)| at < *t) {
                f.first_reply = Some((at, who));
            }
        };
    for e in audit {
        let Some(id) = e.mention.as_deref() else {
            continue;
        };
        match category::of(&e.action, &e.detail) {
            Category::ReplyQueued => {
                writer.insert(e.detail.as_str(), e.actor.as_str());
            }
            // The reply's own record says when it went out; an entry without one (a store
            // whose reply was lost) still counts, at the time it was logged.
            Category::ReplySent
                if !is_like_id(&e.detail) && !recorded.contains(e.detail.as_str()) =>
            {
                let who = writer.get(e.detail.as_str()).map(|s| s.to_string());
                note_reply(&mut out, id, e.at, who);
            }
            Category::Closed(c) => close(out.entry(id).or_default(), Some(c), e),
            Category::Reopened => out.entry(id).or_default().closed = None,
            Category::Undone => {
                if let Some(state) = category::state_after(&e.detail) {
                    close(out.entry(id).or_default(), Close::from_state_name(state), e);
                }
            }
            _ => {}
        }
    }
    for r in replies.iter().filter(|r| answers(r)) {
        let at = r.sent.unwrap_or(r.created);
        if at < w.to {
            let who = writer.get(r.id.as_str()).map(|s| s.to_string());
            note_reply(&mut out, &r.mention_id, at, who);
        }
    }
    out
}

/// Closed as `c` by `e` (or open again, `None`). Moving from one close to another (done,
/// then spam) keeps when it was first closed: it left the queue then.
fn close(f: &mut Fate, c: Option<Close>, e: &AuditEntry) {
    f.closed = match (c, f.closed.take()) {
        (None, _) => None,
        (Some(c), Some((_, at, who))) => Some((c, at, who)),
        (Some(c), None) => Some((c, e.at, e.actor.clone())),
    };
}

fn outcome(m: &Mention, f: &Fate, pauses: &Pauses, w: Window, s: &Settings) -> Outcome {
    let answered = f.first_reply.is_some();
    let needs_reply = answered || f.closed.as_ref().is_none_or(|c| c.0.needed_reply());
    let first_close = f.closed.as_ref().map(|(_, at, who)| (*at, who.clone()));
    let target = s.policy.target(m, s.base, &s.weights);
    let clock_at = |at: Millis| {
        crate::sla::clock(
            m.created,
            target,
            s.policy.hours.get(&m.source),
            pauses.of(&m.id),
            at,
        )
    };
    let first_response = f.first_reply.as_ref().map(|(at, _)| clock_at(*at).used);
    let handled = match (&f.first_reply, &first_close) {
        (Some((a, _)), Some((b, _))) => Some((*a).min(*b)),
        (Some((a, _)), None) => Some(*a),
        (None, Some((b, _))) => Some(*b),
        (None, None) => None,
    };
    let sla_met = if !needs_reply {
        None
    } else if let Some(at) = handled {
        Some(!clock_at(at).breached)
    } else if clock_at(w.to).breached {
        Some(false)
    } else {
        None
    };
    let moderator = match (&f.first_reply, &first_close) {
        (Some((a, _)), Some((b, closer))) if b < a => Some(closer.clone()),
        (Some((_, who)), _) => who.clone(),
        (None, Some((_, closer))) => Some(closer.clone()),
        (None, None) => None,
    };
    Outcome {
        needs_reply,
        answered,
        first_response,
        sla_met,
        negative: m.sentiment.label == Label::Negative,
        moderator,
    }
}

fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn figures(os: &[&Outcome]) -> Figures {
    let mut times: Vec<Millis> = os.iter().filter_map(|o| o.first_response).collect();
    times.sort_unstable();
    let needing_reply = os.iter().filter(|o| o.needs_reply).count();
    let answered = os.iter().filter(|o| o.answered).count();
    let sla_met = os.iter().filter(|o| o.sla_met == Some(true)).count();
    let sla_breached = os.iter().filter(|o| o.sla_met == Some(false)).count();
    let negative = os.iter().filter(|o| o.negative).count();
    Figures {
        mentions_in: os.len(),
        needing_reply,
        answered,
        response_rate: pct(answered, needing_reply),
        first_response_median: median(&times),
        first_response_p90: percentile(&times, 90),
        sla_met,
        sla_breached,
        sla_met_pct: pct(sla_met, sla_met + sla_breached),
        negative,
        negative_share: pct(negative, os.len()),
    }
}

/// The middle value; the mean of the two middle ones for an even count.
pub fn median(sorted: &[Millis]) -> Option<Millis> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// Nearest rank: the smallest value with at least `p` percent of the values at or below it.
pub fn percentile(sorted: &[Millis], p: usize) -> Option<Millis> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

fn hour_label(at: Millis, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(at)
        .map(|t| tz.to_datetime(t).strftime("%H:00").to_string())
        .unwrap_or_else(|_| "??:00".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_by_hand() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5));
        assert_eq!(median(&[2, 4]), Some(3));
        assert_eq!(median(&[1, 2, 9]), Some(2));
        let ten: Vec<Millis> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        assert_eq!(percentile(&[1, 2, 3], 90), Some(3));
        assert_eq!(percentile(&[7], 90), Some(7));
    }
}
