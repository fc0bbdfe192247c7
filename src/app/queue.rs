//! The queue as the moderator sees it: which view, which filter, in rank order.

use crate::model::{Label, Mention, Millis, Network};
use crate::triage::RankKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Waiting for an answer (new, seen, snooze over).
    #[default]
    Open,
    /// Snoozed, and waiting for the customer.
    Snoozed,
    /// Replied, done, no reply needed, spam.
    Handled,
    All,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            View::Open => "open",
            View::Snoozed => "snoozed",
            View::Handled => "handled",
            View::All => "all",
        }
    }
    pub fn next(self) -> Self {
        match self {
            View::Open => View::Snoozed,
            View::Snoozed => View::Handled,
            View::Handled => View::All,
            View::All => View::Open,
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        [View::Open, View::Snoozed, View::Handled, View::All]
            .into_iter()
            .find(|v| v.name() == s || (s == "done" && *v == View::Handled))
    }
    pub fn admits(self, m: &Mention, now: Millis) -> bool {
        use crate::model::MentionState as S;
        match self {
            View::Open => m.state.is_open(now),
            View::Snoozed => {
                matches!(m.state, S::Snoozed { until } if until > now) || m.state.until_author()
            }
            View::Handled => matches!(
                m.state,
                S::Replied | S::Done | S::NoReply | S::Spam | S::Hidden | S::Escalated
            ),
            View::All => true,
        }
    }
}

/// `refund lang=ru sentiment=neg @anna net=bluesky tag=billing note:courier`: every
/// term must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub raw: String,
    words: Vec<String>,
    lang: Option<String>,
    label: Option<Label>,
    network: Option<Network>,
    author: Option<String>,
    tags: Vec<String>,
    /// Words every one of which some internal note must contain (`note:`; bare `note:`
    /// keeps the mentions with any note).
    note: Option<Vec<String>>,
    assignee: Option<String>,
}

impl Filter {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut f = Filter {
            raw: raw.trim().to_string(),
            ..Default::default()
        };
        for term in raw.split_whitespace() {
            let lower = term.to_lowercase();
            let kv = lower.split_once('=').or_else(|| lower.split_once(':'));
            match kv {
                Some(("lang" | "language", v)) => f.lang = Some(v.to_string()),
                Some(("sentiment" | "s", v)) => {
                    f.label = Some(match v {
                        "neg" | "negative" | "-" => Label::Negative,
                        "neu" | "neutral" | "0" => Label::Neutral,
                        "pos" | "positive" | "+" => Label::Positive,
                        _ => return Err(format!("sentiment is neg, neutral or pos, not '{v}'")),
                    })
                }
                Some(("net" | "network", v)) => {
                    f.network = Some(match v {
                        "mastodon" | "m" => Network::Mastodon,
                        "bluesky" | "b" => Network::Bluesky,
                        "jsonl" | "j" => Network::Jsonl,
                        _ => return Err(format!("unknown network '{v}'")),
                    })
                }
                Some(("author" | "from", v)) => f.author = Some(v.trim_start_matches('@').into()),
                Some(("tag" | "tags" | "t", v)) => f.tags.extend(super::workflow::parse_tags(v)),
                Some(("note" | "notes", v)) => {
                    let words = f.note.get_or_insert_with(Vec::new);
                    words.extend(v.split(',').filter(|w| !w.is_empty()).map(String::from));
                }
                Some(("assignee" | "assigned" | "to", v)) => f.assignee = Some(v.to_string()),
                _ if lower.starts_with('@') && lower.len() > 1 => {
                    f.author = Some(lower[1..].to_string())
                }
                _ => f.words.push(lower),
            }
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    pub fn matches(&self, m: &Mention) -> bool {
        if self.lang.as_deref().is_some_and(|l| l != m.lang) {
            return false;
        }
        if self.label.is_some_and(|l| l != m.sentiment.label) {
            return false;
        }
        if self.network.is_some_and(|n| n != m.network) {
            return false;
        }
        if let Some(a) = &self.author {
            let hay = format!("{} {}", m.author.handle, m.author.name).to_lowercase();
            if !hay.contains(a.as_str()) {
                return false;
            }
        }
        if !self.tags.iter().all(|t| m.work.tags.contains(t)) {
            return false;
        }
        if let Some(words) = &self.note {
            let any = !m.work.notes.is_empty();
            let all = words
                .iter()
                .all(|w| (m.work.notes.iter()).any(|n| n.text.to_lowercase().contains(w.as_str())));
            if !any || !all {
                return false;
            }
        }
        if let Some(a) = &self.assignee {
            let who = m.work.assignee.as_deref().unwrap_or("-").to_lowercase();
            if *a != who {
                return false;
            }
        }
        if self.words.is_empty() {
            return true;
        }
        let hay = format!("{} {} {}", m.text, m.author.name, m.author.handle).to_lowercase();
        self.words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// Rank-ordered keys of what the current view and filter admit.
#[derive(Debug, Clone, Default)]
pub struct Visible {
    pub keys: Vec<RankKey>,
}

impl Visible {
    pub fn len(&self) -> usize {
        self.keys.len()
    }
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
    pub fn position(&self, key: &RankKey) -> Option<usize> {
        self.keys.binary_search(key).ok()
    }
    /// Inserts in rank order; returns the index.
    pub fn insert(&mut self, key: RankKey) -> usize {
        match self.keys.binary_search(&key) {
            Ok(i) => i,
            Err(i) => {
                self.keys.insert(i, key);
                i
            }
        }
    }
    pub fn remove(&mut self, key: &RankKey) -> Option<usize> {
        let i = self.position(key)?;
        self.keys.remove(i);
        Some(i)
    }
}

/// "30m", "2h", "1h30m", "45" (minutes) → milliseconds.
pub fn parse_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if let Ok(m) = s.parse::<i64>() {
        return (m > 0).then_some(m * 60_000);
    }
    let mut total = 0i64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'd' => 86_400_000,
            'h' => 3_600_000,
            'm' => 60_000,
            's' => 1_000,
            _ => return None,
        };
    }
    (num.is_empty() && total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("45"), Some(45 * 60_000));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("0"), None);
    }

    #[test]
    fn filter_terms() {
        let f = Filter::parse("refund lang=ru s=neg @anna").unwrap();
        assert_eq!(f.lang.as_deref(), Some("ru"));
        assert_eq!(f.label, Some(Label::Negative));
        assert_eq!(f.author.as_deref(), Some("anna"));
        assert_eq!(f.words, vec!["refund".to_string()]);
        assert!(Filter::parse("sentiment=angry").is_err());
    }
}
