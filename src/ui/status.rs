use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::span;
use super::text::{fit, width};
use crate::app::{ActionKind as A, App, InputKind, StatusKind};
use crate::keymap::Mode;
use crate::model::SourceState;
use crate::theme::Role;

/// Problems that must be seen (broken config files), across the top.
pub fn banner(f: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let dismiss = app
        .keymap
        .key_for(Mode::Queue, A::NoticeDismiss)
        .map(|k| format!(" ({k} dismisses)"))
        .unwrap_or_default();
    let lines: Vec<Line> = app
        .notices
        .iter()
        .take(area.height as usize)
        .map(|n| {
            let mut text = format!("⚠ {n}{dismiss}");
            let cols = area.width as usize;
            if width(&text) > cols {
                // Cut here, whole in `:messages`.
                let tail = " … :messages";
                text = format!(
                    "{}{tail}",
                    fit(&text, cols.saturating_sub(width(tail))).trim_end_matches('…')
                );
            }
            Line::from(span(app, Role::Banner, fit(&text, cols)))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).style(app.theme.style(Role::Banner)),
        area,
    );
}

/// Key hints for the current mode, read from the live keymap.
pub fn hints(f: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let mode = if app.input.is_some() {
        Mode::Command
    } else if app.picker.is_some() {
        Mode::Picker
    } else {
        app.mode
    };
    let wanted: &[(A, &str)] = match mode {
        Mode::Queue => &[
            (A::QueueNext, "next"),
            (A::QueuePrev, "prev"),
            (A::ReplyOpen, "reply"),
            (A::MentionDone, "done"),
            (A::MentionNoReply, "no reply"),
            (A::MentionSnooze, "snooze"),
            (A::MentionSpam, "spam"),
            (A::DetailOpen, "read"),
            (A::FilterOpen, "filter"),
            (A::CommandOpen, "command"),
            (A::HelpToggle, "help"),
            (A::AppQuit, "quit"),
        ],
        Mode::Detail => &[
            (A::DetailScrollDown, "scroll"),
            (A::ReplyOpen, "reply"),
            (A::MentionDone, "done"),
            (A::ThreadParent, "parent"),
            (A::DetailClose, "back"),
            (A::HelpToggle, "help"),
        ],
        Mode::Compose => &[
            (A::ReplySend, "send"),
            (A::ComposeClose, "keep draft"),
            (A::ComposeDiscard, "discard"),
            (A::ComposeUndo, "undo"),
            (A::HelpToggle, "help"),
        ],
        Mode::Picker => &[
            (A::PickerNext, "next"),
            (A::PickerAccept, "choose"),
            (A::PickerCancel, "cancel"),
        ],
        Mode::Command => &[
            (A::CommandRun, "run"),
            (A::CommandCancel, "cancel"),
            (A::CommandHistoryPrev, "history"),
        ],
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for (kind, label) in wanted {
        let Some(k) = app.keymap.key_for(mode, *kind) else {
            continue;
        };
        let k = k.to_string();
        let w = width(&k) + width(label) + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(span(app, Role::KeyHint, format!(" {k}")));
        spans.push(span(app, Role::Dim, format!(" {label} ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render(f: &mut Frame, app: &App, area: Rect, with_message: bool) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let cols = area.width as usize;
    if let Some(input) = &app.input {
        let prefix = match input.kind {
            InputKind::Command => ":",
            InputKind::Filter => "/",
        };
        let before = input.text.get(..input.cursor).unwrap_or("");
        let line = format!("{prefix}{}", input.text);
        f.render_widget(
            Paragraph::new(span(app, Role::Base, fit(&line, cols)))
                .style(app.theme.style(Role::Status)),
            area,
        );
        let x = (width(prefix) + width(before)).min(cols.saturating_sub(1)) as u16;
        f.set_cursor_position(Position::new(area.x + x, area.y));
        return;
    }
    let mut spans = counters(app);
    // What just happened outranks the standing source detail when space is short; a
    // message too long for what is left is drawn above (`messages::spill`) instead.
    if let Some(s) = app.status.as_ref().filter(|_| with_message) {
        let role = match s.kind {
            StatusKind::Info => Role::Notice,
            StatusKind::Error => Role::Error,
        };
        spans.push(span(app, Role::Status, " │ "));
        spans.push(span(app, role, s.text.clone()));
    }
    sources(app, &mut spans);
    // Cut by display width so the line never wraps or spills.
    let mut used = 0usize;
    let mut fitted = Vec::new();
    for s in spans {
        let w = width(&s.content);
        if used + w > cols {
            let room = cols - used;
            if room > 1 {
                fitted.push(Span::styled(fit(&s.content, room), s.style));
            }
            break;
        }
        used += w;
        fitted.push(s);
    }
    f.render_widget(
        Paragraph::new(Line::from(fitted)).style(app.theme.style(Role::Status)),
        area,
    );
}

/// Whether the message fits on the status line after the counters.
pub fn fits(app: &App, text: &str, cols: usize) -> bool {
    let used: usize = counters(app).iter().map(|s| width(&s.content)).sum();
    used + 3 + width(text) <= cols
}

/// Mode and shift counters, the start of the status line.
fn counters(app: &App) -> Vec<Span<'static>> {
    let mode = match (app.mode, app.picker.is_some()) {
        (_, true) => "PICK",
        (Mode::Queue, _) => "QUEUE",
        (Mode::Detail, _) => "READ",
        (Mode::Compose, _) => "REPLY",
        (Mode::Picker, _) => "PICK",
        (Mode::Command, _) => "CMD",
    };
    let c = app.counts;
    let mut spans = vec![
        span(app, Role::StatusMode, format!(" {mode} ")),
        span(app, Role::Status, " "),
        span(app, Role::New, format!("{} new", c.new)),
        span(app, Role::Status, " · "),
        span(app, Role::Negative, format!("{} neg", c.negative)),
        span(app, Role::Status, " · "),
        span(
            app,
            if c.over_sla > 0 {
                Role::SlaBreach
            } else {
                Role::SlaOk
            },
            format!("{} over SLA", c.over_sla),
        ),
        span(app, Role::Status, format!(" · {} open", c.open)),
    ];
    // A count or the start of a key sequence being typed (`3`, `3d`).
    if app.count.is_some() || !app.pending_keys.is_empty() {
        let n = app.count.map(|n| n.to_string()).unwrap_or_default();
        let keys: String = app.pending_keys.iter().map(|k| k.to_string()).collect();
        spans.push(span(app, Role::KeyHint, format!(" │ {n}{keys}")));
    }
    spans
}

/// Each source's state.
fn sources(app: &App, spans: &mut Vec<Span<'static>>) {
    for (name, state) in &app.sources {
        let (mark, detail, role) = match state {
            SourceState::Connecting => ("…", "connecting".to_string(), Role::Notice),
            SourceState::Live { detail } => ("●", detail.clone(), Role::SlaOk),
            SourceState::Idle { detail } => ("○", detail.clone(), Role::Dim),
            SourceState::Down { reason } => ("✗", reason.clone(), Role::Error),
        };
        let label = if detail.starts_with(name.as_str()) {
            detail
        } else {
            format!("{name}: {detail}")
        };
        spans.push(span(app, Role::Status, " │ "));
        spans.push(span(app, role, format!("{mark} {label}")));
    }
}
