//! Taking queue actions back. Each action records what it changed; `mention.undo` puts the
//! latest back exactly (state, snooze time) on the mention it changed, reselects it and
//! writes the undo to the audit log. Pressed again, it takes back the one before.

use super::event::Effect;
use super::queue::{Filter, View};
use super::state::{audit, App};
use crate::model::{MentionId, MentionState};

/// How many actions can be taken back.
const DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub mention: MentionId,
    pub before: MentionState,
    pub after: MentionState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// One action on one or more mentions (`3d` is one action).
    States {
        action: String,
        changes: Vec<Change>,
    },
    /// A draft thrown away.
    Draft { mention: MentionId, text: String },
}

pub fn record(app: &mut App, u: Undo) {
    app.undo.push(u);
    if app.undo.len() > DEPTH {
        app.undo.remove(0);
    }
}

pub fn undo(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(u) = app.undo.pop() else {
        app.info("nothing to undo");
        return;
    };
    match u {
        Undo::States { action, changes } => {
            let mut restored = 0;
            for c in changes.iter().rev() {
                // A mention that moved on since (a reply went out, someone reopened it) is
                // left as it is: undo never overwrites a later change.
                let Some(m) = app
                    .mentions
                    .get(&c.mention)
                    .filter(|m| m.state == c.after)
                    .cloned()
                else {
                    continue;
                };
                let detail = format!("{action}: {} -> {}", c.after.name(), c.before.name());
                fx.push(audit(app, "mention.undo", Some(&m.id), &detail));
                super::update::set_state(app, m, c.before, fx);
                restored += 1;
            }
            let skipped = changes.len() - restored;
            let Some(first) = changes.first() else {
                return;
            };
            if restored > 0 {
                reveal(app, &first.mention);
            }
            let what = if changes.len() == 1 {
                handle(app, &first.mention)
            } else {
                format!("{restored} mentions")
            };
            let mut msg = format!("undone: {action} {what}");
            if skipped > 0 {
                msg.push_str(&format!(" ({skipped} changed since and left as they are)"));
            }
            app.info(msg);
        }
        Undo::Draft { mention, text } => {
            fx.push(audit(
                app,
                "mention.undo",
                Some(&mention),
                "compose.discard",
            ));
            app.drafts.insert(mention.clone(), text.clone());
            fx.push(Effect::SaveDraft {
                mention: mention.clone(),
                text,
            });
            reveal(app, &mention);
            app.info(format!("draft to {} restored", handle(app, &mention)));
        }
    }
}

fn handle(app: &App, id: &str) -> String {
    app.mentions
        .get(id)
        .map(|m| m.author.handle.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Selects a mention, widening the view (all, no filter) when it is not in the one shown.
pub fn reveal(app: &mut App, id: &str) {
    let Some(m) = app.mentions.get(id) else {
        return;
    };
    if app.visible.position(&app.rank(m)).is_none() {
        app.view = View::All;
        app.filter = Filter::default();
        app.rebuild_visible();
    }
    app.selected = Some(id.to_string());
    app.touched = true;
    app.detail_scroll = 0;
    app.ensure_visible();
}
