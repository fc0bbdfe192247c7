//! Hashed n-gram features of a text: lower-cased word 1–2-grams and character 3–5-grams of
//! each word, each hashed into one of `BUCKETS`. The hash is fixed (FNV-1a with a mixing
//! finaliser), never std's per-process random one, so that a model stored today scores the
//! same text the same way after a restart, on another machine or another Rust release.

use crate::triage::tokens::is_letter;

/// Buckets are `1 << BITS`: 2^18 keeps the weights in 1 MiB while collisions stay rare for
/// the vocabulary a brand's care traffic uses.
pub const BITS: u32 = 18;
pub const BUCKETS: usize = 1 << BITS;

/// What a feature is, salted into its hash so that the word "app" and the trigram "app"
/// land in different buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word = 1,
    Bigram = 2,
    Chars = 3,
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The splitmix64 finaliser, to a bucket (FNV's low bits mix poorly and we take the high
/// ones).
fn bucket(mut z: u64) -> u32 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> (64 - BITS)) as u32
}

/// FNV-1a over the kind and the parts (joined by a space), finalised to a bucket.
fn hash(kind: Kind, parts: &[&str]) -> u32 {
    let mut h = fnv(FNV_START, &[kind as u8]);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = fnv(h, b" ");
        }
        h = fnv(h, p.as_bytes());
    }
    bucket(h)
}

/// The features of one text. `of[i]` says which words feature `i` came from (for reasons):
/// the word at that index, or the bigram starting there. A source's features stand
/// together (a word's character n-grams right after the word).
#[derive(Debug, Default, Clone)]
pub struct Features {
    /// Lower-cased text the words are slices of.
    lower: String,
    /// Byte ranges of the words in `lower`.
    words: Vec<(u32, u32)>,
    pub buckets: Vec<u32>,
    pub of: Vec<Source>,
    /// Every feature counts this much, so that long and short texts weigh alike (1/√n).
    pub value: f32,
}

/// Where a feature came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A word, or a character n-gram inside it.
    Word(u32),
    /// The word at this index and the next.
    Bigram(u32),
}

impl Features {
    pub fn of_text(text: &str) -> Features {
        let mut f = Features::default();
        f.fill(text);
        f
    }

    /// Recomputes the features for `text`, reusing the allocations.
    pub fn fill(&mut self, text: &str) {
        self.lower.clear();
        self.words.clear();
        self.buckets.clear();
        self.of.clear();
        if text.is_ascii() {
            self.lower.push_str(text);
            self.lower.make_ascii_lowercase();
        } else {
            for c in text.chars() {
                // Fast paths for the alphabets most posts are in; the full tables otherwise.
                match c {
                    c if c.is_ascii() => self.lower.push(c.to_ascii_lowercase()),
                    'А'..='Я' => self.lower.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
                    'Ѐ'..='Џ' => self.lower.push(char::from_u32(c as u32 + 80).unwrap_or(c)),
                    'а'..='џ' => self.lower.push(c),
                    // Turkish dotted capital: "i" with a combining dot would split the word.
                    'İ' => self.lower.push('i'),
                    c if (c as u32) < LATIN_END => self.lower.push(latin_lower()[c as usize]),
                    _ => self.lower.extend(c.to_lowercase()),
                }
            }
        }
        split_words(&self.lower, &mut self.words);
        let word = |w: &(u32, u32)| &self.lower[w.0 as usize..w.1 as usize];
        for (i, w) in self.words.iter().enumerate() {
            let w = word(w);
            self.buckets.push(hash(Kind::Word, &[w]));
            self.of.push(Source::Word(i as u32));
            let before = self.buckets.len();
            char_grams(w, &mut self.buckets);
            let added = self.buckets.len() - before;
            self.of
                .extend(std::iter::repeat_n(Source::Word(i as u32), added));
        }
        for (i, pair) in self.words.windows(2).enumerate() {
            self.buckets
                .push(hash(Kind::Bigram, &[word(&pair[0]), word(&pair[1])]));
            self.of.push(Source::Bigram(i as u32));
        }
        self.value = 1.0 / (self.buckets.len().max(1) as f32).sqrt();
    }

    /// The words a feature came from, as the moderator reads them.
    pub fn source_text(&self, s: Source) -> String {
        let word = |i: u32| {
            let (a, b) = self.words[i as usize];
            &self.lower[a as usize..b as usize]
        };
        match s {
            Source::Word(i) => word(i).to_string(),
            Source::Bigram(i) => format!("{} {}", word(i), word(i + 1)),
        }
    }
}

/// Characters below this (Latin-1, Extended-A and -B) are lowercased from `latin_lower`.
const LATIN_END: u32 = 0x250;

/// The lowercase of each character below `LATIN_END`, asked of the Unicode tables once:
/// asking them for every Polish or Turkish letter was a large part of reading a text.
/// Each lowercases to one character there but "İ", which `Features::fill` handles first.
fn latin_lower() -> &'static [char; LATIN_END as usize] {
    static TABLE: std::sync::OnceLock<[char; LATIN_END as usize]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = ['\0'; LATIN_END as usize];
        for (i, slot) in t.iter_mut().enumerate() {
            let c = char::from_u32(i as u32).unwrap_or('\0');
            *slot = c.to_lowercase().next().unwrap_or(c);
        }
        t
    })
}

/// A letter or a digit, as `char::is_alphanumeric` says, without its tables for the
/// scripts most posts are in (see `tokens::is_letter`).
#[inline]
fn alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_letter(c) || c.is_numeric()
    }
}

/// Words: runs of letters and digits (an apostrophe inside a word keeps it whole, "don't");
/// every other visible character (punctuation, emoji) stands alone, since "!!" and "🤬" say
/// as much as a word. A mention (@name) becomes "@" and a link "http": their particulars
/// say nothing about the tone.
fn split_words(s: &str, out: &mut Vec<(u32, u32)>) {
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if alphanumeric(c) {
            let mut end = at + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                let inner_apostrophe = (d == '\'' || d == '’')
                    && s[i + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(alphanumeric);
                if alphanumeric(d) || inner_apostrophe {
                    end = i + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let w = &s[at..end];
            if w.starts_with("http") && s[end..].starts_with("://") {
                // The rest of the link up to the next space.
                while chars.peek().is_some_and(|&(_, d)| !d.is_whitespace()) {
                    chars.next();
                }
                end = at + 4;
            }
            out.push((at as u32, end as u32));
        } else if c == '@' || c == '#' {
            // The name after it is skipped for "@", kept as its own word for "#".
            out.push((at as u32, (at + 1) as u32));
            if c == '@' {
                while chars
                    .peek()
                    .is_some_and(|&(_, d)| alphanumeric(d) || d == '_')
                {
                    chars.next();
                }
            }
        } else {
            out.push((at as u32, (at + c.len_utf8()) as u32));
        }
    }
}

/// The buckets of the character 3–5-grams of a word marked at both ends ("<app>": "<ap",
/// "app", "pp>", …), hashed as `hash(Kind::Chars, &[gram])` would but in one pass from each
/// start. Words of one or two characters have none: their word feature says it all.
fn char_grams(word: &str, out: &mut Vec<u32>) {
    // Byte offsets of the characters of "<word>" (at most 64 characters looked at: a longer
    // "word" is a link or noise).
    let mut starts = [0u16; 66];
    let mut n = 0;
    let word = &word[..word.char_indices().nth(64).map_or(word.len(), |(i, _)| i)];
    for (i, _) in word.char_indices() {
        n += 1;
        starts[n] = (i + 1) as u16;
    }
    if n < 3 {
        return;
    }
    let chars = n + 2; // with the marks
    starts[n + 1] = (word.len() + 1) as u16;
    let piece = |c: usize| -> &[u8] {
        match c {
            0 => b"<",
            c if c == chars - 1 => b">",
            c => &word.as_bytes()[starts[c] as usize - 1..starts[c + 1] as usize - 1],
        }
    };
    let first = fnv(FNV_START, &[Kind::Chars as u8]);
    for start in 0..chars - 2 {
        let mut h = first;
        for (len, c) in (start..chars.min(start + 5)).enumerate() {
            h = fnv(h, piece(c));
            if len >= 2 {
                out.push(bucket(h));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed_across_runs_and_builds() {
        // Pinned values: if these change, every stored model silently scores garbage.
        assert_eq!(hash(Kind::Word, &["app"]), hash(Kind::Word, &["app"]));
        assert_ne!(hash(Kind::Word, &["app"]), hash(Kind::Chars, &["app"]));
        assert_eq!(hash(Kind::Word, &["logs"]), 253_925);
        assert_eq!(hash(Kind::Bigram, &["logs", "me"]), 196_022);
        assert_eq!(hash(Kind::Chars, &["<lo"]), 5_696);
        assert!(hash(Kind::Word, &["заблокирована"]) < BUCKETS as u32);
    }

    #[test]
    fn words_bigrams_and_char_grams() {
        let f = Features::of_text("The App logs me out!");
        let words: Vec<String> = (0..6).map(|i| f.source_text(Source::Word(i))).collect();
        assert_eq!(words, ["the", "app", "logs", "me", "out", "!"]);
        assert_eq!(f.source_text(Source::Bigram(2)), "logs me");
        // "app" padded: 3 trigrams, 2 four-grams, 1 five-gram.
        let app = f.of.iter().filter(|s| **s == Source::Word(1)).count();
        assert_eq!(app, 1 + 3 + 2 + 1);
        assert!(f.buckets.contains(&hash(Kind::Bigram, &["logs", "me"])));
        assert!((f.value - 1.0 / (f.buckets.len() as f32).sqrt()).abs() < 1e-6);
    }

    #[test]
    fn char_grams_hash_as_the_grams_themselves() {
        let mut got = Vec::new();
        char_grams("logs", &mut got);
        let grams = [
            "<lo", "log", "ogs", "gs>", "<log", "logs", "ogs>", "<logs", "logs>",
        ];
        let mut want: Vec<u32> = grams.iter().map(|g| hash(Kind::Chars, &[g])).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        let mut cyr = Vec::new();
        char_grams("карта", &mut cyr);
        assert!(cyr.contains(&hash(Kind::Chars, &["<кар"])));
        assert!(cyr.contains(&hash(Kind::Chars, &["рта>"])));
        assert_eq!(cyr.len(), 5 + 4 + 3);
    }

    #[test]
    fn lower_casing_matches_the_unicode_tables() {
        let text = "ЁЖИК Ѐнот ÀÉÎ Łódź ŞEKER ZAŻÓŁĆ Straße ΑΘΗΝΑ";
        let f = Features::of_text(text);
        let words: Vec<String> = (0..8).map(|i| f.source_text(Source::Word(i))).collect();
        assert_eq!(words.join(" "), text.to_lowercase());
        assert_eq!(
            Features::of_text("İSTANBUL").source_text(Source::Word(0)),
            "istanbul"
        );
        // Every character the fast paths cover reads as the tables read it.
        let all: String = (0..0x600).filter_map(char::from_u32).collect();
        let f = Features::of_text(&all);
        assert_eq!(
            f.lower,
            all.chars()
                .flat_map(|c| match c {
                    'İ' => "i".chars().collect::<Vec<_>>(),
                    c => c.to_lowercase().collect(),
                })
                .collect::<String>()
        );
        for c in (0..0x600).filter_map(char::from_u32) {
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn mentions_and_links_lose_their_particulars() {
        let a = Features::of_text("@acme_help card blocked https://t.co/abc");
        let b = Features::of_text("@other card blocked http://x.y/z");
        assert_eq!(a.buckets, b.buckets);
        assert_eq!(
            Features::of_text("Don't").source_text(Source::Word(0)),
            "don't"
        );
    }
}
