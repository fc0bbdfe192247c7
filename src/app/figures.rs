//! The stats pane (`S`) and the hand-over (`B`): the shift's figures in the console. The
//! figures come from the store, off the UI thread (`Effect::Figures`, answered by
//! [`answer`]); the pane shows "computing…" until they arrive, and only the answer to the
//! latest request. Closing the hand-over remembers, in the store, that it was read.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::event::{Effect, Event};
use super::state::App;
use crate::actions::Action;
use crate::model::Millis;
use crate::stats::handover::Handover;
use crate::stats::{Stats, Window};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Stats,
    Handover,
}

/// What the driver needs to compute a pane's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub seq: u64,
    pub pane: Pane,
    pub window: Window,
    pub now: Millis,
    pub policy: crate::sla::Policy,
    pub base: Millis,
    pub weights: crate::triage::priority::Weights,
    /// Never a spike's topic (the brand, the accounts).
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Loading,
    Stats(Box<Stats>),
    Handover(Box<Handover>),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub pane: Pane,
    pub content: Content,
    pub scroll: u16,
    pub seq: u64,
}

/// The stats pane's span when `:stats` names none.
const DEFAULT_SPAN: Millis = 24 * 3_600_000;

fn request(app: &mut App, pane: Pane, window: Window, fx: &mut Vec<Effect>) {
    app.figures_seq += 1;
    let req = Request {
        seq: app.figures_seq,
        pane,
        window,
        now: app.now,
        policy: app.sla_policy.clone(),
        base: app.sla,
        weights: app.weights.clone(),
        names: app.spikes.names(),
    };
    app.figures = Some(View {
        pane,
        content: Content::Loading,
        scroll: 0,
        seq: req.seq,
    });
    fx.push(Effect::Figures(Box::new(req)));
}

/// `stats.show` (`S`, `:stats [8h]`): opens the pane, or closes it when it is open.
pub(crate) fn stats_show(app: &mut App, action: &Action, _count: u32, fx: &mut Vec<Effect>) {
    if app.figures.as_ref().is_some_and(|v| v.pane == Pane::Stats) && action.arg.is_none() {
        app.figures = None;
        return;
    }
    let span = match action
        .arg
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        Some(a) => match super::queue::parse_duration(a) {
            Some(d) => d,
            None => {
                app.error(format!("{a}: not a span of time (8h, 90m, 7d)"));
                return;
            }
        },
        None => DEFAULT_SPAN,
    };
    let window = Window {
        from: app.now - span,
        to: app.now + 1,
    };
    request(app, Pane::Stats, window, fx);
}

/// `handover.show` (`B`): what the shift leaves to the next, since it was last read.
pub(crate) fn handover_show(app: &mut App, _action: &Action, _count: u32, fx: &mut Vec<Effect>) {
    if app
        .figures
        .as_ref()
        .is_some_and(|v| v.pane == Pane::Handover)
    {
        close(app, fx);
        return;
    }
    let window = crate::stats::cmd::handover_window(app.handover_read.as_deref(), app.now);
    request(
        app,
        Pane::Handover,
        Window {
            from: window.from,
            to: app.now + 1,
        },
        fx,
    );
}

fn close(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some(v) = app.figures.take() {
        if v.pane == Pane::Handover {
            let read = format!("{} {}", app.now, app.actor);
            fx.push(Effect::Meta(
                crate::stats::cmd::DISMISSED.into(),
                read.clone(),
            ));
            app.handover_read = Some(read);
        }
    }
}

/// Keys while a pane is open: `j`/`k` scroll, `S`/`B` switch, anything else that closes.
pub fn on_key(app: &mut App, k: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(v) = app.figures.as_mut() else {
        return;
    };
    match k.code {
        KeyCode::Char('j') | KeyCode::Down => v.scroll = v.scroll.saturating_add(1),
        KeyCode::Char('k') | KeyCode::Up => v.scroll = v.scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => v.scroll = v.scroll.saturating_add(10),
        KeyCode::PageUp => v.scroll = v.scroll.saturating_sub(10),
        KeyCode::Char('g') | KeyCode::Home => v.scroll = 0,
        KeyCode::Char('S') => {
            let pane = v.pane;
            close(app, fx);
            if pane != Pane::Stats {
                stats_show(app, &simple(crate::actions::ActionKind::StatsShow), 1, fx);
            }
        }
        KeyCode::Char('B') => {
            let pane = v.pane;
            close(app, fx);
            if pane != Pane::Handover {
                handover_show(
                    app,
                    &simple(crate::actions::ActionKind::HandoverShow),
                    1,
                    fx,
                );
            }
        }
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => close(app, fx),
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => close(app, fx),
        _ => {}
    }
}

fn simple(kind: crate::actions::ActionKind) -> Action {
    Action { kind, arg: None }
}

/// The driver's answer: the figures, read from the store.
pub fn answer(req: &Request, store: &dyn crate::store::Store, tz: jiff::tz::TimeZone) -> Event {
    let settings = crate::stats::Settings {
        policy: req.policy.clone(),
        base: req.base,
        weights: req.weights.clone(),
        tz,
    };
    let result = crate::stats::cmd::Loaded::from_store(store).map(|l| match req.pane {
        Pane::Stats => Content::Stats(Box::new(crate::stats::compute(
            l.records(),
            req.window,
            &settings,
        ))),
        Pane::Handover => Content::Handover(Box::new(crate::stats::handover::compute(
            l.records(),
            req.window,
            req.now,
            &settings,
            &req.names,
        ))),
    });
    Event::Figures {
        seq: req.seq,
        content: result.unwrap_or_else(Content::Failed),
    }
}

/// The figures came back: shown if they answer the pane's latest request.
pub fn arrived(app: &mut App, seq: u64, content: Content) {
    if let Some(v) = app.figures.as_mut().filter(|v| v.seq == seq) {
        v.content = content;
    }
}
