//! The author panel (`a`): everything the team has had with one author (earlier mentions,
//! our replies, states, tags, notes, first and last contact, how their tone moved), and the
//! marks the queue gives repeat complainers and advocates.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::event::Effect;
use super::state::App;
use crate::actions::Action;
use crate::model::{Label, Mention, Millis};

/// `[advocates]` in config.toml: who the queue marks as an advocate (high reach or repeated
/// praise) and as a repeat complainer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthorRules {
    /// Followers from which an author counts as an advocate when not negative.
    pub min_followers: u64,
    /// Positive mentions from which an author counts as an advocate.
    pub min_praise: u32,
    /// Negative mentions from which an author is a repeat complainer.
    pub min_complaints: u32,
}

impl Default for AuthorRules {
    fn default() -> Self {
        Self {
            min_followers: 100_000,
            min_praise: 3,
            min_complaints: 3,
        }
    }
}

/// What the queue knows of an author without looking at every mention again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub mentions: u32,
    pub negative: u32,
    pub positive: u32,
}

/// How the queue marks an author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Advocate,
    Complainer,
}

impl Standing {
    pub fn glyph(self) -> &'static str {
        match self {
            Standing::Advocate => "★",
            Standing::Complainer => "↻",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Standing::Advocate => "advocate",
            Standing::Complainer => "repeat complainer",
        }
    }
}

/// Counts a mention into its author's tally (at load and at arrival).
pub fn count(tallies: &mut HashMap<String, Tally>, m: &Mention) {
    count_into(tallies.entry(m.author.handle.clone()).or_default(), m);
}

fn count_into(t: &mut Tally, m: &Mention) {
    t.mentions += 1;
    match m.sentiment.label {
        Label::Negative => t.negative += 1,
        Label::Positive => t.positive += 1,
        Label::Neutral => {}
    }
}

impl AuthorRules {
    /// A complainer first: a moderator needs that warning more than the praise.
    pub fn standing(&self, t: &Tally, followers: u64) -> Option<Standing> {
        if t.negative >= self.min_complaints.max(1) {
            Some(Standing::Complainer)
        } else if t.positive >= self.min_praise.max(1)
            || (followers >= self.min_followers && t.negative == 0)
        {
            Some(Standing::Advocate)
        } else {
            None
        }
    }
}

impl App {
    pub fn standing(&self, m: &Mention) -> Option<Standing> {
        let t = self
            .tallies
            .get(&m.author.handle)
            .copied()
            .unwrap_or_default();
        self.author_rules.standing(&t, m.author.followers)
    }
}

/// The open author panel: whose, and how far it is scrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorView {
    pub handle: String,
    pub scroll: u16,
}

/// `a`: opens the panel on the selected mention's author (again: closes it).
pub(crate) fn open(app: &mut App, _: &Action, _: u32, _: &mut Vec<Effect>) {
    if app.author_view.take().is_some() {
        return;
    }
    match app.selected_mention() {
        Some(m) => {
            app.author_view = Some(AuthorView {
                handle: m.author.handle.clone(),
                scroll: 0,
            })
        }
        None => app.error("no mention selected"),
    }
}

/// Keys while the panel is open: `j`/`k` scroll, `Esc`, `q` or `a` close.
pub(super) fn on_key(app: &mut App, k: &crossterm::event::KeyEvent) {
    use crossterm::event::{KeyCode, KeyModifiers};
    let Some(v) = app.author_view.as_mut() else {
        return;
    };
    match k.code {
        KeyCode::Esc | KeyCode::Char('q' | 'a') => app.author_view = None,
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => app.author_view = None,
        KeyCode::Char('j') | KeyCode::Down => v.scroll = v.scroll.saturating_add(1),
        KeyCode::Char('k') | KeyCode::Up => v.scroll = v.scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => v.scroll = v.scroll.saturating_add(10),
        KeyCode::PageUp => v.scroll = v.scroll.saturating_sub(10),
        _ => {}
    }
}

/// One author's history with the team, oldest first.
pub struct Summary<'a> {
    pub handle: String,
    pub name: String,
    pub followers: u64,
    pub mentions: Vec<&'a Mention>,
    pub first: Millis,
    pub last: Millis,
    pub replies: usize,
    pub tally: Tally,
    pub standing: Option<Standing>,
}

pub fn summary<'a>(app: &'a App, handle: &str) -> Option<Summary<'a>> {
    let mut mentions: Vec<&Mention> = app
        .mentions
        .values()
        .filter(|m| m.author.handle == handle)
        .collect();
    mentions.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    let newest = *mentions.last()?;
    let replies = mentions
        .iter()
        .filter_map(|m| app.replies.get(&m.id))
        .flatten()
        .filter(|r| !crate::outbox::is_like(r))
        .count();
    let mut tally = Tally::default();
    for m in &mentions {
        count_into(&mut tally, m);
    }
    Some(Summary {
        handle: handle.to_string(),
        name: newest.author.name.clone(),
        followers: newest.author.followers,
        first: mentions[0].created,
        last: newest.created,
        replies,
        standing: app.author_rules.standing(&tally, newest.author.followers),
        tally,
        mentions,
    })
}

impl Summary<'_> {
    /// The sentiment scores oldest first as a sparkline, and which way the tone went:
    /// the newer half's mean against the older half's.
    pub fn trend(&self) -> (String, &'static str) {
        const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        let scores: Vec<f32> = self.mentions.iter().map(|m| m.sentiment.score).collect();
        let line = scores
            .iter()
            .rev()
            .take(40)
            .rev()
            .map(|s| BARS[(((s.clamp(-1.0, 1.0) + 1.0) / 2.0 * 7.0).round()) as usize])
            .collect();
        if scores.len() < 2 {
            return (line, "one mention so far");
        }
        let half = scores.len() / 2;
        let mean = |s: &[f32]| s.iter().sum::<f32>() / s.len().max(1) as f32;
        let (old, new) = (mean(&scores[..half]), mean(&scores[half..]));
        let word = if new - old > 0.15 {
            "warming"
        } else if old - new > 0.15 {
            "cooling"
        } else {
            "steady"
        };
        (line, word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complainers_before_advocates_and_reach_alone_needs_no_complaint() {
        let r = AuthorRules::default();
        let t = |negative, positive| Tally {
            mentions: negative + positive,
            negative,
            positive,
        };
        assert_eq!(r.standing(&t(3, 5), 0), Some(Standing::Complainer));
        assert_eq!(r.standing(&t(0, 3), 0), Some(Standing::Advocate));
        assert_eq!(r.standing(&t(0, 1), 200_000), Some(Standing::Advocate));
        assert_eq!(r.standing(&t(1, 0), 200_000), None);
        assert_eq!(r.standing(&t(2, 2), 10), None);
    }
}
