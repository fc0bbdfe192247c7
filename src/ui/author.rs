//! The author panel (`a`): one author's history with the team, newest mention first.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{fit, one_line, width};
use super::{date, short_age, span};
use crate::app::author::summary;
use crate::app::App;
use crate::model::{Label, ReplyState};
use crate::theme::Role;
use crate::triage::priority::human_count;

pub fn overlay(f: &mut Frame, app: &App, area: Rect) {
    let Some(view) = &app.author_view else {
        return;
    };
    let title = format!(" Author {} — Esc closes, j/k scroll ", view.handle);
    let Some(inner) = super::overlay::framed(f, app, area, title) else {
        return;
    };
    let cols = inner.width as usize;
    let lines = match summary(app, &view.handle) {
        Some(s) => lines(app, &s, cols),
        None => vec![Line::from(span(
            app,
            Role::Dim,
            "no mention of theirs is left",
        ))],
    };
    let height = inner.height as usize;
    let top = (view.scroll as usize).min(lines.len().saturating_sub(height));
    f.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), inner);
}

fn lines(app: &App, s: &crate::app::author::Summary<'_>, cols: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut head = vec![
        span(app, Role::Author, s.name.clone()),
        span(app, Role::Dim, format!(" {} · ", s.handle)),
        span(
            app,
            Role::Reach,
            format!("{} followers", human_count(s.followers)),
        ),
    ];
    if let Some(st) = s.standing {
        head.push(span(
            app,
            Role::Notice,
            format!(" · {} {}", st.glyph(), st.name()),
        ));
    }
    out.push(Line::from(head));
    let contact = |t| format!("{} ({} ago)", date(t), short_age(app.now - t));
    out.push(Line::from(span(
        app,
        Role::Dim,
        fit(
            &format!(
                "first contact {} · last {}",
                contact(s.first),
                contact(s.last)
            ),
            cols,
        ),
    )));
    out.push(Line::from(span(
        app,
        Role::Dim,
        fit(
            &format!(
                "{} mentions ({} negative, {} positive) · replies from us: {}",
                s.tally.mentions, s.tally.negative, s.tally.positive, s.replies
            ),
            cols,
        ),
    )));
    let (spark, word) = s.trend();
    out.push(Line::from(vec![
        span(app, Role::Dim, "tone, oldest to newest: "),
        span(app, Role::Base, spark),
        span(app, Role::Dim, format!(" {word}")),
    ]));
    let mut tags: Vec<&String> = s.mentions.iter().flat_map(|m| &m.work.tags).collect();
    tags.sort();
    tags.dedup();
    if !tags.is_empty() {
        let mut spans = vec![span(app, Role::Dim, "tags:")];
        for t in tags {
            spans.push(span(app, super::queue::tag_role(app, t), format!(" #{t}")));
        }
        out.push(Line::from(spans));
    }
    for m in s.mentions.iter().rev() {
        out.push(Line::default());
        let (mark, role) = match m.sentiment.label {
            Label::Negative => ("−", Role::Negative),
            Label::Neutral => ("·", Role::Neutral),
            Label::Positive => ("+", Role::Positive),
        };
        let head = format!(
            "{} ago · {} · ",
            short_age(app.now - m.created),
            m.state.name()
        );
        let room = cols.saturating_sub(width(&head) + 2);
        let here = app.selected.as_deref() == Some(m.id.as_str());
        out.push(Line::from(vec![
            span(app, role, format!("{mark} ")),
            span(app, if here { Role::Title } else { Role::Dim }, head),
            span(app, Role::Base, fit(&one_line(&m.text), room)),
        ]));
        let labels: Vec<Span> = super::queue::work_labels(app, m)
            .into_iter()
            .map(|(l, r)| span(app, r, l))
            .collect();
        if !labels.is_empty() {
            let mut spans = vec![span(app, Role::Dim, "    ")];
            spans.extend(labels);
            out.push(Line::from(spans));
        }
        for n in &m.work.notes {
            let flag = if n.next_shift { " ⚑" } else { "" };
            let head = format!("    note ({}{flag}): ", n.by);
            let room = cols.saturating_sub(width(&head));
            out.push(Line::from(vec![
                span(app, Role::Notice, head),
                span(app, Role::Base, fit(&n.text, room)),
            ]));
        }
        for r in app.replies.get(&m.id).into_iter().flatten() {
            if crate::outbox::is_like(r) {
                continue;
            }
            let state = match r.state {
                ReplyState::Sent => "sent",
                ReplyState::Failed(_) => "failed",
                _ => "pending",
            };
            let head = format!("    ↳ us ({state}): ");
            let room = cols.saturating_sub(width(&head));
            out.push(Line::from(vec![
                span(app, Role::Sent, head),
                span(app, Role::Dim, fit(&one_line(&r.text), room)),
            ]));
        }
    }
    out
}
