//! `update`: one event in, state changed, effects out. Keys are routed by context, text
//! input first: while a reply, a command or a picker query is being typed, no queue key fires.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::event::{Effect, Event};
use super::input::{InputKind, LineInput};
use super::queue::{parse_duration, Filter, View};
use super::reply::edit;
use super::state::{
    apply_filter, audit, App, Compose, GateState, Picker, PickerPurpose, StatusKind,
};
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
        if m.state.is_open(app.now) || matches!(m.state, MentionState::Snoozed { .. }) {
            set_state(app, m, MentionState::Replied, fx);
        }
    }
}

pub(super) fn set_state(app: &mut App, mut m: Mention, state: MentionState, fx: &mut Vec<Effect>) {
    m.state = state;
    fx.push(Effect::PersistMention(Box::new(m.clone())));
    app.replace_mention(m);
}

/// The mode whose keymap section applies now.
fn active_mode(app: &App) -> Mode {
    if app.picker.is_some() {
        Mode::Picker
    } else if app.input.is_some() {
        Mode::Command
    } else {
        app.mode
    }
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
    if let Some(scroll) = app.help {
        on_help_key(app, k, scroll);
        return;
    }
    if let Some(back) = app.messages_view {
        app.messages_view = overlay_key(k, back);
        return;
    }
    let mode = active_mode(app);
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
                if let Some(p) = app.picker.as_mut() {
                    p.query.push(c);
                    p.selected = 0;
                }
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

/// Keys of the `:messages` overlay: `Some(new scroll)`, or `None` to close it. The scroll
/// counts back from the newest row, so up (`k`) adds.
fn overlay_key(k: &KeyEvent, back: u16) -> Option<u16> {
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => None,
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => None,
        KeyCode::Char('j') | KeyCode::Down => Some(back.saturating_sub(1)),
        KeyCode::Char('k') | KeyCode::Up => Some(back.saturating_add(1)),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(back.saturating_sub(10)),
        KeyCode::PageUp => Some(back.saturating_add(10)),
        _ => Some(back),
    }
}

fn on_help_key(app: &mut App, k: &KeyEvent, scroll: u16) {
    match k.code {
        KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::F(1) => app.help = None,
        KeyCode::Char('j') | KeyCode::Down => app.help = Some(scroll.saturating_add(1)),
        KeyCode::Char('k') | KeyCode::Up => app.help = Some(scroll.saturating_sub(1)),
        KeyCode::PageDown | KeyCode::Char(' ') => app.help = Some(scroll.saturating_add(10)),
        KeyCode::PageUp => app.help = Some(scroll.saturating_sub(10)),
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => app.help = None,
        _ => {}
    }
}

fn on_paste(app: &mut App, text: &str, fx: &mut Vec<Effect>) {
    match active_mode(app) {
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

fn input_edit(app: &mut App, f: impl FnOnce(&mut LineInput)) {
    let Some(l) = app.input.as_mut() else {
        return;
    };
    f(l);
    // The filter follows typing, so the moderator sees what it keeps.
    if l.kind == InputKind::Filter {
        let text = l.text.clone();
        if let Ok(f) = Filter::parse(&text) {
            app.filter = f;
            app.rebuild_visible();
        }
    }
}

fn move_selection(app: &mut App, delta: isize, fx: &mut Vec<Effect>) {
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
fn mark_seen(app: &mut App, fx: &mut Vec<Effect>) {
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

fn run(app: &mut App, action: &Action, count: u32, fx: &mut Vec<Effect>) {
    let n = count.max(1) as isize;
    let page = app.queue_rows().max(1) as isize;
    match action.kind {
        A::QueueNext => move_selection(app, n, fx),
        A::QueuePrev => move_selection(app, -n, fx),
        A::QueueFirst => move_selection(app, isize::MIN / 2, fx),
        A::QueueLast => move_selection(app, isize::MAX / 2, fx),
        A::QueuePageDown => move_selection(app, page * n, fx),
        A::QueuePageUp => move_selection(app, -page * n, fx),
        A::QueueViewNext => set_view(app, app.view.next()),
        A::DetailOpen => {
            if app.selected.is_some() {
                app.mode = Mode::Detail;
                mark_seen(app, fx);
                super::thread::request(app, fx);
            }
        }
        A::DetailClose => app.mode = Mode::Queue,
        A::DetailScrollDown => app.detail_scroll = app.detail_scroll.saturating_add(n as u16),
        A::DetailScrollUp => app.detail_scroll = app.detail_scroll.saturating_sub(n as u16),
        A::ThreadParent => {
            let parent = app.selected_mention().and_then(|m| m.in_reply_to.clone());
            match parent {
                Some(p) if app.mentions.contains_key(&p) => {
                    if app.visible.position(&app.rank(&app.mentions[&p])).is_none() {
                        set_view(app, View::All);
                        app.filter = Filter::default();
                        app.rebuild_visible();
                    }
                    app.selected = Some(p);
                    app.ensure_visible();
                }
                Some(_) => app.error("the post it replies to is not in the store"),
                None => app.info("not a reply"),
            }
        }
        A::MentionDone => mark(app, MentionState::Done, "mention.done", count, fx),
        A::MentionNoReply => mark(app, MentionState::NoReply, "mention.noreply", count, fx),
        A::MentionSpam => mark(app, MentionState::Spam, "mention.spam", count, fx),
        A::MentionHide => hide(app, count, fx),
        A::MentionUndo => {
            for _ in 0..count.max(1) {
                super::undo::undo(app, fx);
            }
        }
        A::LinkOpenPost | A::LinkOpenAuthor | A::LinkCopy => super::link::act(app, action.kind, fx),
        A::MentionSnooze => {
            let dur = match action.arg.as_deref() {
                None => Some(app.snooze_default),
                Some(a) => parse_duration(a),
            };
            match dur {
                Some(d) => mark(
                    app,
                    MentionState::Snoozed { until: app.now + d },
                    "mention.snooze",
                    count,
                    fx,
                ),
                None => app.error("snooze for how long? e.g. :snooze 45m, :snooze 2h"),
            }
        }
        A::MentionReopen => mark(app, MentionState::Seen, "mention.reopen", count, fx),
        A::MentionLabel => match action.arg.as_deref() {
            Some(arg) => super::label::correct(app, arg, fx),
            // The moderator names the label on the command line, so a stray key teaches
            // the model nothing.
            None => {
                app.input = Some(LineInput::new(InputKind::Command, "label ", ""));
            }
        },
        A::ReplyOpen => open_compose(app, fx),
        A::ReplySend => send(app, fx, false),
        A::ReplySendPrivate => send(app, fx, true),
        A::MentionLike => like(app, fx),
        A::ReplyRetry => retry(app, fx),
        A::ReplyResend | A::ReplyMarkSent | A::ReplyDiscard => {
            let settled = super::unknown::settle(app, action.kind, fx);
            if let Some(r) = settled.filter(|r| r.state == ReplyState::Sent) {
                // The store marks the mention replied with the reply; the queue follows.
                if let Some(m) = app.mentions.get(&r.mention_id).cloned() {
                    if m.state.awaits_reply() {
                        set_state(app, m, MentionState::Replied, fx);
                    }
                }
            }
        }
        A::ComposeClose => {
            if app.compose.take().is_some() {
                app.mode = Mode::Queue;
                app.info("draft kept");
                app.ensure_visible();
            }
        }
        A::ComposeDiscard => {
            if let Some(c) = app.compose.take() {
                app.drafts.remove(&c.mention);
                fx.push(Effect::DeleteDraft(c.mention.clone()));
                fx.push(audit(app, "compose.discard", Some(&c.mention), ""));
                app.mode = Mode::Queue;
                let text = c.editor.text().to_string();
                if text.trim().is_empty() {
                    app.info("draft discarded");
                } else {
                    // Thrown away in one key, so brought back in one key.
                    super::undo::record(
                        app,
                        super::undo::Undo::Draft {
                            mention: c.mention.clone(),
                            text,
                        },
                    );
                    let undo = app
                        .keymap
                        .key_for(Mode::Queue, A::MentionUndo)
                        .map(|k| format!(" ({k} brings it back)"))
                        .unwrap_or_default();
                    app.info(format!("draft discarded{undo}"));
                }
                app.ensure_visible();
            }
        }
        A::ComposeLeft => edit(app, fx, Editor::move_left),
        A::ComposeRight => edit(app, fx, Editor::move_right),
        A::ComposeUp => {
            let w = compose_width(app);
            edit(app, fx, |e| e.move_up(w))
        }
        A::ComposeDown => {
            let w = compose_width(app);
            edit(app, fx, |e| e.move_down(w))
        }
        A::ComposeWordLeft => edit(app, fx, Editor::move_word_left),
        A::ComposeWordRight => edit(app, fx, Editor::move_word_right),
        A::ComposeLineStart => edit(app, fx, Editor::move_line_start),
        A::ComposeLineEnd => edit(app, fx, Editor::move_line_end),
        A::ComposeDocStart => edit(app, fx, Editor::move_doc_start),
        A::ComposeDocEnd => edit(app, fx, Editor::move_doc_end),
        A::ComposeNewline => edit(app, fx, Editor::newline),
        A::ComposeBackspace => edit(app, fx, Editor::backspace),
        A::ComposeDelete => edit(app, fx, Editor::delete),
        A::ComposeDeleteWord => edit(app, fx, Editor::delete_word_back),
        A::ComposeKillLineStart => edit(app, fx, Editor::delete_to_line_start),
        A::ComposeKillLineEnd => edit(app, fx, Editor::delete_to_line_end),
        A::ComposeUndo => edit(app, fx, |e| {
            e.undo();
        }),
        A::ComposeRedo => edit(app, fx, |e| {
            e.redo();
        }),
        A::ComposeQuoteDown => {
            app.quote_scroll = app
                .quote_scroll
                .saturating_add(n as u16)
                .min(app.quote_scroll_max());
        }
        A::ComposeQuoteUp => {
            app.quote_scroll = app
                .quote_scroll
                .min(app.quote_scroll_max())
                .saturating_sub(n as u16);
        }
        A::PickerNext | A::PickerPrev => {
            if let Some(p) = app.picker.as_mut() {
                let len = p.matches().len();
                if len > 0 {
                    p.selected = if action.kind == A::PickerNext {
                        (p.selected + 1) % len
                    } else {
                        (p.selected + len - 1) % len
                    };
                }
            }
            preview_picker(app, fx);
        }
        A::PickerAccept => accept_picker(app, fx),
        A::PickerCancel => {
            if let Some(p) = app.picker.take() {
                if p.purpose == PickerPurpose::Theme && app.theme.name != p.previous {
                    fx.push(Effect::LoadTheme(p.previous));
                }
            }
        }
        A::FilterOpen => {
            let current = app.filter.raw.clone();
            app.input = Some(LineInput::new(InputKind::Filter, &current, &current));
        }
        A::FilterClear => {
            if !app.filter.is_empty() {
                app.filter = Filter::default();
                app.rebuild_visible();
                app.info("filter cleared");
            } else if app.view != View::Open {
                set_view(app, View::Open);
            }
        }
        A::CommandOpen => app.input = Some(LineInput::new(InputKind::Command, "", "")),
        A::CommandRun => {
            if let Some(l) = app.input.take() {
                match l.kind {
                    InputKind::Command => run_command(app, &l.text, fx),
                    InputKind::Filter => apply_filter(app, &l.text),
                }
            } else if app.picker.is_some() {
                accept_picker(app, fx);
            }
        }
        A::CommandCancel => {
            if let Some(l) = app.input.take() {
                if l.kind == InputKind::Filter {
                    apply_filter(app, &l.previous);
                }
            }
        }
        A::CommandBackspace => {
            if let Some(p) = app.picker.as_mut() {
                p.query.pop();
                p.selected = 0;
            } else if app.input.as_ref().is_some_and(|l| l.text.is_empty()) {
                // Backspace on an empty line closes it, as in a shell prompt.
                run(app, &Action::new(A::CommandCancel), 1, fx);
            } else {
                input_edit(app, LineInput::backspace);
            }
        }
        A::CommandDeleteWord => input_edit(app, LineInput::delete_word),
        A::CommandLeft => input_edit(app, LineInput::left),
        A::CommandRight => input_edit(app, LineInput::right),
        A::CommandStart => input_edit(app, LineInput::start),
        A::CommandEnd => input_edit(app, LineInput::end),
        A::CommandHistoryPrev | A::CommandHistoryNext => history(app, action.kind),
        A::ThemePick => {
            let names = app.theme_names.clone();
            let selected = names.iter().position(|n| *n == app.theme.name).unwrap_or(0);
            app.picker = Some(Picker {
                purpose: PickerPurpose::Theme,
                title: "Theme".into(),
                items: names,
                query: String::new(),
                selected,
                previous: app.theme.name.clone(),
            });
        }
        A::HelpToggle => app.help = if app.help.is_some() { None } else { Some(0) },
        A::NoticeDismiss => {
            for n in std::mem::take(&mut app.notices) {
                app.messages.push(super::Status {
                    kind: StatusKind::Error,
                    text: n,
                    at: app.now,
                });
            }
            app.ensure_visible();
        }
        A::MessagesShow => app.messages_view = Some(0),
        A::TemplatePick
        | A::TemplateInsert
        | A::ComposeNextPlaceholder
        | A::ComposePrevPlaceholder
        | A::ReplyPrivate
        | A::ReplyLang
        | A::GateNext
        | A::GateApply
        | A::GateAddWord
        | A::GateOverride => super::reply::run(app, action, fx),
        A::SpikeView => super::arrival::view(app),
        A::AppQuit => {
            app.quit = true;
            fx.push(Effect::Quit);
        }
    }
}

fn compose_width(app: &App) -> u16 {
    let (w, h) = app.screen;
    crate::layout::areas(ratatui::layout::Rect::new(0, 0, w, h), true, 0)
        .compose
        .width
        .max(1)
}

fn set_view(app: &mut App, v: View) {
    app.view = v;
    app.rebuild_visible();
    app.info(format!("view: {}", v.name()));
}

/// Moves the selected mention, and with a count the ones below it (`3d`), to `state`: one
/// action, audited per mention and taken back as one by `mention.undo`.
fn mark(app: &mut App, state: MentionState, action: &str, count: u32, fx: &mut Vec<Effect>) {
    let Some(at) = app.selected_index() else {
        app.error("no mention selected");
        return;
    };
    let ids: Vec<String> = app
        .visible
        .keys
        .iter_from(at)
        .take(count.max(1) as usize)
        .map(|k| k.id.clone())
        .collect();
    let mut changes = Vec::new();
    for id in &ids {
        let Some(m) = app.mentions.get(id).cloned() else {
            continue;
        };
        let detail = match state {
            MentionState::Snoozed { until } => format!("until {until}"),
            _ => format!("{} -> {}", m.state.name(), state.name()),
        };
        fx.push(audit(app, action, Some(&m.id), &detail));
        changes.push(super::undo::Change {
            mention: m.id.clone(),
            before: m.state,
            after: state,
        });
        set_state(app, m, state, fx);
    }
    let what = match changes.as_slice() {
        [one] => app
            .mentions
            .get(&one.mention)
            .map(|m| m.author.handle.clone())
            .unwrap_or_default(),
        many => format!("{} mentions", many.len()),
    };
    super::undo::record(
        app,
        super::undo::Undo::States {
            action: action.to_string(),
            changes,
        },
    );
    let undo = app
        .keymap
        .key_for(Mode::Queue, A::MentionUndo)
        .map(|k| format!(" ({k} undoes)"))
        .unwrap_or_default();
    app.info(format!("{} {what}{undo}", state.name()));
    if app.mode == Mode::Detail && app.selected.is_none() {
        app.mode = Mode::Queue;
    }
}

/// Hiding is local: neither network lets modq hide someone else's post (Mastodon has no
/// such call; Bluesky hides replies through a thread gate, which modq does not set). The
/// status bar says so, so nobody believes the post is gone.
fn hide(app: &mut App, count: u32, fx: &mut Vec<Effect>) {
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

fn open_compose(app: &mut App, fx: &mut Vec<Effect>) {
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

fn send(app: &mut App, fx: &mut Vec<Effect>, private: bool) {
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
fn like(app: &mut App, fx: &mut Vec<Effect>) {
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
fn retry(app: &mut App, fx: &mut Vec<Effect>) {
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

fn history(app: &mut App, dir: A) {
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

fn preview_picker(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some(p) = &app.picker {
        if p.purpose == PickerPurpose::Theme {
            if let Some(name) = p.matches().get(p.selected) {
                fx.push(Effect::LoadTheme(name.to_string()));
            }
        }
    }
}

fn accept_picker(app: &mut App, fx: &mut Vec<Effect>) {
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
        PickerPurpose::UnknownReply => {
            if let Some(kind) = super::unknown::chosen(&choice) {
                run(app, &Action::new(kind), 1, fx);
            }
        }
    }
}

/// `:done`, `:filter lang=ru`, `:theme night`, `:snooze 2h`, `:view handled`, `:sla 15`,
/// `:keymap vim`, `:quit`, or any action name (`:queue.next`).
fn run_command(app: &mut App, line: &str, fx: &mut Vec<Effect>) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    app.command_history.retain(|h| h != line);
    app.command_history.push(line.to_string());
    let (cmd, arg) = match line.split_once(char::is_whitespace) {
        Some((c, a)) => (c, a.trim()),
        None => (line, ""),
    };
    let simple = |kind| Action::new(kind);
    let action = match cmd {
        "q" | "quit" | "exit" => Some(simple(A::AppQuit)),
        "done" => Some(simple(A::MentionDone)),
        "noreply" | "no-reply" => Some(simple(A::MentionNoReply)),
        "spam" => Some(simple(A::MentionSpam)),
        "hide" => Some(simple(A::MentionHide)),
        "reopen" => Some(simple(A::MentionReopen)),
        "undo" | "u" => Some(simple(A::MentionUndo)),
        "reply" => Some(simple(A::ReplyOpen)),
        "help" => Some(simple(A::HelpToggle)),
        "messages" | "mes" | "msg" => Some(simple(A::MessagesShow)),
        "spike" => Some(simple(A::SpikeView)),
        "label" => Some(Action {
            kind: A::MentionLabel,
            arg: Some(arg.to_string()),
        }),
        "snooze" => Some(Action {
            kind: A::MentionSnooze,
            arg: (!arg.is_empty()).then(|| arg.to_string()),
        }),
        "filter" => {
            apply_filter(app, arg);
            if arg.is_empty() {
                app.info("filter cleared");
            }
            None
        }
        "view" => {
            match View::from_name(arg) {
                Some(v) => set_view(app, v),
                None => app.error("views: open, snoozed, handled, all"),
            }
            None
        }
        "theme" if arg.is_empty() => Some(simple(A::ThemePick)),
        "theme" => {
            fx.push(Effect::LoadTheme(arg.to_string()));
            None
        }
        "keymap" => {
            if arg.is_empty() {
                app.info(format!("keymap: {}", app.keymap.name));
            } else {
                fx.push(Effect::LoadKeymap(arg.to_string()));
            }
            None
        }
        "sla" => {
            match arg.parse::<i64>() {
                Ok(min) if min > 0 => {
                    app.sla = min * 60_000;
                    app.rebuild_visible();
                    app.recount();
                    app.info(format!("SLA target: {min} min"));
                }
                _ => app.error("usage: :sla MINUTES"),
            }
            None
        }
        other => match Action::parse(if arg.is_empty() { other } else { line }) {
            Some(a) => Some(a),
            None => {
                app.error(format!(
                    "unknown command :{other} (? lists keys and actions)"
                ));
                None
            }
        },
    };
    if let Some(a) = action {
        run(app, &a, 1, fx);
    }
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
