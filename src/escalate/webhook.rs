//! One escalation on its way to a department: the body as it was built when the moderator
//! escalated (the same bytes on every try) and its key, which never changes. Kept in the
//! store's meta tree (one record per key, and the list of keys), written only by the webhook
//! worker, so nothing races it.

use serde::{Deserialize, Serialize};

use super::department::{Department, Style};
use crate::model::{Mention, MentionId, Millis};
use crate::store::writer::StoreOp;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum WebhookState {
    Queued,
    /// A request may have left: after a crash it is sent again with the same key.
    Sending,
    Sent,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// The idempotency key: in the body and in the `Idempotency-Key` header.
    pub key: String,
    pub mention_id: MentionId,
    pub department: String,
    /// The JSON body, as built when queued.
    pub body: String,
    pub created: Millis,
    pub state: WebhookState,
    #[serde(default)]
    pub tries: u32,
    /// Not before this (backoff, or the receiver's `Retry-After`); kept so a restart waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<Millis>,
    /// Why the last try failed, for the detail pane.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Webhook {
    pub fn finished(&self) -> bool {
        matches!(self.state, WebhookState::Sent | WebhookState::Failed(_))
    }

    /// A few words for the row and the detail pane.
    pub fn describe(&self) -> String {
        match &self.state {
            WebhookState::Queued if self.tries > 0 => format!("retrying (try {})", self.tries + 1),
            WebhookState::Queued => "queued".into(),
            WebhookState::Sending => "sending".into(),
            WebhookState::Sent => "delivered".into(),
            WebhookState::Failed(why) => format!("failed: {why}"),
        }
    }
}

/// What the moderator adds when escalating.
#[derive(Debug, Clone)]
pub struct Escalating<'a> {
    pub mention: &'a Mention,
    pub department: &'a Department,
    pub note: &'a str,
    pub moderator: &'a str,
    pub now: Millis,
}

/// The queued delivery for an escalation, its body written in the department's style.
pub fn new(e: &Escalating<'_>) -> Webhook {
    let key = crate::outbox::key::new_key(&format!("{}#esc{}", e.mention.id, e.now), e.now);
    Webhook {
        body: body(e, &key),
        key,
        mention_id: e.mention.id.clone(),
        department: e.department.name.clone(),
        created: e.now,
        state: WebhookState::Queued,
        tries: 0,
        not_before: None,
        sent: None,
        note: None,
    }
}

/// Slack's escaping for text: `&`, `<` and `>` only (the rest is shown as written).
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn body(e: &Escalating<'_>, key: &str) -> String {
    let m = e.mention;
    let time = crate::sources::net::format_time(e.now);
    let v = match e.department.style {
        Style::Json => serde_json::json!({
            "idempotency_key": key,
            "department": e.department.name,
            "note": e.note,
            "moderator": e.moderator,
            "time": time,
            "mention": {
                "id": m.id,
                "network": m.network.name(),
                "account": m.source,
                "author": m.author.handle,
                "author_name": m.author.name,
                "text": m.text,
                "link": m.url,
                "created": crate::sources::net::format_time(m.created),
            },
        }),
        Style::Slack => {
            let mut text = format!(
                "*Escalated to {}* by {} from {} ({}):\n> {}",
                slack_escape(&e.department.name),
                slack_escape(e.moderator),
                slack_escape(&m.author.handle),
                m.network.name(),
                slack_escape(&m.text).replace('\n', "\n> "),
            );
            if !e.note.is_empty() {
                text.push_str(&format!("\nNote: {}", slack_escape(e.note)));
            }
            if let Some(u) = &m.url {
                text.push_str(&format!("\n<{u}|open the post>"));
            }
            text.push_str(&format!("\nref {key} · {time}"));
            serde_json::json!({ "text": text })
        }
    };
    v.to_string()
}

const INDEX: &str = "escalate.webhooks";

fn record_key(key: &str) -> String {
    format!("escalate.webhook:{key}")
}

/// Every delivery the store holds, oldest first.
pub fn load(store: &dyn Store) -> Vec<Webhook> {
    let keys: Vec<String> = store
        .meta_get(INDEX)
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    keys.iter()
        .filter_map(|k| store.meta_get(&record_key(k)).ok().flatten())
        .filter_map(|j| serde_json::from_str(&j).ok())
        .collect()
}

/// The store writes for `w`; `keys` is the list of keys when `w` is new (else None).
pub fn writes(w: &Webhook, keys: Option<&[String]>) -> Vec<StoreOp> {
    let mut ops = vec![StoreOp::Meta(
        record_key(&w.key),
        serde_json::to_string(w).unwrap_or_default(),
    )];
    if let Some(k) = keys {
        ops.push(StoreOp::Meta(
            INDEX.into(),
            serde_json::to_string(k).unwrap_or_default(),
        ));
    }
    ops
}

/// One delivery by key.
pub fn load_one(store: &dyn Store, key: &str) -> Option<Webhook> {
    store
        .meta_get(&record_key(key))
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
}
