//! Bluesky: log in with an app password (keeping the refresh token: logins are
//! rate-limited), poll `listNotifications` for mentions, replies and quotes, reply with
//! `createRecord` under a record key chosen when the reply entered the outbox.

pub mod api;
pub mod facets;
pub mod profiles;

use serde::{Deserialize, Serialize};

use super::adapter::ReplyRef;
use super::RawMention;
use crate::model::Network;

/// The notification reasons that ask for an answer.
pub const REASONS: [&str; 3] = ["mention", "reply", "quote"];

#[derive(Debug, Clone, Deserialize)]
pub struct Author {
    pub did: String,
    pub handle: String,
    #[serde(default, rename = "displayName")]
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrongRef {
    pub uri: String,
    pub cid: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReplyRefs {
    pub root: StrongRef,
    pub parent: StrongRef,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PostRecord {
    #[serde(default)]
    pub text: String,
    #[serde(default, rename = "createdAt")]
    pub created_at: String,
    #[serde(default)]
    pub langs: Vec<String>,
    #[serde(default)]
    pub facets: Vec<facets::Facet>,
    #[serde(default)]
    pub reply: Option<ReplyRefs>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Notification {
    pub uri: String,
    pub cid: String,
    pub author: Author,
    pub reason: String,
    /// Any record type; only posts are read.
    #[serde(default)]
    pub record: serde_json::Value,
    #[serde(rename = "indexedAt")]
    pub indexed_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Notifications {
    pub notifications: Vec<Notification>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `at://did/app.bsky.feed.post/rkey` → the web address of the post.
fn web_url(uri: &str, handle: &str) -> Option<String> {
    let rkey = uri.strip_prefix("at://")?.split('/').nth(2)?;
    Some(format!("https://bsky.app/profile/{handle}/post/{rkey}"))
}

pub fn to_raw(source: &str, n: &Notification) -> Option<(RawMention, ReplyRef)> {
    if !REASONS.contains(&n.reason.as_str()) {
        return None;
    }
    let post: PostRecord = serde_json::from_value(n.record.clone()).ok()?;
    let text = facets::expand_links(&post.text, &post.facets);
    let created = super::net::parse_time(&post.created_at)
        .or_else(|| super::net::parse_time(&n.indexed_at))
        .unwrap_or(0);
    let root = post.reply.as_ref().map(|r| r.root.clone());
    let raw = RawMention {
        source: source.to_string(),
        network: Network::Bluesky,
        remote_id: n.uri.clone(),
        author_name: n
            .author
            .display_name
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| n.author.handle.clone()),
        author_handle: format!("@{}", n.author.handle),
        // Not in the notification: filled in by `profiles`, in batches, after the page.
        followers: 0,
        text,
        lang: post.langs.first().cloned(),
        created,
        in_reply_to: post.reply.as_ref().map(|r| r.parent.uri.clone()),
        url: web_url(&n.uri, &n.author.handle),
    };
    let to = ReplyRef {
        remote_id: n.uri.clone(),
        handle: n.author.handle.clone(),
        lang: post.langs.first().cloned(),
        visibility: None,
        did: Some(n.author.did.clone()),
        cid: Some(n.cid.clone()),
        // A post that starts a thread is its own root.
        root_uri: Some(root.as_ref().map_or(n.uri.clone(), |r| r.uri.clone())),
        root_cid: Some(root.map_or(n.cid.clone(), |r| r.cid)),
    };
    Some((raw, to))
}

/// A `listNotifications` item like the network sends (shared with the integration tests).
#[cfg(test)]
pub(crate) fn fixture(n: u32, text: &str, indexed_at: &str) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/bluesky/mention.json")).unwrap();
    v["uri"] = format!("at://did:plc:kim/app.bsky.feed.post/3kpost{n:04}").into();
    v["cid"] = format!("bafycid{n}").into();
    v["record"]["text"] = text.into();
    v["record"]["createdAt"] = indexed_at.into();
    v["indexedAt"] = indexed_at.into();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_becomes_a_raw_mention_with_its_thread() {
        let mut v = fixture(1, "@brand my parcel never came", "2024-05-01T10:00:00.000Z");
        v["record"]["reply"] = serde_json::json!({
            "root": {"uri": "at://did:plc:brand/app.bsky.feed.post/root", "cid": "rootcid"},
            "parent": {"uri": "at://did:plc:brand/app.bsky.feed.post/parent", "cid": "pcid"}
        });
        let n: Notification = serde_json::from_value(v).unwrap();
        let (raw, to) = to_raw("sky", &n).unwrap();
        assert_eq!(raw.text, "@brand my parcel never came");
        assert_eq!(raw.author_handle, "@kim.bsky.social");
        assert_eq!(
            raw.url.as_deref(),
            Some("https://bsky.app/profile/kim.bsky.social/post/3kpost0001")
        );
        assert_eq!(
            raw.in_reply_to.as_deref(),
            Some("at://did:plc:brand/app.bsky.feed.post/parent")
        );
        assert_eq!(to.root_cid.as_deref(), Some("rootcid"));
        assert_eq!(to.cid.as_deref(), Some("bafycid1"));
        let mut like = fixture(2, "", "2024-05-01T10:00:00.000Z");
        like["reason"] = "like".into();
        assert!(to_raw("sky", &serde_json::from_value(like).unwrap()).is_none());
    }
}
