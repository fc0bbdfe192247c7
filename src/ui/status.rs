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

/// Key hints for the current mode: the actions with a hint label in the registry that the
/// live keymap binds there, most important first, as many as fit; help always.
pub fn hints(f: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let mode = app.active_mode();
    let mut spans = Vec::new();
    for (key, label) in hint_items(app, mode, area.width as usize) {
        spans.push(span(app, Role::KeyHint, format!(" {key}")));
        spans.push(span(app, Role::Dim, format!(" {label} ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The (key, label) pairs that fit in `cols`, by rank; help's place is kept first.
pub fn hint_items(app: &App, mode: Mode, cols: usize) -> Vec<(String, &'static str)> {
    let mut items: Vec<(u8, String, &'static str)> = crate::actions::COMMANDS
        .iter()
        .filter_map(|c| {
            let (label, rank) = c.hint?;
            let keys = app.keymap.key_for(mode, c.kind)?;
            Some((rank, hint_key(&keys.to_string()), label))
        })
        .collect();
    items.sort_by_key(|(rank, _, _)| *rank);
    let cost = |k: &str, l: &str| width(k) + width(l) + 3;
    let mut used = 0;
    let mut out = Vec::new();
    for (_, k, l) in items {
        let w = cost(&k, l);
        if used + w > cols {
            continue;
        }
        used += w;
        out.push((k, l));
    }
    out
}

/// A key as the hint bar writes it: `C-t`, `Tab`, `?` (no angle brackets, to save room).
pub(super) fn hint_key(k: &str) -> String {
    match k.strip_prefix('<').and_then(|k| k.strip_suffix('>')) {
        Some(inner) if !inner.contains('<') => inner.to_string(),
        _ => k.to_string(),
    }
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
            InputKind::HelpFilter => "help /",
        };
        let before = input.text.get(..input.cursor).unwrap_or("");
        let line = format!("{prefix}{}", input.text);
        let mut spans = vec![span(app, Role::Base, fit(&line, cols))];
        // Tab's candidates, inline after the text, the one on the line marked.
        if let Some(c) = &input.completion {
            let mut used = width(&line);
            for (i, cand) in c.candidates.iter().enumerate() {
                let w = width(cand) + 2;
                if used + w > cols {
                    break;
                }
                used += w;
                let role = if i == c.index {
                    Role::Selected
                } else {
                    Role::Dim
                };
                spans.push(span(app, Role::Dim, "  "));
                spans.push(span(app, role, cand.clone()));
            }
        }
        f.render_widget(
            Paragraph::new(Line::from(spans)).style(app.theme.style(Role::Status)),
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
    let mode = match app.active_mode() {
        Mode::Queue => "QUEUE",
        Mode::Detail => "READ",
        Mode::Compose => "REPLY",
        Mode::Picker => "PICK",
        Mode::Command => "CMD",
        Mode::Help => "HELP",
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
    if app.mine {
        spans.push(span(app, Role::Status, " · mine"));
    }
    if !app.marks.is_empty() {
        spans.push(span(
            app,
            Role::Marked,
            format!(" │ {} marked", app.marks.len()),
        ));
    }
    // Just answered: one key marks it done or waiting for the customer.
    if app.after_reply.is_some() {
        let key = |kind| {
            app.keymap
                .key_for(Mode::Queue, kind)
                .map(|k| hint_key(&k.to_string()))
        };
        if let (Some(d), Some(w)) = (key(A::MentionDone), key(A::MentionWaiting)) {
            spans.push(span(
                app,
                Role::KeyHint,
                format!(" │ {d} done · {w} waiting"),
            ));
        }
    }
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
