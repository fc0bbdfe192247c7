//! Where the moderator is: view, filter, selected mention and the reply being written. Kept
//! in the store's meta as it changes (flushed with the drafts), so a restart, even after
//! `kill -9`, comes back to the same mention with its editor open.

use super::event::Effect;
use super::state::App;
use super::update::update;
use super::{Action, ActionKind, Event};

pub const VIEW: &str = "ui.view";
pub const FILTER: &str = "ui.filter";
pub const SELECTED: &str = "ui.selected";
/// The mention whose reply was open, or empty.
pub const COMPOSE: &str = "ui.compose";

/// The place as meta entries.
pub fn entries(app: &App) -> Vec<(&'static str, String)> {
    vec![
        (VIEW, app.view.name().to_string()),
        (FILTER, app.filter.raw.clone()),
        (SELECTED, app.selected.clone().unwrap_or_default()),
        (
            COMPOSE,
            app.compose
                .as_ref()
                .map(|c| c.mention.clone())
                .unwrap_or_default(),
        ),
    ]
}

/// Effects saving what changed of the place since it was last saved.
pub fn save_changes(app: &mut App, fx: &mut Vec<Effect>) {
    let now = entries(app);
    if now == app.saved_place {
        return;
    }
    for (i, (key, value)) in now.iter().enumerate() {
        if app.saved_place.get(i).map(|(_, v)| v) != Some(value) {
            fx.push(Effect::Meta(key.to_string(), value.clone()));
        }
    }
    app.saved_place = now;
}

/// Marks the place as read from the store (nothing to save yet) and asks for the editor
/// that was open to be opened again at the first event, when its effects can run.
pub fn restored(app: &mut App, compose: Option<String>) {
    app.resume_compose = compose.filter(|id| app.mentions.contains_key(id));
    app.saved_place = entries(app);
}

/// Opens the editor left open at the last exit, on its mention.
pub fn resume(app: &mut App, now: crate::model::Millis, fx: &mut Vec<Effect>) {
    let Some(id) = app.resume_compose.take() else {
        return;
    };
    super::undo::reveal(app, &id);
    fx.extend(update(
        app,
        now,
        Event::Action(Action::new(ActionKind::ReplyOpen)),
    ));
}
