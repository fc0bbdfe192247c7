//! The language data the scorer reads: valences, negators, boosters, contrast words and care
//! cues, per language, parsed once from the embedded files in `lexicons/`. Entries ending in
//! `*` are stems: they match every word that starts with them, which is how inflected forms
//! (Polish, Russian, Bulgarian, Turkish, Ukrainian) are covered without a lemmatiser.

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;

/// Languages with their own file; anything else is scored with every table at once.
pub const LANGS: &[&str] = &["en", "pl", "ru", "tr", "bg", "uk", "de", "fr", "es"];

const FILES: &[(&str, &str)] = &[
    ("en", include_str!("lexicons/en.txt")),
    ("pl", include_str!("lexicons/pl.txt")),
    ("ru", include_str!("lexicons/ru.txt")),
    ("tr", include_str!("lexicons/tr.txt")),
    ("bg", include_str!("lexicons/bg.txt")),
    ("uk", include_str!("lexicons/uk.txt")),
    ("de", include_str!("lexicons/de.txt")),
    ("fr", include_str!("lexicons/fr.txt")),
    ("es", include_str!("lexicons/es.txt")),
];
const VADER_EN: &str = include_str!("lexicons/vader_en.tsv");
const EMOTICONS: &str = include_str!("lexicons/vader_emoticons.tsv");
const EMOJI: &str = include_str!("lexicons/emoji.txt");

/// Exact words and stems. `get` prefers an exact word, then the longest stem.
#[derive(Debug)]
pub struct StemMap<V> {
    /// Exact words → their place in `exact_values`: small buckets, and the words (most are
    /// under 24 bytes) kept inline, so that a look-up follows no pointer until it matches.
    exact: HashMap<CompactString, u32>,
    exact_values: Vec<V>,
    /// Stems shorter than `KEY_BYTES`, by `packed` stem: looked up by every prefix length
    /// some stem has.
    short: HashMap<u64, (Box<str>, V)>,
    /// Bit n set: some short stem is n bytes long.
    short_lens: u64,
    /// Longer stems by their first `KEY_BYTES` bytes (`packed`), longest first: one look-up
    /// finds the few stems a word can start with (most words: none).
    long: HashMap<u64, Vec<(Box<str>, V)>>,
    /// The `packed` keys of `short` and `long`: most words, which start with no stem at all,
    /// are turned away without a hash-table probe per stem length.
    stem_keys: KeyFilter,
    stems: usize,
}

/// Which keys a table may hold: one bit per key hash, set for every key it holds. A clear
/// bit answers "not there" in a few instructions, before any hash-table probe.
#[derive(Debug)]
pub struct KeyFilter(Box<[u64]>);

impl KeyFilter {
    /// 2 KiB: a few percent of clear bits set by chance for the few thousand keys of a table.
    const LOG2_BITS: u32 = 14;

    /// Fibonacci hashing: the top bits of the key times 2^64 / φ.
    fn bit(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::LOG2_BITS)) as usize
    }

    pub fn insert(&mut self, key: u64) {
        let b = Self::bit(key);
        self.0[b / 64] |= 1 << (b % 64);
    }

    #[inline]
    pub fn may_hold(&self, key: u64) -> bool {
        let b = Self::bit(key);
        self.0[b / 64] & (1 << (b % 64)) != 0
    }
}

impl Default for KeyFilter {
    fn default() -> Self {
        Self(vec![0; (1 << Self::LOG2_BITS) / 64].into_boxed_slice())
    }
}

const KEY_BYTES: usize = 6;

/// Up to 7 bytes and their count in one integer: a key that hashes with one multiplication.
/// Shifted in byte by byte: copying into an array and reading it back as one number stalls
/// the processor on every look-up.
fn packed(bytes: &[u8]) -> u64 {
    debug_assert!(bytes.len() < 8);
    let n = bytes.len() as u64;
    let k = (bytes.iter().enumerate()).fold(0u64, |k, (i, &b)| k | u64::from(b) << (8 * i));
    k | n << 56
}

/// `packed(&word[..n])`; a word of eight bytes or more is read as one number and masked.
#[inline]
fn packed_prefix(word: &[u8], n: usize) -> u64 {
    match word.first_chunk::<8>() {
        Some(head) => {
            debug_assert!(n < 8);
            (u64::from_le_bytes(*head) & ((1u64 << (8 * n)) - 1)) | (n as u64) << 56
        }
        None => packed(&word[..n]),
    }
}

fn key(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    (bytes.len() >= KEY_BYTES).then(|| packed_prefix(bytes, KEY_BYTES))
}

impl<V> Default for StemMap<V> {
    fn default() -> Self {
        Self {
            exact: HashMap::default(),
            exact_values: Vec::new(),
            short: HashMap::default(),
            short_lens: 0,
            long: HashMap::default(),
            stem_keys: KeyFilter::default(),
            stems: 0,
        }
    }
}

impl<V> StemMap<V> {
    pub fn insert(&mut self, entry: &str, v: V)
    where
        V: Default,
    {
        *self.slot(entry) = v;
    }

    /// The value of `entry` (a word, or a stem ending in `*`), made empty when new.
    pub fn slot(&mut self, entry: &str) -> &mut V
    where
        V: Default,
    {
        match entry.strip_suffix('*') {
            Some(stem) => self.slot_of(stem, true),
            None => self.slot_of(entry, false),
        }
    }

    /// As `slot`, a stem given without its `*`.
    fn slot_of(&mut self, stem: &str, is_stem: bool) -> &mut V
    where
        V: Default,
    {
        if !is_stem {
            let next = self.exact_values.len();
            let at = *self.exact.entry(stem.into()).or_insert(next as u32) as usize;
            if at == next {
                self.exact_values.push(V::default());
            }
            return &mut self.exact_values[at];
        }
        let Some(k) = key(stem) else {
            self.short_lens |= 1u64 << stem.len();
            let k = packed(stem.as_bytes());
            self.stem_keys.insert(k);
            let slot = self.short.entry(k).or_insert_with(|| {
                self.stems += 1;
                (stem.into(), V::default())
            });
            return &mut slot.1;
        };
        self.stem_keys.insert(k);
        let list = self.long.entry(k).or_default();
        let at = match list.iter().position(|(s, _)| **s == *stem) {
            Some(at) => at,
            None => {
                self.stems += 1;
                // Longest first, so the first stem that matches a word is the longest.
                let at = list.partition_point(|(s, _)| s.len() >= stem.len());
                list.insert(at, (stem.into(), V::default()));
                at
            }
        };
        &mut list[at].1
    }

    pub fn get<'m>(&'m self, word: &str) -> Option<&'m V> {
        self.get_with_len(word).map(|(v, _)| v)
    }

    /// As `get`, with the length of what matched: the whole word, or the stem.
    pub fn get_with_len<'m>(&'m self, word: &str) -> Option<(&'m V, usize)> {
        if let Some(v) = self.get_exact(word) {
            return Some((v, word.len()));
        }
        self.stem_matches_len(word).next()
    }

    pub fn get_exact(&self, word: &str) -> Option<&V> {
        self.exact
            .get(word)
            .map(|&at| &self.exact_values[at as usize])
    }

    /// Every stem that `word` starts with, longest first.
    pub fn stem_matches<'m, 'w>(
        &'m self,
        word: &'w str,
    ) -> impl Iterator<Item = &'m V> + use<'m, 'w, V> {
        self.stem_matches_len(word).map(|(v, _)| v)
    }

    /// Every stem that `word` starts with and its length, longest first.
    fn stem_matches_len<'m, 'w>(
        &'m self,
        word: &'w str,
    ) -> impl Iterator<Item = (&'m V, usize)> + use<'m, 'w, V> {
        let long = key(word)
            .filter(|&k| self.stem_keys.may_hold(k))
            .and_then(|k| self.long.get(&k))
            .into_iter()
            .flatten()
            .filter(move |(s, _)| word.starts_with(&**s))
            .map(|(s, v)| (v, s.len()));
        // Only the short lengths some stem has, longest first.
        let bytes = word.as_bytes();
        let mut lens = self.short_lens & (u64::MAX >> (63 - word.len().min(63)));
        let short = std::iter::from_fn(move || {
            while lens != 0 {
                let i = 63 - lens.leading_zeros() as usize;
                lens &= !(1u64 << i);
                // Equal bytes are equal text: a stem is whole characters, so `i` falls
                // between two characters of the word too.
                let k = packed_prefix(bytes, i);
                if !self.stem_keys.may_hold(k) {
                    continue;
                }
                if let Some((_, v)) = self.short.get(&k) {
                    return Some((v, i));
                }
            }
            None
        });
        long.chain(short)
    }

    pub fn len(&self) -> usize {
        self.exact.len() + self.stems
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One care cue: a tag the moderator reads, its weight, and the phrases that raise it.
#[derive(Debug, Clone)]
pub struct CueDef {
    pub tag: Box<str>,
    pub weight: f32,
}

/// An idiom: words that mean together what they do not mean one by one ("can't wait",
/// "nothing but", "killing it"), and that one meaning.
#[derive(Debug, Clone)]
pub struct IdiomDef {
    /// The phrase as written in the lexicon, what the moderator reads as the reason.
    pub text: Box<str>,
    pub means: Idiom,
}

/// What an idiom does: carries a valence, negates what follows as one negator does
/// ("should have": a counterfactual says the good thing did not happen), or weighs the
/// clauses as one contrast word does ("mimo to", "even so").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Idiom {
    Valence(f32),
    Negator,
    Contrast,
}

/// What a phrase stands for: a care cue, an idiom, or a politeness formula or mock praise
/// (places in `cues`, `idioms`, `stocks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PhraseOf {
    Cue(usize),
    Idiom(usize),
    Stock(usize),
}

/// A phrase after its first word: words (exact or `stem*`) that must follow each other.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub of: PhraseOf,
    pub rest: Vec<Box<str>>,
}

/// Sets the flag of one word-class table on a word's `Steer`.
type MarkSteer = fn(&mut Steer);

/// What a word does to its neighbours, or they to it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Steer {
    pub negator: bool,
    pub post_negator: bool,
    /// A question particle (Turkish "mı"): a negation it follows asks rather than denies.
    pub question_particle: bool,
    pub contrast: bool,
    pub booster: Option<f32>,
    /// Names a condition or a problem, the reason one turns to a service ("ból", "problem").
    pub topic: bool,
    /// A preposition or a remedy verb: a topic word it governs is what one came with or what
    /// was removed ("z bólem", "wyleczył zapalenie").
    pub frame: bool,
    /// What a service is expected to do ("zbadał", "odpowiada"): not doing it is a complaint.
    pub duty: bool,
    /// Opens a conceded clause ("choć", "although"): what it concedes counts less.
    pub concessive: bool,
    /// Names a need ("trzeba", "musiałam"): a negation of it denies no service.
    pub need: bool,
    /// A sentence adverb that judges the whole clause ("unfortunately", "niestety"): no
    /// negation in the clause turns it.
    pub disjunct: bool,
}

impl<V> StemMap<V> {
    /// Every word, and every stem without its `*`, with whether it is a stem.
    fn keys(&self) -> impl Iterator<Item = (&str, bool)> {
        let exact = self.exact.keys().map(|k| (k.as_str(), false));
        let short = self.short.values().map(|(k, _)| (&**k, true));
        let long = self.long.values().flatten().map(|(k, _)| (&**k, true));
        exact.chain(short).chain(long)
    }

    #[cfg(test)]
    fn entries(&self) -> impl Iterator<Item = (String, &V)> {
        let exact =
            (self.exact.iter()).map(|(k, &at)| (k.to_string(), &self.exact_values[at as usize]));
        let short = self.short.values().map(|(k, v)| (&**k, v));
        let long = self.long.values().flatten().map(|(k, v)| (&**k, v));
        exact.chain(short.chain(long).map(|(k, v)| (format!("{k}*"), v)))
    }
}

/// What a word is to every table that scoring and cue finding read, resolved when the
/// lexicon is built: each table's own rule (the exact word, else its longest stem) gives
/// the same answer for a word as for the longest entry of any table it matches, so one
/// look-up in `Lexicon::index` replaces one per table.
#[derive(Debug, Default)]
pub struct Entry {
    /// From `words`: the valence and the length of the word or stem that carries it.
    pub valence: Option<(f32, usize)>,
    /// From the tables that steer (`Tables::steer`).
    pub steer: Option<Steer>,
    /// From `phrase_starts`: the phrases starting with the word and with every stem it has.
    pub phrases: Vec<Phrase>,
    /// From `stance` and `events`.
    pub voice: Voice,
}

/// Whose voice a word is: the author's own, or a report of what happened.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Voice {
    /// The author speaks for themselves or to someone: "I", "my", "you", "omg", "спасибо".
    pub stance: bool,
    /// An institutional or economic event that the word names rather than judges:
    /// "sanctions", "bankruptcy", "отозвал" (a licence).
    pub event: bool,
}

/// What a stock phrase of politeness or praise is worth in a text that also complains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stock {
    /// A politeness formula ("thanks", "good day", "kolay gelsin"): a ritual of the exchange,
    /// not an evaluation, so it counts nothing beside a complaint.
    Formula,
    /// Congratulation or praise of the service ("tebrikler", "bravo", "harika hizmet"):
    /// beside a complaint it is sarcasm.
    Mock,
}

/// Word endings, matched with one look-up per length some ending has rather than one
/// comparison per ending (Turkish negates with some seventy).
#[derive(Debug, Default)]
pub struct Endings {
    all: rustc_hash::FxHashSet<Box<[u8]>>,
    /// Bit n set: some ending is n bytes long.
    lens: u64,
}

impl Endings {
    /// The longest ending there can be, in bytes.
    pub const MAX_BYTES: usize = 63;

    pub fn insert(&mut self, ending: &str) {
        assert!(ending.len() <= Self::MAX_BYTES, "ending too long");
        self.lens |= 1u64 << ending.len();
        self.all.insert(ending.as_bytes().into());
    }

    /// Whether `word` ends with one of the endings. Equal bytes are equal text: an ending
    /// is whole characters, so where it starts is between two characters of the word.
    #[inline]
    pub fn ends(&self, word: &str) -> bool {
        // Most languages have no endings: answered without a call.
        self.lens != 0 && self.ends_with_one(word)
    }

    fn ends_with_one(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let mut lens = self.lens & (u64::MAX >> (63 - bytes.len().min(63)));
        while lens != 0 {
            let n = 63 - lens.leading_zeros() as usize;
            lens &= !(1u64 << n);
            if self.all.contains(&bytes[bytes.len() - n..]) {
                return true;
            }
        }
        false
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

impl Lexicon {
    /// What to read about `word`: one look-up for every table (see `Entry`).
    pub fn entry(&self, word: &str) -> Option<&Entry> {
        self.index.get(word)
    }

    /// Whether `rest`, what follows a stem in a word, starts with a negation of the stem.
    pub fn negates_stem(&self, rest: &str) -> bool {
        self.stem_negations.iter().any(|n| rest.starts_with(&**n))
    }

    /// Whether a negation of a stem stands inside `word`, after its first two letters at
    /// least: "beğen-mediğim" though the lexicon lists the negated stem "beğenme*" whole.
    pub fn negated_inside(&self, word: &str) -> bool {
        !self.stem_negations.is_empty()
            && (word.char_indices().skip(2)).any(|(at, _)| self.negates_stem(&word[at..]))
    }
}

/// What scoring and cue finding read at run time: the `index` built from a language's
/// `Tables`, and the few rules the index does not hold. The tables themselves are dropped.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Endings of verbs negated by a suffix (Turkish -medi, -mıyor…).
    pub negative_suffixes: Endings,
    /// Past-tense endings of anyone but the author (Polish "-ł", "-ła", "-li"): a negated
    /// act done by someone else is a duty denied ("nie zbadał", "nikt nie oddzwonił").
    pub duty_endings: Endings,
    /// Beginnings that negate the rest of the word (Polish "nie-": "nieładny" is "ładny"
    /// negated), tried only for words with no valence of their own.
    pub negating_prefixes: Vec<Box<str>>,
    /// Beginnings of what follows a stem that negate it: Turkish puts the negation right
    /// after the verb stem, whatever endings follow ("beğen-mediğim", "sev-meyen").
    pub stem_negations: Vec<Box<str>>,
    /// Negators and the word after them that together negate nothing ("nie tylko": "not
    /// only" adds, it does not deny).
    pub pseudo_negations: Vec<(Box<str>, Box<str>)>,
    /// Politeness formulas and mock praise, in file order (see `Stock`); their phrases are
    /// in the index with the other phrases.
    pub stocks: Vec<Stock>,
    pub cues: Vec<CueDef>,
    pub idioms: Vec<IdiomDef>,
    /// Cue phrases that start with a number (`<n>` in the file): "<n> min*" is a duration,
    /// "<n> zł" a sum of money; the number may also be written onto the word ("200zł", "10-min").
    pub after_number: Vec<Phrase>,
    /// `words`, the steering tables and `phrase_starts` of the tables in one map (see
    /// `Entry`).
    pub index: StemMap<Entry>,
    /// How many words and stems carry a valence (the `words` table's size).
    pub word_entries: usize,
}

/// A language file as parsed: the tables `Lexicon` is built from.
#[derive(Debug, Default)]
pub struct Tables {
    pub words: StemMap<f32>,
    pub negators: StemMap<()>,
    /// Negators that follow what they negate (Turkish "iyi değil").
    pub post_negators: StemMap<()>,
    pub question_particles: StemMap<()>,
    /// Intensifiers (> 0) and diminishers (< 0), added to the magnitude of the next word.
    pub boosters: StemMap<f32>,
    pub contrast: StemMap<()>,
    pub topics: StemMap<()>,
    pub topic_frames: StemMap<()>,
    pub duties: StemMap<()>,
    pub concessives: StemMap<()>,
    pub needs: StemMap<()>,
    pub disjuncts: StemMap<()>,
    /// Negators and the word after them that together negate nothing ("nie tylko").
    pub pseudo_negations: Vec<(Box<str>, Box<str>)>,
    /// Words of the author's own voice, and words naming events (see `Voice`).
    pub stance: StemMap<()>,
    pub events: StemMap<()>,
    pub stocks: Vec<Stock>,
    pub negative_suffixes: Endings,
    pub duty_endings: Endings,
    pub negating_prefixes: Vec<Box<str>>,
    pub stem_negations: Vec<Box<str>>,
    pub cues: Vec<CueDef>,
    pub idioms: Vec<IdiomDef>,
    /// First word of each cue phrase, idiom and stock phrase → the phrases starting with it.
    pub phrase_starts: StemMap<Vec<Phrase>>,
    /// Cue phrases that start with a number (`Lexicon::after_number`).
    pub after_number: Vec<Phrase>,
}

impl Tables {
    /// The run-time lexicon; the tables it was built from are dropped.
    pub fn build(self) -> Lexicon {
        Lexicon {
            index: self.index(),
            word_entries: self.words.len(),
            negative_suffixes: self.negative_suffixes,
            duty_endings: self.duty_endings,
            negating_prefixes: self.negating_prefixes,
            stem_negations: self.stem_negations,
            pseudo_negations: self.pseudo_negations,
            stocks: self.stocks,
            cues: self.cues,
            idioms: self.idioms,
            after_number: self.after_number,
        }
    }

    /// The word-class tables that steer, each with the flag it sets on a word's `Steer`.
    fn steering_tables(&self) -> [(&StemMap<()>, MarkSteer); 10] {
        [
            (&self.negators, |s| s.negator = true),
            (&self.post_negators, |s| s.post_negator = true),
            (&self.question_particles, |s| s.question_particle = true),
            (&self.contrast, |s| s.contrast = true),
            (&self.topics, |s| s.topic = true),
            (&self.topic_frames, |s| s.frame = true),
            (&self.duties, |s| s.duty = true),
            (&self.concessives, |s| s.concessive = true),
            (&self.needs, |s| s.need = true),
            (&self.disjuncts, |s| s.disjunct = true),
        ]
    }

    /// Every word and stem of the tables that steer, with whether it is a stem.
    fn steering_keys(&self) -> impl Iterator<Item = (&str, bool)> {
        let flags = self
            .steering_tables()
            .into_iter()
            .flat_map(|(t, _)| t.keys());
        flags.chain(self.boosters.keys())
    }

    /// What `k` (a word, or a stem without its `*`) steers, read from each table by that
    /// table's own rule: a word is a negator because the negators hold it or a stem of it,
    /// whatever longer entry another table has for it ("nie" a negator, "niedo*" a topic).
    fn steer(&self, k: &str, is_stem: bool) -> Option<Steer> {
        fn find<'t, V>(table: &'t StemMap<V>, k: &str, is_stem: bool) -> Option<&'t V> {
            match is_stem {
                // A word that this is the longest stem of matches the same stems.
                true => table.stem_matches(k).next(),
                false => table.get(k),
            }
        }
        let mut steer = Steer::default();
        for (table, mark) in self.steering_tables() {
            if find(table, k, is_stem).is_some() {
                mark(&mut steer);
            }
        }
        steer.booster = find(&self.boosters, k, is_stem).copied();
        // Every table sets something on a word it holds.
        (steer != Steer::default()).then_some(steer)
    }

    /// `Lexicon::index` from the tables it stands for; after every table is complete.
    fn index(&self) -> StemMap<Entry> {
        let keys = (self.words.keys())
            .chain(self.steering_keys())
            .chain(self.phrase_starts.keys())
            .chain(self.stance.keys())
            .chain(self.events.keys());
        let mut index = StemMap::default();
        index.exact.reserve(self.words.exact.len());
        // A key in two tables is resolved twice, to the same entry.
        for (k, is_stem) in keys {
            let entry = match is_stem {
                false => Entry {
                    valence: self.words.get_with_len(k).map(|(&v, n)| (v, n)),
                    steer: self.steer(k, false),
                    phrases: (self.phrase_starts.get_exact(k).into_iter())
                        .chain(self.phrase_starts.stem_matches(k))
                        .flatten()
                        .cloned()
                        .collect(),
                    voice: Voice {
                        stance: self.stance.get(k).is_some(),
                        event: self.events.get(k).is_some(),
                    },
                },
                // A word that this is the longest stem of matches the same stems of each
                // table as the stem itself does.
                true => Entry {
                    valence: (self.words.stem_matches_len(k).next()).map(|(&v, n)| (v, n)),
                    steer: self.steer(k, true),
                    phrases: (self.phrase_starts.stem_matches(k))
                        .flatten()
                        .cloned()
                        .collect(),
                    voice: Voice {
                        stance: self.stance.stem_matches(k).next().is_some(),
                        event: self.events.stem_matches(k).next().is_some(),
                    },
                },
            };
            *index.slot_of(k, is_stem) = entry;
        }
        index
    }
}

/// Everything loaded: one lexicon per language plus the shared emoji and emoticon tables.
#[derive(Debug, Default)]
pub struct Lexicons {
    pub langs: Vec<(&'static str, Lexicon)>,
    pub emoji: HashMap<Box<str>, f32>,
    pub emoticons: HashMap<Box<str>, f32>,
    /// The `emoticon_key` of every emoticon: most chunks of text are not looked up.
    pub emoticon_keys: KeyFilter,
}

/// A chunk of text by its length and its first and last bytes: what tells most words from
/// every emoticon.
pub fn emoticon_key(chunk: &str) -> u64 {
    let b = chunk.as_bytes();
    let (first, last) = (b.first().copied(), b.last().copied());
    u64::from(first.unwrap_or(0)) | u64::from(last.unwrap_or(0)) << 8 | (b.len() as u64) << 16
}

impl Lexicons {
    pub fn get(&self, lang: &str) -> Option<&Lexicon> {
        self.langs.iter().find(|(l, _)| *l == lang).map(|(_, x)| x)
    }
}

static LEXICONS: OnceLock<Lexicons> = OnceLock::new();

/// Parsed on first use; parsing is cheap (see the triage report for the figure).
pub fn lexicons() -> &'static Lexicons {
    LEXICONS.get_or_init(load)
}

/// Makes `lex` the tables every later analysis uses; `Err` gives it back when analysis has
/// already started with the embedded ones. For measuring edited files without a rebuild.
pub fn install(lex: Lexicons) -> Result<(), Box<Lexicons>> {
    LEXICONS.set(lex).map_err(Box::new)
}

/// The embedded lexicons.
pub fn load() -> Lexicons {
    build(|_, embedded| Ok(Cow::Borrowed(embedded))).expect("embedded lexicons parse")
}

/// The lexicons with every file that `dir` holds (same names as `lexicons/`) read from
/// there instead of the embedded copy: how the triage report measures a draft lexicon.
pub fn load_dir(dir: &Path) -> Result<Lexicons, String> {
    build(
        |name, embedded| match std::fs::read_to_string(dir.join(name)) {
            Ok(s) => Ok(Cow::Owned(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Cow::Borrowed(embedded)),
            Err(e) => Err(format!("{}: {e}", dir.join(name).display())),
        },
    )
}

fn build<'a>(
    read: impl Fn(&str, &'a str) -> Result<Cow<'a, str>, String>,
) -> Result<Lexicons, String> {
    let mut out = Lexicons::default();
    let vader = read("vader_en.tsv", VADER_EN)?;
    for (lang, src) in FILES {
        let src = read(&format!("{lang}.txt"), src)?;
        out.langs.push((lang, tables(lang, &src, &vader)?.build()));
    }
    out.emoji = pairs(&read("emoji.txt", EMOJI)?)
        .map(|(k, v)| (k.into(), v))
        .collect();
    out.emoticons = pairs(&read("vader_emoticons.tsv", EMOTICONS)?)
        .map(|(k, v)| (k.into(), v))
        .collect();
    for k in out.emoticons.keys() {
        out.emoticon_keys.insert(emoticon_key(k));
    }
    Ok(out)
}

/// The tables of `lang` from its file `src`; English also takes VADER's words (`vader`).
fn tables(lang: &str, src: &str, vader: &str) -> Result<Tables, String> {
    let mut tables = parse_tables(src).map_err(|e| format!("lexicons/{lang}.txt: {e}"))?;
    if lang == "en" {
        for (w, v) in pairs(vader) {
            // The project's own entries (care vocabulary) win over VADER's.
            if tables.words.get(w).is_none() {
                tables.words.insert(w, v);
            }
        }
    }
    Ok(tables)
}

/// `key<TAB>number` lines; `#` starts a comment line.
fn pairs(src: &str) -> impl Iterator<Item = (&str, f32)> {
    src.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (k, v) = l.rsplit_once(['\t', ' '])?;
            Some((k.trim(), v.trim().parse().ok()?))
        })
}

/// The language file format: `[section]` headers, then one entry per line.
/// `[words]` and `[boosters]`: `word weight`; `[negators]`, `[post_negators]`,
/// `[question_particles]`, `[contrast]`, `[negative_suffixes]`, `[negating_prefixes]`,
/// `[stem_negations]`, `[stance]`, `[events]`, `[topics]`, `[topic_frames]`, `[duties]`,
/// `[concessives]`, `[needs]`, `[disjuncts]`, `[duty_endings]`: `word`;
/// `[pseudo_negations]`: `negator word`; `[alternations]`: `ending form form…`;
/// `[formulas]`, `[mock_praise]`: a phrase (see `Stock`); `[cues]`: `tag weight = phrase |
/// phrase` (tags use `_` for spaces; `<n>` as a phrase's first word
/// stands for a number);
/// `[phrases]`: `words of the phrase valence`, `words of the phrase negator` or `words of
/// the phrase contrast`.
pub fn parse(src: &str) -> Result<Lexicon, String> {
    Ok(parse_tables(src)?.build())
}

/// `parse` without building the `Lexicon`, for tables that are still to be added to.
pub fn parse_tables(src: &str) -> Result<Tables, String> {
    let mut lex = Tables::default();
    let mut section = String::new();
    // `[alternations]`: how a stem ends and the forms that ending takes before suffixes.
    let mut alternations: Vec<(String, Vec<String>)> = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |m: &str| format!("line {}: {m}: {raw}", n + 1);
        if let Some(s) = line.strip_prefix('[') {
            section = s.trim_end_matches(']').to_string();
            continue;
        }
        match section.as_str() {
            "words" | "boosters" => {
                let (w, v) = line
                    .rsplit_once(char::is_whitespace)
                    .ok_or_else(|| err("expected a word and a weight"))?;
                let v: f32 = v.parse().map_err(|_| err("bad weight"))?;
                let map = if section == "words" {
                    &mut lex.words
                } else {
                    &mut lex.boosters
                };
                map.insert(w.trim(), v);
            }
            "negators" => lex.negators.insert(line, ()),
            "post_negators" => lex.post_negators.insert(line, ()),
            "question_particles" => lex.question_particles.insert(line, ()),
            "contrast" => lex.contrast.insert(line, ()),
            "stance" => lex.stance.insert(line, ()),
            "events" => lex.events.insert(line, ()),
            "topics" => lex.topics.insert(line, ()),
            "topic_frames" => lex.topic_frames.insert(line, ()),
            "duties" => lex.duties.insert(line, ()),
            "concessives" => lex.concessives.insert(line, ()),
            "needs" => lex.needs.insert(line, ()),
            "disjuncts" => lex.disjuncts.insert(line, ()),
            "pseudo_negations" => {
                let mut ws = line.split_whitespace();
                let (Some(n), Some(w), None) = (ws.next(), ws.next(), ws.next()) else {
                    return Err(err("expected a negator and a word"));
                };
                lex.pseudo_negations.push((n.into(), w.into()));
            }
            "formulas" | "mock_praise" => {
                let mut words = line.split_whitespace();
                let Some(first) = words.next() else {
                    return Err(err("empty phrase"));
                };
                let phrase = Phrase {
                    of: PhraseOf::Stock(lex.stocks.len()),
                    rest: words.map(Into::into).collect(),
                };
                lex.phrase_starts.slot(first).push(phrase);
                lex.stocks.push(match section.as_str() {
                    "formulas" => Stock::Formula,
                    _ => Stock::Mock,
                });
            }
            "negative_suffixes" if line.len() > Endings::MAX_BYTES => {
                return Err(err("ending too long"))
            }
            "negative_suffixes" => lex.negative_suffixes.insert(line),
            "duty_endings" => lex.duty_endings.insert(line),
            "negating_prefixes" => lex.negating_prefixes.push(line.into()),
            "stem_negations" => lex.stem_negations.push(line.into()),
            "alternations" => {
                let mut ws = line.split_whitespace();
                let Some(end) = ws.next() else {
                    return Err(err("expected an ending and the forms it takes"));
                };
                alternations.push((end.to_string(), ws.map(str::to_string).collect()));
            }
            "cues" => {
                let (head, phrases) = line
                    .split_once('=')
                    .ok_or_else(|| err("expected tag weight = phrases"))?;
                let mut h = head.split_whitespace();
                let (Some(tag), Some(w), None) = (h.next(), h.next(), h.next()) else {
                    return Err(err("expected tag weight"));
                };
                let weight: f32 = w.parse().map_err(|_| err("bad weight"))?;
                let cue = lex.cues.len();
                lex.cues.push(CueDef {
                    tag: tag.replace('_', " ").into(),
                    weight,
                });
                for p in phrases.split('|') {
                    let mut words = p.split_whitespace();
                    let Some(first) = words.next() else {
                        return Err(err("empty phrase"));
                    };
                    let phrase = Phrase {
                        of: PhraseOf::Cue(cue),
                        rest: words.map(Into::into).collect(),
                    };
                    match first {
                        "<n>" if phrase.rest.is_empty() => {
                            return Err(err("a number alone is no phrase"))
                        }
                        "<n>" => lex.after_number.push(phrase),
                        _ => lex.phrase_starts.slot(first).push(phrase),
                    }
                }
            }
            "phrases" => {
                let (text, v) = line
                    .rsplit_once(char::is_whitespace)
                    .ok_or_else(|| err("expected a phrase and a valence"))?;
                let means = match v {
                    "negator" => Idiom::Negator,
                    "contrast" => Idiom::Contrast,
                    v => Idiom::Valence(v.parse().map_err(|_| err("bad valence"))?),
                };
                let mut words = text.split_whitespace();
                let (Some(first), rest) = (words.next(), words.collect::<Vec<_>>()) else {
                    return Err(err("empty phrase"));
                };
                if rest.is_empty() {
                    return Err(err(
                        "a phrase is two words or more; one word goes in [words]",
                    ));
                }
                let phrase = Phrase {
                    of: PhraseOf::Idiom(lex.idioms.len()),
                    rest: rest.into_iter().map(Into::into).collect(),
                };
                lex.phrase_starts.slot(first).push(phrase);
                lex.idioms.push(IdiomDef {
                    text: text.split_whitespace().collect::<Vec<_>>().join(" ").into(),
                    means,
                });
            }
            other => return Err(err(&format!("unknown section [{other}]"))),
        }
    }
    alternate_stems(&mut lex.words, &alternations);
    Ok(lex)
}

/// The shortest stem whose ending alternates: shorter ones would make prefixes of other
/// words (Turkish "sik*" would make "sig*", the start of "sigorta").
const MIN_ALTERNATED_STEM: usize = 4;

/// Adds, for every stem with an ending that `alternations` lists, the stems the ending's
/// other forms make, with the same valence: Turkish "bekle*" gains "bekliyor*" (the
/// progressive narrows the vowel: "bekliyorum"), "saçmalık*" gains "saçmalığ*" (a final
/// consonant softens before a vowel: "eksiği"), where no listed stem covers the new one.
fn alternate_stems(words: &mut StemMap<f32>, alternations: &[(String, Vec<String>)]) {
    if alternations.is_empty() {
        return;
    }
    let mut stems: Vec<(String, f32)> = Vec::new();
    for (end, forms) in alternations {
        for (stem, v) in (words.long.values().flatten()).chain(words.short.values()) {
            let Some(root) = stem.strip_suffix(end.as_str()) else {
                continue;
            };
            if stem.chars().count() < MIN_ALTERNATED_STEM {
                continue;
            }
            stems.extend(forms.iter().map(|f| (format!("{root}{f}"), *v)));
        }
    }
    for (stem, v) in stems {
        // Only where no stem reaches: "beklet*" would make "bekled*", which would take
        // "bekledim" (I waited) from "bekle*".
        if words.stem_matches_len(&stem).next().is_none() {
            words.insert(&format!("{stem}*"), v);
        }
    }
}

/// Whether `word` matches a pattern word (`stem*` or exact).
pub fn matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_has_content() {
        for (lang, l) in embedded_tables() {
            assert!(l.words.len() >= 40, "{lang}: {} words", l.words.len());
            assert!(!l.negators.is_empty(), "{lang}: no negators");
            assert!(!l.contrast.is_empty(), "{lang}: no contrast words");
            assert!(!l.cues.is_empty(), "{lang}: no cues");
        }
        let lex = load();
        assert_eq!(lex.langs.len(), LANGS.len());
        assert!(lex.get("en").unwrap().word_entries > 7000);
        assert!(lex.emoji.len() > 50 && lex.emoticons.len() > 200);
    }

    /// The tables of every embedded language file.
    fn embedded_tables() -> impl Iterator<Item = (&'static str, Tables)> {
        FILES
            .iter()
            .map(|(lang, src)| (*lang, tables(lang, src, VADER_EN).expect("parses")))
    }

    #[test]
    fn a_prefix_packs_as_its_bytes_do() {
        for word in ["ab", "abcdefg", "abcdefgh", "zamówienie", "заказ"] {
            let bytes = word.as_bytes();
            for n in 0..bytes.len().min(8) {
                assert_eq!(packed_prefix(bytes, n), packed(&bytes[..n]), "{word} {n}");
            }
        }
        let mut keys = KeyFilter::default();
        keys.insert(packed(b"abc"));
        assert!(keys.may_hold(packed(b"abc")));
    }

    #[test]
    fn longest_stem_wins_and_exact_first() {
        let mut m = StemMap::default();
        m.insert("beğen*", 2.0);
        m.insert("rozczarow*", -2.0);
        m.insert("beğenme*", -2.0);
        m.insert("beğenmek", 1.0);
        assert_eq!(m.get("beğendim"), Some(&2.0));
        assert_eq!(m.get("beğenmedim"), Some(&-2.0));
        assert_eq!(m.get("beğenmek"), Some(&1.0));
        assert_eq!(m.get("be"), None);
        assert_eq!(m.get("rozczarowany"), Some(&-2.0), "past the prefix filter");
        assert_eq!(m.get("rozumiem"), None);
    }

    #[test]
    fn the_index_answers_as_each_table_would() {
        // Every entry of every table, and words made from them: longer ("…x", "…ów"),
        // shorter by a character, and stems read as whole words.
        for (lang, lex) in embedded_tables() {
            let built = tables(
                lang,
                FILES.iter().find(|(l, _)| *l == lang).unwrap().1,
                VADER_EN,
            )
            .unwrap()
            .build();
            let keys = (lex.words.entries().map(|(k, _)| k))
                .chain(
                    (lex.steering_tables().into_iter()).flat_map(|(t, _)| t.entries().map(|e| e.0)),
                )
                .chain(lex.boosters.entries().map(|(k, _)| k))
                .chain(lex.phrase_starts.entries().map(|(k, _)| k))
                .chain(lex.stance.entries().map(|(k, _)| k))
                .chain(lex.events.entries().map(|(k, _)| k));
            for k in keys {
                let k = k.trim_end_matches('*');
                let mut shorter = k.chars();
                shorter.next_back();
                for w in [k, &format!("{k}x"), &format!("{k}ów"), shorter.as_str()] {
                    let e = built.entry(w);
                    let words = lex.words.get_with_len(w).map(|(&v, n)| (v, n));
                    assert_eq!(e.and_then(|e| e.valence), words, "{lang} {w}: valence");
                    // Each table by its own rule.
                    let mut steer = Steer::default();
                    for (table, mark) in lex.steering_tables() {
                        if table.get(w).is_some() {
                            mark(&mut steer);
                        }
                    }
                    steer.booster = lex.boosters.get(w).copied();
                    let steer = (steer != Steer::default()).then_some(steer);
                    assert_eq!(e.and_then(|e| e.steer), steer, "{lang} {w}: steering");
                    let cues = |p: &[Phrase]| {
                        let mut c: Vec<_> = p.iter().map(|p| (p.of, p.rest.clone())).collect();
                        c.sort();
                        c
                    };
                    let mut phrases = Vec::new();
                    let exact = lex.phrase_starts.get_exact(w).into_iter();
                    for p in exact.chain(lex.phrase_starts.stem_matches(w)) {
                        phrases.extend(p.iter().cloned());
                    }
                    let found = e.map_or(&[][..], |e| &e.phrases);
                    assert_eq!(cues(found), cues(&phrases), "{lang} {w}: cues");
                    let voice = Voice {
                        stance: lex.stance.get(w).is_some(),
                        event: lex.events.get(w).is_some(),
                    };
                    assert_eq!(e.map(|e| e.voice).unwrap_or_default(), voice, "{lang} {w}");
                }
            }
        }
    }

    #[test]
    fn endings_match_whole_characters_at_the_end() {
        let mut e = Endings::default();
        assert!(!e.ends("gelmedi"));
        e.insert("medi");
        e.insert("mıyor");
        assert!(e.ends("gelmedi") && e.ends("medi") && e.ends("almıyor"));
        assert!(!e.ends("gelmedim") && !e.ends("edi") && !e.ends("almiyor"));
        assert_eq!(e.len(), 2);
        let long = format!(
            "[negative_suffixes]\n{}\n",
            "a".repeat(Endings::MAX_BYTES + 1)
        );
        assert!(parse(&long).is_err());
    }

    #[test]
    fn an_alternating_ending_makes_stems_of_its_own() {
        let l = parse(
            "[alternations]\ne iyor üyor\na ıyor\nk ğ\n[words]\nbekle* -0.5\nağla* -1.0\nağlıyor* -2.0\neksik* -1.0\nsik* -2.0\n",
        )
        .unwrap();
        let v = |w: &str| l.entry(w).and_then(|e| e.valence).map(|(v, _)| v);
        assert_eq!(v("bekliyorum"), Some(-0.5));
        assert_eq!(v("beklüyor"), Some(-0.5));
        // A stem listed on its own keeps its valence, and a stem that covers the form keeps
        // its words.
        assert_eq!(v("ağlıyorum"), Some(-2.0));
        // A final consonant softens before a vowel; a short stem makes no prefix of others.
        assert_eq!(v("eksiği"), Some(-1.0));
        assert_eq!(v("siğ"), None);
        assert!(parse("[alternations]\n").is_ok());
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let e = parse("[words]\ngood 1\nbad x\n").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        assert!(parse("[nope]\nx\n").is_err());
        assert!(parse("[pseudo_negations]\nnie\n").is_err());
        assert!(parse("[pseudo_negations]\nnie tylko\n").is_ok());
        assert!(parse("[cues]\nmoney 0.3 = <n>\n").is_err());
        assert_eq!(
            parse("[cues]\nmoney 0.3 = <n> zł | zwrot\n")
                .unwrap()
                .after_number
                .len(),
            1
        );
        assert!(
            parse("[phrases]\nwait 2\n").is_err(),
            "one word is no phrase"
        );
        assert!(parse("[phrases]\ncan't wait x\n").is_err());
        let lex = parse("[phrases]\ncan't  wait 2\n").unwrap();
        assert_eq!(&*lex.idioms[0].text, "can't wait");
        let lex = parse("[phrases]\nshould have negator\n").unwrap();
        assert_eq!(lex.idioms[0].means, Idiom::Negator);
        let lex = parse("[phrases]\neven so contrast\n").unwrap();
        assert_eq!(lex.idioms[0].means, Idiom::Contrast);
    }

    #[test]
    fn concessives_and_needs_steer() {
        let lex = parse("[concessives]\nchoć\n[needs]\nmusiał*\n").unwrap();
        let steer = |w: &str| lex.entry(w).and_then(|e| e.steer).unwrap_or_default();
        assert!(steer("choć").concessive && !steer("choć").need);
        assert!(steer("musiałam").need && !steer("musiałam").concessive);
        assert_eq!(steer("ale"), Steer::default());
    }

    #[test]
    fn a_word_steers_as_every_table_it_is_in() {
        // A longer entry in one table hides nothing another table says of the word.
        let lex =
            parse("[negators]\nnever\n[boosters]\nnev* 0.5\n[topics]\nbreak*\n[contrast]\nbr*\n")
                .unwrap();
        let steer = |w: &str| lex.entry(w).and_then(|e| e.steer).unwrap_or_default();
        assert!(steer("never").negator);
        assert_eq!(steer("never").booster, Some(0.5));
        assert!(steer("breakdown").topic && steer("breakdown").contrast);
        assert!(steer("brr").contrast && !steer("brr").topic);
    }
}
