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

/// The keys of the live keymap, the current mode first. Generated, so it never lies.
pub fn help(f: &mut Frame, app: &App, area: Rect) {
    let title = format!(
        " Keys ({} keymap) — Esc closes, j/k scroll ",
        app.keymap.name
    );
    let Some(inner) = framed(f, app, area, title) else {
        return;
    };
    let current = if app.compose.is_some() {
        Mode::Compose
    } else {
        app.mode
    };
    let mut modes = vec![current];
    modes.extend(Mode::ALL.into_iter().filter(|m| *m != current));
    let cols = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for mode in modes {
        let binds = app.keymap.bindings(mode);
        if binds.is_empty() {
            continue;
        }
        lines.push(Line::from(span(
            app,
            Role::Title,
            format!("{} mode", mode.name()),
        )));
        // One row per action, with every key bound to it (`j <Down>`).
        let mut rows: Vec<(Vec<String>, &crate::actions::Action)> = Vec::new();
        for (key, action) in binds {
            match rows.iter_mut().find(|(_, a)| *a == action) {
                Some((keys, _)) => keys.push(key.to_string()),
                None => rows.push((vec![key.to_string()], action)),
            }
        }
        for (keys, action) in rows {
            let k = fit_pad(&keys.join(" "), 14);
            let name = fit_pad(&action.to_string(), 24);
            // "  " + keys (14) + " " + action (24) before the description.
            let room = cols.saturating_sub(41);
            lines.push(Line::from(vec![
                span(app, Role::KeyHint, format!("  {k} ")),
                span(app, Role::Base, name),
                span(app, Role::Dim, fit(action.kind.description(), room)),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(span(app, Role::Title, "commands (:)")));
    for c in [
        ":done  :noreply  :spam  :reopen  :snooze 2h",
        ":filter lang=ru sentiment=neg @handle words",
        ":view open|snoozed|handled|all  :sla 15",
        ":theme NAME  :keymap NAME  :quit  :<action name>",
    ] {
        lines.push(Line::from(span(app, Role::Base, format!("  {c}"))));
    }
    let unbound: Vec<&str> = crate::app::ACTIONS
        .iter()
        .filter(|(k, _, _)| {
            !Mode::ALL
                .iter()
                .any(|m| app.keymap.key_for(*m, *k).is_some())
                && *k != ActionKind::CommandRun
        })
        .map(|(_, n, _)| *n)
        .collect();
    if !unbound.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(span(
            app,
            Role::Dim,
            format!("not bound (use :name): {}", unbound.join(", ")),
        )));
    }
    let scroll = app
        .help
        .unwrap_or(0)
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
