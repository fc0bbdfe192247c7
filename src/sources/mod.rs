//! Sources turn a network's payloads into network-neutral `RawMention`s on one channel.
//! Adding a network touches one file here.

pub mod adapter;
pub mod bluesky;
pub mod demo;
pub mod feed;
pub mod ids;
pub mod jsonl;
pub mod launch;
pub mod mastodon;
pub mod net;
pub mod thread;

use crate::model::SourceState;
use crate::model::{Millis, Network};

/// What a source hands over, before sanitising and triage. Strings are untrusted.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMention {
    pub source: String,
    pub network: Network,
    pub remote_id: String,
    pub author_name: String,
    pub author_handle: String,
    pub followers: u64,
    pub text: String,
    pub lang: Option<String>,
    pub created: Millis,
    /// Remote id of the post this one answers, on the same source.
    pub in_reply_to: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SourceMsg {
    Mention(Box<RawMention>),
    Status {
        source: String,
        state: SourceState,
    },
    /// A position to resume from after a restart, kept in the store's meta tree.
    Cursor {
        key: String,
        value: String,
    },
    /// The account's post length limits, as its server gave them at connect.
    Limits {
        source: String,
        limits: crate::compose::gate::length::Limits,
    },
}
