//! Marking rows to act on many at once. `<Space>` toggles the mark of the selected row
//! (a count marks that many from it), `V` marks from the last mark to the cursor, `:all`
//! marks the whole filter result. Done, no reply, spam, snooze, tag, note and assign then
//! act on every marked mention, one audit entry each and one undo step, and the marks go.

use super::event::Effect;
use super::state::App;
use crate::actions::Action;

/// The mentions an action changes: the marked ones in queue order (marked mentions that the
/// view no longer shows last), else the selected one and `count - 1` below it.
pub fn targets(app: &App, count: u32) -> Vec<String> {
    if !app.marks.is_empty() {
        let mut ids: Vec<String> = app
            .visible
            .keys
            .iter()
            .filter(|k| app.marks.contains(&k.id))
            .map(|k| k.id.clone())
            .collect();
        let mut rest: Vec<String> = app
            .marks
            .iter()
            .filter(|id| app.mentions.contains_key(*id) && !ids.contains(id))
            .cloned()
            .collect();
        rest.sort();
        ids.extend(rest);
        return ids;
    }
    let Some(at) = app.selected_index() else {
        return Vec::new();
    };
    app.visible
        .keys
        .iter()
        .skip(at)
        .take(count.max(1) as usize)
        .map(|k| k.id.clone())
        .collect()
}

/// An action went through on the marked mentions: the marks have done their work.
pub(super) fn acted(app: &mut App) {
    app.marks.clear();
    app.mark_anchor = None;
}

/// `<Space>`: toggles the selected row's mark (a count: that many rows from it), then moves
/// down, so marking a run is `<Space>` `<Space>` `<Space>`.
pub(crate) fn toggle(app: &mut App, _: &Action, count: u32, _: &mut Vec<Effect>) {
    let Some(at) = app.selected_index() else {
        app.error("no mention selected");
        return;
    };
    let ids: Vec<String> = app
        .visible
        .keys
        .iter()
        .skip(at)
        .take(count.max(1) as usize)
        .map(|k| k.id.clone())
        .collect();
    let unmark = ids.len() == 1 && app.marks.contains(&ids[0]);
    for id in &ids {
        if unmark {
            app.marks.remove(id);
        } else {
            app.marks.insert(id.clone());
        }
    }
    app.mark_anchor = ids.last().cloned().filter(|_| !unmark);
    let next = (at + ids.len()).min(app.visible.len().saturating_sub(1));
    app.select_index(next);
    app.touched = true;
    app.ensure_visible();
    say_marked(app);
}

/// `V`: marks every row from the last mark (or the selection) to the cursor; with a count,
/// that many rows from the cursor down.
pub(crate) fn extend(app: &mut App, _: &Action, count: u32, _: &mut Vec<Effect>) {
    let Some(cur) = app.selected_index() else {
        app.error("no mention selected");
        return;
    };
    let anchor = app
        .mark_anchor
        .as_ref()
        .and_then(|id| app.mentions.get(id))
        .and_then(|m| app.visible.position(&app.rank(m)));
    let (from, to) = match (count > 1, anchor) {
        (true, _) | (false, None) => (cur, cur + count.max(1) as usize - 1),
        (false, Some(a)) => (a.min(cur), a.max(cur)),
    };
    let to = to.min(app.visible.len().saturating_sub(1));
    let ids: Vec<String> = app
        .visible
        .keys
        .iter_from(from)
        .take((to + 1).saturating_sub(from))
        .map(|k| k.id.clone())
        .collect();
    app.marks.extend(ids);
    app.mark_anchor = app.selected.clone();
    say_marked(app);
}

/// `:all` marks the whole filter result; `:all done` (any command) then acts on it.
pub(crate) fn all(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    let ids: Vec<String> = app.visible.keys.iter().map(|k| k.id.clone()).collect();
    app.marks.extend(ids);
    match action
        .arg
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        Some(then) => super::update::run_command(app, then, fx),
        None => say_marked(app),
    }
}

/// `:unmark`: forgets every mark.
pub(crate) fn clear(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    let n = app.marks.len();
    acted(app);
    app.info(format!("{n} marks cleared"));
}

fn say_marked(app: &mut App) {
    let n = app.marks.len();
    app.info(format!(
        "{n} marked: the next action acts on all of them (:unmark clears)"
    ));
}
