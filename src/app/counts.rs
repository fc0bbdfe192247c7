//! The shift counters and the author index, kept up to date as things change rather than
//! recomputed over the whole store.
//!
//! Each mention adds a part to the counters (open, new, negative, over its SLA, replied). A
//! change to a mention takes its old part away and adds the new one. The clock changes a part
//! only at known instants (a snooze running out, an SLA deadline passing), kept in time
//! order, so moving the clock costs the mentions that cross such an instant, not the size of
//! the queue. `App::recount` is the count from scratch: at load, when the targets change,
//! when the clock goes back, and in the tests that hold the two to be equal.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::state::App;
use crate::model::{AuditEntry, Label, Mention, MentionId, MentionState, Millis};

/// Shift counters for the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: usize,
    pub new: usize,
    pub negative: usize,
    pub over_sla: usize,
    pub replied: usize,
}

/// What one mention adds to the counters at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Part {
    pub open: bool,
    pub new: bool,
    pub negative: bool,
    pub over_sla: bool,
    pub replied: bool,
}

impl Counts {
    fn add(&mut self, p: Part) {
        self.open += usize::from(p.open);
        self.new += usize::from(p.new);
        self.negative += usize::from(p.negative);
        self.over_sla += usize::from(p.over_sla);
        self.replied += usize::from(p.replied);
    }

    fn sub(&mut self, p: Part) {
        self.open -= usize::from(p.open);
        self.new -= usize::from(p.new);
        self.negative -= usize::from(p.negative);
        self.over_sla -= usize::from(p.over_sla);
        self.replied -= usize::from(p.replied);
    }
}

/// The instants at which a mention's part may change, earliest first, and the instant the
/// counters are true at.
#[derive(Debug, Clone, Default)]
pub struct Due {
    /// May hold entries that no longer matter (the mention changed since): looking at a
    /// mention again is harmless, it only ever moves its part to what it is now.
    heap: BinaryHeap<Reverse<(Millis, MentionId)>>,
    /// The counters are true at this instant.
    pub at: Millis,
    /// The instant before `at` that they were true at: a breach from then on is news.
    pub since: Millis,
}

impl Due {
    pub fn starting(at: Millis) -> Self {
        Self {
            heap: BinaryHeap::new(),
            at,
            since: at,
        }
    }

    /// How many instants are waiting (stale ones included).
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// Open mentions by author handle, for "author already waiting".
#[derive(Debug, Clone, Default)]
pub struct Authors(HashMap<String, Vec<MentionId>>);

impl Authors {
    /// The author's open mentions.
    pub fn open(&self, handle: &str) -> &[MentionId] {
        self.0.get(handle).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, handle: &str, id: &str) {
        match self.0.get_mut(handle) {
            Some(ids) => ids.push(id.to_string()),
            None => {
                self.0.insert(handle.to_string(), vec![id.to_string()]);
            }
        }
    }

    fn remove(&mut self, handle: &str, id: &str) {
        if let Some(ids) = self.0.get_mut(handle) {
            if let Some(i) = ids.iter().position(|x| x == id) {
                ids.swap_remove(i);
            }
            if ids.is_empty() {
                self.0.remove(handle);
            }
        }
    }
}

/// A mention's part at one instant, the next instant after it at which the part may
/// change, and its SLA deadline.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub part: Part,
    pub next: Option<Millis>,
    pub deadline: Option<Millis>,
}

impl App {
    /// How `m` counts at `at`.
    pub fn look(&self, m: &Mention, at: Millis) -> Look {
        let open = m.state.is_open(at);
        let snoozed_until = match m.state {
            MentionState::Snoozed { until } => Some(until),
            _ => None,
        };
        // Only a mention that waits, or will wait again, has a deadline that matters.
        let deadline = if open || snoozed_until.is_some() {
            let pauses = self.pauses.of(&m.id);
            self.sla_policy
                .clock(m, self.sla, &self.weights, pauses, at)
                .deadline
        } else {
            None
        };
        let part = Part {
            open,
            new: open && m.state == MentionState::New,
            negative: open && m.sentiment.label == Label::Negative,
            over_sla: open && deadline.is_some_and(|d| d <= at),
            replied: m.state == MentionState::Replied,
        };
        let next = [snoozed_until, deadline]
            .into_iter()
            .flatten()
            .filter(|&t| t > at)
            .min();
        Look {
            part,
            next,
            deadline,
        }
    }

    /// Adds `m` (as it is now, or is about to be, in `mentions`) to the counters.
    pub(super) fn count_in(&mut self, m: &Mention) {
        let l = self.look(m, self.due.at);
        self.counts.add(l.part);
        if l.part.open {
            self.authors.add(&m.author.handle, &m.id);
        }
        if l.part.over_sla {
            self.breach(&m.id, l.deadline);
        }
        if let Some(t) = l.next {
            self.due.heap.push(Reverse((t, m.id.clone())));
        }
    }

    /// Takes `m` (as it was counted) out of the counters.
    pub(super) fn count_out(&mut self, m: &Mention) {
        let p = self.look(m, self.due.at).part;
        self.counts.sub(p);
        if p.open {
            self.authors.remove(&m.author.handle, &m.id);
        }
    }

    /// The first breach of a mention rings if it happened since the counters were last
    /// true: a mention that arrives already late (a backlog at start) stays quiet.
    fn breach(&mut self, id: &str, deadline: Option<Millis>) {
        if self.breached.contains(id) {
            return;
        }
        self.breached.insert(id.to_string());
        self.bell |= deadline.is_some_and(|d| d >= self.due.since);
    }

    /// Brings the counters to `self.now`, looking only at the mentions with an instant
    /// due; those that wake from a snooze join (or leave) the visible list.
    pub fn advance(&mut self) {
        let now = self.now;
        if now < self.due.at {
            // The clock went back (the system clock was set back): a snooze may run
            // again. Count and list again, once.
            self.recount();
            self.rebuild_visible();
            return;
        }
        if now == self.due.at {
            return;
        }
        let then = self.due.at;
        self.due.since = then;
        self.due.at = now;
        let mut ids = Vec::new();
        while self
            .due
            .heap
            .peek()
            .is_some_and(|Reverse((t, _))| *t <= now)
        {
            if let Some(Reverse((_, id))) = self.due.heap.pop() {
                ids.push(id);
            }
        }
        // A mention may be due more than once (it changed in between): look at it once.
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let Some(m) = self.mentions.get(&id) else {
                continue;
            };
            let (old, new) = (self.look(m, then), self.look(m, now));
            let shown = |at| self.view.admits(m, at) && self.filter.matches(m);
            let moves = (shown(then) != shown(now)).then(|| (self.rank(m), shown(now)));
            let handle = (old.part.open != new.part.open).then(|| m.author.handle.clone());
            self.counts.sub(old.part);
            self.counts.add(new.part);
            if new.part.over_sla && !old.part.over_sla {
                self.breach(&id, new.deadline);
            }
            if let Some(h) = handle {
                if new.part.open {
                    self.authors.add(&h, &id);
                } else {
                    self.authors.remove(&h, &id);
                }
            }
            match moves {
                Some((key, true)) if self.visible.position(&key).is_none() => self.place(key),
                Some((key, false)) => self.unplace(&key),
                _ => {}
            }
            if let Some(t) = new.next {
                self.due.heap.push(Reverse((t, id)));
            }
        }
    }

    /// Records an audited action's pause (a snooze stops the SLA clock, any later action
    /// starts it again) and counts its mention again with it.
    pub fn record_pause(&mut self, e: &AuditEntry) {
        let m = e
            .mention
            .as_ref()
            .and_then(|id| self.mentions.get(id))
            .cloned();
        if let Some(m) = &m {
            self.count_out(m);
        }
        self.pauses.record(e);
        if let Some(m) = &m {
            self.count_in(m);
        }
    }

    /// The counters, the author index and the instants due, from scratch at `self.now`.
    pub fn recount(&mut self) {
        let now = self.now;
        self.due.since = self.due.at.min(now);
        self.due.at = now;
        let mut counts = Counts::default();
        let mut authors = Authors::default();
        let mut due = Vec::new();
        let mut late = Vec::new();
        for m in self.mentions.values() {
            let l = self.look(m, now);
            counts.add(l.part);
            if l.part.open {
                authors.add(&m.author.handle, &m.id);
            }
            if l.part.over_sla && !self.breached.contains(&m.id) {
                late.push((m.id.clone(), l.deadline));
            }
            if let Some(t) = l.next {
                due.push(Reverse((t, m.id.clone())));
            }
        }
        self.counts = counts;
        self.authors = authors;
        self.due.heap = BinaryHeap::from(due);
        for (id, deadline) in late {
            self.breach(&id, deadline);
        }
    }

    /// The counters as a full pass over every mention computes them, with the clock as the
    /// policy reads it; the incremental ones must always equal these.
    pub fn counts_from_scratch(&self) -> Counts {
        let mut c = Counts::default();
        for m in self.mentions.values() {
            if m.state == MentionState::Replied {
                c.replied += 1;
            }
            if !m.state.is_open(self.now) {
                continue;
            }
            c.open += 1;
            if m.state == MentionState::New {
                c.new += 1;
            }
            if m.sentiment.label == Label::Negative {
                c.negative += 1;
            }
            if self.sla_clock(m).breached {
                c.over_sla += 1;
            }
        }
        c
    }
}
