//! What the moderator may do with a reply of unknown fate (the network never said whether it
//! was posted, and looking it up was refused): one place, for the console and the shell.

use crate::model::{Millis, Reply, ReplyState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Back to the outbox with the same key (the server may still recognise it).
    Resend,
    /// It is on the network: sent, and its mention replied.
    MarkSent,
    /// Given up: kept in the history as not sent.
    Discard,
}

impl Settle {
    pub const ALL: [Settle; 3] = [Settle::Resend, Settle::MarkSent, Settle::Discard];

    /// The audit log's name for the choice (also the console action's).
    pub fn name(self) -> &'static str {
        match self {
            Settle::Resend => "reply.resend",
            Settle::MarkSent => "reply.mark_sent",
            Settle::Discard => "reply.discard",
        }
    }

    /// The reply as the choice leaves it.
    pub fn apply(self, mut r: Reply, actor: &str, now: Millis) -> Reply {
        r.state = match self {
            Settle::Resend => ReplyState::Queued,
            Settle::MarkSent => {
                r.sent = Some(now);
                ReplyState::Sent
            }
            Settle::Discard => ReplyState::Failed(format!("discarded by {actor}: not sent")),
        };
        r.delivery.note = None;
        r.delivery.not_before = None;
        r
    }
}
