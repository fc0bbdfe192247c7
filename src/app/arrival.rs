//! What a new mention sets off before it joins the queue: the "author already waiting"
//! mark (fixed at arrival, so the rank never changes by itself) and spike alerts.

use super::event::Effect;
use super::state::{apply_filter, App};
use crate::actions::ActionKind as A;
use crate::keymap::Mode;
use crate::model::{Label, Mention};

pub(super) fn arrived(app: &mut App, mut m: Mention, fx: &mut Vec<Effect>) -> Mention {
    if app.mentions.contains_key(&m.id) || !m.state.is_open(app.now) {
        return m;
    }
    let waiting = app
        .mentions
        .values()
        .any(|o| o.author.handle == m.author.handle && o.id != m.id && o.state.is_open(app.now));
    if waiting && !m.author_waiting {
        m.author_waiting = true;
        fx.push(Effect::PersistMention(Box::new(m.clone())));
    }
    // A spike is about now: old posts from a backfill after a reconnect do not count.
    let window = app.spikes.config.bucket * app.spikes.config.window as i64;
    if m.sentiment.label == Label::Negative && app.now - m.created <= window {
        let alerts = app.spikes.observe(m.created, &m.text);
        if let Some(a) = alerts.into_iter().next() {
            let key = app
                .keymap
                .key_for(Mode::Queue, A::SpikeView)
                .map(|k| format!("{k} or "))
                .unwrap_or_default();
            let minutes = window / 60_000;
            // One spike banner at a time: the newest replaces the last.
            app.notices.retain(|n| !n.starts_with("spike:"));
            app.notices.push(format!(
                "spike: {} negative mentions about {} in {minutes} min ({key}:spike shows them)",
                a.count, a.topic
            ));
            app.spike_topic = Some(a.topic);
            fx.push(Effect::Bell);
        }
    }
    m
}

/// Only the spike's negative mentions, through the ordinary filter (so Esc clears it).
pub(super) fn view(app: &mut App) {
    match app.spike_topic.clone() {
        Some(topic) => apply_filter(app, &format!("{topic} sentiment=neg")),
        None => app.info("no spike so far"),
    }
}
