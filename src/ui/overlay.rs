use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::span;
use super::text::{fit, fit_pad};
use crate::app::{ActionKind, App};
use crate::keymap::Mode;
use crate::layout::centered;
use crate::theme::Role;

/// A full-screen overlay's frame (cleared, bordered, titled) nearly as large as `area`;
/// its inside, or None when there is no room for one.
pub fn framed(f: &mut Frame, app: &App, area: Rect, title: String) -> Option<Rect> {
    let r = centered(
        area,
        area.width.saturating_sub(4).max(1),
        area.height.saturating_sub(2).max(1),
    );
    if r.width < 3 || r.height < 3 {
        return None;
    }
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.style(Role::BorderFocus))
        .title(Line::from(span(app, Role::Title, title)));
    let inner = block.inner(r);
    f.render_widget(block, r);
    Some(inner)
}

/// "Esc closes, j/k scroll, / filters": help's own keys, as the live keymap binds them.
pub fn help_keys_title(app: &App) -> String {
    let key = |k| {
        app.keymap
            .key_for(Mode::Help, k)
            .map(|k| super::status::hint_key(&k.to_string()))
    };
    let mut parts = Vec::new();
    if let Some(k) = key(ActionKind::HelpClose) {
        parts.push(format!("{k} closes"));
    }
    match (
        key(ActionKind::HelpScrollDown),
        key(ActionKind::HelpScrollUp),
    ) {
        (Some(d), Some(u)) => parts.push(format!("{d}/{u} scroll")),
        (Some(d), None) => parts.push(format!("{d} scrolls")),
        _ => {}
    }
    parts.join(", ")
}

/// One help row: an action with every key bound to it in a mode (`j <Down>`).
struct Row<'a> {
    keys: String,
    action: &'a crate::actions::Action,
}

/// Whether a help row is kept by the filter: by key, action name or description.
fn matches(filter: &str, keys: &str, name: &str, doc: &str) -> bool {
    if filter.is_empty() {
        return true;
    }
    let f = filter.to_lowercase();
    keys.to_lowercase().contains(&f)
        || name.to_lowercase().contains(&f)
        || doc.to_lowercase().contains(&f)
}

/// The keys of the live keymap, the current mode first, then the `:` commands with their
/// aliases and arguments: all generated from the keymap and the registry, so never a lie.
pub fn help(f: &mut Frame, app: &App, area: Rect) {
    let filter = app.help.as_ref().map(|h| h.filter.as_str()).unwrap_or("");
    let keys = help_keys_title(app);
    let filters = app
        .keymap
        .key_for(Mode::Help, ActionKind::HelpFilter)
        .map(|k| format!(", {} filters", super::status::hint_key(&k.to_string())))
        .unwrap_or_default();
    // The longest title that fits the frame.
    let room = area.width.saturating_sub(8) as usize;
    let title = [
        format!(" Keys ({} keymap) — {keys}{filters} ", app.keymap.name),
        format!(" Keys — {keys}{filters} "),
        format!(" Keys — {keys} "),
    ]
    .into_iter()
    .find(|t| super::text::width(t) <= room)
    .unwrap_or_else(|| " Keys ".to_string());
    let Some(inner) = framed(f, app, area, title) else {
        return;
    };
    let current = app.base_mode();
    let mut modes = vec![current];
    modes.extend(Mode::ALL.into_iter().filter(|m| *m != current));
    let cols = inner.width as usize;
    // Keys and description; the action's name too when there is room for it.
    let (key_w, name_w) = match cols {
        96.. => (14, 24),
        60.. => (16, 0),
        _ => (12, 0),
    };
    let mut lines: Vec<Line> = Vec::new();
    if !filter.is_empty() {
        lines.push(Line::from(vec![span(
            app,
            Role::Notice,
            fit(&format!("filter: {filter}"), cols),
        )]));
    }
    let mut shown = 0usize;
    for mode in modes {
        // One row per action, with every key bound to it.
        let mut rows: Vec<Row> = Vec::new();
        for (key, action) in app.keymap.bindings(mode) {
            match rows.iter_mut().find(|r| r.action == action) {
                Some(r) => {
                    r.keys.push(' ');
                    r.keys.push_str(&key.to_string());
                }
                None => rows.push(Row {
                    keys: key.to_string(),
                    action,
                }),
            }
        }
        rows.retain(|r| {
            matches(
                filter,
                &r.keys,
                &r.action.to_string(),
                r.action.kind.description(),
            )
        });
        if rows.is_empty() {
            continue;
        }
        shown += rows.len();
        lines.push(Line::from(span(
            app,
            Role::Title,
            format!("{} mode", mode.name()),
        )));
        for r in rows {
            let mut spans = vec![span(
                app,
                Role::KeyHint,
                format!("  {} ", fit_pad(&r.keys, key_w)),
            )];
            if name_w > 0 {
                spans.push(span(
                    app,
                    Role::Base,
                    fit_pad(&r.action.to_string(), name_w),
                ));
            }
            let room = cols.saturating_sub(3 + key_w + name_w);
            spans.push(span(app, Role::Dim, fit(r.action.kind.description(), room)));
            lines.push(Line::from(spans));
        }
        lines.push(Line::default());
    }
    // The command line: every entry with an alias or an argument, as typed after `:`.
    let usage_w = if cols >= 70 { 30 } else { 0 };
    let mut commands: Vec<Line> = Vec::new();
    for c in crate::actions::COMMANDS {
        if c.aliases.is_empty() && c.signature.arg.is_none() {
            continue;
        }
        let mut usage = c.usage();
        for a in c.aliases.iter().skip(1) {
            usage.push_str(&format!(" :{a}"));
        }
        if !matches(filter, &usage, c.name, c.doc) {
            continue;
        }
        shown += 1;
        if usage_w == 0 {
            commands.push(Line::from(span(
                app,
                Role::KeyHint,
                fit(&format!("  {usage}"), cols),
            )));
            commands.push(Line::from(span(
                app,
                Role::Dim,
                fit(&format!("    {}", c.doc), cols),
            )));
        } else {
            let room = cols.saturating_sub(3 + usage_w);
            commands.push(Line::from(vec![
                span(
                    app,
                    Role::KeyHint,
                    format!("  {} ", fit_pad(&usage, usage_w)),
                ),
                span(app, Role::Dim, fit(c.doc, room)),
            ]));
        }
    }
    if !commands.is_empty() {
        lines.push(Line::from(span(
            app,
            Role::Title,
            "commands (:, Tab completes; any action runs as :name)",
        )));
        lines.extend(commands);
    }
    let unbound: Vec<&str> = crate::actions::COMMANDS
        .iter()
        .filter(|c| {
            !Mode::ALL
                .iter()
                .any(|m| app.keymap.key_for(*m, c.kind).is_some())
                && c.kind != ActionKind::CommandRun
                && matches(filter, "", c.name, c.doc)
        })
        .map(|c| c.name)
        .collect();
    if !unbound.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(span(
            app,
            Role::Dim,
            format!("not bound (use :name): {}", unbound.join(", ")),
        )));
    }
    if shown == 0 && unbound.is_empty() {
        lines.push(Line::from(span(
            app,
            Role::Dim,
            "nothing matches the filter",
        )));
    }
    let scroll = app
        .help
        .as_ref()
        .map_or(0, |h| h.scroll)
        .min(lines.len().saturating_sub(1) as u16);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}

pub fn picker(f: &mut Frame, app: &App, area: Rect) {
    let Some(p) = &app.picker else {
        return;
    };
    if p.purpose == crate::app::PickerPurpose::Template {
        return super::template_picker::render(f, app, p, area);
    }
    let matches = p.matches();
    let h = (matches.len() as u16 + 3).min(area.height);
    let r = centered(area, 40.min(area.width), h);
    if r.width < 3 || r.height < 3 {
        return;
    }
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.style(Role::BorderFocus))
        .title(Line::from(span(app, Role::Title, format!(" {} ", p.title))));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let cols = inner.width as usize;
    let mut lines = vec![Line::from(span(
        app,
        Role::Notice,
        fit(&format!("> {}", p.query), cols),
    ))];
    for (i, item) in matches.iter().enumerate() {
        let role = if i == p.selected {
            Role::Selected
        } else {
            Role::Base
        };
        lines.push(Line::from(span(app, role, fit_pad(item, cols))));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
