//! `mention.escalate` (`e`, `:escalate billing [note]`): pass the selected mention to a
//! department. The department is chosen in the picker (its key, or by name), the note is
//! typed on the command line, and the escalation goes to the webhook outbox (durable, one
//! key for every try). The mention leaves the open view as *escalated*; `u` takes the mark
//! back, but not the message: the department has been told.

use super::event::Effect;
use super::input::{InputKind, LineInput};
use super::state::{audit, App, Picker, PickerPurpose};
use crate::actions::{Action, ActionKind as A};
use crate::escalate::department;
use crate::escalate::webhook::{self, Escalating};
use crate::keymap::Mode;
use crate::model::{Escalation, MentionState};

/// The template offered as a public holding reply after escalating.
pub const HOLDING_TEMPLATE: &str = "escalation-holding";

pub(crate) fn escalate(app: &mut App, action: &Action, _count: u32, fx: &mut Vec<Effect>) {
    if app.escalate.departments.is_empty() {
        app.error(
            "no departments to escalate to: add [[departments]] to config.toml \
             (README: Escalation and out of hours)",
        );
        return;
    }
    if app.selected_mention().is_none() {
        app.error("no mention selected");
        return;
    }
    let arg = action.arg.as_deref().map(str::trim).unwrap_or("");
    if arg.is_empty() {
        open_picker(app);
        return;
    }
    let (name, note) = match arg.split_once(char::is_whitespace) {
        Some((n, rest)) => (n, rest.trim()),
        None => (arg, ""),
    };
    match department::find(&app.escalate.departments, name) {
        Some(d) => {
            let d = d.clone();
            escalate_to(app, &d, note, fx);
        }
        None => {
            let known: Vec<&str> = app
                .escalate
                .departments
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            app.error(format!(
                "no department {name}{}: {}",
                crate::config::did_you_mean(name, known.iter().copied()),
                known.join(", ")
            ));
        }
    }
}

fn open_picker(app: &mut App) {
    let items = app
        .escalate
        .departments
        .iter()
        .map(|d| match d.key_char() {
            Some(k) => format!("[{k}] {}", d.name),
            None => format!("    {}", d.name),
        })
        .collect();
    app.picker = Some(Picker {
        purpose: PickerPurpose::Department,
        title: "Escalate to (its key, or Enter)".into(),
        items,
        query: String::new(),
        selected: 0,
        previous: String::new(),
    });
}

/// A picker line chosen: the note is typed next, on the command line.
pub(crate) fn picked(app: &mut App, item: &str) {
    let name = item.split_whitespace().last().unwrap_or("");
    app.input = Some(LineInput::new(
        InputKind::Command,
        &format!("escalate {name} "),
        "",
    ));
    app.info(format!(
        "a note for {name} (optional), then Enter; Esc cancels"
    ));
}

/// A key typed in the department picker before any search: a department's key chooses it.
pub(crate) fn picker_key(app: &mut App, c: char) -> bool {
    let Some(p) = app.picker.as_ref() else {
        return false;
    };
    if p.purpose != PickerPurpose::Department || !p.query.is_empty() {
        return false;
    }
    let Some(d) = app
        .escalate
        .departments
        .iter()
        .find(|d| d.key_char() == Some(c))
    else {
        return false;
    };
    let item = d.name.clone();
    app.picker = None;
    picked(app, &item);
    true
}

fn escalate_to(app: &mut App, d: &department::Department, note: &str, fx: &mut Vec<Effect>) {
    let Some(m) = app.selected_mention().cloned() else {
        app.error("no mention selected");
        return;
    };
    let w = webhook::new(&Escalating {
        mention: &m,
        department: d,
        note,
        moderator: &app.actor,
        now: app.now,
    });
    let detail = if note.is_empty() {
        format!("{} ({})", d.name, w.key)
    } else {
        format!("{}: {note} ({})", d.name, w.key)
    };
    fx.push(audit(app, "mention.escalate", Some(&m.id), &detail));
    let before = m.state;
    // Answered already: no holding reply is offered.
    let awaited = before.awaits_reply();
    let mut m = m;
    m.escalation = Some(Escalation {
        department: d.name.clone(),
        note: note.to_string(),
        by: app.actor.clone(),
        at: app.now,
        key: w.key.clone(),
    });
    app.escalate.upsert(w.clone());
    fx.push(Effect::Escalate(Box::new(w)));
    let id = m.id.clone();
    let handle = m.author.handle.clone();
    super::update::set_state(app, m, MentionState::Escalated, fx);
    super::undo::record(
        app,
        super::undo::Undo::States {
            action: "mention.escalate".into(),
            changes: vec![super::undo::Change {
                mention: id.clone(),
                before,
                after: MentionState::Escalated,
                work: None,
            }],
        },
    );
    let undo = app
        .keymap
        .key_for(Mode::Queue, A::MentionUndo)
        .map(|k| format!("{k} takes the mark back, not the message"))
        .unwrap_or_else(|| "undo takes the mark back, not the message".into());
    app.info(format!(
        "escalated {handle} to {}: queueing ({undo})",
        d.name
    ));
    if awaited && app.kit.template(HOLDING_TEMPLATE).is_some() {
        offer_holding_reply(app, &id, &d.name, fx);
    }
}

/// Opens the editor on the holding reply for `id`, filled and checked by the gate: Ctrl-S
/// sends it, Esc keeps it as a draft, Ctrl-X drops it.
fn offer_holding_reply(app: &mut App, id: &str, department: &str, fx: &mut Vec<Effect>) {
    if app.drafts.get(id).is_some_and(|d| !d.trim().is_empty()) {
        // Never over a draft the moderator wrote.
        return;
    }
    let shown = app.selected.clone();
    app.selected = Some(id.to_string());
    super::update::open_compose(app, fx);
    app.selected = shown.or(app.selected.clone());
    super::reply::insert_template(app, HOLDING_TEMPLATE, fx);
    super::reply::edit(app, fx, |e| {
        while let Some(at) = e.text().find("{department}") {
            e.replace_range(at..at + "{department}".len(), department);
        }
    });
    super::reply::recheck(app, fx);
    app.amend_status("; a holding reply is ready: send it, or Esc / Ctrl-X");
}

/// The outbox stored a delivery or moved it along.
pub(crate) fn on_webhook(app: &mut App, w: crate::escalate::webhook::Webhook) {
    let who = app
        .mentions
        .get(&w.mention_id)
        .map(|m| m.author.handle.clone())
        .unwrap_or_default();
    match &w.state {
        webhook::WebhookState::Sent => {
            app.info(format!("escalation of {who} delivered to {}", w.department))
        }
        webhook::WebhookState::Failed(why) => app.error(format!(
            "escalation of {who} to {} failed: {why}",
            w.department
        )),
        _ => {}
    }
    app.escalate.upsert(w);
}

/// `esc✓` and the like for the queue row of an escalated mention.
pub fn row_tag(app: &App, m: &crate::model::Mention) -> Option<String> {
    if m.state != MentionState::Escalated {
        return None;
    }
    let mark = m
        .escalation
        .as_ref()
        .and_then(|e| app.escalate.delivery(&m.id, &e.key))
        .map_or("?", |w| match w.state {
            webhook::WebhookState::Sent => "✓",
            webhook::WebhookState::Failed(_) => "!",
            _ => "…",
        });
    Some(format!("esc{mark}"))
}

/// The detail pane's lines about the mention's escalation.
pub fn detail_lines(app: &App, m: &crate::model::Mention) -> Vec<String> {
    let Some(e) = &m.escalation else {
        return Vec::new();
    };
    let when = crate::sources::net::format_time(e.at);
    let mut head = format!(
        "Escalated to {} by {} at {}",
        e.department,
        e.by,
        &when[..16]
    );
    if m.state != MentionState::Escalated {
        head.push_str(" (mark undone; the department was told)");
    }
    let mut out = vec![head];
    if !e.note.is_empty() {
        out.push(format!(
            "  note: {}",
            crate::sanitize::sanitize_line(&e.note)
        ));
    }
    let state = app
        .escalate
        .delivery(&m.id, &e.key)
        .map_or_else(|| "not in the outbox yet".to_string(), |w| w.describe());
    out.push(format!("  webhook: {state} (key {})", e.key));
    out
}
