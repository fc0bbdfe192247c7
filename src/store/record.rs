//! How mentions, replies and audit entries are kept on disk: one version byte, then the
//! record in postcard (a compact binary serde format). The model types are not written as
//! they are: postcard is not self-describing, so `#[serde(default)]`, `skip_serializing_if`,
//! internally or adjacently tagged enums and enum variants added in the middle would change
//! or break what old bytes mean without any error. Each version has its own plain stored
//! struct here instead, written once and never changed, and the conversions destructure the
//! model types field by field, so a field added to `Mention`, `Reply` or `AuditEntry` stops
//! the build right here until it has a place on disk.
//!
//! Records from before this format are JSON (their first byte is `{`) and stay readable; the
//! migration at open (`super::migrate`) rewrites them in the current version.
//!
//! # Adding a field to a stored record (e.g. `Mention`)
//! 1. Copy the newest stored struct (`MentionV1`) to `MentionV2` with the new field, give it
//!    the next tag (`MENTION_V2 = 2`), and let `Mention::encode` write it. Never edit a stored
//!    struct that has been released: old stores hold its bytes.
//! 2. Keep decoding the old tag: `MENTION_V1 => v1.into_model()` with the new field's default.
//! 3. Raise `super::migrate::FORMAT` so the next start rewrites old records once (reading
//!    them stays possible in any case; the rewrite saves the conversion on every load).
//! 4. Add a record of the old version to the fixtures of tests/store_migrate.rs.
//!
//! A new variant of a stored enum (`StateV1`, `ReplyStateV1`, `NetworkV1`, `LabelV1`) goes at
//! the end of it, as postcard writes the variant's index: no new version is needed for that.

use compact_str::CompactString;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{
    AuditEntry, Author, Cue, Cut, Delivery, Escalation, Label, Mention, MentionState, Millis,
    Network, Note, Reason, Reply, ReplyState, Sentiment, Work,
};

/// Records written before the versioned format: JSON, which always starts with `{`.
const JSON: u8 = b'{';

pub const MENTION_V1: u8 = 1;
pub const REPLY_V1: u8 = 1;
pub const AUDIT_V1: u8 = 1;

/// A record that cannot be read as any version modq knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RecordError(pub String);

/// What a tree of the store holds, and how it is written.
pub trait Record: Sized {
    /// The version `encode` writes.
    const CURRENT: u8;
    fn encode(&self) -> Vec<u8>;
    fn decode(bytes: &[u8]) -> Result<Self, RecordError>;
}

/// The version byte of a stored record (`None`: empty, so unreadable).
pub fn version(bytes: &[u8]) -> Option<u8> {
    bytes.first().copied()
}

/// Whether the record is written in the version `T` writes today.
pub fn is_current<T: Record>(bytes: &[u8]) -> bool {
    version(bytes) == Some(T::CURRENT)
}

fn with_tag<S: Serialize>(tag: u8, stored: &S) -> Vec<u8> {
    let out = vec![tag];
    // Writing to a Vec only fails for types postcard cannot express (maps with unknown
    // length, `serialize_any`), which the stored structs never contain.
    postcard::to_extend(stored, out).expect("stored records are plain structs")
}

fn body<S: DeserializeOwned>(bytes: &[u8]) -> Result<S, RecordError> {
    let (s, rest) = postcard::take_from_bytes::<S>(&bytes[1..])
        .map_err(|e| RecordError(format!("binary record version {}: {e}", bytes[0])))?;
    if !rest.is_empty() {
        return Err(RecordError(format!(
            "binary record version {}: {} bytes left over",
            bytes[0],
            rest.len()
        )));
    }
    Ok(s)
}

fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, RecordError> {
    serde_json::from_slice(bytes).map_err(|e| RecordError(format!("JSON record: {e}")))
}

fn unknown(bytes: &[u8]) -> RecordError {
    match bytes.first() {
        None => RecordError("empty record".into()),
        Some(v) => RecordError(format!(
            "record version {v} is not one this modq knows (written by a newer one?)"
        )),
    }
}

// ---- stored enums: append new variants at the end, never reorder ----

#[derive(Serialize, Deserialize)]
enum NetworkV1 {
    Mastodon,
    Bluesky,
    Jsonl,
}

#[derive(Serialize, Deserialize)]
enum LabelV1 {
    Negative,
    Neutral,
    Positive,
}

#[derive(Serialize, Deserialize)]
enum StateV1 {
    New,
    Seen,
    Snoozed(Millis),
    Replied,
    Done,
    NoReply,
    Spam,
    Hidden,
    SnoozedForAuthor(Millis),
    Waiting(Millis),
    Escalated,
}

#[derive(Serialize, Deserialize)]
enum ReplyStateV1 {
    Queued,
    Sending,
    Sent,
    Failed(String),
    Unknown,
}

impl From<Network> for NetworkV1 {
    fn from(n: Network) -> Self {
        match n {
            Network::Mastodon => Self::Mastodon,
            Network::Bluesky => Self::Bluesky,
            Network::Jsonl => Self::Jsonl,
        }
    }
}

impl From<NetworkV1> for Network {
    fn from(n: NetworkV1) -> Self {
        match n {
            NetworkV1::Mastodon => Self::Mastodon,
            NetworkV1::Bluesky => Self::Bluesky,
            NetworkV1::Jsonl => Self::Jsonl,
        }
    }
}

impl From<Label> for LabelV1 {
    fn from(l: Label) -> Self {
        match l {
            Label::Negative => Self::Negative,
            Label::Neutral => Self::Neutral,
            Label::Positive => Self::Positive,
        }
    }
}

impl From<LabelV1> for Label {
    fn from(l: LabelV1) -> Self {
        match l {
            LabelV1::Negative => Self::Negative,
            LabelV1::Neutral => Self::Neutral,
            LabelV1::Positive => Self::Positive,
        }
    }
}

impl From<MentionState> for StateV1 {
    fn from(s: MentionState) -> Self {
        match s {
            MentionState::New => Self::New,
            MentionState::Seen => Self::Seen,
            MentionState::Snoozed { until } => Self::Snoozed(until),
            MentionState::Replied => Self::Replied,
            MentionState::Done => Self::Done,
            MentionState::NoReply => Self::NoReply,
            MentionState::Spam => Self::Spam,
            MentionState::Hidden => Self::Hidden,
            MentionState::SnoozedForAuthor { since } => Self::SnoozedForAuthor(since),
            MentionState::Waiting { since } => Self::Waiting(since),
            MentionState::Escalated => Self::Escalated,
        }
    }
}

impl From<StateV1> for MentionState {
    fn from(s: StateV1) -> Self {
        match s {
            StateV1::New => Self::New,
            StateV1::Seen => Self::Seen,
            StateV1::Snoozed(until) => Self::Snoozed { until },
            StateV1::Replied => Self::Replied,
            StateV1::Done => Self::Done,
            StateV1::NoReply => Self::NoReply,
            StateV1::Spam => Self::Spam,
            StateV1::Hidden => Self::Hidden,
            StateV1::SnoozedForAuthor(since) => Self::SnoozedForAuthor { since },
            StateV1::Waiting(since) => Self::Waiting { since },
            StateV1::Escalated => Self::Escalated,
        }
    }
}

impl From<&ReplyState> for ReplyStateV1 {
    fn from(s: &ReplyState) -> Self {
        match s {
            ReplyState::Queued => Self::Queued,
            ReplyState::Sending => Self::Sending,
            ReplyState::Sent => Self::Sent,
            ReplyState::Failed(why) => Self::Failed(why.clone()),
            ReplyState::Unknown => Self::Unknown,
        }
    }
}

impl From<ReplyStateV1> for ReplyState {
    fn from(s: ReplyStateV1) -> Self {
        match s {
            ReplyStateV1::Queued => Self::Queued,
            ReplyStateV1::Sending => Self::Sending,
            ReplyStateV1::Sent => Self::Sent,
            ReplyStateV1::Failed(why) => Self::Failed(why),
            ReplyStateV1::Unknown => Self::Unknown,
        }
    }
}

// ---- mentions ----

/// A mention as version 1 writes it. Released: never change it (see the module notes).
#[derive(Serialize, Deserialize)]
struct MentionV1 {
    id: String,
    source: String,
    network: NetworkV1,
    author_name: String,
    author_handle: String,
    followers: u64,
    text: String,
    lang: String,
    created: Millis,
    received: Millis,
    in_reply_to: Option<String>,
    url: Option<String>,
    score: f32,
    label: LabelV1,
    /// (what, weight)
    reasons: Vec<(CompactString, f32)>,
    state: StateV1,
    /// (tag, weight)
    cues: Vec<(String, f32)>,
    author_waiting: bool,
    /// (field, kept, of)
    cut: Vec<(String, u64, u64)>,
    work: WorkV1,
    escalation: Option<EscalationV1>,
}

/// The team's record on a mention (`model::Work`).
#[derive(Serialize, Deserialize)]
struct WorkV1 {
    tags: Vec<String>,
    /// (at, by, text, next_shift)
    notes: Vec<(Millis, String, String, bool)>,
    assignee: Option<String>,
    back: Option<Millis>,
}

/// `model::Escalation`.
#[derive(Serialize, Deserialize)]
struct EscalationV1 {
    department: String,
    note: String,
    by: String,
    at: Millis,
    key: String,
}

impl WorkV1 {
    fn from_model(w: &Work) -> Self {
        let Work {
            tags,
            notes,
            assignee,
            back,
        } = w;
        Self {
            tags: tags.clone(),
            notes: notes
                .iter()
                .map(
                    |Note {
                         at,
                         by,
                         text,
                         next_shift,
                     }| (*at, by.clone(), text.clone(), *next_shift),
                )
                .collect(),
            assignee: assignee.clone(),
            back: *back,
        }
    }

    fn into_model(self) -> Work {
        Work {
            tags: self.tags,
            notes: self
                .notes
                .into_iter()
                .map(|(at, by, text, next_shift)| Note {
                    at,
                    by,
                    text,
                    next_shift,
                })
                .collect(),
            assignee: self.assignee,
            back: self.back,
        }
    }
}

impl EscalationV1 {
    fn from_model(e: &Escalation) -> Self {
        let Escalation {
            department,
            note,
            by,
            at,
            key,
        } = e;
        Self {
            department: department.clone(),
            note: note.clone(),
            by: by.clone(),
            at: *at,
            key: key.clone(),
        }
    }

    fn into_model(self) -> Escalation {
        Escalation {
            department: self.department,
            note: self.note,
            by: self.by,
            at: self.at,
            key: self.key,
        }
    }
}

impl MentionV1 {
    fn from_model(m: &Mention) -> Self {
        // Destructured without `..`: a new field of the model must find its place on disk.
        let Mention {
            id,
            source,
            network,
            author:
                Author {
                    name,
                    handle,
                    followers,
                },
            text,
            lang,
            created,
            received,
            in_reply_to,
            url,
            sentiment:
                Sentiment {
                    score,
                    label,
                    reasons,
                },
            state,
            cues,
            author_waiting,
            cut,
            work,
            escalation,
        } = m;
        Self {
            id: id.clone(),
            source: source.clone(),
            network: (*network).into(),
            author_name: name.clone(),
            author_handle: handle.clone(),
            followers: *followers,
            text: text.clone(),
            lang: lang.clone(),
            created: *created,
            received: *received,
            in_reply_to: in_reply_to.clone(),
            url: url.clone(),
            score: *score,
            label: (*label).into(),
            reasons: reasons
                .iter()
                .map(|Reason { what, weight }| (what.clone(), *weight))
                .collect(),
            state: (*state).into(),
            cues: cues
                .iter()
                .map(|Cue { tag, weight }| (tag.clone(), *weight))
                .collect(),
            author_waiting: *author_waiting,
            cut: cut
                .iter()
                .map(|Cut { field, kept, of }| (field.clone(), *kept as u64, *of as u64))
                .collect(),
            work: WorkV1::from_model(work),
            escalation: escalation.as_ref().map(EscalationV1::from_model),
        }
    }

    fn into_model(self) -> Mention {
        Mention {
            id: self.id,
            source: self.source,
            network: self.network.into(),
            author: Author {
                name: self.author_name,
                handle: self.author_handle,
                followers: self.followers,
            },
            text: self.text,
            lang: self.lang,
            created: self.created,
            received: self.received,
            in_reply_to: self.in_reply_to,
            url: self.url,
            sentiment: Sentiment {
                score: self.score,
                label: self.label.into(),
                reasons: self
                    .reasons
                    .into_iter()
                    .map(|(what, weight)| Reason { what, weight })
                    .collect(),
            },
            state: self.state.into(),
            cues: self
                .cues
                .into_iter()
                .map(|(tag, weight)| Cue { tag, weight })
                .collect(),
            author_waiting: self.author_waiting,
            cut: self
                .cut
                .into_iter()
                .map(|(field, kept, of)| Cut {
                    field,
                    kept: kept as usize,
                    of: of as usize,
                })
                .collect(),
            work: self.work.into_model(),
            escalation: self.escalation.map(EscalationV1::into_model),
        }
    }
}

impl Record for Mention {
    const CURRENT: u8 = MENTION_V1;

    fn encode(&self) -> Vec<u8> {
        with_tag(MENTION_V1, &MentionV1::from_model(self))
    }

    fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        match version(bytes) {
            Some(JSON) => json(bytes),
            Some(MENTION_V1) => body::<MentionV1>(bytes).map(MentionV1::into_model),
            _ => Err(unknown(bytes)),
        }
    }
}

// ---- replies ----

/// A reply (with the outbox's delivery notes) as version 1 writes it. Released: never change it.
#[derive(Serialize, Deserialize)]
struct ReplyV1 {
    id: String,
    mention_id: String,
    source: String,
    text: String,
    private: bool,
    created: Millis,
    sent: Option<Millis>,
    state: ReplyStateV1,
    first_try: Option<Millis>,
    not_before: Option<Millis>,
    remote_id: Option<String>,
    note: Option<String>,
    tries: u32,
}

impl ReplyV1 {
    fn from_model(r: &Reply) -> Self {
        let Reply {
            id,
            mention_id,
            source,
            text,
            private,
            created,
            sent,
            state,
            delivery:
                Delivery {
                    first_try,
                    not_before,
                    remote_id,
                    note,
                    tries,
                },
        } = r;
        Self {
            id: id.clone(),
            mention_id: mention_id.clone(),
            source: source.clone(),
            text: text.clone(),
            private: *private,
            created: *created,
            sent: *sent,
            state: state.into(),
            first_try: *first_try,
            not_before: *not_before,
            remote_id: remote_id.clone(),
            note: note.clone(),
            tries: *tries,
        }
    }

    fn into_model(self) -> Reply {
        Reply {
            id: self.id,
            mention_id: self.mention_id,
            source: self.source,
            text: self.text,
            private: self.private,
            created: self.created,
            sent: self.sent,
            state: self.state.into(),
            delivery: Delivery {
                first_try: self.first_try,
                not_before: self.not_before,
                remote_id: self.remote_id,
                note: self.note,
                tries: self.tries,
            },
        }
    }
}

impl Record for Reply {
    const CURRENT: u8 = REPLY_V1;

    fn encode(&self) -> Vec<u8> {
        with_tag(REPLY_V1, &ReplyV1::from_model(self))
    }

    fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        match version(bytes) {
            Some(JSON) => json(bytes),
            Some(REPLY_V1) => body::<ReplyV1>(bytes).map(ReplyV1::into_model),
            _ => Err(unknown(bytes)),
        }
    }
}

// ---- the audit log ----

/// An audit entry as version 1 writes it. Released: never change it.
#[derive(Serialize, Deserialize)]
struct AuditV1 {
    at: Millis,
    actor: String,
    action: String,
    mention: Option<String>,
    detail: String,
}

impl AuditV1 {
    fn from_model(e: &AuditEntry) -> Self {
        let AuditEntry {
            at,
            actor,
            action,
            mention,
            detail,
        } = e;
        Self {
            at: *at,
            actor: actor.clone(),
            action: action.clone(),
            mention: mention.clone(),
            detail: detail.clone(),
        }
    }

    fn into_model(self) -> AuditEntry {
        AuditEntry {
            at: self.at,
            actor: self.actor,
            action: self.action,
            mention: self.mention,
            detail: self.detail,
        }
    }
}

impl Record for AuditEntry {
    const CURRENT: u8 = AUDIT_V1;

    fn encode(&self) -> Vec<u8> {
        with_tag(AUDIT_V1, &AuditV1::from_model(self))
    }

    fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        match version(bytes) {
            Some(JSON) => json(bytes),
            Some(AUDIT_V1) => body::<AuditV1>(bytes).map(AuditV1::into_model),
            _ => Err(unknown(bytes)),
        }
    }
}

/// A mention's state alone, as the rank index keeps it: the stored enum's bytes (a byte or
/// a few), whose first byte says which state it is.
pub fn state_bytes(s: MentionState) -> Vec<u8> {
    postcard::to_allocvec(&StateV1::from(s)).expect("a plain enum")
}

pub fn state_from_bytes(b: &[u8]) -> Option<MentionState> {
    match postcard::take_from_bytes::<StateV1>(b) {
        Ok((s, [])) => Some(s.into()),
        _ => None,
    }
}

/// The mention's state as the index and the counts name it: the tag its JSON form has had
/// since the first store (`new`, `snoozed`, `no_reply`…), stable across versions.
pub fn state_tag(s: MentionState) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.get("state")?.as_str().map(str::to_string))
        .unwrap_or_else(|| s.name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention() -> Mention {
        Mention {
            id: "m:1".into(),
            source: "social.example".into(),
            network: Network::Bluesky,
            author: Author {
                name: "Zoë".into(),
                handle: "zoe.bsky.social".into(),
                followers: 1_200_000,
            },
            text: "my parcel 📦 never came".into(),
            lang: "en".into(),
            created: 1_795_464_000_000,
            received: -5,
            in_reply_to: Some("m:0".into()),
            url: None,
            sentiment: Sentiment {
                score: -0.75,
                label: Label::Negative,
                reasons: vec![Reason {
                    what: "never came".into(),
                    weight: -0.5,
                }],
            },
            state: MentionState::Snoozed { until: 42 },
            cues: vec![Cue {
                tag: "delivery".into(),
                weight: 0.8,
            }],
            author_waiting: true,
            cut: vec![Cut {
                field: "text".into(),
                kept: 5000,
                of: 1 << 20,
            }],
            work: Work {
                tags: vec!["billing".into()],
                notes: vec![Note {
                    at: 9,
                    by: "kim".into(),
                    text: "called them".into(),
                    next_shift: true,
                }],
                assignee: Some("kim".into()),
                back: Some(11),
            },
            escalation: Some(Escalation {
                department: "billing".into(),
                note: String::new(),
                by: "kim".into(),
                at: 10,
                key: "k1".into(),
            }),
        }
    }

    fn reply(state: ReplyState) -> Reply {
        Reply {
            id: "m:1#r1".into(),
            mention_id: "m:1".into(),
            source: "social.example".into(),
            text: "Sorry!".into(),
            private: true,
            created: 7,
            sent: Some(8),
            state,
            delivery: Delivery {
                first_try: Some(7),
                not_before: None,
                remote_id: Some("1099".into()),
                note: None,
                tries: 3,
            },
        }
    }

    #[test]
    fn every_record_reads_back_as_written_and_as_its_json() {
        let m = mention();
        let b = m.encode();
        assert_eq!(b[0], MENTION_V1);
        assert_eq!(Mention::decode(&b).unwrap(), m);
        assert_eq!(
            Mention::decode(&serde_json::to_vec(&m).unwrap()).unwrap(),
            m
        );
        let all_states = [
            MentionState::New,
            MentionState::Seen,
            MentionState::Replied,
            MentionState::Done,
            MentionState::NoReply,
            MentionState::Spam,
            MentionState::Hidden,
            MentionState::SnoozedForAuthor { since: 3 },
            MentionState::Waiting { since: 4 },
            MentionState::Escalated,
        ];
        for s in all_states {
            let m = Mention {
                state: s,
                ..mention()
            };
            assert_eq!(Mention::decode(&m.encode()).unwrap().state, s);
        }
        for s in [
            ReplyState::Queued,
            ReplyState::Sending,
            ReplyState::Sent,
            ReplyState::Failed("422 too long".into()),
            ReplyState::Unknown,
        ] {
            let r = reply(s);
            assert_eq!(Reply::decode(&r.encode()).unwrap(), r);
            assert_eq!(Reply::decode(&serde_json::to_vec(&r).unwrap()).unwrap(), r);
        }
        let e = AuditEntry {
            at: 3,
            actor: "sam".into(),
            action: "done".into(),
            mention: Some("m:1".into()),
            detail: String::new(),
        };
        assert_eq!(AuditEntry::decode(&e.encode()).unwrap(), e);
    }

    /// The bytes of version 1 are fixed once released: this record must keep reading so.
    #[test]
    fn version_one_bytes_stay_readable() {
        let e = AuditEntry {
            at: -1,
            actor: "a".into(),
            action: "b".into(),
            mention: None,
            detail: "c".into(),
        };
        let bytes = [1, 1, 1, b'a', 1, b'b', 0, 1, b'c'];
        assert_eq!(e.encode(), bytes);
        assert_eq!(AuditEntry::decode(&bytes).unwrap(), e);
    }

    #[test]
    fn broken_and_unknown_records_are_errors_not_guesses() {
        let b = mention().encode();
        assert!(Mention::decode(&b[..b.len() - 1]).is_err(), "cut short");
        let mut long = b.clone();
        long.push(0);
        assert!(Mention::decode(&long).is_err(), "bytes left over");
        let mut newer = b;
        newer[0] = 9;
        let e = Mention::decode(&newer).unwrap_err();
        assert!(e.0.contains("newer"), "{e}");
        assert!(Mention::decode(b"").is_err());
        assert!(Reply::decode(b"{\"id\": trunc").is_err());
    }

    #[test]
    fn binary_is_smaller_than_json() {
        let m = mention();
        assert!(m.encode().len() * 2 < serde_json::to_vec(&m).unwrap().len());
    }

    #[test]
    fn state_tags_are_the_json_names() {
        assert_eq!(state_tag(MentionState::NoReply), "no_reply");
        assert_eq!(state_tag(MentionState::Snoozed { until: 5 }), "snoozed");
        assert_eq!(state_tag(MentionState::New), "new");
    }
}
