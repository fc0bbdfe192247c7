//! The team's workflow on mentions: the states a care team uses (waiting for the customer,
//! snoozed until the author writes), tags, internal notes and assignment. Each change is an
//! audited action (the agent, the time); `u` takes an action back as one step, however many
//! mentions it changed. Which mentions an action changes is `bulk::targets`' business.
//! Nothing here is ever sent to the network.

use super::event::Effect;
use super::input::{InputKind, LineInput};
use super::state::{audit, App};
use super::undo::{record, Change, Undo};
use crate::actions::{Action, ActionKind as A};
use crate::keymap::Mode;
use crate::model::{AuditEntry, Mention, MentionState, Note, Work};

/// Moves the target mentions (see `bulk::targets`) to `state`: one action, audited per
/// mention and taken back as one by `mention.undo`. Right after a reply, done and
/// waiting act on the mention just answered (`App::after_reply`).
pub(crate) fn mark(
    app: &mut App,
    state: MentionState,
    action: &str,
    count: u32,
    fx: &mut Vec<Effect>,
) {
    let offered = match state {
        MentionState::Done | MentionState::Waiting { .. } => app.after_reply.take(),
        _ => None,
    };
    let ids = match offered.filter(|id| app.mentions.contains_key(id)) {
        Some(id) => vec![id],
        None => super::bulk::targets(app, count),
    };
    let changed = change_each(app, &ids, action, fx, |_, m| {
        if m.state == state {
            return None;
        }
        let detail = match state {
            MentionState::Snoozed { until } => format!("until {until}"),
            MentionState::SnoozedForAuthor { .. } => crate::sla::UNTIL_AUTHOR.to_string(),
            _ => format!("{} -> {}", m.state.name(), state.name()),
        };
        let mut m = m.clone();
        m.state = state;
        Some((m, detail))
    });
    if changed.is_empty() {
        if ids.is_empty() {
            app.error("no mention selected");
        } else {
            app.info(format!("already {}", state.name()));
        }
        return;
    }
    let what = describe_targets(app, &changed);
    let undo = undo_hint(app);
    app.info(format!("{} {what}{undo}", state_verb(state)));
}

/// "waiting for the customer", not the short name the queue and the audit log use.
fn state_verb(s: MentionState) -> &'static str {
    match s {
        MentionState::Waiting { .. } => "waiting for the customer:",
        _ => s.name(),
    }
}

/// `w`: we answered and asked; the clock stands still until the author writes again.
pub(crate) fn waiting(app: &mut App, _action: &Action, count: u32, fx: &mut Vec<Effect>) {
    let state = MentionState::Waiting { since: app.now };
    mark(app, state, "mention.waiting", count, fx);
}

/// `Z` (`:snooze author`): out of the queue until the author writes again.
pub(crate) fn snooze_for_author(app: &mut App, _: &Action, count: u32, fx: &mut Vec<Effect>) {
    let state = MentionState::SnoozedForAuthor { since: app.now };
    mark(app, state, "mention.snooze", count, fx);
}

/// A new mention from an author we wait for: each of their mentions put aside until they
/// wrote comes back, new again and first in its band. Audited as modq's doing.
pub(super) fn author_wrote(app: &mut App, new: &Mention, fx: &mut Vec<Effect>) {
    let back: Vec<Mention> =
        app.mentions
            .values()
            .filter(|o| {
                o.id != new.id
                    && o.network == new.network
                    && o.author.handle == new.author.handle
                    && match o.state {
                        MentionState::Waiting { since }
                        | MentionState::SnoozedForAuthor { since } => new.created >= since,
                        _ => false,
                    }
            })
            .cloned()
            .collect();
    for mut m in back {
        fx.push(Effect::Audit(AuditEntry {
            at: app.now,
            actor: "modq".into(),
            action: "mention.author_wrote".into(),
            mention: Some(m.id.clone()),
            detail: format!(
                "{} -> new ({} wrote {})",
                m.state.name(),
                new.author.handle,
                new.id
            ),
        }));
        m.work.back = Some(app.now);
        super::update::set_state(app, m, MentionState::New, fx);
    }
}

/// Applies `edit` to each of `ids` that it changes: the new mention is stored, audited with
/// the detail `edit` gives, and the whole is one undo step. Returns the ids changed.
pub(super) fn change_each(
    app: &mut App,
    ids: &[String],
    action: &str,
    fx: &mut Vec<Effect>,
    edit: impl Fn(&App, &Mention) -> Option<(Mention, String)>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for id in ids {
        let Some(before) = app.mentions.get(id) else {
            continue;
        };
        let Some((after, detail)) = edit(app, before) else {
            continue;
        };
        changes.push(Change::between(before, &after));
        fx.push(audit(app, action, Some(id), &detail));
        let state = after.state;
        super::update::set_state(app, after, state, fx);
    }
    let ids: Vec<String> = changes.iter().map(|c| c.mention.clone()).collect();
    if !changes.is_empty() {
        record(
            app,
            Undo::States {
                action: action.to_string(),
                changes,
            },
        );
        super::bulk::acted(app);
    }
    if app.mode == Mode::Detail && app.selected.is_none() {
        app.mode = Mode::Queue;
    }
    ids
}

/// `@kim`, or `3 mentions`.
fn describe_targets(app: &App, ids: &[String]) -> String {
    match ids {
        [one] => app
            .mentions
            .get(one)
            .map(|m| m.author.handle.clone())
            .unwrap_or_default(),
        many => format!("{} mentions", many.len()),
    }
}

fn undo_hint(app: &App) -> String {
    app.keymap
        .key_for(Mode::Queue, A::MentionUndo)
        .map(|k| format!(" ({k} undoes)"))
        .unwrap_or_default()
}

/// Opens the command line on `cmd ` for the argument the action needs.
fn ask(app: &mut App, cmd: &str) {
    app.input = Some(LineInput::new(InputKind::Command, &format!("{cmd} "), ""));
}

/// `billing, #Refund` → `billing`, `refund`: lower case, letters, digits, `-` and `_`.
pub fn parse_tags(arg: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in arg.split(|c: char| c.is_whitespace() || c == ',') {
        let t: String = word
            .trim_start_matches('#')
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'))
            .flat_map(char::to_lowercase)
            .take(32)
            .collect();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// `t` / `:tag billing refund`: adds tags (free, or from `[tags] known`).
pub(crate) fn tag(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    let tags = parse_tags(action.arg.as_deref().unwrap_or(""));
    if tags.is_empty() {
        // The team's list, so nobody invents `bill` next to `billing`.
        if !app.tags_known.is_empty() {
            app.info(format!("known tags: {}", app.tags_known.join(" ")));
        }
        return ask(app, "tag");
    }
    let ids = super::bulk::targets(app, count);
    let changed = change_each(app, &ids, "mention.tag", fx, |_, m| {
        let added: Vec<&String> = tags.iter().filter(|t| !m.work.tags.contains(t)).collect();
        if added.is_empty() {
            return None;
        }
        let mut m = m.clone();
        m.work.tags.extend(added.iter().map(|t| t.to_string()));
        let detail = added
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some((m, detail))
    });
    let unknown: Vec<&str> = tags
        .iter()
        .filter(|t| !app.tags_known.is_empty() && !app.tags_known.contains(t))
        .map(String::as_str)
        .collect();
    let note = if unknown.is_empty() {
        String::new()
    } else {
        format!(" ({} not in [tags] known)", unknown.join(", "))
    };
    report(app, &changed, &format!("tagged {}", tags.join(" ")), &note);
}

/// `:untag billing`.
pub(crate) fn untag(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    let tags = parse_tags(action.arg.as_deref().unwrap_or(""));
    if tags.is_empty() {
        return ask(app, "untag");
    }
    let ids = super::bulk::targets(app, count);
    let changed = change_each(app, &ids, "mention.untag", fx, |_, m| {
        let gone: Vec<&String> = m.work.tags.iter().filter(|t| tags.contains(t)).collect();
        if gone.is_empty() {
            return None;
        }
        let detail = gone
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut m = m.clone();
        m.work.tags.retain(|t| !tags.contains(t));
        Some((m, detail))
    });
    report(app, &changed, &format!("untagged {}", tags.join(" ")), "");
}

/// `N` / `:note text`: an internal note, for the team only.
pub(crate) fn note(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    add_note(app, action, count, fx, false);
}

/// `:note! text`: a note flagged for the hand-over to the next shift.
pub(crate) fn note_next_shift(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    add_note(app, action, count, fx, true);
}

fn add_note(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>, next_shift: bool) {
    let text = crate::sanitize::sanitize_line(action.arg.as_deref().unwrap_or(""));
    if text.is_empty() {
        return ask(app, if next_shift { "note!" } else { "note" });
    }
    let ids = super::bulk::targets(app, count);
    let note = Note {
        at: app.now,
        by: app.actor.clone(),
        text,
        next_shift,
    };
    let detail = if next_shift {
        format!("{}{}", Note::NEXT_SHIFT, note.text)
    } else {
        note.text.clone()
    };
    let changed = change_each(app, &ids, "mention.note", fx, |_, m| {
        let mut m = m.clone();
        m.work.notes.push(note.clone());
        Some((m, detail.clone()))
    });
    let what = if next_shift {
        "note for the next shift added"
    } else {
        "note added"
    };
    report(app, &changed, what, "");
}

/// `:assign NAME` (`:assign -` takes the name off).
pub(crate) fn assign(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    let name = crate::sanitize::sanitize_line(action.arg.as_deref().unwrap_or(""));
    match name.as_str() {
        "" => ask(app, "assign"),
        "-" | "none" | "nobody" => assign_to(app, None, count, fx),
        _ => assign_to(app, Some(name), count, fx),
    }
}

/// `:take`: assigns the mention to the agent from config.
pub(crate) fn take(app: &mut App, _: &Action, count: u32, fx: &mut Vec<Effect>) {
    let me = app.actor.clone();
    assign_to(app, Some(me), count, fx);
}

fn assign_to(app: &mut App, who: Option<String>, count: u32, fx: &mut Vec<Effect>) {
    let ids = super::bulk::targets(app, count);
    let changed = change_each(app, &ids, "mention.assign", fx, |_, m| {
        if m.work.assignee == who {
            return None;
        }
        let name = |w: &Option<String>| w.clone().unwrap_or_else(|| "nobody".into());
        let detail = format!("{} -> {}", name(&m.work.assignee), name(&who));
        let mut m = m.clone();
        m.work.assignee = who.clone();
        Some((m, detail))
    });
    let what = match &who {
        Some(w) => format!("assigned to {w}"),
        None => "unassigned".into(),
    };
    report(app, &changed, &what, "");
}

/// `m`: the queue shows only the mentions assigned to me, or everyone's.
pub(crate) fn toggle_mine(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    app.mine = !app.mine;
    app.rebuild_visible();
    app.info(if app.mine {
        format!("mine: only mentions assigned to {}", app.actor)
    } else {
        "everyone's mentions".into()
    });
}

fn report(app: &mut App, changed: &[String], what: &str, note: &str) {
    if changed.is_empty() {
        app.info(format!("nothing changed ({what} already){note}"));
        return;
    }
    let who = describe_targets(app, changed);
    let undo = undo_hint(app);
    app.info(format!("{what}: {who}{undo}{note}"));
}

/// What changed from one record to the other, for the audit log of an undo:
/// `+billing -refund, note removed, assignee jo -> nobody`.
pub fn work_diff(from: &Work, to: &Work) -> String {
    let mut parts = Vec::new();
    for t in to.tags.iter().filter(|t| !from.tags.contains(t)) {
        parts.push(format!("+{t}"));
    }
    for t in from.tags.iter().filter(|t| !to.tags.contains(t)) {
        parts.push(format!("-{t}"));
    }
    if from.notes.len() > to.notes.len() {
        parts.push(format!(
            "{} note(s) removed",
            from.notes.len() - to.notes.len()
        ));
    } else if from.notes.len() < to.notes.len() {
        parts.push(format!(
            "{} note(s) back",
            to.notes.len() - from.notes.len()
        ));
    }
    if from.assignee != to.assignee {
        let name = |w: &Option<String>| w.clone().unwrap_or_else(|| "nobody".into());
        parts.push(format!(
            "assignee {} -> {}",
            name(&from.assignee),
            name(&to.assignee)
        ));
    }
    parts.join(", ")
}

/// Every action of the workflow clears the "done or waiting" offer after a reply except
/// the two it offers.
pub(super) fn forget_offer(app: &mut App, kind: A) {
    if !matches!(kind, A::MentionDone | A::MentionWaiting) {
        app.after_reply = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            parse_tags("Billing, #refund billing  x\u{1b}y"),
            vec!["billing", "refund", "xy"]
        );
        assert!(parse_tags(" , # ").is_empty());
    }

    #[test]
    fn diff_says_what_came_off_and_on() {
        let a = Work {
            tags: vec!["billing".into()],
            ..Work::default()
        };
        let b = Work {
            tags: vec!["refund".into()],
            assignee: Some("jo".into()),
            ..Work::default()
        };
        assert_eq!(
            work_diff(&a, &b),
            "+refund, -billing, assignee nobody -> jo"
        );
    }
}
