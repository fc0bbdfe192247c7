//! Mastodon: mentions from the user notification stream (server-sent events) with a REST
//! backfill on every connect, replies and favourites over REST. Our own serde types: only
//! the fields modq reads; unknown fields are ignored.

pub mod api;
pub mod html;
pub mod stream;

use serde::Deserialize;

use super::adapter::ReplyRef;
use super::ids::{opt_string_or_number, string_or_number};
use super::RawMention;
use crate::model::Network;

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub acct: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub followers_count: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Status {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub created_at: String,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub uri: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub spoiler_text: String,
    pub account: Account,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Notification {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub status: Option<Status>,
}

/// Mastodon ids are decimal strings of growing length (sent as strings because they outgrow
/// a float; a server that sends bare numbers is read digit for digit): compare as numbers would.
pub fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// A mention notification as modq sees it; other kinds (and mentions without a status) give None.
pub fn to_raw(source: &str, n: &Notification) -> Option<(RawMention, ReplyRef)> {
    if n.kind != "mention" {
        return None;
    }
    let s = n.status.as_ref()?;
    let mut text = html::to_text(&s.content);
    if !s.spoiler_text.is_empty() {
        // The content warning is what readers see first; keep it in front.
        text = format!("CW: {}\n\n{text}", html::decode(&s.spoiler_text));
    }
    let raw = RawMention {
        source: source.to_string(),
        network: Network::Mastodon,
        remote_id: s.id.clone(),
        author_name: if s.account.display_name.is_empty() {
            s.account.acct.clone()
        } else {
            s.account.display_name.clone()
        },
        author_handle: format!("@{}", s.account.acct),
        followers: s.account.followers_count,
        text,
        lang: s.language.clone(),
        created: super::net::parse_time(&s.created_at).unwrap_or(0),
        in_reply_to: s.in_reply_to_id.clone(),
        url: s.url.clone().or_else(|| s.uri.clone()),
    };
    let to = ReplyRef {
        remote_id: s.id.clone(),
        handle: s.account.acct.clone(),
        lang: s.language.clone(),
        visibility: Some(s.visibility.clone()).filter(|v| !v.is_empty()),
        ..Default::default()
    };
    Some((raw, to))
}

/// A mention notification like the network sends (the file the integration tests use too),
/// with its notification id, status id and HTML.
#[cfg(test)]
pub(crate) fn fixture(nid: &str, sid: &str, html: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(include_str!(
        "../../../tests/fixtures/mastodon/mention.json"
    ))
    .unwrap();
    v["id"] = nid.into();
    v["status"]["id"] = sid.into();
    v["status"]["content"] = html.into();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_becomes_a_raw_mention() {
        let n: Notification = serde_json::from_value(fixture(
            "5",
            "109",
            "<p><span class=\"h-card\"><a class=\"u-url mention\" href=\"https://x/@brand\">@<span>brand</span></a></span> where&#39;s my refund?</p>",
        ))
        .unwrap();
        let (raw, to) = to_raw("masto", &n).unwrap();
        assert_eq!(raw.remote_id, "109");
        assert_eq!(raw.text, "@brand where's my refund?");
        assert_eq!(raw.author_handle, "@kim@shop.example");
        assert_eq!(raw.author_name, "Kim Example");
        assert_eq!(raw.followers, 1200);
        assert_eq!(raw.lang.as_deref(), Some("en"));
        assert_eq!(
            raw.created,
            crate::sources::net::parse_time("2024-05-01T10:00:00Z").unwrap()
        );
        assert_eq!(to.handle, "kim@shop.example");
        assert_eq!(to.visibility.as_deref(), Some("public"));
        let fav: Notification =
            serde_json::from_value(serde_json::json!({"id": "6", "type": "favourite"})).unwrap();
        assert!(to_raw("masto", &fav).is_none());
    }

    #[test]
    fn ids_past_64_bits_are_kept_as_sent() {
        // Bare numbers, as a server that does not quote its ids would send them.
        let text = serde_json::to_string(&fixture("NID", "SID", "<p>a</p>"))
            .unwrap()
            .replace("\"NID\"", "18446744073709551617")
            .replace("\"SID\"", "18446744073709551616")
            .replace(
                "\"in_reply_to_id\":null",
                "\"in_reply_to_id\":18446744073709551615",
            );
        let n: Notification = serde_json::from_str(&text).unwrap();
        assert_eq!(n.id, "18446744073709551617");
        let (raw, to) = to_raw("masto", &n).unwrap();
        assert_eq!(raw.remote_id, "18446744073709551616");
        assert_eq!(to.remote_id, "18446744073709551616");
        assert_eq!(raw.in_reply_to.as_deref(), Some("18446744073709551615"));
    }

    #[test]
    fn ids_order_numerically() {
        assert_eq!(id_order("99", "100"), std::cmp::Ordering::Less);
        assert_eq!(id_order("100", "100"), std::cmp::Ordering::Equal);
    }
}
