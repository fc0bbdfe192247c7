//! Rendering: a pure function of `App`. Only visible rows are built, so a queue of 100 000
//! costs what a queue of 50 does; ratatui's buffer diff sends only changed cells.

mod author;
mod compose;
mod delivery;
mod detail;
mod gate_line;
mod messages;
mod overlay;
mod queue;
mod stats;
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
    bottom(f, app, &a);
    if app.picker.is_some() {
        overlay::picker(f, app, area);
    }
    if app.help.is_some() {
        overlay::help(f, app, area);
    }
    if app.messages_view.is_some() {
        messages::overlay(f, app, area);
    }
    if app.author_view.is_some() {
        author::overlay(f, app, area);
    }
    if app.figures.is_some() {
        stats::overlay(f, app, area);
    }
}

/// Hints and the status line; a message too long for the status line takes the hints row
/// (and the status row too when it needs two).
fn bottom(f: &mut Frame, app: &App, a: &crate::layout::Areas) {
    let cols = a.status.width as usize;
    let long = app
        .status
        .as_ref()
        .filter(|s| !status::fits(app, &s.text, cols));
    let Some(s) = long else {
        status::hints(f, app, a.hints);
        status::render(f, app, a.status, true);
        return;
    };
    let two_rows = text::wrap(&s.text, cols).len() > 1 && app.input.is_none();
    match (a.hints.height > 0, two_rows) {
        (true, true) => messages::spill(f, app, s, &[a.hints, a.status]),
        (true, false) => {
            messages::spill(f, app, s, &[a.hints]);
            status::render(f, app, a.status, false);
        }
        // No hints row on a screen this short: the message has the status row to itself.
        (false, _) if app.input.is_none() => messages::spill(f, app, s, &[a.status]),
        (false, _) => status::render(f, app, a.status, false),
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

/// Age as a short clock that fits four columns: 45s, 12m, 1h05, 3d, 20w, 3y.
pub fn short_age(ms: Millis) -> String {
    let s = ms.max(0) / 1000;
    let days = s / 86_400;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h{:02}", s / 3600, (s % 3600) / 60),
        _ if days < 100 => format!("{days}d"),
        _ if days < 730 => format!("{}w", days / 7),
        _ => format!("{}y", days / 365),
    }
}

/// The calendar day (UTC) of a time, `2026-11-22`.
pub fn date(ms: Millis) -> String {
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_ages_stay_short_and_dates_are_right() {
        let day = 86_400_000;
        assert_eq!(short_age(65 * 60_000), "1h05");
        assert_eq!(short_age(3 * day), "3d");
        assert_eq!(short_age(140 * day), "20w");
        assert_eq!(short_age(950 * day), "2y");
        assert!(short_age(22_809 * 3_600_000).len() <= 4);
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_795_464_000_000), "2026-11-23");
        assert_eq!(date(951_782_400_000), "2000-02-29");
    }
}
