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
    pub keys: Keys,
}

impl Visible {
    pub fn from_sorted(keys: Vec<RankKey>) -> Self {
        Self {
            keys: Keys::from_sorted(keys),
        }
    }
    pub fn len(&self) -> usize {
        self.keys.len()
    }
    pub fn is_empty(&self) -> bool {
        self.keys.len() == 0
    }
    pub fn get(&self, i: usize) -> Option<&RankKey> {
        self.keys.get(i)
    }
    pub fn position(&self, key: &RankKey) -> Option<usize> {
        self.keys.position(key)
    }
    /// Inserts in rank order; returns the index.
    pub fn insert(&mut self, key: RankKey) -> usize {
        self.keys.insert(key)
    }
    pub fn remove(&mut self, key: &RankKey) -> Option<usize> {
        self.keys.remove(key)
    }
}

/// Most keys in one chunk; a fuller chunk is split in two.
const CHUNK: usize = 1024;

/// Sorted keys in chunks of at most `CHUNK`: an arrival or a state change moves at most one
/// chunk's keys, not the whole queue's (a queue of 100 000 in one vector moved ~2 MB per
/// arrival), and row `i` is found by walking the chunk lengths.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    chunks: Vec<Vec<RankKey>>,
    len: usize,
}

impl Keys {
    pub fn from_sorted(keys: Vec<RankKey>) -> Self {
        let len = keys.len();
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK / 2));
        let mut it = keys.into_iter().peekable();
        while it.peek().is_some() {
            chunks.push(it.by_ref().take(CHUNK / 2).collect());
        }
        Self { chunks, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk holding `key`, or where it would go, and its first row.
    fn locate(&self, key: &RankKey) -> (usize, usize) {
        let c = self
            .chunks
            .partition_point(|ch| ch.last().is_some_and(|last| last < key))
            .min(self.chunks.len().saturating_sub(1));
        let first = self.chunks[..c].iter().map(Vec::len).sum();
        (c, first)
    }

    pub fn position(&self, key: &RankKey) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let (c, first) = self.locate(key);
        self.chunks[c].binary_search(key).ok().map(|i| first + i)
    }

    pub fn get(&self, mut i: usize) -> Option<&RankKey> {
        for ch in &self.chunks {
            if i < ch.len() {
                return ch.get(i);
            }
            i -= ch.len();
        }
        None
    }

    /// Inserts in rank order; returns the index.
    pub fn insert(&mut self, key: RankKey) -> usize {
        if self.chunks.is_empty() {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let (c, first) = self.locate(&key);
        let ch = &mut self.chunks[c];
        let i = match ch.binary_search(&key) {
            Ok(i) => return first + i,
            Err(i) => i,
        };
        ch.insert(i, key);
        self.len += 1;
        if ch.len() > CHUNK {
            let tail = ch.split_off(CHUNK / 2);
            self.chunks.insert(c + 1, tail);
        }
        first + i
    }

    pub fn remove(&mut self, key: &RankKey) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let (c, first) = self.locate(key);
        let i = self.chunks[c].binary_search(key).ok()?;
        self.chunks[c].remove(i);
        self.len -= 1;
        if self.chunks[c].is_empty() {
            self.chunks.remove(c);
        }
        Some(first + i)
    }

    /// Keys in rank order.
    pub fn iter(&self) -> impl Iterator<Item = &RankKey> + '_ {
        self.chunks.iter().flatten()
    }

    /// Keys in rank order from row `i` on; costs the rows taken, not those skipped.
    pub fn iter_from(&self, mut i: usize) -> impl Iterator<Item = &RankKey> + '_ {
        let mut c = 0;
        while c < self.chunks.len() && i >= self.chunks[c].len() {
            i -= self.chunks[c].len();
            c += 1;
        }
        let rest = self.chunks.get(c..).unwrap_or(&[]);
        rest.iter()
            .enumerate()
            .flat_map(move |(n, ch)| &ch[if n == 0 { i } else { 0 }..])
    }
}

impl<'a> IntoIterator for &'a Keys {
    type Item = &'a RankKey;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<RankKey>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flatten()
    }
}

impl std::ops::Index<usize> for Keys {
    type Output = RankKey;
    fn index(&self, i: usize) -> &RankKey {
        match self.get(i) {
            Some(k) => k,
            None => panic!("row {i} of a queue of {}", self.len),
        }
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

    fn key(n: i64) -> RankKey {
        RankKey {
            band: crate::triage::priority::Band::Rest,
            deadline: n,
            id: format!("m{n}"),
        }
    }

    #[test]
    fn chunked_keys_keep_rank_order_and_rows() {
        let mut v = Visible::default();
        let mut flat: Vec<RankKey> = Vec::new();
        // A scattered order, enough keys for several chunks and splits.
        for n in 0..5_000i64 {
            let k = key((n * 7_919) % 5_003);
            let at = v.insert(k.clone());
            let want = flat.binary_search(&k).unwrap_or_else(|i| i);
            if flat.get(want) != Some(&k) {
                flat.insert(want, k.clone());
            }
            assert_eq!(at, want);
        }
        assert_eq!(v.len(), flat.len());
        assert!(v.keys.iter().eq(flat.iter()));
        for i in (0..flat.len()).step_by(97) {
            assert_eq!(v.get(i), Some(&flat[i]));
            assert_eq!(v.position(&flat[i]), Some(i));
            assert!(v.keys.iter_from(i).take(5).eq(flat[i..].iter().take(5)));
        }
        for n in (0..5_003i64).step_by(3) {
            let k = key(n);
            let want = flat.binary_search(&k).ok();
            if let Some(i) = want {
                flat.remove(i);
            }
            assert_eq!(v.remove(&k), want);
        }
        assert!(v.keys.iter().eq(flat.iter()));
        assert_eq!(v.get(flat.len()), None);
        assert_eq!(v.keys.iter_from(flat.len()).count(), 0);
        let rebuilt = Visible::from_sorted(flat.clone());
        assert!(rebuilt.keys.iter().eq(flat.iter()));
        assert_eq!(
            rebuilt.position(&flat[flat.len() / 2]),
            Some(flat.len() / 2)
        );
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
