//! The handlers the action registry (`crate::actions::COMMANDS`) dispatches to, one per
//! action, all of one signature, and the mode that decides which keymap section applies.

use super::event::Effect;
use super::input::{InputKind, LineInput};
use super::queue::{parse_duration, Filter, View};
use super::reply::edit;
use super::state::{apply_filter, App, Picker, PickerPurpose, StatusKind};
use super::update as u;
use crate::actions::{Action, ActionKind as A};
use crate::compose::editor::Editor;
use crate::keymap::Mode;
use crate::model::{MentionState, ReplyState};

impl App {
    /// The mode whose keymap section applies, overlays aside: the one help lists first.
    pub fn base_mode(&self) -> Mode {
        if self.picker.is_some() {
            Mode::Picker
        } else if self.input.is_some() {
            Mode::Command
        } else if self.compose.is_some() {
            Mode::Compose
        } else {
            self.mode
        }
    }

    /// The mode whose keymap section applies now; the one place that decides it. Help's
    /// filter is typed on a line of its own, with the command line's keys.
    pub fn active_mode(&self) -> Mode {
        if self.input.is_some() {
            Mode::Command
        } else if self.help.is_some() || self.messages_view.is_some() {
            Mode::Help
        } else {
            self.base_mode()
        }
    }
}

/// The help overlay: how far it is scrolled and what it is filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpView {
    pub scroll: u16,
    /// Typed on an `InputKind::HelpFilter` line, kept when it closes with Enter.
    pub filter: String,
}

fn count(n: u32) -> isize {
    n.max(1) as isize
}

fn page(app: &App) -> isize {
    app.queue_rows().max(1) as isize
}

pub(crate) fn queue_next(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::move_selection(app, count(n), fx);
}

pub(crate) fn queue_prev(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::move_selection(app, -count(n), fx);
}

pub(crate) fn queue_first(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::move_selection(app, isize::MIN / 2, fx);
}

pub(crate) fn queue_last(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::move_selection(app, isize::MAX / 2, fx);
}

pub(crate) fn queue_page_down(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    let d = page(app) * count(n);
    u::move_selection(app, d, fx);
}

pub(crate) fn queue_page_up(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    let d = page(app) * count(n);
    u::move_selection(app, -d, fx);
}

pub(crate) fn queue_view_next(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    let v = app.view.next();
    u::set_view(app, v);
}

pub(crate) fn queue_view(app: &mut App, action: &Action, _: u32, _: &mut Vec<Effect>) {
    match action.arg.as_deref().and_then(View::from_name) {
        Some(v) => u::set_view(app, v),
        None => app.error("views: open, snoozed, handled, all"),
    }
}

pub(crate) fn detail_open(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    if app.selected.is_some() {
        app.mode = Mode::Detail;
        u::mark_seen(app, fx);
        super::thread::request(app, fx);
    }
}

pub(crate) fn detail_close(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    app.mode = Mode::Queue;
}

pub(crate) fn detail_scroll_down(app: &mut App, _: &Action, n: u32, _: &mut Vec<Effect>) {
    app.detail_scroll = app.detail_scroll.saturating_add(count(n) as u16);
}

pub(crate) fn detail_scroll_up(app: &mut App, _: &Action, n: u32, _: &mut Vec<Effect>) {
    app.detail_scroll = app.detail_scroll.saturating_sub(count(n) as u16);
}

pub(crate) fn thread_parent(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    let parent = app.selected_mention().and_then(|m| m.in_reply_to.clone());
    match parent {
        Some(p) if app.mentions.contains_key(&p) => {
            if app.visible.position(&app.rank(&app.mentions[&p])).is_none() {
                u::set_view(app, View::All);
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

pub(crate) fn mention_done(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::mark(app, MentionState::Done, "mention.done", n, fx);
}

pub(crate) fn mention_noreply(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::mark(app, MentionState::NoReply, "mention.noreply", n, fx);
}

pub(crate) fn mention_spam(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::mark(app, MentionState::Spam, "mention.spam", n, fx);
}

pub(crate) fn mention_hide(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::hide(app, n, fx);
}

pub(crate) fn mention_reopen(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    u::mark(app, MentionState::Seen, "mention.reopen", n, fx);
}

pub(crate) fn mention_undo(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
    for _ in 0..n.max(1) {
        super::undo::undo(app, fx);
    }
}

pub(crate) fn mention_snooze(app: &mut App, action: &Action, n: u32, fx: &mut Vec<Effect>) {
    if action.arg.as_deref() == Some("author") {
        return super::workflow::snooze_for_author(app, action, n, fx);
    }
    let dur = match action.arg.as_deref() {
        None => Some(app.snooze_default),
        Some(a) => parse_duration(a),
    };
    match dur {
        Some(d) => {
            let until = app.now + d;
            u::mark(
                app,
                MentionState::Snoozed { until },
                "mention.snooze",
                n,
                fx,
            )
        }
        None => app.error("snooze for how long? e.g. :snooze 45m, :snooze 2h"),
    }
}

pub(crate) fn mention_label(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    match action.arg.as_deref() {
        Some(arg) => super::label::correct(app, arg, fx),
        // The moderator names the label on the command line, so a stray key teaches the
        // model nothing.
        None => app.input = Some(LineInput::new(InputKind::Command, "label ", "")),
    }
}

pub(crate) fn mention_like(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::like(app, fx);
}

pub(crate) fn reply_open(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::open_compose(app, fx);
}

pub(crate) fn reply_send(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::send(app, fx, false);
}

pub(crate) fn reply_send_private(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::send(app, fx, true);
}

pub(crate) fn reply_retry(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::retry(app, fx);
}

/// Resend, mark sent or discard a reply of unknown fate.
pub(crate) fn reply_settle(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    let settled = super::unknown::settle(app, action.kind, fx);
    if let Some(r) = settled.filter(|r| r.state == ReplyState::Sent) {
        // The store marks the mention replied with the reply; the queue follows.
        if let Some(m) = app.mentions.get(&r.mention_id).cloned() {
            if m.state.awaits_reply() {
                u::set_state(app, m, MentionState::Replied, fx);
            }
        }
    }
}

/// Templates, placeholders, privacy, spelling language and the gate's findings.
pub(crate) fn reply_tools(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    super::reply::run(app, action, fx);
}

pub(crate) fn compose_close(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    if app.compose.take().is_some() {
        app.mode = Mode::Queue;
        app.info("draft kept");
        app.ensure_visible();
    }
}

pub(crate) fn compose_discard(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    let Some(c) = app.compose.take() else {
        return;
    };
    app.drafts.remove(&c.mention);
    fx.push(Effect::DeleteDraft(c.mention.clone()));
    fx.push(super::state::audit(
        app,
        "compose.discard",
        Some(&c.mention),
        "",
    ));
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

/// One editor motion or edit per action, repeated by the count.
macro_rules! editor_action {
    ($($name:ident => $f:expr),* $(,)?) => {$(
        pub(crate) fn $name(app: &mut App, _: &Action, n: u32, fx: &mut Vec<Effect>) {
            for _ in 0..n.max(1) {
                edit(app, fx, $f);
            }
        }
    )*};
}

editor_action! {
    compose_left => Editor::move_left,
    compose_right => Editor::move_right,
    compose_word_left => Editor::move_word_left,
    compose_word_right => Editor::move_word_right,
    compose_line_start => Editor::move_line_start,
    compose_line_end => Editor::move_line_end,
    compose_doc_start => Editor::move_doc_start,
    compose_doc_end => Editor::move_doc_end,
    compose_newline => Editor::newline,
    compose_backspace => Editor::backspace,
    compose_delete => Editor::delete,
    compose_delete_word => Editor::delete_word_back,
    compose_kill_line_start => Editor::delete_to_line_start,
    compose_kill_line_end => Editor::delete_to_line_end,
    compose_undo => |e: &mut Editor| {
        e.undo();
    },
    compose_redo => |e: &mut Editor| {
        e.redo();
    },
}

pub(crate) fn compose_up(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    let w = u::compose_width(app);
    edit(app, fx, |e| e.move_up(w));
}

pub(crate) fn compose_down(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    let w = u::compose_width(app);
    edit(app, fx, |e| e.move_down(w));
}

pub(crate) fn compose_quote_down(app: &mut App, _: &Action, n: u32, _: &mut Vec<Effect>) {
    app.quote_scroll = app
        .quote_scroll
        .saturating_add(count(n) as u16)
        .min(app.quote_scroll_max());
}

pub(crate) fn compose_quote_up(app: &mut App, _: &Action, n: u32, _: &mut Vec<Effect>) {
    app.quote_scroll = app
        .quote_scroll
        .min(app.quote_scroll_max())
        .saturating_sub(count(n) as u16);
}

fn picker_step(app: &mut App, forward: bool, fx: &mut Vec<Effect>) {
    if let Some(p) = app.picker.as_mut() {
        let len = p.matches().len();
        if len > 0 {
            p.selected = if forward {
                (p.selected + 1) % len
            } else {
                (p.selected + len - 1) % len
            };
        }
    }
    u::preview_picker(app, fx);
}

pub(crate) fn picker_next(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    picker_step(app, true, fx);
}

pub(crate) fn picker_prev(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    picker_step(app, false, fx);
}

pub(crate) fn picker_accept(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    u::accept_picker(app, fx);
}

pub(crate) fn picker_cancel(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    if let Some(p) = app.picker.take() {
        if p.purpose == PickerPurpose::Theme && app.theme.name != p.previous {
            fx.push(Effect::LoadTheme(p.previous));
        }
    }
}

pub(crate) fn filter_open(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    let current = app.filter.raw.clone();
    app.input = Some(LineInput::new(InputKind::Filter, &current, &current));
}

pub(crate) fn filter_set(app: &mut App, action: &Action, _: u32, _: &mut Vec<Effect>) {
    let text = action.arg.as_deref().unwrap_or("");
    apply_filter(app, text);
    if text.is_empty() {
        app.info("filter cleared");
    }
}

pub(crate) fn filter_clear(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    if !app.filter.is_empty() {
        app.filter = Filter::default();
        app.rebuild_visible();
        app.info("filter cleared");
    } else if app.view != View::Open {
        u::set_view(app, View::Open);
    }
}

pub(crate) fn command_open(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    app.input = Some(LineInput::new(InputKind::Command, "", ""));
}

pub(crate) fn command_run(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    if let Some(l) = app.input.take() {
        match l.kind {
            InputKind::Command => u::run_command(app, &l.text, fx),
            InputKind::Filter => apply_filter(app, &l.text),
            // The help filter follows typing; Enter only stops typing.
            InputKind::HelpFilter => {}
        }
    } else if app.picker.is_some() {
        u::accept_picker(app, fx);
    }
}

pub(crate) fn command_cancel(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    if let Some(l) = app.input.take() {
        match l.kind {
            InputKind::Filter => apply_filter(app, &l.previous),
            InputKind::HelpFilter => {
                if let Some(h) = app.help.as_mut() {
                    h.filter = l.previous;
                }
            }
            InputKind::Command => {}
        }
    }
}

pub(crate) fn command_complete(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    super::complete::tab(app);
}

pub(crate) fn command_backspace(app: &mut App, a: &Action, n: u32, fx: &mut Vec<Effect>) {
    if let Some(p) = app.picker.as_mut() {
        p.query.pop();
        p.selected = 0;
    } else if app.input.as_ref().is_some_and(|l| l.text.is_empty()) {
        // Backspace on an empty line closes it, as in a shell prompt.
        command_cancel(app, a, n, fx);
    } else {
        u::input_edit(app, LineInput::backspace);
    }
}

pub(crate) fn command_delete_word(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    u::input_edit(app, LineInput::delete_word);
}

pub(crate) fn command_left(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    u::input_edit(app, LineInput::left);
}

pub(crate) fn command_right(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    u::input_edit(app, LineInput::right);
}

pub(crate) fn command_start(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    u::input_edit(app, LineInput::start);
}

pub(crate) fn command_end(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    u::input_edit(app, LineInput::end);
}

pub(crate) fn command_history(app: &mut App, action: &Action, _: u32, _: &mut Vec<Effect>) {
    u::history(app, action.kind);
}

pub(crate) fn theme_pick(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    if let Some(name) = &action.arg {
        fx.push(Effect::LoadTheme(name.clone()));
        return;
    }
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

pub(crate) fn keymap_set(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    match &action.arg {
        Some(name) => fx.push(Effect::LoadKeymap(name.clone())),
        None => app.info(format!("keymap: {}", app.keymap.name)),
    }
}

pub(crate) fn sla_set(app: &mut App, action: &Action, _: u32, _: &mut Vec<Effect>) {
    match action.arg.as_deref().map(str::parse::<i64>) {
        Some(Ok(min)) if min > 0 => {
            app.sla = min * 60_000;
            app.rebuild_visible();
            app.recount();
            app.info(format!("SLA target: {min} min"));
        }
        _ => app.error("usage: :sla MINUTES"),
    }
}

pub(crate) fn help_toggle(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    app.help = match app.help {
        Some(_) => None,
        None => Some(HelpView::default()),
    };
}

/// Help's keys close and scroll the `:messages` overlay too, whichever is open. The
/// messages scroll counts back from the newest row, so down takes away.
fn scroll_overlay(app: &mut App, down: bool, rows: u16) {
    if let Some(h) = app.help.as_mut() {
        h.scroll = if down {
            h.scroll.saturating_add(rows)
        } else {
            h.scroll.saturating_sub(rows)
        };
    } else if let Some(back) = app.messages_view.as_mut() {
        *back = if down {
            back.saturating_sub(rows)
        } else {
            back.saturating_add(rows)
        };
    }
}

/// A page of an overlay: the screen less its frame and title rows.
fn overlay_page(app: &App) -> u16 {
    app.screen.1.saturating_sub(4).max(1)
}

pub(crate) fn help_close(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    app.input = None;
    if app.help.take().is_none() {
        app.messages_view = None;
    }
}

pub(crate) fn help_scroll_down(app: &mut App, _: &Action, n: u32, _: &mut Vec<Effect>) {
    scroll_overlay(app, true, count(n) as u16);
}

pub(crate) fn help_scroll_up(app: &mut App, _: &Action, n: u32, _: &mut Vec<Effect>) {
    scroll_overlay(app, false, count(n) as u16);
}

pub(crate) fn help_page_down(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    let p = overlay_page(app);
    scroll_overlay(app, true, p);
}

pub(crate) fn help_page_up(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    let p = overlay_page(app);
    scroll_overlay(app, false, p);
}

pub(crate) fn help_filter(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    if let Some(h) = &app.help {
        app.input = Some(LineInput::new(InputKind::HelpFilter, &h.filter, &h.filter));
    }
}

pub(crate) fn notice_dismiss(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    for n in std::mem::take(&mut app.notices) {
        app.messages.push(super::Status {
            kind: StatusKind::Error,
            text: n,
            at: app.now,
        });
    }
    app.ensure_visible();
}

pub(crate) fn messages_show(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    app.messages_view = Some(0);
}

pub(crate) fn spike_view(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    super::arrival::view(app);
}

pub(crate) fn link(app: &mut App, action: &Action, _: u32, fx: &mut Vec<Effect>) {
    super::link::act(app, action.kind, fx);
}

pub(crate) fn app_quit(app: &mut App, _: &Action, _: u32, fx: &mut Vec<Effect>) {
    app.quit = true;
    fx.push(Effect::Quit);
}
