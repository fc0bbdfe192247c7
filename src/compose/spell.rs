//! Spelling: which words of a reply to check, checking them, and suggestions re-ranked so the
//! intended word comes first more often than in Hunspell's own order.

use std::collections::HashSet;
use std::ops::Range;

use spellbook::Dictionary;

/// A word of the reply that the dictionary does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub range: Range<usize>,
    pub word: String,
}

/// Words worth checking, with their byte ranges: URLs, @handles, #hashtags, e-mail addresses,
/// numbers, emoji and `{placeholders}` are skipped. Typographic apostrophes become `'`.
pub fn words(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                chunk_words(text, s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn chunk_words(text: &str, s: usize, e: usize, out: &mut Vec<(Range<usize>, String)>) {
    let chunk = &text[s..e];
    let lower = chunk.to_lowercase();
    let skip = chunk.contains(['@', '{', '}', '#'])
        || lower.contains("://")
        || lower.starts_with("www.")
        || looks_like_domain(&lower);
    if skip {
        return;
    }
    // Split on anything that is not part of a word; keep inner apostrophes and hyphens.
    let mut ws: Option<usize> = None;
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-');
    for (i, c) in chunk
        .char_indices()
        .chain(std::iter::once((chunk.len(), ' ')))
    {
        match (is_part(c), ws) {
            (true, None) => ws = Some(i),
            (false, Some(a)) => {
                push_word(chunk, a, i, s, out);
                ws = None;
            }
            _ => {}
        }
    }
}

fn push_word(chunk: &str, a: usize, b: usize, base: usize, out: &mut Vec<(Range<usize>, String)>) {
    let raw = &chunk[a..b];
    let trimmed_start = raw.len() - raw.trim_start_matches(['\'', '’', '-']).len();
    let w = raw.trim_matches(['\'', '’', '-']);
    if w.is_empty() || w.chars().any(|c| c.is_numeric()) || !w.chars().any(char::is_alphabetic) {
        return;
    }
    let start = base + a + trimmed_start;
    out.push((start..start + w.len(), w.replace('’', "'")));
}

fn looks_like_domain(lower: &str) -> bool {
    let l = lower.trim_end_matches(['.', ',', '!', '?', ')', ':', ';']);
    let tlds = [
        ".com", ".org", ".net", ".pl", ".ru", ".tr", ".bg", ".io", ".social",
    ];
    l.contains('.')
        && tlds
            .iter()
            .any(|t| l.ends_with(t) || l.contains(&format!("{t}/")))
}

/// A brand word, also in the possessive ("Acme's").
fn is_known(word: &str, known: &HashSet<String>) -> bool {
    let l = word.to_lowercase();
    known.contains(&l) || l.strip_suffix("'s").is_some_and(|b| known.contains(b))
}

/// A dictionary for one language.
pub struct Speller {
    pub dict: Dictionary,
    pub lang: String,
}

impl Speller {
    pub fn new(lang: &str, dict: Dictionary) -> Self {
        Self {
            dict,
            lang: lang.to_string(),
        }
    }

    /// As Hunspell's own tokenizer does where the apostrophe is not a word character
    /// (Polish "Andy'ego", Turkish "Ankara'da"), an apostrophe also splits a word in two.
    pub fn check_word(&self, word: &str) -> bool {
        self.dict.check(word)
            || (word.contains('\'') && word.split('\'').all(|p| p.is_empty() || self.dict.check(p)))
    }

    /// Unknown words of `text`, skipping `known` (brand words, lowercased) and `ignored`.
    pub fn misses(&self, text: &str, known: &HashSet<String>) -> Vec<Miss> {
        words(text)
            .into_iter()
            .filter(|(_, w)| !is_known(w, known) && !self.check_word(w))
            .map(|(range, word)| Miss { range, word })
            .collect()
    }

    /// Hunspell's candidates in its own order.
    pub fn hunspell_suggestions(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.dict.suggest(&word.replace('’', "'"), &mut out);
        out
    }

    /// Up to five suggestions, re-ranked. The edit-based candidates come first and fast; the
    /// slow n-gram search (hundreds of milliseconds in big dictionaries) runs only when there
    /// are none.
    pub fn suggest(&self, word: &str) -> Vec<String> {
        let word = word.replace('’', "'");
        let mut out = Vec::new();
        self.dict
            .suggester()
            .with_ngram_suggestions(false)
            .suggest(&word, &mut out);
        if out.is_empty() {
            out.clear();
            self.dict.suggest(&word, &mut out);
        }
        let mut list = rerank(&word, out);
        list.truncate(5);
        list
    }
}

/// Orders candidates by a typing-error distance (keyboard neighbours, doubled letters,
/// diacritics and swaps cost less than other edits), then by case agreement, keeping
/// Hunspell's order as the tie-break (it encodes the dictionary's REP/MAP knowledge).
pub fn rerank(word: &str, candidates: Vec<String>) -> Vec<String> {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    let mut scored: Vec<(f32, usize, String)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let cl: Vec<char> = c.to_lowercase().chars().collect();
            let mut s = typo_distance(&w, &cl);
            if c.contains(' ') && !word.contains(' ') {
                s += 0.6;
            }
            if c.chars().next().is_some_and(char::is_uppercase) != first_upper {
                s += 0.3;
            }
            s += i as f32 * 0.12;
            (s, i, c)
        })
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut seen = HashSet::new();
    scored
        .into_iter()
        .map(|(_, _, c)| c)
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

/// Weighted Damerau-Levenshtein distance for typing errors.
pub fn typo_distance(a: &[char], b: &[char]) -> f32 {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0f32; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as f32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as f32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = if a[i - 1] == b[j - 1] {
                0.0
            } else {
                substitution_cost(a[i - 1], b[j - 1])
            };
            // A doubled or undoubled letter is a cheap slip.
            let del = if i >= 2 && a[i - 1] == a[i - 2] {
                0.5
            } else {
                1.0
            };
            let ins = if j >= 2 && b[j - 1] == b[j - 2] {
                0.5
            } else {
                1.0
            };
            let mut v = (d[i - 1][j] + del)
                .min(d[i][j - 1] + ins)
                .min(d[i - 1][j - 1] + sub);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 0.6);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

const ROWS: &[&str] = &[
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
];

fn key_pos(c: char) -> Option<(usize, usize)> {
    ROWS.iter()
        .enumerate()
        .find_map(|(r, row)| row.chars().position(|k| k == c).map(|i| (r, i)))
}

fn base_letter(c: char) -> char {
    match c {
        'ą' => 'a',
        'ć' | 'ç' => 'c',
        'ę' => 'e',
        'ł' => 'l',
        'ń' => 'n',
        'ó' | 'ö' => 'o',
        'ś' | 'ş' => 's',
        'ź' | 'ż' => 'z',
        'ğ' => 'g',
        'ı' => 'i',
        'ü' => 'u',
        'ё' => 'е',
        'й' => 'и',
        'ъ' => 'ь',
        other => other,
    }
}

fn substitution_cost(a: char, b: char) -> f32 {
    if base_letter(a) == base_letter(b) {
        return 0.3;
    }
    // Vowels swapped for each other are a spelling (not typing) error common in every language.
    let vowels = "aeiouyаеиоуыэюяё";
    if vowels.contains(a) && vowels.contains(b) {
        return 0.7;
    }
    match (key_pos(a), key_pos(b)) {
        (Some((ra, ia)), Some((rb, ib)))
            if (ra / 3 == rb / 3) && ra.abs_diff(rb) <= 1 && ia.abs_diff(ib) <= 1 =>
        {
            0.6
        }
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(t: &str) -> Vec<String> {
        words(t).into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn skips_what_is_not_prose() {
        assert_eq!(
            ws("Hi @anna@mastodon.social, see https://x.com/a #Refund mail a@b.pl order 12345 {order_id} 🙂 ok"),
            ["Hi", "see", "mail", "order", "ok"]
        );
        assert_eq!(
            ws("it’s done, don't—wait"),
            ["it's", "done", "don't", "wait"]
        );
        assert_eq!(ws("visit example.com today"), ["visit", "today"]);
    }

    #[test]
    fn ranges_point_at_the_word() {
        let t = "Zażółć, gęślą!";
        for (r, w) in words(t) {
            assert_eq!(&t[r], w);
        }
    }

    #[test]
    fn rerank_prefers_typing_slips() {
        let c = vec!["receipt".into(), "recipe".into(), "Recife".into()];
        assert_eq!(rerank("recipt", c)[0], "receipt");
        let c = vec!["tea".into(), "the".into()];
        assert_eq!(rerank("teh", c)[0], "the");
        assert!(typo_distance(&['a'], &['s']) < typo_distance(&['a'], &['p']));
    }
}
