//! One trait per network: backfill since a cursor, post a reply (public or private), like,
//! and find out whether something was already posted. Stream or poll loops live with each
//! network; the outbox worker and `modq sync` only see this trait.

use std::future::Future;

use serde::{Deserialize, Serialize};

use super::net::NetError;
use super::RawMention;
use crate::model::Reply;

/// What a network needs to answer a mention, written by the source next to the mention
/// (in the store's meta tree, under `reply_ref_key`) so the outbox can answer after a restart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRef {
    /// Mastodon status id, Bluesky post URI.
    pub remote_id: String,
    /// Who to address (`acct` / handle), without the `@`.
    pub handle: String,
    #[serde(default)]
    pub lang: Option<String>,
    /// Mastodon: the mention's visibility; a reply is never more public than what it answers.
    #[serde(default)]
    pub visibility: Option<String>,
    /// Bluesky: the author's DID, the post's CID, the thread root.
    #[serde(default)]
    pub did: Option<String>,
    #[serde(default)]
    pub cid: Option<String>,
    #[serde(default)]
    pub root_uri: Option<String>,
    #[serde(default)]
    pub root_cid: Option<String>,
}

pub fn reply_ref_key(mention_id: &str) -> String {
    format!("reply-ref:{mention_id}")
}

/// One backfill: new mentions, oldest first, and where to resume next time.
#[derive(Debug, Default)]
pub struct Page {
    pub mentions: Vec<(RawMention, ReplyRef)>,
    pub cursor: Option<String>,
}

/// A reply (or a like) on its way out, with the key it was given when it entered the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub reply: Reply,
    pub to: ReplyRef,
    pub key: String,
    pub like: bool,
    /// Posts already known to be our other replies to the same mention: a look-up never
    /// takes one of them for this reply.
    pub claimed: Vec<String>,
}

impl Outgoing {
    /// The text as posted: the author's handle leads, unless the moderator already wrote it.
    pub fn text(&self) -> String {
        let at = format!("@{}", self.to.handle.trim_start_matches('@'));
        let body = self.reply.text.trim();
        if self.to.handle.is_empty() || body.starts_with(&at) {
            body.to_string()
        } else {
            format!("{at} {body}")
        }
    }
}

pub trait Adapter: Send + Sync + 'static {
    /// Everything newer than `cursor` (None: the latest page only, to start somewhere).
    fn backfill(
        &self,
        cursor: Option<String>,
    ) -> impl Future<Output = Result<Page, NetError>> + Send;
    /// Posts, returning the network's id for it.
    fn post(&self, out: &Outgoing) -> impl Future<Output = Result<String, NetError>> + Send;
    /// How long after the first try sending again with the same key is safe: the server
    /// then answers with what the first request made, or makes it once (Mastodon's
    /// `Idempotency-Key`). None: look it up instead (`find_posted`).
    fn replay_window(&self) -> Option<std::time::Duration> {
        None
    }
    /// Was this already posted (after a crash or an answer that never came)? Matches this
    /// reply only (its key, or its text in reply to the same post), never just any reply.
    fn find_posted(
        &self,
        out: &Outgoing,
    ) -> impl Future<Output = Result<Option<String>, NetError>> + Send;
    /// A short check that the credentials work: who we are, for `modq account test`.
    fn whoami(&self) -> impl Future<Output = Result<String, NetError>> + Send;
}
