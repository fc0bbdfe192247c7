use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{fit, fit_line_pad, fit_pad, right, width};
use super::{pane, short_age, sla_role, span};
use crate::app::App;
use crate::keymap::Mode;
use crate::model::{Label, Mention, MentionState};
use crate::theme::Role;
use crate::triage::priority::human_count;

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let mut title = vec![span(app, Role::Title, " Queue ")];
    title.push(span(
        app,
        Role::Dim,
        format!("{} {} ", app.visible.len(), app.view.name()),
    ));
    if !app.filter.is_empty() {
        title.push(span(app, Role::Notice, format!("/{} ", app.filter.raw)));
    }
    if app.scroll > 0 {
        let above = if app.new_above > 0 {
            format!("▲{} ({} new) ", app.scroll, app.new_above)
        } else {
            format!("▲{} ", app.scroll)
        };
        title.push(span(app, Role::New, above));
    }
    let focused = app.mode == Mode::Queue && app.compose.is_none();
    let block = pane(app, Line::from(title), focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    if app.visible.is_empty() {
        let msg = if app.filter.is_empty() {
            "Nothing waiting. New mentions appear here as they arrive."
        } else {
            "No mention matches the filter (Esc clears it)."
        };
        f.render_widget(
            Paragraph::new(span(app, Role::Dim, fit(msg, inner.width as usize))),
            inner,
        );
        return;
    }
    let rows = inner.height as usize;
    let sel = app.selected_index();
    // The app keeps the selection in view; clamp here too so any state draws.
    let mut top = app.scroll.min(app.visible.len().saturating_sub(1));
    if let Some(s) = sel {
        if s < top {
            top = s;
        } else if s >= top + rows {
            top = s + 1 - rows;
        }
    }
    let end = (top + rows).min(app.visible.len());
    let lines: Vec<Line> = app
        .visible
        .keys
        .iter_from(top)
        .take(end - top)
        .enumerate()
        .filter_map(|(i, k)| {
            let m = app.mentions.get(&k.id)?;
            Some(row(app, m, inner.width as usize, sel == Some(top + i)))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn row(app: &App, m: &Mention, cols: usize, selected: bool) -> Line<'static> {
    let age = app.now - m.created;
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(12);
    let open = m.state.is_open(app.now);
    let marker = if m.state == MentionState::New {
        "●"
    } else {
        " "
    };
    spans.push(span(app, Role::New, marker));
    let marked = app.marks.contains(&m.id);
    let (draft, draft_role) = if marked {
        ("◆", Role::Marked)
    } else if app.drafts.contains_key(&m.id) {
        ("✎", Role::Notice)
    } else {
        (" ", Role::Notice)
    };
    spans.push(span(app, draft_role, draft));
    // The SLA clock only means something while the mention waits.
    let (clock, clock_role) = if open {
        let sla = app.sla_of(m);
        let breach = if age >= sla { "!" } else { " " };
        (
            format!("{}{breach}", right(&short_age(age), 4)),
            sla_role(age, sla),
        )
    } else {
        let tag = crate::app::escalate::row_tag(app, m);
        (
            fit_pad(tag.as_deref().unwrap_or(state_tag(m.state)), 5),
            Role::Dim,
        )
    };
    spans.push(span(app, clock_role, format!("{clock} ")));
    let (mark, role) = match m.sentiment.label {
        Label::Negative => ("−", Role::Negative),
        Label::Neutral => ("·", Role::Neutral),
        Label::Positive => ("+", Role::Positive),
    };
    spans.push(span(app, role, format!("{mark} ")));
    spans.push(span(app, Role::Network, format!("{} ", m.network.letter())));
    let mut used = 1 + 1 + 6 + 2 + 2;
    // Several accounts: say which one the mention came to, when there is room.
    if app.sources.len() > 1 && cols >= 90 {
        spans.push(span(
            app,
            Role::Network,
            format!("{} ", fit_pad(&m.source, 12)),
        ));
        used += 13;
    }
    // Drop columns on narrow terminals; the text always keeps what is left.
    let handle_cols = if cols >= 150 {
        32
    } else if cols >= 100 {
        24
    } else if cols >= 70 {
        16
    } else if cols >= 50 {
        10
    } else {
        0
    };
    if handle_cols > 0 {
        // An advocate or a repeat complainer: a glyph before the handle.
        let handle = match app.standing(m) {
            Some(s) => format!("{}{}", s.glyph(), m.author.handle),
            None => m.author.handle.clone(),
        };
        spans.push(span(
            app,
            Role::Author,
            format!("{} ", fit_pad(&handle, handle_cols)),
        ));
        used += handle_cols + 1;
    }
    if cols >= 60 {
        spans.push(span(
            app,
            Role::Reach,
            format!("{} ", right(&human_count(m.author.followers), 5)),
        ));
        spans.push(span(app, Role::Lang, format!("{} ", fit_pad(&m.lang, 3))));
        used += 10;
    }
    let mut text_cols = cols.saturating_sub(used);
    // Where its reply stands, while it is not sent: the text makes room when it can.
    let pending = app
        .replies
        .get(&m.id)
        .and_then(|l| super::delivery::pending(l))
        .and_then(|r| super::delivery::mark(r, app.now));
    if let Some((mark, role)) = pending.filter(|(t, _)| width(t) + 8 <= text_cols) {
        text_cols -= width(&mark);
        spans.push(span(app, role, mark));
    }
    // Who has it and its tags, before the words, while the words keep some room.
    for (label, role) in work_labels(app, m) {
        if width(&label) + 12 > text_cols {
            break;
        }
        text_cols -= width(&label);
        spans.push(span(app, role, label));
    }
    spans.push(span(app, Role::Base, fit_line_pad(&m.text, text_cols)));
    let mut line = Line::from(spans);
    if marked && !selected {
        for s in line.spans.iter_mut().skip(2) {
            s.style = s.style.patch(app.theme.style(Role::Marked));
        }
    }
    if selected {
        line = line.style(app.theme.style(Role::Selected));
        for s in &mut line.spans {
            s.style = s.style.patch(app.theme.style(Role::Selected));
        }
    }
    debug_assert!(width(&line.to_string()) <= cols.max(12) + 1);
    line
}

fn state_tag(s: MentionState) -> &'static str {
    match s {
        MentionState::Snoozed { .. } => "zzz",
        MentionState::Replied => "sent",
        MentionState::Done => "done",
        MentionState::NoReply => "skip",
        MentionState::Spam => "spam",
        MentionState::Hidden => "hid",
        MentionState::Waiting { .. } => "wait",
        MentionState::SnoozedForAuthor { .. } => "zzz@",
        _ => "",
    }
}

/// `→jo ` and `#billing `: the assignee, then the tags (the team's list in the `tag`
/// colour, free ones dim).
pub(super) fn work_labels(app: &App, m: &Mention) -> Vec<(String, Role)> {
    let mut out = Vec::new();
    if let Some(a) = &m.work.assignee {
        out.push((format!("→{} ", fit(a, 12)), Role::Author));
    }
    for t in &m.work.tags {
        out.push((format!("#{} ", fit(t, 16)), tag_role(app, t)));
    }
    out
}

pub(super) fn tag_role(app: &App, tag: &str) -> Role {
    if app.tags_known.iter().any(|k| k == tag) {
        Role::Tag
    } else {
        Role::Dim
    }
}
