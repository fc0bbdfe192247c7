//! Network-neutral records: what every source produces and every pane reads.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Stable across restarts: `<source>:<remote id>`.
pub type MentionId = String;

/// Milliseconds since the Unix epoch. One clock unit everywhere keeps ordering and SLA math simple.
pub type Millis = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Mastodon,
    Bluesky,
    Jsonl,
}

impl Network {
    pub fn name(self) -> &'static str {
        match self {
            Network::Mastodon => "mastodon",
            Network::Bluesky => "bluesky",
            Network::Jsonl => "jsonl",
        }
    }
    /// One letter for the queue column.
    pub fn letter(self) -> char {
        match self {
            Network::Mastodon => 'M',
            Network::Bluesky => 'B',
            Network::Jsonl => 'J',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    pub handle: String,
    pub followers: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Negative,
    Neutral,
    Positive,
}

impl Label {
    pub fn name(self) -> &'static str {
        match self {
            Label::Negative => "negative",
            Label::Neutral => "neutral",
            Label::Positive => "positive",
        }
    }
}

/// One thing that moved the score, so the moderator can see why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Inline (no allocation) up to 24 bytes: most reasons are one or two words.
    pub what: CompactString,
    pub weight: f32,
}

/// A care cue (refund, outage, legal…) with its weight in [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub tag: String,
    pub weight: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    /// In [-1, 1]; lower is more negative.
    pub score: f32,
    pub label: Label,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum MentionState {
    /// Arrived, not yet looked at.
    New,
    /// Opened in the detail pane at least once.
    Seen,
    Snoozed {
        until: Millis,
    },
    /// Snoozed until the author writes again (`since`: when it was snoozed).
    SnoozedForAuthor {
        since: Millis,
    },
    Replied,
    /// We answered and asked the author something: the SLA clock stands still until they
    /// write again, then the mention comes back to the top of its band.
    Waiting {
        since: Millis,
    },
    Done,
    NoReply,
    Spam,
    /// Out of the open view in modq only; the network still shows the post (see `mention.hide`).
    Hidden,
    /// Passed to a department (`Mention::escalation` says which); out of the open view.
    Escalated,
}

impl MentionState {
    /// Still waiting for the moderator (what the SLA clock is about).
    pub fn is_open(self, now: Millis) -> bool {
        match self {
            MentionState::New | MentionState::Seen => true,
            MentionState::Snoozed { until } => until <= now,
            _ => false,
        }
    }
    /// Waiting for an answer, so a reply sent to it makes it `Replied` (a snoozed mention
    /// too; one marked done, spam or hidden keeps what the moderator chose).
    pub fn awaits_reply(self) -> bool {
        matches!(
            self,
            MentionState::New
                | MentionState::Seen
                | MentionState::Snoozed { .. }
                | MentionState::SnoozedForAuthor { .. }
        )
    }
    /// Put aside until the author writes again (waiting for them, or snoozed until then).
    pub fn until_author(self) -> bool {
        matches!(
            self,
            MentionState::Waiting { .. } | MentionState::SnoozedForAuthor { .. }
        )
    }
    pub fn name(self) -> &'static str {
        match self {
            MentionState::New => "new",
            MentionState::Seen => "seen",
            MentionState::Snoozed { .. } => "snoozed",
            MentionState::SnoozedForAuthor { .. } => "snoozed until the author writes",
            MentionState::Replied => "replied",
            MentionState::Waiting { .. } => "waiting",
            MentionState::Done => "done",
            MentionState::NoReply => "no reply needed",
            MentionState::Spam => "spam",
            MentionState::Hidden => "hidden",
            MentionState::Escalated => "escalated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub id: MentionId,
    /// Which source (account) it came to, e.g. `demo`; replies go back through it.
    pub source: String,
    pub network: Network,
    pub author: Author,
    /// Sanitised at ingest: safe to draw.
    pub text: String,
    /// ISO 639-1 code, or "und".
    pub lang: String,
    pub created: Millis,
    pub received: Millis,
    pub in_reply_to: Option<MentionId>,
    pub url: Option<String>,
    pub sentiment: Sentiment,
    pub state: MentionState,
    /// Care cues found at ingest.
    #[serde(default)]
    pub cues: Vec<Cue>,
    /// The author had another mention waiting when this one arrived (fixed at arrival, so
    /// the rank never changes by itself).
    #[serde(default)]
    pub author_waiting: bool,
    /// What ingest shortened (see `ingest::MAX_TEXT`), for the detail pane to say so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cut: Vec<Cut>,
    /// What the team added: tags, notes, who has it. Never sent to the network.
    #[serde(default, skip_serializing_if = "Work::is_empty")]
    pub work: Work,
    /// The latest escalation to a department (kept after an undo: the department was told).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<Escalation>,
}

/// The team's own record on a mention (see `app::workflow`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    /// Lower case, no spaces, in the order they were added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The agent who has it (`:assign`, `:take`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// When its author wrote again while it waited for them: it ranks first in its band
    /// from then on (`triage::priority::rank_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back: Option<Millis>,
}

impl Work {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// An internal note: for the team only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at: Millis,
    pub by: String,
    pub text: String,
    /// To be read out at the hand-over to the next shift.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub next_shift: bool,
}

impl Note {
    /// How the audit log's `mention.note` detail starts for a note left for the next shift
    /// (the hand-over finds them by it).
    pub const NEXT_SHIFT: &'static str = "for the next shift: ";
}

/// Who passed a mention to which department, when, with what note, and the key of the
/// webhook delivery that told the department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub department: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub by: String,
    pub at: Millis,
    pub key: String,
}

/// A field ingest cut to its limit: which, and how many characters it kept of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cut {
    pub field: String,
    pub kept: usize,
    pub of: usize,
}

impl Cut {
    /// `text cut at 5000 characters (of 1048576)`.
    pub fn describe(&self) -> String {
        format!(
            "{} cut at {} characters (of {})",
            self.field, self.kept, self.of
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum ReplyState {
    Queued,
    Sending,
    Sent,
    Failed(String),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub id: String,
    pub mention_id: MentionId,
    pub source: String,
    pub text: String,
    pub private: bool,
    pub created: Millis,
    pub sent: Option<Millis>,
    pub state: ReplyState,
    /// What the outbox learned while sending it; absent in records from older versions.
    #[serde(default)]
    pub delivery: Delivery,
}

/// The outbox's notes on a reply, kept with it so a restart acts on them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// When the first request for it left: a Mastodon `Idempotency-Key` holds for about an
    /// hour from there, so until then sending again with the same key is safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_try: Option<Millis>,
    /// Not to be sent before this (the server's `Retry-After` or rate-limit reset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Millis>,
    /// The network's id for the post, once it is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    /// Why its fate is unknown (the look-up's answer), for the moderator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Requests made for it so far (posts and look-ups that failed), shown as the retry number.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tries: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One line of the audit log: who did what, when. Shift statistics are computed from these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub mention: Option<MentionId>,
    pub detail: String,
}

pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// A source's connection as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    Connecting,
    Live { detail: String },
    Idle { detail: String },
    Down { reason: String },
}

/// The embedded demo stream's source name: its replies are recorded, never posted.
pub const DEMO_SOURCE: &str = "demo";
/// The JSON-lines feed's source name: local, with no network behind it.
pub const JSONL_SOURCE: &str = "jsonl";

/// One post of a fetched thread; both strings are sanitised by the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub handle: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thread {
    /// Oldest first, the mention's parent last.
    pub ancestors: Vec<Post>,
    /// In reading order.
    pub descendants: Vec<Post>,
}
