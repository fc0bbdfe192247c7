//! The template picker: the query, the best matches for this mention, and a live preview of
//! the selected template already filled for it.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::span;
use super::text::{fit, fit_pad};
use crate::app::{App, Picker};
use crate::layout::centered;
use crate::theme::Role;

pub fn render(f: &mut Frame, app: &App, p: &Picker, area: Rect) {
    let r = centered(area, 76, area.height.saturating_sub(2));
    if r.width < 10 || r.height < 6 {
        return;
    }
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.style(Role::BorderFocus))
        .title(Line::from(span(app, Role::Title, " Template ")));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let cols = inner.width as usize;
    // Half for the list, the rest for the preview.
    let list_rows = (inner.height / 2).max(2);
    let mut lines = vec![Line::from(span(
        app,
        Role::Notice,
        fit(&format!("> {}", p.query), cols),
    ))];
    let items = p.matches();
    let top = p.selected.saturating_sub(list_rows as usize - 2);
    for (i, id) in items
        .iter()
        .enumerate()
        .skip(top)
        .take(list_rows as usize - 1)
    {
        let title = app.kit.template(id).map_or("", |t| t.title.as_str());
        let role = if i == p.selected {
            Role::Selected
        } else {
            Role::Base
        };
        lines.push(Line::from(span(
            app,
            role,
            fit_pad(&format!("{title}  ({id})"), cols),
        )));
    }
    if items.is_empty() {
        lines.push(Line::from(span(app, Role::Dim, "no template matches")));
    }
    f.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, list_rows),
    );
    let preview = items
        .get(p.selected)
        .and_then(|id| crate::app::reply::filled(app, id))
        .map(|t| crate::sanitize::sanitize_text(&t))
        .unwrap_or_default();
    let rest = Rect::new(
        inner.x,
        inner.y + list_rows,
        inner.width,
        inner.height - list_rows,
    );
    f.render_widget(
        Paragraph::new(span(app, Role::Dim, preview)).wrap(Wrap { trim: false }),
        rest,
    );
}
