//! What the gate found, as the compose pane shows it: findings underlined in the text, and
//! one line under it for the finding at the cursor (with numbered suggestions).

use std::ops::Range;

use ratatui::text::{Line, Span};

use super::span;
use super::text::fit;
use crate::app::{App, Compose};
use crate::compose::gate::{Finding, Kind};
use crate::theme::Role;

/// One visual row of the reply with the findings that cross it highlighted.
pub fn highlighted(
    app: &App,
    text: &str,
    row: Range<usize>,
    findings: &[Finding],
) -> Line<'static> {
    let mut spans: Vec<Span> = Vec::new();
    let mut at = row.start;
    let mut marks: Vec<Range<usize>> = findings
        .iter()
        .filter(|f| f.range.end > f.range.start)
        .map(|f| f.range.start.max(row.start)..f.range.end.min(row.end))
        .filter(|r| r.start < r.end)
        .collect();
    marks.sort_by_key(|r| r.start);
    for m in marks {
        if m.start < at {
            continue;
        }
        if let Some(s) = text.get(at..m.start) {
            spans.push(span(app, Role::Base, s.to_string()));
        }
        if let Some(s) = text.get(m.clone()) {
            spans.push(span(app, Role::Finding, s.to_string()));
        }
        at = m.end;
    }
    if let Some(s) = text.get(at..row.end) {
        spans.push(span(app, Role::Base, s.to_string()));
    }
    Line::from(spans)
}

/// The finding under the cursor (else the first), or how many there are, or "ready".
pub fn line(app: &App, c: &Compose, cols: usize) -> Line<'static> {
    let f = &c.gate.findings;
    let at = c.editor.cursor();
    let here = f
        .iter()
        .find(|f| f.range.start <= at && at <= f.range.end && f.range.end > f.range.start)
        .or_else(|| f.iter().find(|f| f.blocking))
        .or_else(|| f.first());
    let blocking = f.iter().filter(|f| f.blocking).count();
    let Some(h) = here else {
        // "Ready" only for a reply there is to send, with no word still being checked.
        let (role, text) = if c.editor.text().trim().is_empty() {
            (Role::Dim, "nothing to send yet".to_string())
        } else if let Some(t) = &c.gate.typing {
            let word = c.editor.text().get(t.range.clone()).unwrap_or("");
            (
                Role::Notice,
                format!("… '{word}' is checked when the word ends"),
            )
        } else {
            (Role::Positive, "✓ ready to send".to_string())
        };
        return Line::from(span(app, role, fit(&text, cols)));
    };
    let mut text = format!("{}: {}", h.kind.name(), h.message);
    if h.kind == Kind::Spelling && !h.suggestions.is_empty() {
        let list: Vec<String> = h
            .suggestions
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}:{s}", i + 1))
            .collect();
        text.push_str(&format!(" → {}", list.join(" ")));
    }
    if blocking > 1 {
        text = format!("[{blocking} to fix] {text}");
    }
    let role = if h.blocking {
        Role::Finding
    } else {
        Role::Notice
    };
    Line::from(span(app, role, fit(&text, cols)))
}
