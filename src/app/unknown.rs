//! A reply of unknown fate (the network never said whether it was posted, and looking it up
//! was refused) waits for the moderator: send it again with the same key, mark it sent (it
//! is on the network), or discard it. Each choice is audited.

use super::event::Effect;
use super::state::{audit, App, Picker, PickerPurpose};
use crate::actions::ActionKind as A;
use crate::model::{Reply, ReplyState};
use crate::outbox::settle::Settle;

/// The choices, as the picker lists them; the action name closes each line.
const CHOICES: [(A, &str); 3] = [
    (A::ReplyResend, "send it again with the same key"),
    (A::ReplyMarkSent, "mark it sent: it is on the network"),
    (A::ReplyDiscard, "discard it: it is not sent"),
];

/// The selected mention's latest reply of unknown fate.
pub fn pending(app: &App) -> Option<Reply> {
    let id = app.selected.as_ref()?;
    app.replies
        .get(id)?
        .iter()
        .rev()
        .find(|r| r.state == ReplyState::Unknown && !crate::outbox::is_like(r))
        .cloned()
}

/// Opens the choice for `r`, saying why its fate is unknown.
pub fn offer(app: &mut App, r: &Reply) {
    app.picker = Some(Picker {
        purpose: PickerPurpose::UnknownReply,
        title: "Reply of unknown fate: check the thread on the network, then".into(),
        items: CHOICES
            .iter()
            .map(|(k, what)| format!("{what} ({})", k.name()))
            .collect(),
        query: String::new(),
        selected: 0,
        previous: String::new(),
    });
    let why = r
        .delivery
        .note
        .clone()
        .unwrap_or_else(|| "the network did not say whether it was posted".into());
    app.info(why);
}

/// The action a picker line stands for.
pub fn chosen(item: &str) -> Option<A> {
    CHOICES
        .iter()
        .find(|(k, _)| item.ends_with(&format!("({})", k.name())))
        .map(|(k, _)| *k)
}

/// Applies the moderator's choice to the selected mention's unknown reply. Returns the reply
/// as it is now, so the caller can follow a "sent" with the mention.
pub fn settle(app: &mut App, kind: A, fx: &mut Vec<Effect>) -> Option<Reply> {
    let Some(r) = pending(app) else {
        app.error("no reply of unknown fate here");
        return None;
    };
    let (how, said) = match kind {
        A::ReplyResend => (Settle::Resend, "sending again with the same key"),
        A::ReplyMarkSent => (Settle::MarkSent, "marked sent"),
        _ => (Settle::Discard, "discarded: it will not be sent"),
    };
    let action = how.name();
    let r = how.apply(r, &app.actor, app.now);
    fx.push(audit(app, action, Some(&r.mention_id), &r.id));
    fx.push(Effect::SettleReply(Box::new(r.clone())));
    if let Some(list) = app.replies.get_mut(&r.mention_id) {
        if let Some(x) = list.iter_mut().find(|x| x.id == r.id) {
            *x = r.clone();
        }
    }
    app.info(said);
    Some(r)
}
