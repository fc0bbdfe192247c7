//! The figures as plain text for a terminal (`modq stats`), and the small formatters the
//! stats pane shares.

use std::fmt::Write;

use super::{Figures, Group, Stats};
use crate::model::Millis;

/// `45s`, `6m 10s`, `1h 05m`; `–` for none.
pub fn duration(ms: Option<Millis>) -> String {
    let Some(ms) = ms else {
        return "–".into();
    };
    let s = ms.max(0) / 1000;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

/// `88.2%`; `–` for none.
pub fn percent(p: Option<f64>) -> String {
    p.map_or("–".into(), |p| format!("{p:.1}%"))
}

/// The summary lines, shared with the stats pane.
pub fn summary(s: &Stats) -> Vec<(String, String)> {
    let t = &s.totals;
    let mut rows = vec![
        ("mentions in".into(), t.mentions_in.to_string()),
        (
            "answered".into(),
            format!(
                "{} of {} needing a reply · response rate {} (target 100%)",
                t.answered,
                t.needing_reply,
                percent(t.response_rate)
            ),
        ),
        (
            "first response".into(),
            format!(
                "median {} · p90 {}",
                duration(t.first_response_median),
                duration(t.first_response_p90)
            ),
        ),
        (
            "SLA met".into(),
            format!(
                "{} of {} ({}) · {} breached",
                t.sla_met,
                t.sla_met + t.sla_breached,
                percent(t.sla_met_pct),
                t.sla_breached
            ),
        ),
        (
            "negative".into(),
            format!("{} ({})", t.negative, percent(t.negative_share)),
        ),
    ];
    let deps: Vec<String> = s
        .escalations_by_department
        .iter()
        .map(|(d, n)| format!("{d} {n}"))
        .collect();
    rows.push((
        "escalations".into(),
        if deps.is_empty() {
            s.escalations.to_string()
        } else {
            format!("{} ({})", s.escalations, deps.join(" · "))
        },
    ));
    rows.push((
        "CSAT".into(),
        match s.csat.average {
            Some(a) => format!("{a:.2} average of {} answers", s.csat.count),
            None => "no answers".into(),
        },
    ));
    rows.push(("replies sent".into(), s.replies_sent.to_string()));
    rows
}

/// The header of a breakdown table.
pub const COLUMNS: [&str; 8] = [
    "in", "answered", "rate", "median", "p90", "SLA met", "breached", "neg",
];

/// One breakdown row's cells, in [`COLUMNS`] order.
pub fn cells(f: &Figures) -> [String; 8] {
    [
        f.mentions_in.to_string(),
        f.answered.to_string(),
        percent(f.response_rate),
        duration(f.first_response_median),
        duration(f.first_response_p90),
        percent(f.sla_met_pct),
        f.sla_breached.to_string(),
        percent(f.negative_share),
    ]
}

fn table(out: &mut String, title: &str, rows: &[(String, &Figures)]) {
    let _ = write!(out, "\n{title:<14}");
    let widths = [5, 9, 7, 8, 8, 8, 9, 7];
    for (c, w) in COLUMNS.iter().zip(widths) {
        let _ = write!(out, "{c:>w$}");
    }
    out.push('\n');
    for (key, f) in rows {
        let key: String = key.chars().take(13).collect();
        let _ = write!(out, "{key:<14}");
        for (c, w) in cells(f).iter().zip(widths) {
            let _ = write!(out, "{c:>w$}");
        }
        out.push('\n');
    }
}

fn groups(out: &mut String, title: &str, gs: &[Group]) {
    if gs.is_empty() {
        return;
    }
    let rows: Vec<(String, &Figures)> = gs.iter().map(|g| (g.key.clone(), &g.figures)).collect();
    table(out, title, &rows);
}

/// The whole report, as `modq stats` prints it.
pub fn render(s: &Stats, tz: &jiff::tz::TimeZone) -> String {
    let mut out = format!(
        "modq stats {} → {}\n\n",
        super::window::format(s.window.from, tz),
        super::window::format(s.window.to, tz)
    );
    for (k, v) in summary(s) {
        let _ = writeln!(out, "{k:<16}{v}");
    }
    if s.other_actions > 0 {
        let _ = writeln!(
            out,
            "{:<16}{} audit entries of actions these figures do not count",
            "other", s.other_actions
        );
    }
    groups(&mut out, "by network", &s.by_network);
    groups(&mut out, "by language", &s.by_language);
    groups(&mut out, "by sentiment", &s.by_sentiment);
    groups(&mut out, "by moderator", &s.by_moderator);
    let hours: Vec<(String, &Figures)> = s
        .by_hour
        .iter()
        .map(|h| (h.label.clone(), &h.figures))
        .collect();
    if !hours.is_empty() {
        table(&mut out, "by hour", &hours);
    }
    out
}
