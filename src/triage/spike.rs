//! Spike detection: when negative mentions about one topic (a hashtag, a product name, a
//! shared keyword) rise well above their recent baseline. Pure: the caller passes the time.
//! Counts live in fixed buckets; the baseline is the mean of the buckets before the current
//! window, so a topic that is always busy never alerts, and a topic alerts once per burst.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::model::Millis;

/// One alert: the topic and how many negative mentions it had in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub topic: String,
    pub count: usize,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bucket: Millis,
    /// Buckets in the current window.
    pub window: usize,
    /// Buckets of history the baseline is taken from.
    pub history: usize,
    /// Never alert below this many mentions in the window.
    pub min_count: usize,
    /// The window must exceed the baseline (per window) this many times.
    pub factor: f64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bucket: 5 * 60_000,
            window: 2,
            history: 12,
            min_count: 5,
            factor: 3.0,
        }
    }
}

#[derive(Debug, Default)]
struct Topic {
    /// (bucket index, count), oldest first.
    buckets: VecDeque<(i64, usize)>,
    alerted: bool,
}

#[derive(Debug, Default)]
pub struct Detector {
    pub config: Config,
    topics: HashMap<String, Topic>,
}

/// Short words that are never a topic.
const STOP: &[&str] = &[
    "the", "and", "for", "you", "your", "with", "this", "that", "have", "from", "what", "when",
    "just", "still", "again", "they", "them", "been", "were", "will", "about", "there", "their",
    "jest", "nie", "się", "что", "это", "как", "для", "това", "bir", "için", "ama", "çok",
];

/// A mention's topics: hashtags, and words of five letters or more (product names, the
/// thing that broke). Each counted once per mention.
pub fn topics(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    for chunk in text.split_whitespace() {
        if super::tokens::is_link_or_handle(chunk) {
            continue;
        }
        let tag = chunk.starts_with('#');
        let w: String = chunk
            .trim_start_matches('#')
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .flat_map(char::to_lowercase)
            .collect();
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if (tag && w.chars().count() >= 2) || (letters >= 5 && !STOP.contains(&w.as_str())) {
            seen.insert(if tag { format!("#{w}") } else { w });
        }
    }
    let mut v: Vec<String> = seen.into_iter().collect();
    v.sort();
    v
}

impl Detector {
    pub fn new(config: Config) -> Self {
        Self {
            config,
            topics: HashMap::new(),
        }
    }

    /// A negative mention arrived at `at`. Returns the topics that just crossed the line
    /// (each once, until it calms down below the baseline again).
    pub fn observe(&mut self, at: Millis, text: &str) -> Vec<Alert> {
        let c = self.config.clone();
        let b = at.div_euclid(c.bucket.max(1));
        let keep = (c.window + c.history) as i64;
        let mut out = Vec::new();
        for topic in topics(text) {
            let t = self.topics.entry(topic.clone()).or_default();
            match t.buckets.back_mut() {
                Some((last, n)) if *last == b => *n += 1,
                _ => t.buckets.push_back((b, 1)),
            }
            while t.buckets.front().is_some_and(|(i, _)| *i <= b - keep) {
                t.buckets.pop_front();
            }
            let window_start = b - c.window as i64 + 1;
            let (mut now, mut past) = (0usize, 0usize);
            for (i, n) in &t.buckets {
                if *i >= window_start {
                    now += n;
                } else {
                    past += n;
                }
            }
            let baseline = past as f64 * c.window as f64 / c.history as f64;
            let spiking = now >= c.min_count && now as f64 > c.factor * baseline.max(1.0);
            if spiking && !t.alerted {
                t.alerted = true;
                out.push(Alert { topic, count: now });
            } else if !spiking && (now as f64) <= baseline.max(1.0) {
                t.alerted = false;
            }
        }
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.topic.cmp(&b.topic)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Millis = 60_000;

    #[test]
    fn steady_stream_never_alerts() {
        let mut d = Detector::default();
        // Three hours of a complaint about the same thing every four minutes, varied words.
        let texts = [
            "my #voltbay order is late again",
            "refund still missing from voltbay",
            "voltbay support never answers",
        ];
        let mut alerts = Vec::new();
        for i in 0..45 {
            alerts.extend(d.observe(i * 4 * MIN, texts[i as usize % 3]));
        }
        assert!(alerts.is_empty(), "{alerts:?}");
    }

    #[test]
    fn burst_alerts_exactly_once() {
        let mut d = Detector::default();
        let mut alerts = Vec::new();
        // An hour of ordinary noise…
        for i in 0..12 {
            alerts.extend(d.observe(i * 5 * MIN, "parcel late, #voltbay please check"));
        }
        assert!(alerts.is_empty(), "{alerts:?}");
        // …then twenty chargers overheating within ten minutes.
        for i in 0..20 {
            let t = 60 * MIN + i * 30_000;
            alerts.extend(d.observe(t, &format!("my VB-Charger{i} charger overheats, burned")));
        }
        let chargers: Vec<_> = alerts.iter().filter(|a| a.topic == "charger").collect();
        assert_eq!(chargers.len(), 1, "{alerts:?}");
        assert!(chargers[0].count >= 5);
        assert!(!alerts.iter().any(|a| a.topic == "#voltbay"));
    }

    #[test]
    fn topics_are_hashtags_and_long_words() {
        assert_eq!(
            topics("@acme The #X1 charger https://x.y is broken, the charger!"),
            ["#x1", "broken", "charger"]
        );
    }
}
