//! Rendering: a pure function of `App`. Only visible rows are built, so a queue of 100 000
//! costs what a queue of 50 does; ratatui's buffer diff sends only changed cells.

mod compose;
mod delivery;
mod detail;
mod gate_line;
mod overlay;
mod queue;
mod status;
mod template_picker;
pub mod text;

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use crate::app::App;
use crate::layout::areas;
use crate::model::Millis;
use crate::theme::Role;

pub fn render(f: &mut Frame, app: &App) {
    let area = f.area();
    let banner_lines = app.notices.len().min(2) as u16;
    let a = areas(area, app.compose.is_some(), banner_lines);
    status::banner(f, app, a.banner);
    if a.divider.height > 0 {
        f.render_widget(
            Block::default()
                .borders(Borders::LEFT)
                .border_style(app.theme.style(Role::Border)),
            a.divider,
        );
    }
    queue::render(f, app, a.queue);
    detail::render(f, app, a.detail);
    compose::render(f, app, a.compose);
    status::hints(f, app, a.hints);
    status::render(f, app, a.status);
    if app.picker.is_some() {
        overlay::picker(f, app, area);
    }
    if app.help.is_some() {
        overlay::help(f, app, area);
    }
}

/// A pane with a one-line title bar on top (borders on every side cost too much at 80×24).
fn pane<'a>(app: &App, title: Line<'a>, focused: bool) -> Block<'a> {
    let role = if focused {
        Role::BorderFocus
    } else {
        Role::Border
    };
    Block::default()
        .borders(Borders::TOP)
        .border_style(app.theme.style(role))
        .title(title)
}

fn span(app: &App, role: Role, s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), app.theme.style(role))
}

/// Age as a short clock: 45s, 12m, 1h05, 3d.
pub fn short_age(ms: Millis) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h{:02}", s / 3600, (s % 3600) / 60),
        _ => format!("{}d", s / 86_400),
    }
}

/// How close to the SLA a mention of this age is.
pub fn sla_role(age: Millis, sla: Millis) -> Role {
    if age >= sla {
        Role::SlaBreach
    } else if age * 4 >= sla * 3 {
        Role::SlaWarn
    } else {
        Role::SlaOk
    }
}
