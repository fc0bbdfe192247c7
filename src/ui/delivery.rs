//! What a reply (or a like) is doing right now, in the words the queue row and the detail
//! pane show: queued, sending, waiting for a retry at a given time, failed, unknown.

use crate::model::{Millis, Reply, ReplyState, DEMO_SOURCE};
use crate::theme::Role;

/// `HH:MM:SS` UTC of `t`.
pub fn clock(t: Millis) -> String {
    crate::sources::net::format_time(t)[11..19].to_string()
}

/// When the next try is due, if the outbox is waiting (the server asked, or backing off).
fn waiting(r: &Reply, now: Millis) -> Option<Millis> {
    r.delivery
        .not_before
        .filter(|t| *t > now && matches!(r.state, ReplyState::Queued | ReplyState::Sending))
}

fn retry(r: &Reply) -> String {
    match r.delivery.tries {
        0 => String::new(),
        n => format!(" (retry {n})"),
    }
}

/// The compact mark for a queue row; None once it is sent (the row says "sent" then).
pub fn mark(r: &Reply, now: Millis) -> Option<(String, Role)> {
    let like = crate::outbox::is_like(r);
    let what = if like { "like " } else { "" };
    let (text, role) = if let Some(t) = waiting(r, now) {
        (format!("{what}wait {}{}", clock(t), retry(r)), Role::Notice)
    } else {
        match &r.state {
            ReplyState::Sent => return None,
            ReplyState::Queued => (format!("{what}queued"), Role::Notice),
            ReplyState::Sending => (format!("{what}sending"), Role::Notice),
            ReplyState::Failed(_) => (format!("{what}failed"), Role::Error),
            ReplyState::Unknown => (format!("{what}unknown"), Role::Error),
        }
    };
    Some((format!("[{text}] "), role))
}

/// The detail pane's line for it.
pub fn label(r: &Reply, now: Millis) -> (String, Role) {
    let like = crate::outbox::is_like(r);
    if let Some(t) = waiting(r, now) {
        let what = if like { "like" } else { "reply" };
        return (
            format!(
                "… {what} waiting until {} UTC{}, then tried again",
                clock(t),
                retry(r)
            ),
            Role::Notice,
        );
    }
    match &r.state {
        ReplyState::Sent if like => ("♥ liked".to_string(), Role::Sent),
        ReplyState::Sent if r.source == DEMO_SOURCE => ("✓ sent (demo)".to_string(), Role::Sent),
        ReplyState::Sent => ("✓ sent".to_string(), Role::Sent),
        ReplyState::Queued if like => ("… like queued".to_string(), Role::Notice),
        ReplyState::Queued => ("… queued".to_string(), Role::Notice),
        ReplyState::Sending if like => (format!("… liking{}", retry(r)), Role::Notice),
        ReplyState::Sending => (format!("… sending{}", retry(r)), Role::Notice),
        ReplyState::Failed(why) if like => (format!("✗ like failed: {why}"), Role::Error),
        ReplyState::Failed(why) => (format!("✗ failed: {why}"), Role::Error),
        ReplyState::Unknown => match &r.delivery.note {
            Some(why) => (format!("? unknown: {why}"), Role::Error),
            None => ("? unknown".to_string(), Role::Error),
        },
    }
}

/// The reply whose state the mention's row shows: its latest reply, else its latest like,
/// as long as it is not sent yet.
pub fn pending(replies: &[Reply]) -> Option<&Reply> {
    let last = |like: bool| {
        replies
            .iter()
            .rev()
            .find(|r| crate::outbox::is_like(r) == like)
    };
    [last(false), last(true)]
        .into_iter()
        .flatten()
        .find(|r| r.state != ReplyState::Sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(id: &str, state: ReplyState) -> Reply {
        Reply {
            id: id.into(),
            mention_id: "m".into(),
            source: "masto".into(),
            text: "hi".into(),
            private: false,
            created: 0,
            sent: None,
            state,
            delivery: Default::default(),
        }
    }

    #[test]
    fn a_waiting_reply_says_until_when_and_which_retry() {
        // 2026-11-22 20:00:00 UTC.
        let now = 1_795_464_000_000;
        let mut r = reply("r1", ReplyState::Queued);
        r.delivery.not_before = Some(now + 95_000);
        r.delivery.tries = 3;
        assert_eq!(mark(&r, now).unwrap().0, "[wait 20:01:35 (retry 3)] ");
        assert!(label(&r, now)
            .0
            .contains("waiting until 20:01:35 UTC (retry 3)"));
        // Once the time has passed it is simply queued again, not "waiting" in the past.
        assert_eq!(mark(&r, now + 96_000).unwrap().0, "[queued] ");
    }

    #[test]
    fn likes_say_liked_and_sent_replies_leave_the_row() {
        let mut like = reply("r1#like", ReplyState::Sent);
        like.text.clear();
        assert_eq!(label(&like, 0).0, "♥ liked");
        assert_eq!(mark(&like, 0), None);
        like.state = ReplyState::Failed("gone".into());
        assert_eq!(mark(&like, 0).unwrap().0, "[like failed] ");
        // A failed reply stays on the row even after a later like went out.
        let replies = vec![
            reply("r0", ReplyState::Failed("x".into())),
            reply("r2#like", ReplyState::Sent),
        ];
        assert_eq!(pending(&replies).unwrap().id, "r0");
        let replies = vec![
            reply("r0", ReplyState::Failed("x".into())),
            reply("r1", ReplyState::Sent),
        ];
        assert!(pending(&replies).is_none());
    }
}
