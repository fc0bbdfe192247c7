//! `update`: one event in, state changed, effects out. Keys are routed by context, text
//! input first: while a reply, a command or a picker query is being typed, no queue key fires.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::event::{Effect, Event};
use super::input::{InputKind, LineInput};
use super::queue::{Filter, View};
use super::reply::edit;
use super::state::{audit, App, Compose, GateState, PickerPurpose, StatusKind};
use super::{author, workflow};
use crate::actions::{Action, ActionKind as A};
use crate::compose::editor::Editor;
use crate::keymap::{Key, Lookup, Mode};
use crate::model::{Mention, MentionState, Millis, Reply, ReplyState};

pub fn update(app: &mut App, now: Millis, event: Event) -> Vec<Effect> {
    app.now = now;
    // The counters follow the clock first: a snooze that ran out, a deadline that passed.
    app.advance();
    let mut fx = Vec::new();
    super::place::resume(app, now, &mut fx);
    match event {
        Event::Key(k) => on_key(app, &k, &mut fx),
        Event::Paste(text) => on_paste(app, &text, &mut fx),
        Event::Resize(w, h) => {
            app.screen = (w, h);
            app.fit_scroll();
        }
        Event::Tick => on_tick(app),
        Event::MentionArrived(m) => {
            let m = super::arrival::arrived(app, *m, &mut fx);
            app.insert_mention(m);
        }
        Event::Source { name, state } => {
            app.sources.insert(name, state);
        }
        Event::ReplyQueued(r) => {
            // A late "queued" never hides a result that already came back.
            let known = app
                .replies
                .get(&r.mention_id)
                .is_some_and(|l| l.iter().any(|x| x.id == r.id));
            if !known {
                app.info(format!("{} queued", about(app, &r)));
                upsert_reply(app, *r);
            }
        }
        Event::ReplySent(r) => on_reply_sent(app, *r, &mut fx),
        Event::ReplyFailed(r) => {
            let reason = match &r.state {
                ReplyState::Failed(why) => why.clone(),
                _ => "unknown".into(),
            };
            // The reason first: it is what the moderator acts on.
            let what = if crate::outbox::is_like(&r) {
                "like"
            } else {
                "reply"
            };
            app.error(format!("{what} failed: {reason}"));
            upsert_reply(app, *r);
        }
        Event::ReplyUpdated(r) => {
            if r.state == ReplyState::Unknown {
                app.error(format!(
                    "{}: the network did not say whether it was posted; check it \
                     there, then R: send again, mark sent or discard",
                    about(app, &r)
                ));
            }
            upsert_reply(app, *r);
        }
        Event::ThemeLoaded(Ok(t)) => {
            app.info(format!("theme {}", t.name));
            app.theme = t;
        }
        Event::ThemeLoaded(Err(e)) | Event::KeymapLoaded(Err(e)) | Event::Problem(e) => {
            app.error(e)
        }
        Event::KeymapLoaded(Ok(k)) => {
            app.info(format!("keymap {}", k.name));
            app.keymap = k;
        }
        Event::Action(a) => run(app, &a, 1, &mut fx),
        Event::Gate(done) => {
            super::reply::on_done(app, done, &mut fx);
            if super::reply::take_send_when_checked(app) {
                send(app, &mut fx, false);
            }
        }
        Event::Thread { seq, result } => super::thread::arrived(app, seq, result),
        Event::Webhook(w) => super::escalate::on_webhook(app, *w),
        Event::Figures { seq, content } => super::figures::arrived(app, seq, content),
        Event::Limits { source, limits } => {
            app.limits.insert(source, limits);
        }
    }
    super::reply::recheck_if_moved(app, &mut fx);
    // A snooze (or waiting) stops a mention's SLA clock and any later action on it starts
    // it again: every audited action of this event, undo included, passes by the pauses.
    for e in &fx {
        if let Effect::Audit(a) = e {
            app.record_pause(a);
        }
    }
    super::place::save_changes(app, &mut fx);
    super::reply::refresh_picker(app);
    app.dirty = true;
    if std::mem::take(&mut app.bell) {
        fx.push(Effect::Bell);
    }
    fx
}

fn handle_of(app: &App, id: &str) -> String {
    app.mentions
        .get(id)
        .map(|m| m.author.handle.clone())
        .unwrap_or_else(|| id.to_string())
}

/// "reply to @kim" or "like of @kim's mention": a like is never reported as a reply.
fn about(app: &App, r: &Reply) -> String {
    let who = handle_of(app, &r.mention_id);
    if crate::outbox::is_like(r) {
        format!("like of {who}'s mention")
    } else {
        format!("reply to {who}")
    }
}

fn upsert_reply(app: &mut App, r: Reply) {
    let list = app.replies.entry(r.mention_id.clone()).or_default();
    match list.iter_mut().find(|x| x.id == r.id) {
        Some(x) => *x = r,
        None => list.push(r),
    }
}

/// The clock has already moved the counters and woken the snoozes that ran out (`update`
/// calls `App::advance` for every event); a tick only lets an old notice go.
fn on_tick(app: &mut App) {
    if app
        .status
        .as_ref()
        .is_some_and(|s| s.kind == StatusKind::Info && app.now - s.at > 8_000)
    {
        app.status = None;
    }
}

fn on_reply_sent(app: &mut App, r: Reply, fx: &mut Vec<Effect>) {
    let id = r.mention_id.clone();
    let demo = if r.source == crate::model::DEMO_SOURCE {
        " (demo: not posted anywhere)"
    } else {
        ""
    };
    let like = crate::outbox::is_like(&r);
    app.info(if like {
        format!("liked {}'s mention{demo}", handle_of(app, &id))
    } else {
        format!("reply to {} sent{demo}", handle_of(app, &id))
    });
    fx.push(audit(app, "reply.sent", Some(&id), &r.id));
    // A like is not an answer: the mention keeps waiting for one.
    upsert_reply(app, r);
    if like {
        return;
    }
    if let Some(m) = app.mentions.get(&id).cloned() {
        if m.state.awaits_reply() {
            set_state(app, m, MentionState::Replied, fx);
        }
    }
}

pub(super) fn set_state(app: &mut App, mut m: Mention, state: MentionState, fx: &mut Vec<Effect>) {
    m.state = state;
    fx.push(Effect::PersistMention(Box::new(m.clone())));
    app.replace_mention(m);
}

/// Plain typing: a character with no Ctrl/Alt (AltGr arrives as Ctrl+Alt and is typing too).
fn typed_char(k: &KeyEvent) -> Option<char> {
    let KeyCode::Char(c) = k.code else {
        return None;
    };
    let m = k.modifiers;
    let altgr = m.contains(KeyModifiers::CONTROL | KeyModifiers::ALT);
    (altgr || !m.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)).then_some(c)
}

fn on_key(app: &mut App, k: &KeyEvent, fx: &mut Vec<Effect>) {
    if k.kind == crossterm::event::KeyEventKind::Release {
        return;
    }
    if app.author_view.is_some() {
        return author::on_key(app, k);
    }
    if app.figures.is_some() {
        super::figures::on_key(app, k, fx);
        return;
    }
    let mode = app.active_mode();
    let key = Key::from_event(k);
    let mut pressed = std::mem::take(&mut app.pending_keys);
    pressed.push(key);
    match app.keymap.lookup_seq(mode, &pressed) {
        Lookup::Action(action) => {
            let count = app.count.take().unwrap_or(1);
            run(app, &action, count, fx);
            return;
        }
        Lookup::Prefix => {
            app.pending_keys = pressed;
            return;
        }
        // A sequence broken off: nothing runs (Esc is the way to break one off quietly).
        Lookup::None if pressed.len() > 1 => {
            app.count = None;
            if key.code != KeyCode::Esc {
                let typed: String = pressed.iter().map(Key::to_string).collect();
                app.error(format!("{typed} is not bound in {}", mode.name()));
            }
            return;
        }
        Lookup::None => {}
    }
    match mode {
        Mode::Compose => {
            if let Some(c) = typed_char(k) {
                edit(app, fx, |e| crate::compose::placeholder::type_char(e, c));
            }
        }
        Mode::Command => {
            if let Some(c) = typed_char(k) {
                let mut buf = [0u8; 4];
                input_edit(app, |l| l.insert(c.encode_utf8(&mut buf)));
            }
        }
        Mode::Picker => {
            if let Some(c) = typed_char(k) {
                if super::escalate::picker_key(app, c) {
                    return;
                }
                if let Some(p) = app.picker.as_mut() {
                    p.query.push(c);
                    p.selected = 0;
                }
            }
        }
        // Typing in help filters it.
        Mode::Help => {
            if let (Some(c), Some(h)) = (typed_char(k), app.help.as_ref()) {
                let previous = h.filter.clone();
                let mut l = LineInput::new(InputKind::HelpFilter, "", &previous);
                l.insert(c.encode_utf8(&mut [0u8; 4]));
                app.input = Some(l);
                input_edit(app, |_| {});
            }
        }
        Mode::Queue | Mode::Detail => match typed_char(k) {
            Some(d @ '0'..='9') if d != '0' || app.count.is_some() => {
                let n = app.count.unwrap_or(0).saturating_mul(10) + d.to_digit(10).unwrap_or(0);
                app.count = Some(n.min(9999));
            }
            _ => {
                app.count = None;
                let hint = app
                    .keymap
                    .key_for(mode, A::HelpToggle)
                    .map(|k| format!(" ({k} lists the keys)"))
                    .unwrap_or_default();
                app.error(format!("{key} is not bound in {}{hint}", mode.name()));
            }
        },
    }
}

fn on_paste(app: &mut App, text: &str, fx: &mut Vec<Effect>) {
    match app.active_mode() {
        Mode::Compose => edit(app, fx, |e| e.insert_str(text)),
        Mode::Command => input_edit(app, |l| l.insert(text)),
        Mode::Picker => {
            if let Some(p) = app.picker.as_mut() {
                p.query
                    .push_str(&text.replace(|c: char| c.is_control(), " "));
            }
        }
        _ => {}
    }
}

pub(super) fn input_edit(app: &mut App, f: impl FnOnce(&mut LineInput)) {
    let Some(l) = app.input.as_mut() else {
        return;
    };
    f(l);
    l.completion = None;
    // The filters follow typing, so the moderator sees what they keep.
    match l.kind {
        InputKind::Filter => {
            let text = l.text.clone();
            if let Ok(f) = Filter::parse(&text) {
                app.filter = f;
                app.rebuild_visible();
            }
        }
        InputKind::HelpFilter => {
            let text = l.text.clone();
            if let Some(h) = app.help.as_mut() {
                h.filter = text;
                h.scroll = 0;
            }
        }
        InputKind::Command => {}
    }
}

pub(super) fn move_selection(app: &mut App, delta: isize, fx: &mut Vec<Effect>) {
    let len = app.visible.len();
    if len == 0 {
        return;
    }
    app.touched = true;
    let cur = app.selected_index().unwrap_or(0) as isize;
    let next = (cur + delta).clamp(0, len as isize - 1) as usize;
    app.select_index(next);
    app.ensure_visible();
    // Moving with the detail pane open reads the next mention.
    if app.mode == Mode::Detail {
        mark_seen(app, fx);
    }
}

/// "New" is cleared once the moderator has read the mention (opened it or answered it), not
/// when the selection passes over it. Rank and view membership do not change, so the row
/// stays where it is.
pub(super) fn mark_seen(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(id) = app.selected.clone() else {
        return;
    };
    if let Some(mut m) = app
        .mentions
        .get(&id)
        .filter(|m| m.state == MentionState::New)
        .cloned()
    {
        m.state = MentionState::Seen;
        fx.push(Effect::PersistMention(Box::new(m.clone())));
        app.replace_mention(m);
    }
}

/// Runs an action through its registry entry (`crate::actions::COMMANDS`).
pub(super) fn run(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    workflow::forget_offer(app, action.kind);
    (action.kind.command().handler)(app, action, count, fx);
}

pub(super) fn compose_width(app: &App) -> u16 {
    let (w, h) = app.screen;
    crate::layout::areas(ratatui::layout::Rect::new(0, 0, w, h), true, 0)
        .compose
        .width
        .max(1)
}

pub(super) fn set_view(app: &mut App, v: View) {
    app.view = v;
    app.rebuild_visible();
    app.info(format!("view: {}", v.name()));
}

/// Moves the selected mention, and with a count the ones below it (`3d`), or the marked
/// ones, to `state` (see `workflow::mark`).
pub(super) fn mark(
    app: &mut App,
    state: MentionState,
    action: &str,
    count: u32,
    fx: &mut Vec<Effect>,
) {
    workflow::mark(app, state, action, count, fx);
}

/// Hiding is local: neither network lets modq hide someone else's post (Mastodon has no
/// such call; Bluesky hides replies through a thread gate, which modq does not set). The
/// status bar says so, so nobody believes the post is gone.
pub(super) fn hide(app: &mut App, count: u32, fx: &mut Vec<Effect>) {
    let Some(network) = app.selected_mention().map(|m| m.network) else {
        app.error("no mention selected");
        return;
    };
    mark(app, MentionState::Hidden, "mention.hide", count, fx);
    let why = match network {
        crate::model::Network::Mastodon => {
            ": Mastodon cannot hide other people's posts, it is still public there"
        }
        crate::model::Network::Bluesky => {
            ": on Bluesky only a thread gate hides replies, and modq does not set one"
        }
        _ => "",
    };
    app.amend_status(&format!(" (in modq only{why})"));
}

pub(super) fn open_compose(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(m) = app.selected_mention() else {
        app.error("no mention selected");
        return;
    };
    let id = m.id.clone();
    let gate = GateState::for_lang(&m.lang);
    let editor = match app.drafts.get(&id) {
        Some(d) => Editor::from_text(d),
        None => Editor::new(),
    };
    app.compose = Some(Compose {
        mention: id,
        editor,
        gate,
    });
    app.quote_scroll = 0;
    super::reply::recheck(app, fx);
    app.mode = Mode::Compose;
    mark_seen(app, fx);
    app.ensure_visible();
}

pub(super) fn send(app: &mut App, fx: &mut Vec<Effect>, private: bool) {
    let Some(c) = app.compose.as_ref() else {
        return;
    };
    let text = c.editor.text().trim().to_string();
    if text.is_empty() {
        app.error("the reply is empty");
        return;
    }
    if !app.mentions.contains_key(&c.mention) {
        app.error("that mention is no longer in the store");
        return;
    }
    // Sending privately is the same as turning the reply private, then sending: the gate
    // then judges it as private (asking for an order number is fine in a direct message).
    if private {
        if let Some(c) = app.compose.as_mut() {
            c.gate.private = true;
        }
    }
    if !super::reply::may_send(app, fx) {
        return;
    }
    let private = app.compose.as_ref().is_some_and(|c| c.gate.private);
    let Some((c, m)) = app
        .compose
        .as_ref()
        .and_then(|c| Some((c, app.mentions.get(&c.mention)?)))
    else {
        return;
    };
    let reply = Reply {
        id: format!("{}#r{}", m.id, app.now),
        mention_id: m.id.clone(),
        source: m.source.clone(),
        text,
        private: c.gate.private,
        created: app.now,
        sent: None,
        state: ReplyState::Queued,
        delivery: Default::default(),
    };
    fx.push(audit(app, "reply.send", Some(&reply.mention_id), &reply.id));
    app.after_reply = Some(reply.mention_id.clone());
    app.drafts.remove(&reply.mention_id);
    fx.push(Effect::QueueReply(Box::new(reply)));
    app.compose = None;
    app.mode = Mode::Queue;
    app.info(if private {
        "queueing private reply…"
    } else {
        "queueing reply…"
    });
    app.ensure_visible();
}

/// A like goes through the outbox like a reply; one per mention (liking twice is one like).
pub(super) fn like(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(m) = app.selected_mention() else {
        app.error("no mention selected");
        return;
    };
    let reply = Reply {
        id: format!("{}{}", m.id, crate::outbox::LIKE_SUFFIX),
        mention_id: m.id.clone(),
        source: m.source.clone(),
        text: "♥ like".into(),
        private: false,
        created: app.now,
        sent: None,
        state: ReplyState::Queued,
        delivery: Default::default(),
    };
    fx.push(audit(
        app,
        "mention.like",
        Some(&reply.mention_id),
        &reply.id,
    ));
    fx.push(Effect::QueueReply(Box::new(reply)));
    app.info("queueing like…");
}

/// Opens the editor on the last failed reply's text; sending it makes a new reply (the
/// failed one was refused, so it never went out) and the failure stays in the history.
/// A reply of unknown fate comes first: its choice opens instead.
pub(super) fn retry(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(id) = app.selected_mention().map(|m| m.id.clone()) else {
        app.error("no mention selected");
        return;
    };
    if let Some(r) = super::unknown::pending(app) {
        super::unknown::offer(app, &r);
        return;
    }
    let failed = app.replies.get(&id).and_then(|l| {
        l.iter()
            .rev()
            .find(|r| matches!(r.state, ReplyState::Failed(_)) && !crate::outbox::is_like(r))
            .map(|r| r.text.clone())
    });
    let Some(text) = failed else {
        app.error("no failed reply to retry here");
        return;
    };
    app.drafts.insert(id.clone(), text.clone());
    fx.push(Effect::SaveDraft { mention: id, text });
    open_compose(app, fx);
}

pub(super) fn history(app: &mut App, dir: A) {
    let hist = app.command_history.clone();
    let Some(l) = app.input.as_mut() else {
        return;
    };
    if l.kind != InputKind::Command || hist.is_empty() {
        return;
    }
    let pos = match (l.history_pos, dir) {
        (None, A::CommandHistoryPrev) => Some(hist.len() - 1),
        (Some(p), A::CommandHistoryPrev) => Some(p.saturating_sub(1)),
        (Some(p), _) if p + 1 < hist.len() => Some(p + 1),
        _ => None,
    };
    l.history_pos = pos;
    l.set(pos.map(|p| hist[p].as_str()).unwrap_or(""));
}

pub(super) fn preview_picker(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some(p) = &app.picker {
        if p.purpose == PickerPurpose::Theme {
            if let Some(name) = p.matches().get(p.selected) {
                fx.push(Effect::LoadTheme(name.to_string()));
            }
        }
    }
}

pub(super) fn accept_picker(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(p) = app.picker.take() else {
        return;
    };
    let Some(choice) = p.matches().get(p.selected).map(|s| s.to_string()) else {
        app.error("nothing matches");
        return;
    };
    match p.purpose {
        PickerPurpose::Theme => fx.push(Effect::LoadTheme(choice)),
        PickerPurpose::Template => super::reply::insert_template(app, &choice, fx),
        PickerPurpose::Department => super::escalate::picked(app, &choice),
        PickerPurpose::UnknownReply => {
            if let Some(kind) = super::unknown::chosen(&choice) {
                run(app, &Action::new(kind), 1, fx);
            }
        }
    }
}

/// `:done`, `:filter lang=ru`, `:theme night`, `:snooze 2h`, `:view handled`, `:sla 15`,
/// `:keymap vim`, `:quit`: any action by name or alias (`crate::actions::COMMANDS`), with
/// its argument after a space (or after a colon, as keymaps write it: `:reply.lang:pl`).
pub(super) fn run_command(app: &mut App, line: &str, fx: &mut Vec<Effect>) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    app.command_history.retain(|h| h != line);
    app.command_history.push(line.to_string());
    let (word, arg) = match line.split_once(char::is_whitespace) {
        Some((c, a)) => (c, a.trim()),
        None => (line, ""),
    };
    let (word, arg) = match word.split_once(':') {
        Some((w, a)) if arg.is_empty() => (w, a.trim()),
        _ => (word, arg),
    };
    let Some(kind) = A::from_command(word) else {
        let words = crate::actions::COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(&c.name).chain(c.aliases).copied());
        app.error(format!(
            "unknown command :{word}{} (Tab completes)",
            crate::config::did_you_mean(word, words)
        ));
        return;
    };
    let cmd = kind.command();
    // The command line is opened from the queue or the detail pane; an editor or picker
    // action does nothing there, so say where it works instead of doing nothing.
    let here = app.base_mode();
    if !cmd.works_in(here) {
        let modes: Vec<&str> = cmd.modes.iter().map(|m| m.name()).collect();
        app.error(format!(
            ":{word} works in {} mode, not {}",
            modes.join(" or "),
            here.name()
        ));
        return;
    }
    if cmd.signature.required && arg.is_empty() {
        app.error(format!("usage: {}", cmd.usage()));
        return;
    }
    let action = Action {
        kind,
        arg: (!arg.is_empty()).then(|| arg.to_string()),
    };
    run(app, &action, 1, fx);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_char_excludes_ctrl_but_keeps_altgr() {
        let plain = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        let ctrl = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL);
        let altgr = KeyEvent::new(
            KeyCode::Char('ł'),
            KeyModifiers::CONTROL | KeyModifiers::ALT,
        );
        assert_eq!(typed_char(&plain), Some('a'));
        assert_eq!(typed_char(&ctrl), None);
        assert_eq!(typed_char(&altgr), Some('ł'));
    }
}
