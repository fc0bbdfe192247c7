//! What a new mention sets off before it joins the queue: the "author already waiting"
//! mark (fixed at arrival, so the rank never changes by itself) and spike alerts.

use super::event::Effect;
use super::state::{apply_filter, App};
use crate::actions::ActionKind as A;
use crate::keymap::Mode;
use crate::model::{Label, Mention};
use crate::triage::spike::{Alert, Post};

pub(super) fn arrived(app: &mut App, mut m: Mention, fx: &mut Vec<Effect>) -> Mention {
    if app.mentions.contains_key(&m.id) || !m.state.is_open(app.now) {
        return m;
    }
    super::workflow::author_wrote(app, &m, fx);
    let waiting = app
        .authors
        .open(&m.author.handle)
        .iter()
        .any(|id| *id != m.id);
    if waiting && !m.author_waiting {
        m.author_waiting = true;
        fx.push(Effect::PersistMention(Box::new(m.clone())));
    }
    // The team's corrections so far weigh in on a new mention once, as it arrives: its place
    // is fixed from then on, like every row's.
    if app.model.corrections() > 0 {
        m.sentiment = app.model.combine(&m.text, &m.sentiment);
        fx.push(Effect::PersistMention(Box::new(m.clone())));
    }
    if m.sentiment.label == Label::Negative {
        let post = Post {
            at: m.created,
            author: &m.author.handle,
            lang: &m.lang,
            text: &m.text,
        };
        if let Some(a) = app.spikes.observe(app.now, post) {
            spike_banner(app, a, fx);
        }
    }
    m
}

/// One banner per incident: a new one rings once and replaces the last; growth rewrites
/// the banner of its own incident in place, silently.
fn spike_banner(app: &mut App, a: Alert, fx: &mut Vec<Effect>) {
    let key = app
        .keymap
        .key_for(Mode::Queue, A::SpikeView)
        .map(|k| format!("{k} or "))
        .unwrap_or_default();
    let text = format!("spike: {} ({key}:spike shows them)", a.summary());
    if a.new {
        app.notices.retain(|n| !n.starts_with("spike:"));
        app.notices.push(text);
        app.spike_topic = Some(a.topic);
        fx.push(Effect::Bell);
    } else if app.spike_topic.as_deref() == Some(a.topic.as_str()) {
        let prefix = format!("spike: {} ", a.topic);
        if let Some(n) = app.notices.iter_mut().find(|n| n.starts_with(&prefix)) {
            *n = text;
        }
    }
}

/// Only the spike's negative mentions, through the ordinary filter (so Esc clears it).
pub(super) fn view(app: &mut App) {
    match app.spike_topic.clone() {
        Some(topic) => apply_filter(app, &format!("{topic} sentiment=neg")),
        None => app.info("no spike so far"),
    }
}
