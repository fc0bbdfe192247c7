use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, span};
use crate::app::ActionKind;
use crate::app::App;
use crate::keymap::Mode;
use crate::theme::Role;

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let Some(c) = &app.compose else {
        return;
    };
    if area.height == 0 || area.width == 0 {
        return;
    }
    let who = app
        .mentions
        .get(&c.mention)
        .map(|m| m.author.handle.clone())
        .unwrap_or_default();
    let demo = app
        .mentions
        .get(&c.mention)
        .is_some_and(|m| m.source == crate::model::DEMO_SOURCE);
    // Counted against the limit the gate holds the reply to.
    let (used, limit) = match app.mentions.get(&c.mention) {
        Some(m) => {
            let limits = crate::app::reply::limits(app, m);
            let (u, l, _) =
                crate::compose::gate::length::count(c.editor.text(), m.network, &limits);
            (u, l)
        }
        None => (0, 0),
    };
    let count_role = if used > limit { Role::Error } else { Role::Dim };
    // The count first after the title: at 80 columns a long handle must not cut it off.
    let mut title = vec![
        span(app, Role::Title, " Reply "),
        span(app, count_role, format!("{used}/{limit} ")),
        span(app, Role::Author, format!("to {who} ")),
    ];
    if demo {
        title.push(span(app, Role::Notice, "demo sink: nothing is posted "));
    }
    if c.gate.private {
        title.push(span(app, Role::Notice, "private "));
    }
    title.push(span(app, Role::Lang, format!("{} ", c.gate.lang)));
    let block = pane(app, Line::from(title), app.mode == Mode::Compose);
    let mut inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    // The gate's line sits under the text: what is wrong here, or that all is well.
    if inner.height >= 2 {
        inner.height -= 1;
        let line = super::gate_line::line(app, c, inner.width as usize);
        f.render_widget(
            Paragraph::new(line),
            Rect::new(inner.x, inner.y + inner.height, inner.width, 1),
        );
    }
    // One column kept free so the cursor at the end of a full row stays on screen.
    let width = inner.width.saturating_sub(1).max(1);
    if c.editor.is_empty() {
        let send = key(app, ActionKind::ReplySend);
        let close = key(app, ActionKind::ComposeClose);
        let pick = key(app, ActionKind::TemplatePick);
        let next = key(app, ActionKind::ComposeNextPlaceholder);
        f.render_widget(
            Paragraph::new(span(
                app,
                Role::Dim,
                format!(
                    "Type the reply, or {pick} for a template ({next} goes to each field to \
                     fill). {send} sends, {close} keeps the draft for later."
                ),
            ))
            .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        f.set_cursor_position(Position::new(inner.x, inner.y));
        return;
    }
    let layout = c.editor.layout(width);
    let rows = inner.height as usize;
    let top = (layout.cursor_row + 1).saturating_sub(rows);
    let text = c.editor.text();
    let lines: Vec<Line> = layout
        .rows
        .iter()
        .skip(top)
        .take(rows)
        .map(|r| super::gate_line::highlighted(app, text, r.start..r.end, &c.gate.findings))
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
    let row = (layout.cursor_row - top) as u16;
    let col = layout.cursor_col.min(inner.width.saturating_sub(1));
    if row < inner.height {
        f.set_cursor_position(Position::new(inner.x + col, inner.y + row));
    }
}

fn key(app: &App, kind: ActionKind) -> String {
    app.keymap
        .key_for(Mode::Compose, kind)
        .map(|k| k.to_string())
        .unwrap_or_else(|| format!(":{}", kind.name()))
}
