//! The stats pane and the hand-over, over the queue. The stats pane puts the summary first,
//! then two charts (arrivals per hour as a sparkline, the negative share per hour as bars),
//! then the breakdowns, which scroll; every figure is also written as text, so the pane
//! reads the same in `mono`.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Sparkline};
use ratatui::Frame;

use super::overlay::framed;
use super::span;
use super::text::fit;
use crate::app::figures::{Content, Pane, View};
use crate::app::App;
use crate::stats::text::{cells, summary, COLUMNS};
use crate::stats::{Figures, Stats};
use crate::theme::Role;

pub fn overlay(f: &mut Frame, app: &App, area: Rect) {
    let Some(v) = app.figures.as_ref() else {
        return;
    };
    let name = match v.pane {
        Pane::Stats => "Stats",
        Pane::Handover => "Hand-over",
    };
    let title = match &v.content {
        Content::Stats(s) => format!(" {name} {} — Esc closes, j/k scroll ", span_of(s)),
        _ => format!(" {name} — Esc closes, j/k scroll "),
    };
    let Some(inner) = framed(f, app, area, title) else {
        return;
    };
    match &v.content {
        Content::Loading => text(f, app, inner, vec!["computing the figures…".into()], 0),
        Content::Failed(e) => text(
            f,
            app,
            inner,
            vec![format!("the figures could not be read: {e}")],
            0,
        ),
        Content::Stats(s) => stats(f, app, inner, s, v),
        Content::Handover(h) => {
            let lines = crate::stats::handover::lines(h)
                .into_iter()
                .map(|l| crate::sanitize::sanitize_line(&l))
                .collect();
            text(f, app, inner, lines, v.scroll)
        }
    }
}

/// "last 24 h", "last 90 min".
fn span_of(s: &Stats) -> String {
    let min = (s.window.to - s.window.from) / 60_000;
    if min >= 120 {
        format!("· last {} h", (min + 30) / 60)
    } else {
        format!("· last {min} min")
    }
}

fn text(f: &mut Frame, app: &App, area: Rect, lines: Vec<String>, scroll: u16) {
    let cols = area.width as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .skip(scroll as usize)
        .map(|l| {
            let role = if l.ends_with(':') || l.contains(": ") && !l.starts_with(' ') {
                Role::Title
            } else {
                Role::Base
            };
            Line::from(span(app, role, fit(&l, cols)))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

fn stats(f: &mut Frame, app: &App, area: Rect, s: &Stats, v: &View) {
    let rows = summary(s);
    let key_w = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    let chart_h: u16 = if area.height >= 30 { 10 } else { 5 };
    let [top, charts, rest] = Layout::vertical([
        Constraint::Length(rows.len() as u16),
        Constraint::Length(chart_h),
        Constraint::Min(0),
    ])
    .areas(area);
    let cols = top.width as usize;
    let lines: Vec<Line> = rows
        .iter()
        .map(|(k, val)| {
            let role = match k.as_str() {
                "SLA met" if s.totals.sla_breached > 0 => Role::SlaBreach,
                "answered" if s.totals.response_rate.is_some_and(|r| r < 100.0) => Role::SlaWarn,
                _ => Role::Base,
            };
            Line::from(vec![
                span(app, Role::Dim, format!("{k:<key_w$}")),
                span(app, role, fit(val, cols.saturating_sub(key_w))),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), top);
    chart_row(f, app, charts, s);
    breakdowns(f, app, rest, s, v.scroll);
}

fn chart_row(f: &mut Frame, app: &App, area: Rect, s: &Stats) {
    if area.height < 3 || s.by_hour.is_empty() {
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    // The newest hours when the window has more than there are columns; each hour as
    // wide as the room allows, the same in both charts, so their hours line up.
    let arrivals = s.arrivals_per_hour();
    let room = left.width.saturating_sub(1) as usize;
    let from = arrivals.len().saturating_sub(room);
    let per = (room / arrivals[from..].len().max(1)).clamp(1, 5);
    let wide: Vec<u64> = arrivals[from..]
        .iter()
        .flat_map(|&a| std::iter::repeat_n(a, per))
        .collect();
    let peak = arrivals.iter().max().copied().unwrap_or(0);
    let [t1, c1, a1] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(left);
    f.render_widget(
        Paragraph::new(Line::from(span(
            app,
            Role::Title,
            fit(
                &format!("arrivals per hour (peak {peak})"),
                t1.width as usize,
            ),
        ))),
        t1,
    );
    f.render_widget(
        Sparkline::default()
            .data(&wide)
            .max(peak.max(1))
            .style(app.theme.style(Role::Base)),
        c1,
    );
    axis(f, app, a1, s, from);

    let share = s.negative_share_per_hour();
    let [t2, c2, a2] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(right);
    let room = c2.width.saturating_sub(1) as usize;
    let from2 = share.len().saturating_sub(room);
    let shown = &share[from2..];
    let total = s
        .totals
        .negative_share
        .map_or("–".into(), |p| format!("{p:.0}%"));
    f.render_widget(
        Paragraph::new(Line::from(span(
            app,
            Role::Title,
            fit(
                &format!("negative share per hour (all {total})"),
                t2.width as usize,
            ),
        ))),
        t2,
    );
    let per = (room / shown.len().max(1)).clamp(1, 5) as u16;
    let gap = u16::from(per >= 2);
    let width = per - gap;
    let bars: Vec<Bar> = shown
        .iter()
        .map(|&p| {
            Bar::default()
                .value(p)
                .text_value(String::new())
                .style(app.theme.style(Role::Negative))
        })
        .collect();
    f.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(width)
            .bar_gap(gap)
            .max(100),
        c2,
    );
    axis(f, app, a2, s, from2);
}

/// The first hour shown and "now", under a chart.
fn axis(f: &mut Frame, app: &App, area: Rect, s: &Stats, from: usize) {
    let Some(first) = s.by_hour.get(from) else {
        return;
    };
    let w = area.width as usize;
    let gap = w.saturating_sub(first.label.len() + 4);
    let line = format!("{}{}now", first.label, " ".repeat(gap));
    f.render_widget(
        Paragraph::new(Line::from(span(app, Role::Dim, fit(&line, w)))),
        area,
    );
}

fn groups(gs: &[crate::stats::Group]) -> Vec<(String, &Figures)> {
    gs.iter().map(|g| (g.key.clone(), &g.figures)).collect()
}

fn breakdowns(f: &mut Frame, app: &App, area: Rect, s: &Stats, scroll: u16) {
    let cols = area.width as usize;
    let widths = [5usize, 9, 7, 8, 8, 8, 9, 7];
    let row = |key: &str, cells: &[String]| {
        let mut l = format!("{:<12}", fit(key, 11));
        for (c, w) in cells.iter().zip(widths) {
            l.push_str(&format!("{c:>w$}"));
        }
        l
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut table = |title: &str, rows: Vec<(String, &Figures)>| {
        if rows.is_empty() {
            return;
        }
        let head: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        lines.push(Line::from(span(
            app,
            Role::Title,
            fit(&row(title, &head), cols),
        )));
        for (k, fig) in rows {
            let safe = crate::sanitize::sanitize_line(&k);
            lines.push(Line::from(span(
                app,
                Role::Base,
                fit(&row(&safe, &cells(fig)), cols),
            )));
        }
    };
    table("network", groups(&s.by_network));
    table("language", groups(&s.by_language));
    table("sentiment", groups(&s.by_sentiment));
    table("moderator", groups(&s.by_moderator));
    table(
        "hour",
        s.by_hour
            .iter()
            .rev()
            .map(|h| (h.label.clone(), &h.figures))
            .collect(),
    );
    let lines: Vec<Line> = lines.into_iter().skip(scroll as usize).collect();
    f.render_widget(Paragraph::new(lines), area);
}
