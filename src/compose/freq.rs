//! How common a word is: a prior P(word) for ranking suggestions (the noisy-channel model:
//! the likeliest intended word is both close to what was typed and frequent). Embedded per
//! language from permissively licensed word counts; see `dicts/freq/README.md` for sources,
//! licences and how to regenerate. Languages without a table get no prior (every word costs
//! the same) and rely on the error model alone.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::{phonetic, typo};

const EN: &str = include_str!("../../dicts/freq/en.txt");
const RU: &str = include_str!("../../dicts/freq/ru.txt");
const TR: &str = include_str!("../../dicts/freq/tr.txt");
const PL: &str = include_str!("../../dicts/freq/pl.txt");

/// A language's word frequencies as costs in nats (−ln P, rounded), lowercase words.
pub struct Prior {
    /// Every word once, one after another (bands are read commonest first, so a word listed
    /// twice keeps its commonest band).
    text: String,
    /// (start in `text`, length in bytes, band), sorted by word for look-ups.
    words: Vec<(u32, u8, u8)>,
    /// (letter mask, index into `words`) of every word, shorter words first, for the scan of
    /// close spellings; `by_len[len_start[n]..len_start[n + 1]]` are the words of `n`
    /// characters. One list, not one a length: built in place at its final size.
    by_len: Vec<(u32, u32)>,
    len_start: Vec<u32>,
    /// What a word missing from the table costs: a little more than the rarest listed one.
    unknown: f32,
    /// The language code, for `alike`.
    lang: String,
    /// Whether words are listed and looked up with ё written е (`typo::folds_yo`).
    folds_yo: bool,
    /// (hash of the word's sound key, index into `words`), sorted; built on first use. 32 bits
    /// of hash are enough: the word's own keys confirm a match.
    by_sound: OnceLock<Vec<(u32, u32)>>,
    /// Every run of four letters the listed words show (word ends marked), packed, sorted;
    /// built on first use.
    grams: OnceLock<Vec<u64>>,
}

impl Prior {
    /// Reads the front-coded band format `generate.py` writes.
    pub fn parse(src: &str, lang: &str) -> Self {
        let mut text = String::new();
        // At their final size at once: what a list leaves behind as it grows stays in the heap.
        let listed = src
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(['!', '#']))
            .count();
        let mut words: Vec<(u32, u8, u8)> = Vec::with_capacity(listed);
        let mut band = 0u8;
        let mut prev: Vec<char> = Vec::new();
        let mut max_band = 0u8;
        let mut missing = 1.5;
        let folds_yo = typo::folds_yo(lang);
        for line in src.lines() {
            if let Some(n) = line.strip_prefix('!') {
                missing = n.trim().parse().unwrap_or(missing);
                continue;
            }
            if let Some(b) = line.strip_prefix('#') {
                band = b.trim().parse().unwrap_or(band);
                max_band = max_band.max(band);
                prev.clear();
                continue;
            }
            let mut chars = line.chars();
            let Some(k) = chars.next() else { continue };
            let keep = (k as usize).saturating_sub(48).min(prev.len());
            prev.truncate(keep);
            prev.extend(chars);
            let start = text.len();
            if folds_yo {
                text.extend(prev.iter().map(|&c| typo::yo_as_ye(c)));
            } else {
                text.extend(prev.iter());
            }
            match u8::try_from(text.len() - start) {
                Ok(len) => words.push((start as u32, len, band)),
                Err(_) => text.truncate(start),
            }
        }
        let word = |&(s, l, _): &(u32, u8, u8)| &text[s as usize..s as usize + l as usize];
        // Stable: the first (commonest) of equal words stays first and is kept.
        words.sort_by(|x, y| word(x).cmp(word(y)));
        words.dedup_by(|x, y| word(x) == word(y));
        words.shrink_to_fit();
        let lens: Vec<u8> = words
            .iter()
            .map(|e| word(e).chars().count() as u8)
            .collect();
        let mut len_start = vec![0u32; usize::from(lens.iter().copied().max().unwrap_or(0)) + 2];
        for &l in &lens {
            len_start[usize::from(l) + 1] += 1;
        }
        for n in 1..len_start.len() {
            len_start[n] += len_start[n - 1];
        }
        let mut next = len_start.clone();
        let mut by_len = vec![(0u32, 0u32); words.len()];
        let mut buf = Vec::new();
        for (i, e) in words.iter().enumerate() {
            buf.clear();
            buf.extend(word(e).chars());
            let at = &mut next[buf.len()];
            by_len[*at as usize] = (letter_mask(&buf), i as u32);
            *at += 1;
        }
        text.shrink_to_fit();
        Self {
            text,
            words,
            by_len,
            len_start,
            unknown: f32::from(max_band) + missing,
            lang: lang.to_string(),
            folds_yo,
            by_sound: OnceLock::new(),
            grams: OnceLock::new(),
        }
    }

    fn word(&self, i: usize) -> &str {
        let (s, l, _) = self.words[i];
        &self.text[s as usize..s as usize + l as usize]
    }

    /// The embedded prior for a language code (`pl_PL` → `pl`), parsed once.
    pub fn for_lang(lang: &str) -> Option<&'static Prior> {
        static EN_P: OnceLock<Prior> = OnceLock::new();
        static RU_P: OnceLock<Prior> = OnceLock::new();
        static TR_P: OnceLock<Prior> = OnceLock::new();
        static PL_P: OnceLock<Prior> = OnceLock::new();
        let (cell, text) = match lang.get(..2).unwrap_or(lang) {
            "en" => (&EN_P, EN),
            "ru" => (&RU_P, RU),
            "tr" => (&TR_P, TR),
            "pl" => (&PL_P, PL),
            _ => return None,
        };
        Some(cell.get_or_init(|| Prior::parse(text, lang)))
    }

    /// −ln P(word) for a lowercase word; words not in the table cost `unknown`.
    pub fn cost(&self, lower: &str) -> f32 {
        self.find(lower)
            .map(|i| f32::from(self.words[i].2))
            .unwrap_or(self.unknown)
    }

    fn find(&self, lower: &str) -> Option<usize> {
        let key = self.listed_as(lower);
        self.words
            .binary_search_by(|&(s, l, _)| self.text[s as usize..s as usize + l as usize].cmp(&key))
            .ok()
    }

    /// How the table spells `lower`: with ё as е where it folds them.
    fn listed_as<'a>(&self, lower: &'a str) -> Cow<'a, str> {
        if self.folds_yo {
            typo::without_yo(lower)
        } else {
            Cow::Borrowed(lower)
        }
    }

    pub fn contains(&self, lower: &str) -> bool {
        self.find(lower).is_some()
    }

    /// Every listed word, in alphabetical order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        (0..self.words.len()).map(|i| self.word(i))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Listed words that sound like `lower` (`phonetic::keys`), the commonest first, at most
    /// `max` of them: spellings by ear and words typed without diacritics, however many letters
    /// they change, found without a search.
    /// Where the table writes ё as е, a ё heard and written as о ("шол", "ещо") is also looked
    /// for under the е-spelling's keys, at most `max / 2` more words: the caller restores the ё
    /// with the dictionary.
    pub fn alike(&self, lower: &str, max: usize) -> Vec<String> {
        let mut out = self.sounding(&phonetic::keys(lower, &self.lang), lower, max);
        if self.folds_yo {
            let heard = phonetic::keys_yo_written_ye(lower, &self.lang);
            for w in self.sounding(&heard, lower, max / 2) {
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
        out
    }

    /// Listed words other than `lower` with one of the sound `keys`, the commonest first, at
    /// most `max` of them.
    pub fn sounding(&self, keys: &[String], lower: &str, max: usize) -> Vec<String> {
        let index = self.by_sound.get_or_init(|| self.sound_index());
        let mut out: Vec<(u8, &str)> = Vec::new();
        let lower = self.listed_as(lower);
        for key in keys {
            let h = hash(key);
            let from = index.partition_point(|&(k, _)| k < h);
            for &(_, i) in index[from..].iter().take_while(|&&(k, _)| k == h) {
                let w = self.word(i as usize);
                // A hash names the key but for collisions: the word's own keys confirm it.
                if w != lower.as_ref()
                    && !out.iter().any(|&(_, o)| o == w)
                    && phonetic::keys(w, &self.lang).contains(key)
                {
                    out.push((self.words[i as usize].2, w));
                }
            }
        }
        out.sort();
        out.into_iter()
            .take(max)
            .map(|(_, w)| w.to_string())
            .collect()
    }

    /// Listed English words that sound like `lower` (the typed word, lowercase): the same
    /// Double Metaphone key, or for keys of three symbols and more one symbol away, and spelt
    /// within a few plain edits (sound-alike spellings stretch a word by a letter or two).
    pub fn heard(&self, lower: &str) -> Vec<String> {
        let typed: Vec<char> = lower.chars().collect();
        let max_edits = (typed.len() / 2).max(2);
        let mut w = Vec::new();
        self.sounding(&phonetic::keys_heard(lower), lower, usize::MAX)
            .into_iter()
            .filter(|cand| {
                w.clear();
                w.extend(cand.chars());
                within(&typed, &w, max_edits)
            })
            .collect()
    }

    /// Builds what `alike` needs (a few tens of milliseconds), so that the first suggestion
    /// need not.
    pub fn warm(&self) -> &Self {
        self.by_sound.get_or_init(|| self.sound_index());
        self.grams.get_or_init(|| self.gram_index());
        self
    }

    /// Where `w` (lowercase) has runs of four letters that no listed word shows: the first and
    /// last letter positions that every such run covers, `None` if it has none. A spelling
    /// with such a run is seldom a word, and one edit mends them all only inside that stretch
    /// (it is empty, start after end, when the runs lie apart).
    pub fn unseen_span(&self, w: &[char]) -> Option<(usize, usize)> {
        let grams = self.grams.get_or_init(|| self.gram_index());
        let mut span: Option<(usize, usize)> = None;
        for_each_gram(w, |i, g| {
            if grams.binary_search(&g).is_err() {
                // The run starting at `i` with the end marks covers letters i-1..=i+2.
                let (a, b) = (i.saturating_sub(1), (i + 2).min(w.len().saturating_sub(1)));
                span = Some(span.map_or((a, b), |(x, y)| (x.max(a), y.min(b))));
            }
        });
        span
    }

    fn gram_index(&self) -> Vec<u64> {
        // A set as they come: the words show some twenty times more runs than distinct ones,
        // and a list of them all would be tens of megabytes while it is built.
        let mut grams = rustc_hash::FxHashSet::default();
        let mut buf = Vec::new();
        for i in 0..self.words.len() {
            buf.clear();
            buf.extend(self.word(i).chars());
            for_each_gram(&buf, |_, g| {
                grams.insert(g);
            });
        }
        let mut grams: Vec<u64> = grams.into_iter().collect();
        grams.sort_unstable();
        grams
    }

    fn sound_index(&self) -> Vec<(u32, u32)> {
        // Most words have one key (English ones up to two).
        let mut index: Vec<(u32, u32)> = Vec::with_capacity(self.words.len());
        for i in 0..self.words.len() {
            for k in phonetic::keys(self.word(i), &self.lang) {
                index.push((hash(&k), i as u32));
            }
        }
        index.sort_unstable();
        index.shrink_to_fit();
        index
    }

    /// Listed words at most `max` plain edits (insertion, deletion, substitution, swap of
    /// neighbours) from `typed` (lowercase chars), ignoring diacritics for the count.
    pub fn near(&self, typed: &[char], max: usize) -> Vec<String> {
        let n = typed.len();
        let mask = letter_mask(typed);
        let mut out = Vec::new();
        let lo = n.saturating_sub(max);
        let hi = (n + max).min(self.len_start.len().saturating_sub(2));
        for len in lo..=hi {
            let mut w: Vec<char> = Vec::with_capacity(len);
            let list = &self.by_len[self.len_start[len] as usize..self.len_start[len + 1] as usize];
            for &(m, i) in list {
                // Each edit adds at most one letter to the set of letters and takes at most one
                // away: a cheap test that rules out almost every word before the real one.
                if (m & !mask).count_ones() as usize > max
                    || (mask & !m).count_ones() as usize > max
                {
                    continue;
                }
                w.clear();
                w.extend(self.word(i as usize).chars());
                if within(typed, &w, max) {
                    out.push(self.word(i as usize).to_string());
                }
            }
        }
        out
    }
}

/// Each run of four letters of `w` with its end marks, packed (16 bits a letter, enough for
/// the Latin and Cyrillic alphabets), with its start.
fn for_each_gram(w: &[char], mut f: impl FnMut(usize, u64)) {
    const END: u64 = 1;
    let at = |i: usize| match i.checked_sub(1).and_then(|j| w.get(j)) {
        Some(&c) => u64::from(c) & 0xFFFF,
        None => END,
    };
    for i in 0..w.len().saturating_sub(1) {
        f(
            i,
            at(i) << 48 | at(i + 1) << 32 | at(i + 2) << 16 | at(i + 3),
        );
    }
}

fn hash(key: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish() as u32
}

/// The set of a word's letters (without diacritics), hashed into 32 bits: the Latin and the
/// Cyrillic letters each fall on bits of their own.
fn letter_mask(w: &[char]) -> u32 {
    w.iter()
        .fold(0, |m, &c| m | 1u32 << (typo::base_letter(c) as u32 % 32))
}

/// Damerau-Levenshtein distance (letters with and without diacritics count as equal) of at
/// most `max`, stopping as soon as every path costs more.
pub fn within(a: &[char], b: &[char], max: usize) -> bool {
    const W: usize = 48;
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max || n >= W || m >= W {
        return false;
    }
    // Letters without their diacritics, once each rather than once a cell.
    let (mut ab, mut bb) = (['\0'; W], ['\0'; W]);
    for (x, &c) in ab.iter_mut().zip(a) {
        *x = typo::base_letter(c);
    }
    for (y, &c) in bb.iter_mut().zip(b) {
        *y = typo::base_letter(c);
    }
    // Three rows (for the swap of neighbours), on the stack: this runs for every listed word.
    // Distances stay under `W`, so a byte holds them.
    let mut rows = [[0u8; W]; 3];
    for (j, p) in rows[1].iter_mut().enumerate().take(m + 1) {
        *p = j as u8;
    }
    // rows[(i + 2) % 3] is row i - 2, rows[i % 3] row i - 1... rotated by index, not copied.
    let (mut p2, mut p1, mut c) = (2usize, 1usize, 0usize);
    for i in 1..=n {
        let (prev2, prev, cur) = (rows[p2], rows[p1], &mut rows[c]);
        cur[0] = i as u8;
        let mut best = cur[0];
        for j in 1..=m {
            let sub = prev[j - 1] + u8::from(ab[i - 1] != bb[j - 1]);
            let mut v = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            best = best.min(v);
        }
        if usize::from(best) > max {
            return false;
        }
        (p2, p1, c) = (p1, c, p2);
    }
    usize::from(rows[p1][m]) <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_coded_bands() {
        let p = Prior::parse("!2\n#3\n0the\n#7\n0receipt\n4ive\n#12\n0recife\n", "en");
        assert_eq!(p.cost("zzz"), 14.0);
        assert_eq!(p.cost("the"), 3.0);
        assert_eq!(p.cost("receive"), 7.0);
        assert_eq!(p.cost("receipt"), 7.0);
        assert_eq!(p.cost("recife"), 12.0);
        assert!(p.cost("zzz") > 12.0);
        let mut near = p.near(&"recieve".chars().collect::<Vec<_>>(), 2);
        near.sort();
        assert_eq!(near, ["receive", "recife"]);
    }

    #[test]
    fn embedded_tables_rank_common_words_cheaper() {
        let en = Prior::for_lang("en").unwrap();
        assert!(en.len() > 50_000);
        assert!(en.cost("which") < en.cost("witch"));
        assert!(en.cost("their") < en.cost("thier"));
        let ru = Prior::for_lang("ru_RU").unwrap();
        assert!(ru.cost("сегодня") < ru.cost("сегодняшнего"));
        let tr = Prior::for_lang("tr").unwrap();
        assert!(tr.cost("için") < tr.cost("ıçin"));
        // Polish: pseudo-counts from common word pairs, below them words only listed.
        let pl = Prior::for_lang("pl").unwrap();
        assert!(pl.cost("dziękujemy") < pl.cost("dziękującymi"));
        assert!(pl.cost("może") < pl.cost("morze"));
        assert!(pl.cost("dziękujemy") < pl.cost("zamówieniami"));
        assert!(pl.cost("zamówieniami") < pl.cost("dziękującymi"));
        assert!(Prior::for_lang("bg").is_none());
    }

    #[test]
    fn russian_words_are_counted_with_yo_as_ye() {
        // News text writes "шел" for "шёл": both spellings are one listed word.
        let p = Prior::parse("#3\n0ещё\n#5\n0шел\n0шелк\n", "ru");
        assert_eq!(p.cost("ещё"), 3.0);
        assert_eq!(p.cost("еще"), 3.0);
        assert!(p.contains("шёл") && p.contains("шел"));
        // A ё heard as о is found under the е-spelling's sound.
        assert_eq!(p.alike("шол", 5), ["шел"]);
        assert!(p.alike("шел", 5).is_empty());
        // Other languages keep the letters apart.
        assert!(!Prior::parse("#3\n0шел\n", "bg").contains("шёл"));
    }

    #[test]
    fn listed_words_that_sound_alike() {
        let p = Prior::parse("#3\n0żółw\n#5\n0który\n0kątry\n", "pl");
        assert_eq!(p.alike("zolw", 5), ["żółw"]);
        assert_eq!(p.alike("ktury", 5), ["który"]);
        assert!(p.alike("żółw", 5).is_empty());
        let ru = Prior::for_lang("ru").unwrap();
        assert!(ru.alike("севодня", 10).contains(&"сегодня".to_string()));
        let tr = Prior::for_lang("tr").unwrap();
        assert!(tr.alike("musteri", 10).contains(&"müşteri".to_string()));
        let en = Prior::for_lang("en").unwrap();
        assert!(en.alike("fisical", 5).contains(&"physical".to_string()));
        assert!(Prior::parse("#3\nzwölf\n", "de")
            .alike("zwolf", 5)
            .is_empty());
    }

    #[test]
    fn runs_of_letters_no_word_shows() {
        let p = Prior::parse("#3\n0receipt\n0recife\n", "en");
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(p.unseen_span(&c("receipt")), None);
        assert_eq!(p.unseen_span(&c("recife")), None);
        // "ecex", "cexi", "exip", "xipt": all cover the x.
        assert_eq!(p.unseen_span(&c("recexipt")), Some((4, 4)));
        assert_eq!(p.unseen_span(&c("zeceipt")), Some((0, 2)));
        // Two slips far apart: no one edit mends both.
        assert!(p.unseen_span(&c("zeceipx")).is_some_and(|(a, b)| a > b));
        let pl = Prior::for_lang("pl").unwrap();
        assert_eq!(pl.unseen_span(&c("dziękujemy")), None);
        assert!(pl.unseen_span(&c("dziękujqemy")).is_some());
    }

    #[test]
    fn bounded_distance() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within(&c("teh"), &c("the"), 1));
        assert!(within(&c("zolw"), &c("żółw"), 0));
        assert!(!within(&c("abcdef"), &c("uvwxyz"), 2));
        assert!(within(&c("acress"), &c("across"), 1));
    }

    #[test]
    fn english_words_heard_alike() {
        let en = Prior::for_lang("en").unwrap();
        let candidates = |w: &str| en.heard(w);
        assert!(candidates("fisical").contains(&"physical".to_string()));
        assert!(candidates("definately").contains(&"definitely".to_string()));
        assert!(!candidates("physical").contains(&"physical".to_string()));
    }
}
