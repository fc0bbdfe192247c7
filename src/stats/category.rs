//! The one table that says what each audit action means to the figures. An action the
//! table does not know (a newer modq, a new workflow state) counts as `Other`: the figures
//! stay right about what they know and say how many entries they left aside.

/// How a mention left the queue without needing an answer, or with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Close {
    /// Handled (answered elsewhere, or nothing left to do): still expected an answer.
    Done,
    /// The moderator judged that it needs no answer.
    NoReply,
    Spam,
    Hidden,
}

impl Close {
    /// Whether a mention closed this way still counted as one the team had to answer.
    pub fn needed_reply(self) -> bool {
        self == Close::Done
    }

    /// From a state's name as the audit log writes it (`MentionState::name`).
    pub fn from_state_name(name: &str) -> Option<Close> {
        match name.trim() {
            "done" => Some(Close::Done),
            "no reply needed" => Some(Close::NoReply),
            "spam" => Some(Close::Spam),
            "hidden" => Some(Close::Hidden),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// A reply entered the outbox; `detail` is the reply's id, `actor` who wrote it.
    ReplyQueued,
    /// A reply (or like) went out; `detail` is the reply's id.
    ReplySent,
    Closed(Close),
    /// Back in the queue: whatever closed it no longer holds.
    Reopened,
    /// An action taken back; `detail` ends with `-> STATE`, the state it went back to.
    Undone,
    /// The SLA clock stops (snoozed, waiting for the customer); `sla::Pauses` reads these.
    Paused,
    /// Passed to a department; see [`department`].
    Escalated,
    /// A satisfaction score; `detail` starts with the score, 1 to 5.
    Csat,
    /// A note flagged "for the next shift": the hand-over lists it (`detail` is the note).
    NextShiftNote,
    /// Known, and of no weight in the figures (editing, labels, likes, gate overrides).
    Ignored,
    /// Not in the table.
    Other,
}

/// Audit action → category. New workflow actions go here, and only here.
pub const ACTIONS: &[(&str, Category)] = &[
    ("reply.send", Category::ReplyQueued),
    ("reply.resend", Category::Ignored),
    ("reply.sent", Category::ReplySent),
    ("reply.mark_sent", Category::ReplySent),
    ("reply.discard", Category::Ignored),
    ("mention.done", Category::Closed(Close::Done)),
    ("mention.noreply", Category::Closed(Close::NoReply)),
    ("mention.spam", Category::Closed(Close::Spam)),
    ("mention.hide", Category::Closed(Close::Hidden)),
    ("mention.reopen", Category::Reopened),
    ("mention.undo", Category::Undone),
    ("mention.snooze", Category::Paused),
    ("mention.waiting", Category::Paused),
    ("mention.escalate", Category::Escalated),
    ("csat.score", Category::Csat),
    ("mention.note", Category::Ignored),
    ("mention.tag", Category::Ignored),
    ("mention.untag", Category::Ignored),
    ("mention.assign", Category::Ignored),
    ("mention.author_wrote", Category::Ignored),
    ("mention.label", Category::Ignored),
    ("mention.like", Category::Ignored),
    ("compose.discard", Category::Ignored),
    ("template.insert", Category::Ignored),
    ("gate.add_word", Category::Ignored),
    ("gate.ignore_once", Category::Ignored),
    ("gate.send_anyway", Category::Ignored),
];

/// An audit entry's category: its action's, except that a note left for the next shift
/// (`mention.note` whose detail starts with `Note::NEXT_SHIFT`) is one of its own.
pub fn of(action: &str, detail: &str) -> Category {
    if action == "mention.note" && detail.starts_with(crate::model::Note::NEXT_SHIFT) {
        return Category::NextShiftNote;
    }
    category(action)
}

pub fn category(action: &str) -> Category {
    ACTIONS
        .iter()
        .find(|(name, _)| *name == action)
        .map_or(Category::Other, |&(_, c)| c)
}

/// The state a `mention.undo` (or any `before -> after` detail) left the mention in.
pub fn state_after(detail: &str) -> Option<&str> {
    detail.rsplit_once("->").map(|(_, s)| s.trim())
}

/// The department an escalation went to: `to NAME`, `department=NAME` or the first word
/// of the detail; `None` when the detail names none.
pub fn department(detail: &str) -> Option<String> {
    let d = detail.trim();
    let d = d
        .strip_prefix("department=")
        .or_else(|| d.strip_prefix("to "))
        .unwrap_or(d);
    let word = d
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == ';')
        .next()
        .unwrap_or("")
        .trim();
    (!word.is_empty() && !d.contains("->")).then(|| word.to_string())
}

/// The score at the start of a `csat.score` detail, when it is 1 to 5.
pub fn csat_score(detail: &str) -> Option<u8> {
    let n: u8 = detail.split_whitespace().next()?.parse().ok()?;
    (1..=5).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_actions_are_other_and_details_read_back() {
        assert_eq!(category("mention.done"), Category::Closed(Close::Done));
        assert_eq!(category("mention.frobnicate"), Category::Other);
        assert_eq!(
            of("mention.note", "for the next shift: call"),
            Category::NextShiftNote
        );
        assert_eq!(of("mention.note", "called them"), Category::Ignored);
        assert_eq!(state_after("mention.done: done -> seen"), Some("seen"));
        assert_eq!(
            department("billing: card charged twice"),
            Some("billing".into())
        );
        assert_eq!(department("to legal"), Some("legal".into()));
        assert_eq!(department("seen -> escalated"), None);
        assert_eq!(csat_score("4 (\"4/5 thanks\")"), Some(4));
        assert_eq!(csat_score("9"), None);
    }
}
