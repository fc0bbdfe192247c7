//! Messages longer than the status line, and `:messages`: every notice, error and
//! confirmation of the session, whole, newest last.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::span;
use super::text::{fit, wrap};
use crate::app::{App, Status, StatusKind};
use crate::theme::Role;

fn role(s: &Status) -> Role {
    match s.kind {
        StatusKind::Info => Role::Notice,
        StatusKind::Error => Role::Error,
    }
}

/// The current message on the rows given (the hints row and the status row), wrapped; a
/// message longer still ends with where to read it whole.
pub fn spill(f: &mut Frame, app: &App, s: &Status, rows: &[Rect]) {
    let Some(cols) = rows.first().map(|r| r.width as usize) else {
        return;
    };
    let mut lines = wrap(&s.text, cols);
    if lines.len() > rows.len() {
        lines.truncate(rows.len());
        if let Some(last) = lines.last_mut() {
            let tail = " … :messages";
            let room = cols.saturating_sub(super::text::width(tail));
            *last = format!("{}{tail}", fit(last, room).trim_end_matches('…'));
        }
    }
    for (r, text) in rows.iter().zip(lines) {
        f.render_widget(
            Paragraph::new(span(app, role(s), fit(&text, cols)))
                .style(app.theme.style(Role::Status)),
            *r,
        );
    }
}

pub fn overlay(f: &mut Frame, app: &App, area: Rect) {
    let title = format!(
        " Messages ({}) — {} ",
        app.messages.len(),
        super::overlay::help_keys_title(app)
    );
    let Some(inner) = super::overlay::framed(f, app, area, title) else {
        return;
    };
    let cols = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for n in &app.notices {
        for (i, row) in wrap(n, cols.saturating_sub(2).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "⚠ " } else { "  " };
            lines.push(Line::from(span(app, Role::Banner, format!("{lead}{row}"))));
        }
    }
    if app.messages.is_empty() && app.notices.is_empty() {
        lines.push(Line::from(span(app, Role::Dim, "No messages yet.")));
    }
    for m in &app.messages {
        let clock = clock(m.at);
        let mark = match m.kind {
            StatusKind::Info => "·",
            StatusKind::Error => "✗",
        };
        // The time only where there is room for it beside the text.
        let head = if cols >= 60 {
            format!("{clock} {mark} ")
        } else {
            format!("{mark} ")
        };
        let indent = " ".repeat(super::text::width(&head));
        for (i, row) in wrap(&m.text, cols.saturating_sub(indent.len()).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { head.clone() } else { indent.clone() };
            lines.push(Line::from(vec![
                span(app, Role::Dim, lead),
                span(app, role(m), row),
            ]));
        }
    }
    let rows = inner.height as usize;
    // Scroll counts from the newest: 0 shows the end of the history.
    let back = app.messages_view.unwrap_or(0) as usize;
    let end = lines
        .len()
        .saturating_sub(back.min(lines.len().saturating_sub(rows)));
    let start = end.saturating_sub(rows);
    let shown: Vec<Line> = lines.drain(start..end).collect();
    f.render_widget(Paragraph::new(shown), inner);
}

/// `HH:MM:SS` UTC.
fn clock(ms: i64) -> String {
    let s = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}
