//! Taking queue actions back. Each action records what it changed; `mention.undo` puts the
//! latest back exactly (state, snooze time, tags, notes, assignee) on the mentions it
//! changed, reselects the first and writes the undo to the audit log. Pressed again, it
//! takes back the one before.

use super::event::Effect;
use super::queue::{Filter, View};
use super::state::{audit, App};
use crate::model::{Mention, MentionId, MentionState, Work};

/// How many actions can be taken back.
const DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub mention: MentionId,
    pub before: MentionState,
    pub after: MentionState,
    /// The team's record (tags, notes, assignee) before and after, when the action changed it.
    pub work: Option<Box<(Work, Work)>>,
}

impl Change {
    /// The change from `before` to `after` of one mention.
    pub fn between(before: &Mention, after: &Mention) -> Self {
        Self {
            mention: after.id.clone(),
            before: before.state,
            after: after.state,
            work: (before.work != after.work)
                .then(|| Box::new((before.work.clone(), after.work.clone()))),
        }
    }

    /// The mention still shows what the action did (only what it changed is compared).
    fn holds(&self, m: &Mention) -> bool {
        (self.before == self.after || m.state == self.after)
            && self.work.as_ref().is_none_or(|w| m.work == w.1)
    }

    /// The mention as it was before the action.
    fn revert(&self, mut m: Mention) -> Mention {
        m.state = self.before;
        if let Some(w) = &self.work {
            m.work = w.0.clone();
        }
        m
    }

    /// For the audit log: `done -> seen` for a state (the SLA pauses read it), else
    /// what came off and back on.
    fn describe(&self, action: &str) -> String {
        if self.before != self.after {
            return format!("{action}: {} -> {}", self.after.name(), self.before.name());
        }
        match &self.work {
            Some(w) => format!("{action}: {}", super::workflow::work_diff(&w.1, &w.0)),
            None => action.to_string(),
        }
    }
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
                let Some(m) = app.mentions.get(&c.mention).filter(|m| c.holds(m)).cloned() else {
                    continue;
                };
                fx.push(audit(
                    app,
                    "mention.undo",
                    Some(&m.id),
                    &c.describe(&action),
                ));
                super::update::set_state(app, c.revert(m), c.before, fx);
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
