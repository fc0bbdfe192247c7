use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::text::{fit, one_line};
use super::{pane, short_age, sla_role, span};
use crate::app::ThreadState;
use crate::app::{ActionKind, App};
use crate::keymap::Mode;
use crate::model::Post;
use crate::model::{Mention, Network, ReplyState};
use crate::theme::Role;
use crate::triage::priority::{explain, human_count};

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    if let Some(m) = app
        .compose
        .as_ref()
        .and_then(|c| app.mentions.get(&c.mention))
    {
        return quote(f, app, m, area);
    }
    let focused = app.mode == Mode::Detail;
    let Some(m) = app.selected_mention() else {
        let block = pane(
            app,
            Line::from(span(app, Role::Title, " Mention ")),
            focused,
        );
        f.render_widget(block, area);
        return;
    };
    let title = Line::from(vec![
        span(app, Role::Title, " Mention "),
        span(app, Role::Dim, format!("{} ", m.state.name())),
    ]);
    let block = pane(app, title, focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = lines(app, m, inner.width as usize);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll, 0)),
        inner,
    );
}

/// While a reply is written, the pane holds the words being answered: who, how old, how
/// they feel, then the text itself, scrolled from the editor (`compose.quote_down`).
fn quote(f: &mut Frame, app: &App, m: &Mention, area: Rect) {
    let cols = area.width as usize;
    let rows = crate::app::quote_rows(m, cols);
    let height = area.height.saturating_sub(crate::layout::PANE_TITLE_ROWS) as usize;
    let top = (app.quote_scroll as usize).min(rows.len().saturating_sub(height));
    let mut title = vec![span(app, Role::Title, " Replying to ")];
    // Where the quote is and how to move it comes before the handle: a narrow screen cuts
    // the title's end.
    if rows.len() > height && height > 0 {
        let keys = [ActionKind::ComposeQuoteDown, ActionKind::ComposeQuoteUp]
            .into_iter()
            .filter_map(|k| app.keymap.key_for(Mode::Compose, k))
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join("/");
        let more = if top + height < rows.len() {
            "↓"
        } else {
            "↑"
        };
        title.push(span(
            app,
            Role::KeyHint,
            format!("{more}{}/{} {keys} ", top + height, rows.len()),
        ));
    }
    title.push(span(app, Role::Author, format!("{} ", m.author.handle)));
    let block = pane(app, Line::from(title), false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let age = app.now - m.created;
    let role = sentiment_role(m);
    let lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, r)| {
            if i == 0 {
                Line::from(vec![
                    span(app, Role::Author, m.author.name.clone()),
                    span(app, Role::Dim, " · "),
                    span(app, sla_role(age, app.sla_of(m)), age_text(age, m.created)),
                    span(app, Role::Dim, " · "),
                    span(app, Role::Lang, m.lang.clone()),
                    span(app, Role::Dim, " · "),
                    span(app, role, m.sentiment.label.name().to_string()),
                ])
            } else {
                Line::from(span(app, Role::Base, r))
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn sentiment_role(m: &Mention) -> Role {
    match m.sentiment.label {
        crate::model::Label::Negative => Role::Negative,
        crate::model::Label::Positive => Role::Positive,
        crate::model::Label::Neutral => Role::Neutral,
    }
}

/// "47m old"; from a day on, with the date it was written.
fn age_text(age: crate::model::Millis, created: crate::model::Millis) -> String {
    if age >= 86_400_000 {
        format!("{} old ({})", short_age(age), super::date(created))
    } else {
        format!("{} old", short_age(age))
    }
}

/// Until the first reply goes out from this data directory: how to answer with a template.
fn first_run(app: &App) -> Option<Line<'static>> {
    if !app.replies.is_empty() {
        return None;
    }
    let key = |mode, kind| {
        app.keymap
            .key_for(mode, kind)
            .map(|k| super::status::hint_key(&k.to_string()))
            .unwrap_or_else(|| format!(":{}", kind.name()))
    };
    Some(Line::from(span(
        app,
        Role::Notice,
        format!(
            "New here? {} replies, {} picks a template, {} fills it, {} sends",
            key(Mode::Queue, ActionKind::ReplyOpen),
            key(Mode::Compose, ActionKind::TemplatePick),
            key(Mode::Compose, ActionKind::ComposeNextPlaceholder),
            key(Mode::Compose, ActionKind::ReplySend),
        ),
    )))
}

fn lines(app: &App, m: &Mention, cols: usize) -> Vec<Line<'static>> {
    let age = app.now - m.created;
    let mut out: Vec<Line<'static>> = first_run(app).into_iter().collect();
    out.extend([
        Line::from(vec![
            span(app, Role::Author, m.author.name.clone()),
            span(app, Role::Dim, format!(" {}", m.author.handle)),
            span(
                app,
                Role::Notice,
                app.standing(m)
                    .map(|s| format!(" {} {}", s.glyph(), s.name()))
                    .unwrap_or_default(),
            ),
        ]),
        Line::from(vec![
            span(
                app,
                Role::Reach,
                format!("{} followers", human_count(m.author.followers)),
            ),
            span(app, Role::Dim, " · "),
            span(
                app,
                Role::Network,
                format!("{} ({})", m.network.name(), m.source),
            ),
            span(app, Role::Dim, " · "),
            span(app, Role::Lang, m.lang.clone()),
            span(app, Role::Dim, " · "),
            span(app, sla_role(age, app.sla_of(m)), age_text(age, m.created)),
        ]),
    ]);
    let rank = app
        .selected_index()
        .map(|i| format!("#{} of {} · ", i + 1, app.visible.len()))
        .unwrap_or_default();
    let role = sentiment_role(m);
    out.push(Line::from(vec![
        span(app, Role::Dim, "why here: "),
        span(
            app,
            role,
            format!("{rank}{}", {
                let c = app.sla_clock(m);
                explain(m, app.now, &app.weights, (c.target, c.left))
            }),
        ),
    ]));
    if !m.sentiment.reasons.is_empty() {
        let reasons: Vec<String> = m
            .sentiment
            .reasons
            .iter()
            .take(6)
            .map(|r| format!("{} {:+.1}", r.what, r.weight))
            .collect();
        out.push(Line::from(vec![
            span(app, Role::Dim, "reasons: "),
            span(app, Role::Dim, reasons.join(", ")),
        ]));
    }
    if !m.cues.is_empty() {
        let cues: Vec<String> = m
            .cues
            .iter()
            .map(|c| format!("{} {:.1}", c.tag, c.weight))
            .collect();
        out.push(Line::from(vec![
            span(app, Role::Dim, "cues: "),
            span(app, Role::Notice, cues.join(", ")),
        ]));
    }
    work_lines(app, m, cols, &mut out);
    // An unfinished reply is the first thing to see when coming back to a mention.
    if app.compose.is_none() {
        if let Some(d) = app.drafts.get(&m.id) {
            out.push(Line::from(vec![
                span(app, Role::Notice, "✎ draft: "),
                span(app, Role::Dim, fit(&one_line(d), cols.saturating_sub(9))),
            ]));
        }
    }
    out.push(Line::default());
    for l in m.text.lines() {
        out.push(Line::from(span(app, Role::Base, l.to_string())));
    }
    // Ingest kept only the start of an oversized field: say so where it ends.
    for c in &m.cut {
        out.push(Line::from(span(
            app,
            Role::Notice,
            format!("[{}]", c.describe()),
        )));
    }

    // Escalation: which department, the note, and where the webhook delivery stands.
    let escalation = crate::app::escalate::detail_lines(app, m);
    if !escalation.is_empty() {
        out.push(Line::default());
    }
    for (i, l) in escalation.into_iter().enumerate() {
        let role = if i == 0 { Role::Title } else { Role::Base };
        out.push(Line::from(span(app, role, l)));
    }

    let parents = ancestors(app, m);
    let children = app.children.get(&m.id).map(Vec::as_slice).unwrap_or(&[]);
    if !parents.is_empty() || !children.is_empty() {
        out.push(Line::default());
        out.push(Line::from(span(app, Role::Title, "Thread")));
        for p in parents.iter().rev() {
            out.push(thread_line(app, p, "↑ ", cols));
        }
        out.push(thread_line(app, m, "▸ ", cols));
        for c in children.iter().filter_map(|id| app.mentions.get(id)) {
            out.push(thread_line(app, c, "  ↳ ", cols));
        }
    }
    if let Some(t) = app.thread.as_ref().filter(|t| t.mention == m.id) {
        network_thread(app, m, &t.state, cols, &mut out);
    }
    if let Some(replies) = app.replies.get(&m.id) {
        out.push(Line::default());
        out.push(Line::from(span(app, Role::Title, "Our replies")));
        for r in replies {
            let (label, role) = super::delivery::label(r, app.now);
            // The age of what the label says: when it went out, else when it was queued.
            let age = match (r.state == ReplyState::Sent, r.sent) {
                (true, Some(t)) => format!(" {} ago", short_age(app.now - t)),
                _ => format!(" · queued {} ago", short_age(app.now - r.created)),
            };
            out.push(Line::from(vec![
                span(app, role, label),
                span(app, Role::Dim, age),
            ]));
            // A like has no words of its own to show.
            let words = if crate::outbox::is_like(r) {
                ""
            } else {
                &r.text
            };
            for l in words.lines() {
                out.push(Line::from(span(app, Role::Base, format!("  {l}"))));
            }
        }
    }
    out
}

/// Who has the mention, its tags and the team's notes on it (never sent anywhere).
fn work_lines(app: &App, m: &Mention, cols: usize, out: &mut Vec<Line<'static>>) {
    let w = &m.work;
    if let Some(a) = &w.assignee {
        out.push(Line::from(vec![
            span(app, Role::Dim, "assigned to "),
            span(app, Role::Author, a.clone()),
        ]));
    }
    if !w.tags.is_empty() {
        let mut spans = vec![span(app, Role::Dim, "tags:")];
        for t in &w.tags {
            spans.push(span(app, super::queue::tag_role(app, t), format!(" #{t}")));
        }
        out.push(Line::from(spans));
    }
    for n in &w.notes {
        let flag = if n.next_shift { " ⚑ next shift" } else { "" };
        let head = format!("note ({}, {} ago{flag}): ", n.by, short_age(app.now - n.at));
        let room = cols.saturating_sub(super::text::width(&head)).max(10);
        out.push(Line::from(vec![
            span(app, Role::Notice, head),
            span(app, Role::Base, fit(&n.text, room)),
        ]));
    }
}

/// Parents up the thread, nearest first; bounded so a cycle in bad data cannot hang.
fn ancestors<'a>(app: &'a App, m: &Mention) -> Vec<&'a Mention> {
    let mut out = Vec::new();
    let mut cur = m.in_reply_to.as_ref();
    while let Some(id) = cur {
        let Some(p) = app.mentions.get(id) else {
            break;
        };
        if out.len() >= 8 || p.id == m.id {
            break;
        }
        out.push(p);
        cur = p.in_reply_to.as_ref();
    }
    out
}

fn thread_line(app: &App, m: &Mention, prefix: &str, cols: usize) -> Line<'static> {
    post_line(app, &m.author.handle, &m.text, prefix, cols)
}

fn post_line(app: &App, handle: &str, text: &str, prefix: &str, cols: usize) -> Line<'static> {
    let head = format!("{prefix}{handle}: ");
    let room = cols.saturating_sub(super::text::width(&head));
    Line::from(vec![
        Span::styled(head, app.theme.style(Role::Author)),
        span(app, Role::Dim, fit(&one_line(text), room)),
    ])
}

/// The thread as the network has it: loading, one line of error, or the posts around.
fn network_thread(
    app: &App,
    m: &Mention,
    state: &ThreadState,
    cols: usize,
    out: &mut Vec<Line<'static>>,
) {
    out.push(Line::default());
    let title = match m.network {
        Network::Mastodon => "On Mastodon",
        Network::Bluesky => "On Bluesky",
        Network::Jsonl => "On the network",
    };
    match state {
        ThreadState::Loading => out.push(Line::from(vec![
            span(app, Role::Title, title),
            span(app, Role::Dim, " loading the thread…"),
        ])),
        ThreadState::Failed(why) => out.push(Line::from(vec![
            span(app, Role::Title, title),
            span(app, Role::Error, format!(" {}", fit(&one_line(why), cols))),
        ])),
        ThreadState::Ready(t) if t.ancestors.is_empty() && t.descendants.is_empty() => {
            out.push(Line::from(vec![
                span(app, Role::Title, title),
                span(app, Role::Dim, " nothing before or after it"),
            ]))
        }
        ThreadState::Ready(t) => {
            out.push(Line::from(span(app, Role::Title, title)));
            let row = |prefix: &str, p: &Post| post_line(app, &p.handle, &p.text, prefix, cols);
            out.extend(t.ancestors.iter().map(|p| row("↑ ", p)));
            out.push(thread_line(app, m, "▸ ", cols));
            out.extend(t.descendants.iter().map(|p| row("  ↳ ", p)));
        }
    }
}
