//! Spike detection: when negative mentions about one specific topic (a hashtag, a product
//! name, a rare word or pair of words) rise far above that topic's own baseline. Pure: the
//! caller passes the time.
//!
//! What keeps it from crying wolf: the brand and the accounts people address are never a
//! topic, nor are the words of everyday care (order, refund, заказ) or any word the
//! sentiment lexicons know; a topic needs a minimum count from several authors, and its
//! count must be improbable under its own baseline share of the negative posts (a Poisson
//! tail), so that a busier stream does not make common words cross a fixed line. One incident
//! raises one alert, which then grows, however long it lasts; the topic may alert again only
//! after it has been quiet for a while.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::model::Millis;

/// A spike: new (ring once) or an incident already announced that grew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub topic: String,
    /// Negative mentions of the topic when it was first announced.
    pub first: usize,
    /// Negative mentions of the topic since the incident began.
    pub count: usize,
    /// When the incident's first counted mention was posted.
    pub since: Millis,
    /// When the latest one was.
    pub last: Millis,
    /// True for the announcement, false for growth.
    pub new: bool,
}

impl Alert {
    /// "#voltbaydown 14 → 31 negative in 20 min": the topic, its growth, over how long.
    pub fn summary(&self) -> String {
        let minutes = ((self.last - self.since) / 60_000).max(1);
        let count = if self.count > self.first {
            format!("{} → {}", self.first, self.count)
        } else {
            self.count.to_string()
        };
        format!("{} {count} negative in {minutes} min", self.topic)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// How far back the current count is taken.
    pub window: Millis,
    /// How far back a topic's own baseline is taken.
    pub history: Millis,
    /// A topic's baseline is its share of the negative posts; before any history it is
    /// this share, believed as much as `prior_posts` posts would be. Without a prior every
    /// new word would be "infinitely" above its baseline, and on a busy stream a share
    /// rather than a rate keeps common words from crossing a fixed line.
    pub prior_share: f64,
    pub prior_posts: f64,
    /// Never alert below this many mentions in the window…
    pub min_count: usize,
    /// …nor from fewer authors.
    pub min_authors: usize,
    /// A count is a spike when it is this improbable under the baseline rate.
    pub p_value: f64,
    /// An incident ends after this long without a mention of its topic.
    pub quiet: Millis,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            window: 10 * 60_000,
            history: 3 * 3_600_000,
            prior_share: 0.02,
            prior_posts: 100.0,
            min_count: 5,
            min_authors: 3,
            p_value: 1e-4,
            quiet: 30 * 60_000,
        }
    }
}

/// One negative mention as the detector reads it.
#[derive(Debug, Clone, Copy)]
pub struct Post<'a> {
    pub at: Millis,
    pub author: &'a str,
    pub lang: &'a str,
    pub text: &'a str,
}

/// One counted mention of a topic: when, by whom (hashed), which post.
#[derive(Debug, Clone, Copy)]
struct Seen {
    at: Millis,
    author: u64,
    post: u64,
}

#[derive(Debug)]
struct Incident {
    first: usize,
    count: usize,
    since: Millis,
    last: Millis,
    /// The posts counted, so that the other words of the same posts join this incident
    /// rather than raise their own.
    posts: HashSet<u64>,
}

#[derive(Debug, Default)]
pub struct Detector {
    pub config: Config,
    /// Names that are never a topic: the brand, the accounts (lowercased).
    names: HashSet<String>,
    topics: HashMap<String, VecDeque<Seen>>,
    incidents: HashMap<String, Incident>,
    /// When each negative post within the history was posted, in order.
    all: VecDeque<Millis>,
    posts: u64,
}

/// Words of everyday care that are never a topic, whatever their count: what every
/// complaint names. Stems end in `*`.
const EVERYDAY: &[&str] = &[
    // en
    "order*",
    "deliver*",
    "parcel*",
    "package*",
    "shipping",
    "shipment*",
    "tracking",
    "courier*",
    "refund*",
    "return*",
    "account*",
    "payment*",
    "money",
    "card",
    "support",
    "service",
    "customer*",
    "email*",
    "phone",
    "call*",
    "answer*",
    "reply",
    "replies",
    "minute*",
    "hour*",
    "day",
    "days",
    "week*",
    "month*",
    "today",
    "yesterday",
    "time",
    "times",
    "anyone",
    "someone",
    "nobody",
    "people",
    "thing*",
    "store",
    "shop",
    "website",
    "site",
    "app",
    "voucher",
    "price",
    "product*",
    "item*",
    "help",
    "please",
    "thanks",
    "hello",
    "guys",
    "still",
    "again",
    "never",
    "really",
    "actually",
    "every",
    "since",
    "after",
    "before",
    "because",
    "would",
    "could",
    "should",
    "there",
    "their",
    "about",
    "which",
    "other",
    "being",
    "doing",
    "going",
    "getting",
    "this",
    "that",
    "with",
    "from",
    "have",
    "what",
    "when",
    "your",
    "just",
    "been",
    "were",
    "will",
    "they",
    "them",
    "than",
    "then",
    "into",
    "only",
    "also",
    "even",
    "here",
    "over",
    "more",
    "some",
    "does",
    "dont",
    "don't",
    "can't",
    "cant",
    "it's",
    "i've",
    "you're",
    // pl
    "zamówi*",
    "zamowi*",
    "przesyłk*",
    "przesylk*",
    "paczk*",
    "kurier*",
    "dostaw*",
    "zwrot*",
    "pieniądz*",
    "pieniadz*",
    "konto",
    "kont*",
    "płatnoś*",
    "platnos*",
    "obsług*",
    "obslug*",
    "klient*",
    "sklep*",
    "aplikacj*",
    "stron*",
    "minut*",
    "godzin*",
    "dzień",
    "dni",
    "tydzień",
    "tygodni*",
    "miesiąc*",
    "miesiac*",
    "dzisiaj",
    "wczoraj",
    "czekam",
    "czekał*",
    "jeszcze",
    "przez",
    "tylko",
    "który",
    "która",
    "które",
    "jest",
    "było",
    "była",
    "będzie",
    "mnie",
    "mam",
    "macie",
    "wasz*",
    "tego",
    "tym",
    "może",
    "można",
    "proszę",
    "prosze",
    "dlaczego",
    "gdzie",
    "kiedy",
    "nadal",
    "wciąż",
    "ciągle",
    "znowu",
    "ponad",
    "oraz",
    "żeby",
    "zeby",
    // ru
    "заказ*",
    "достав*",
    "посылк*",
    "курьер*",
    "возврат*",
    "деньг*",
    "денег",
    "счет*",
    "аккаунт*",
    "оплат*",
    "карт*",
    "поддержк*",
    "служб*",
    "клиент*",
    "магазин*",
    "приложени*",
    "сайт*",
    "минут*",
    "час*",
    "дня",
    "дней",
    "день",
    "недел*",
    "месяц*",
    "сегодня",
    "вчера",
    "просто",
    "уже",
    "ещё",
    "еще",
    "опять",
    "снова",
    "когда",
    "почему",
    "где",
    "который",
    "которая",
    "которые",
    "будет",
    "было",
    "была",
    "меня",
    "мне",
    "вас",
    "ваш*",
    "этот",
    "чтобы",
    "только",
    "после",
    "через",
    "можно",
    "пожалуйста",
    "никто",
    "ничего",
    // tr
    "sipariş*",
    "siparis*",
    "kargo*",
    "teslim*",
    "iade*",
    "para*",
    "hesab*",
    "hesap*",
    "ödeme*",
    "odeme*",
    "kart*",
    "destek*",
    "müşteri*",
    "musteri*",
    "mağaza*",
    "magaza*",
    "uygulama*",
    "site*",
    "dakika*",
    "saat*",
    "gün*",
    "gun*",
    "hafta*",
    "bugün",
    "bugun",
    "dün",
    "dun",
    "hâlâ",
    "hala",
    "yine",
    "tekrar",
    "neden",
    "nerede",
    "zaman",
    "lütfen",
    "lutfen",
    "artık",
    "artik",
    "için",
    "icin",
    "ama",
    "çok",
    "cok",
    "daha",
    "bana",
    "sizin",
    "sizi",
    "bunu",
    "şimdi",
    "simdi",
    // bg
    "поръчк*",
    "доставк*",
    "пратк*",
    "куриер*",
    "връщане*",
    "пари*",
    "парите",
    "сметк*",
    "акаунт*",
    "плащане*",
    "карт*",
    "поддръжк*",
    "обслужване*",
    "клиент*",
    "магазин*",
    "приложение*",
    "сайт*",
    "минут*",
    "час*",
    "ден",
    "дни",
    "дена",
    "седмиц*",
    "месец*",
    "днес",
    "вчера",
    "вече",
    "пак",
    "отново",
    "кога",
    "защо",
    "къде",
    "това",
    "който",
    "която",
    "които",
    "моля",
    "само",
    "след",
    "през",
    "може",
    "ваш*",
    "мен",
    "нищо",
    "никой",
];

/// The posts to the brand name the account: "@voltbay@social.example" → "voltbay",
/// "voltbay.bsky.social" → "voltbay".
fn handle_name(chunk: &str) -> Option<String> {
    let h = chunk
        .trim_start_matches(['(', '"', '\'', '['])
        .strip_prefix('@')?;
    let local = h.split(['@', '.']).next()?;
    let name: String = (local.chars())
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .flat_map(char::to_lowercase)
        .collect();
    (name.chars().count() >= 2).then_some(name)
}

fn everyday(word: &str) -> bool {
    EVERYDAY.iter().any(|e| super::lexicon::matches(e, word))
}

/// A word known to the sentiment lexicon of `lang` (a valence, a cue, a negator…) judges
/// or frames; it names no thing that broke.
fn in_lexicon(word: &str, lang: &str) -> bool {
    (super::lexicon::lexicons().get(lang)).is_some_and(|l| l.entry(word).is_some())
}

/// The words of one whitespace chunk, lowercased: letters and digits, inner `-`, `'`.
fn chunk_word(chunk: &str) -> String {
    let w: String = chunk
        .trim_start_matches(['#', '(', '"', '\'', '[', '«', '„', '“'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '\'' || *c == '’')
        .flat_map(char::to_lowercase)
        .collect();
    w.trim_end_matches(['-', '\'', '’']).to_string()
}

/// A post's topics and the names it addresses. Topics: hashtags that are not a name, and
/// words of five letters or more that are neither a name, everyday care nor a lexicon
/// word; with each two such words that stand side by side ("power strip"). Each counted
/// once per post, sorted.
pub fn topics(text: &str, lang: &str, names: &HashSet<String>) -> (Vec<String>, Vec<String>) {
    let mut addressed = Vec::new();
    let mut seen = HashSet::new();
    let mut prev: Option<String> = None;
    for chunk in text.split_whitespace() {
        if super::tokens::is_link_or_handle(chunk) {
            addressed.extend(handle_name(chunk));
            prev = None;
            continue;
        }
        let w = chunk_word(chunk);
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let is_name = names.contains(&w) || addressed.contains(&w);
        if chunk.starts_with('#') {
            if w.chars().count() >= 2 && !is_name {
                seen.insert(format!("#{w}"));
            }
            prev = None;
            continue;
        }
        let topic = letters >= 5 && !is_name && !everyday(&w) && !in_lexicon(&w, lang);
        if !topic {
            prev = None;
            continue;
        }
        if let Some(p) = prev.take() {
            seen.insert(format!("{p} {w}"));
        }
        seen.insert(w.clone());
        // A pair stops at punctuation: "broke. Charger" is no topic.
        let ends = chunk.ends_with(|c: char| !c.is_alphanumeric());
        prev = (!ends).then_some(w);
    }
    let mut v: Vec<String> = seen.into_iter().collect();
    v.sort();
    (v, addressed)
}

/// P(X ≥ k) for X ~ Poisson(λ): how improbable `k` mentions are at the baseline rate.
pub fn poisson_tail(k: usize, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    // 1 − P(X < k), summed from the terms; for large λ the sum is taken in log space.
    let mut term = (-lambda).exp();
    let mut below = 0.0;
    for i in 0..k {
        if i > 0 {
            term *= lambda / i as f64;
        }
        below += term;
    }
    (1.0 - below).max(0.0)
}

fn hash(s: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(s)
}

impl Detector {
    pub fn new(config: Config) -> Self {
        Self {
            config,
            ..Default::default()
        }
    }

    /// A name that is never a topic (the brand, the account's handle or display name).
    pub fn add_name(&mut self, name: &str) {
        for w in name.split_whitespace() {
            let w = chunk_word(w.trim_start_matches('@'));
            if !w.is_empty() {
                self.names.insert(w);
            }
        }
    }

    /// The names that are never a topic, so another detector can be given the same.
    pub fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = self.names.iter().cloned().collect();
        n.sort();
        n
    }

    /// A negative mention, seen at `now` (the clock, passed in). Old posts (a backfill after
    /// a reconnect) feed the baselines but never alert. Returns the new alert or the growth
    /// of one under way, the one with most mentions when several move at once.
    pub fn observe(&mut self, now: Millis, post: Post) -> Option<Alert> {
        let c = self.config.clone();
        self.posts += 1;
        let id = self.posts;
        let at = self.all.partition_point(|t| *t <= post.at);
        self.all.insert(at, post.at);
        while self.all.front().is_some_and(|t| *t <= now - c.history) {
            self.all.pop_front();
        }
        // Negative posts before the window (within the history) and in it.
        let before_window = self.all.partition_point(|t| *t <= now - c.window);
        let in_window = (self.all.len() - before_window) as f64;
        // Incidents quiet for long enough are over.
        self.incidents.retain(|_, i| now - i.last <= c.quiet);
        let (topics, addressed) = topics(post.text, post.lang, &self.names);
        // Whom people address is an account: never a topic from now on.
        self.names.extend(addressed);
        let recent = post.at > now - c.window;
        let author = hash(post.author);
        let mut best: Option<Alert> = None;
        let mut candidates: Vec<(f64, String)> = Vec::new();
        for topic in topics {
            let seen = self.topics.entry(topic.clone()).or_default();
            let at = seen.partition_point(|s| s.at <= post.at);
            seen.insert(
                at,
                Seen {
                    at: post.at,
                    author,
                    post: id,
                },
            );
            while seen.front().is_some_and(|s| s.at <= now - c.history) {
                seen.pop_front();
            }
            if !recent {
                continue;
            }
            if let Some(inc) = self.incidents.get_mut(&topic) {
                inc.count += 1;
                inc.last = inc.last.max(post.at);
                inc.posts.insert(id);
                let grown = Alert {
                    topic: topic.clone(),
                    first: inc.first,
                    count: inc.count,
                    since: inc.since,
                    last: inc.last,
                    new: false,
                };
                if best.as_ref().is_none_or(|b| grown.count > b.count) {
                    best = Some(grown);
                }
                continue;
            }
            let window_start = now - c.window;
            let topic_before = seen.partition_point(|s| s.at <= window_start);
            let count = seen.len() - topic_before;
            if count < c.min_count {
                continue;
            }
            let authors: HashSet<u64> =
                (seen.iter().skip(topic_before)).map(|s| s.author).collect();
            if authors.len() < c.min_authors {
                continue;
            }
            // The topic's share of the negative posts before the window, with the prior;
            // how many of the window's posts that share expects.
            let share = (topic_before as f64 + c.prior_share * c.prior_posts)
                / (before_window as f64 + c.prior_posts);
            let p = poisson_tail(count, share * in_window);
            if p < c.p_value {
                candidates.push((p, topic));
            }
        }
        // The most improbable first; a topic whose posts mostly belong to an incident under
        // way (another word of the same posts) joins it instead of alerting.
        candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, topic) in candidates {
            let seen = &self.topics[&topic];
            let window: Vec<&Seen> = seen.iter().filter(|s| s.at > now - c.window).collect();
            let taken = window
                .iter()
                .filter(|s| self.incidents.values().any(|i| i.posts.contains(&s.post)))
                .count();
            if taken * 2 >= window.len() {
                continue;
            }
            let since = window.first().map_or(post.at, |s| s.at);
            let inc = Incident {
                first: window.len(),
                count: window.len(),
                since,
                last: post.at,
                posts: window.iter().map(|s| s.post).collect(),
            };
            let alert = Alert {
                topic: topic.clone(),
                first: inc.first,
                count: inc.count,
                since,
                last: post.at,
                new: true,
            };
            self.incidents.insert(topic, inc);
            // One announcement per post: a second topic of the same post waits for the next.
            return Some(alert);
        }
        self.sweep(now);
        best
    }

    /// Forgets topics with nothing left in their history, now and then (cheap amortised).
    fn sweep(&mut self, now: Millis) {
        if self.posts % 512 == 0 {
            let old = now - self.config.history;
            self.topics
                .retain(|_, s| s.back().is_some_and(|x| x.at > old));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Millis = 60_000;

    fn post<'a>(at: Millis, author: &'a str, text: &'a str) -> Post<'a> {
        Post {
            at,
            author,
            lang: "en",
            text,
        }
    }

    #[test]
    fn steady_stream_never_alerts() {
        let mut d = Detector::default();
        // Three hours of a complaint about the same thing every four minutes, varied words.
        let texts = [
            "my #voltbay order is late again, the charger",
            "refund still missing from voltbay, charger",
            "voltbay support never answers about the charger",
        ];
        let mut alerts = Vec::new();
        for i in 0..45 {
            let t = i * 4 * MIN;
            let author = format!("a{i}");
            alerts.extend(d.observe(t, post(t, &author, texts[i as usize % 3])));
        }
        assert!(alerts.is_empty(), "{alerts:?}");
    }

    #[test]
    fn burst_alerts_once_and_then_grows() {
        let mut d = Detector::default();
        let mut alerts = Vec::new();
        // An hour of ordinary noise…
        for i in 0..12 {
            let t = i * 5 * MIN;
            alerts.extend(d.observe(t, post(t, "x", "parcel late, #voltbay please check")));
        }
        assert!(alerts.is_empty(), "{alerts:?}");
        // …then forty chargers overheating within twenty minutes.
        for i in 0..40 {
            let t = 60 * MIN + i * 30_000;
            let author = format!("a{i}");
            let text = format!("my VB-Charger{i} charger overheats, burned");
            alerts.extend(d.observe(t, post(t, &author, &text)));
        }
        let new: Vec<_> = alerts.iter().filter(|a| a.new).collect();
        assert_eq!(new.len(), 1, "{new:?}");
        assert_eq!(new[0].topic, "charger");
        assert_eq!(new[0].first, 5);
        let last = alerts.last().unwrap();
        assert_eq!((last.topic.as_str(), last.count), ("charger", 40));
        assert_eq!(last.summary(), "charger 5 → 40 negative in 19 min");
        assert!(!alerts.iter().any(|a| a.topic.contains("voltbay")));
    }

    #[test]
    fn a_new_alert_on_the_topic_only_after_it_went_quiet() {
        let mut d = Detector::default();
        // How many new alerts eight posts in under three minutes raise.
        let burst = |d: &mut Detector, from: Millis| {
            let mut news = 0;
            for i in 0..8 {
                let t = from + i * 20_000;
                let author = format!("a{i}");
                let a = d.observe(t, post(t, &author, "the PowerCell overheats"));
                news += usize::from(a.is_some_and(|a| a.new));
            }
            news
        };
        assert_eq!(burst(&mut d, 0), 1);
        // Back within the quiet time: the same incident.
        assert_eq!(burst(&mut d, 20 * MIN), 0);
        assert_eq!(burst(&mut d, 45 * MIN), 0);
        // Three quiet hours later the baseline has forgotten it: a new incident.
        assert_eq!(burst(&mut d, 4 * 60 * MIN), 1);
    }

    #[test]
    fn few_authors_or_a_common_topic_raise_nothing() {
        let mut d = Detector::default();
        // One author shouting does not make an incident.
        for i in 0..10 {
            let t = i * 10_000;
            assert_eq!(
                d.observe(t, post(t, "same", "the PowerCell overheats")),
                None
            );
        }
        // Brand, addressees and everyday care are never a topic, however many.
        let mut d = Detector::default();
        d.add_name("Voltbay");
        // An account's source name, as in accounts.toml.
        d.add_name("gadgetworld.social");
        for i in 0..30 {
            let t = i * 10_000;
            let a = format!("a{i}");
            let text = "@kaia@x.example Voltbay Gadgetworld order refund account minutes, kaia";
            assert_eq!(d.observe(t, post(t, &a, text)), None);
        }
    }

    #[test]
    fn old_posts_feed_the_baseline_but_never_alert() {
        let mut d = Detector::default();
        for i in 0..10 {
            let t = i * 10_000;
            let a = format!("a{i}");
            assert_eq!(
                d.observe(5 * 60 * MIN, post(t, &a, "PowerCell overheats")),
                None
            );
        }
    }

    #[test]
    fn topics_are_hashtags_specific_words_and_pairs() {
        let names = HashSet::from(["voltbay".to_string()]);
        let (t, to) = topics(
            "@acme The #X1 power strip sparks https://x.y, voltbay order #voltbay",
            "en",
            &names,
        );
        // "sparks" is a word of the safety cue: it says what happened, not to what.
        assert_eq!(t, ["#x1", "power", "power strip", "strip"]);
        assert_eq!(to, ["acme"]);
    }

    #[test]
    fn poisson_tail_is_right() {
        assert!((poisson_tail(1, 2.0) - (1.0 - (-2.0f64).exp())).abs() < 1e-12);
        assert!(poisson_tail(5, 0.1) < 1e-6);
        assert!(poisson_tail(3, 5.0) > 0.8);
    }
}
