//! Spelling: which words of a reply to check, checking them, and suggestions re-ranked so the
//! intended word comes first more often than in Hunspell's own order.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use spellbook::Dictionary;

use super::freq::Prior;
use super::{dict, edits, phonetic, typo};

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

/// Whether the apostrophe parts a word in `lang`: a name and its case ending in Polish
/// and Turkish.
fn apostrophe_splits(lang: &str) -> bool {
    matches!(typo::lang_code(lang), "pl" | "tr")
}

/// A dictionary for one language.
pub struct Speller {
    pub dict: Dictionary,
    pub lang: String,
}

/// The work a search two edits away may do when no other candidate is found (a third of the
/// look-ups otherwise). Counted, not timed, so that suggestions are the same on every run and
/// under any load.
fn edit_budget(lang: &str) -> edits::Budget {
    edits::Budget {
        // Look-ups for some ten milliseconds: a Polish one costs some fifteen microseconds (its
        // affix tables are large), a Russian one five, others one or two.
        checks: match typo::lang_code(lang) {
            "pl" => 700,
            "ru" => 2_000,
            _ => 3_000,
        },
        spellings: 40_000,
    }
}

/// Listed words that sound like the typed one, the commonest first, taken as candidates.
const ALIKE: usize = 8;

/// What one weighted edit costs, in nats of the word prior: a word must be about e¹⁰ (some
/// twenty thousand) times commoner to make up for one more typing slip, so the error model
/// decides between unequal slips and the prior between equal ones.
const EDIT_NATS: f32 = 10.0;

impl Speller {
    /// Starts parsing the language's frequency table (once per process, tens of milliseconds)
    /// on a thread of its own, so the dictionary is ready for checking at once and suggesting,
    /// which comes later, seldom waits for it.
    pub fn new(lang: &str, dict: Dictionary) -> Self {
        let l = lang.to_string();
        let _ = std::thread::Builder::new()
            .name("word-prior".into())
            .spawn(move || {
                Prior::for_lang(&l).map(|p| p.warm().len());
            });
        Self {
            dict,
            lang: lang.to_string(),
        }
    }

    /// As Hunspell's own tokenizer does where the apostrophe is not a word character
    /// (Polish "Andy'ego", Turkish "Ankara'da"), an apostrophe also splits a word in two
    /// there. Not in English, where it is part of the word and single letters are words:
    /// "you'r" and "I'am" are misspelt, not "you" + "r".
    pub fn check_word(&self, word: &str) -> bool {
        self.dict.check(word)
            || (apostrophe_splits(&self.lang)
                && word.contains('\'')
                && word.split('\'').all(|p| p.is_empty() || self.dict.check(p)))
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

    /// Up to five suggestions. Candidates: Hunspell's edit-based ones (its REP/MAP tables,
    /// split words), the language's listed words two edits away, a bounded search two edits
    /// away through the dictionary, in Polish names' forms after an apostrophe
    /// (`typo::apostrophe_forms`), and in English listed words that sound alike; Hunspell's
    /// n-gram search over the whole dictionary (hundreds of milliseconds in big dictionaries)
    /// is left out. Ranked by `rank`.
    pub fn suggest(&self, word: &str) -> Vec<String> {
        let mut list = self.ranked(word);
        list.truncate(5);
        list
    }

    /// Every candidate `suggest` weighs, best first.
    pub fn ranked(&self, word: &str) -> Vec<String> {
        let word = word.replace('’', "'");
        let mut hunspell = Vec::new();
        self.dict
            .suggester()
            .with_ngram_suggestions(false)
            .suggest(&word, &mut hunspell);
        let lower = word.to_lowercase();
        let typed: Vec<char> = lower.chars().collect();
        let mut extra = Vec::new();
        let prior = Prior::for_lang(&self.lang);
        if let Some(p) = prior {
            // Longer words carry more slips (and leave fewer words three edits away).
            let max = if typed.len() >= 7 { 3 } else { 2 };
            for w in p.near(&typed, max) {
                if let Some(c) = self.spelt_as_typed(&w, &word) {
                    extra.push(c);
                }
            }
        }
        // A name's ending written without the last letter and apostrophe it takes (Polish):
        // a form of the rule's, so ahead of Hunspell's own order, which has no such forms.
        let forms = typo::apostrophe_forms(&word, &self.lang);
        hunspell.splice(0..0, forms.into_iter().filter(|f| self.check_word(f)));
        let english = self.lang.starts_with("en");
        if hunspell.len() + extra.len() < 5 || searches_always(&self.lang) {
            let full = edit_budget(&self.lang);
            let budget = if hunspell.is_empty() && extra.is_empty() {
                full
            } else {
                edits::Budget {
                    checks: full.checks / 3,
                    ..full
                }
            };
            // English is left to its own candidates; elsewhere two edits of any kind are tried
            // where the language's letter runs allow them.
            let runs = prior
                .filter(|_| !english)
                .map(|p| move |v: &[char]| p.unseen_span(v));
            let unseen = runs.as_ref().map(|f| f as &edits::Unseen);
            extra.extend(edits::search(&word, &self.lang, budget, unseen, |w| {
                self.dict.check(w)
            }));
        }
        // English has its own, wider sound-alike search below.
        if let Some(p) = prior.filter(|_| !english) {
            for w in p.alike(&lower, ALIKE) {
                extra.extend(self.spelt_as_typed(&w, &word));
            }
        }
        if english {
            // Listed words that sound like the typed one, after the search so as not to cut it
            // short.
            for w in prior.map(|p| p.heard(&lower)).unwrap_or_default() {
                if let Some(c) = self.spelt_as_typed(&w, &word) {
                    if !extra.contains(&c) {
                        extra.push(c);
                    }
                }
            }
            extra.retain(|c| !is_offensive(c));
        }
        if typo::folds_yo(&self.lang) {
            let with_yo: Vec<String> = hunspell
                .iter()
                .chain(&extra)
                .flat_map(|c| self.yo_spellings(c))
                .collect();
            for c in with_yo {
                if !hunspell.contains(&c) && !extra.contains(&c) {
                    extra.push(c);
                }
            }
        }
        rank(&word, &self.lang, prior, hunspell, extra)
    }

    /// The spellings of `word` with one of its е written ё that the dictionary accepts: the
    /// Russian table, and much of what is typed, write ё as е, so a candidate found as "еще"
    /// may be meant as "ещё". Words seldom have two ё; the first few е are tried.
    fn yo_spellings(&self, word: &str) -> Vec<String> {
        const MAX_TRIED: usize = 4;
        let w: Vec<char> = word.chars().collect();
        w.iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, 'е' | 'Е'))
            .take(MAX_TRIED)
            .map(|(i, &c)| {
                let mut v = w.clone();
                v[i] = if c == 'е' { 'ё' } else { 'Ё' };
                v.into_iter().collect::<String>()
            })
            .filter(|v| self.dict.check(v))
            .collect()
    }

    /// A listed (lowercase) word as the dictionary accepts it, in the typed word's case where
    /// possible (`Paris` for `paris`, `THE` for `THE`).
    fn spelt_as_typed(&self, lower: &str, typed: &str) -> Option<String> {
        let all_caps = typed.chars().filter(|c| c.is_alphabetic()).count() > 1
            && typed.chars().all(|c| !c.is_lowercase());
        let first_upper = typed.chars().next().is_some_and(char::is_uppercase);
        let capital = || {
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        let tries = if all_caps {
            vec![lower.to_uppercase(), capital(), lower.to_string()]
        } else if first_upper {
            vec![capital(), lower.to_string()]
        } else {
            vec![lower.to_string(), capital()]
        };
        if let Some(t) = tries.iter().find(|t| self.dict.check(t)) {
            return Some(t.clone());
        }
        // A listed Russian word whose dictionary spelling has ё only.
        if typo::folds_yo(&self.lang) {
            return tries
                .iter()
                .find_map(|t| self.yo_spellings(t).into_iter().next());
        }
        None
    }
}

/// Turkish words are long chains of suffixes, and Hunspell's edit candidates often miss the
/// intended form even when they are five or more: the search runs whatever they are.
fn searches_always(lang: &str) -> bool {
    lang.starts_with("tr")
}

/// Words the English dictionary marks NOSUGGEST (its `!` flag: slurs and swearing), with
/// their inflections: accepted when typed, never offered. Hunspell's own candidates already
/// leave them out; ours must too.
fn is_offensive(word: &str) -> bool {
    let l = word.to_lowercase();
    dict::en_nosuggest().iter().any(|s| {
        l.strip_prefix(s.as_str()).is_some_and(|rest| {
            rest.is_empty() || ["s", "'s", "es", "ed", "ing", "er", "ers", "y"].contains(&rest)
        })
    })
}

/// A noisy-channel ranking: each candidate costs its typing-error distance from what was typed
/// (keyboard neighbours, doubled letters, diacritics, the language's sound-alike spellings and
/// swaps cost less than other edits) in `EDIT_NATS` per edit, plus −ln P(word) from the
/// language's word frequencies where there are some; an English candidate that sounds like
/// what was typed costs less (`phonetic`). Hunspell's own order (it encodes the
/// dictionary's REP/MAP knowledge) and case agreement weigh a little; Hunspell's candidates
/// come before the others at equal cost.
pub fn rank(
    word: &str,
    lang: &str,
    prior: Option<&Prior>,
    hunspell: Vec<String>,
    extra: Vec<String>,
) -> Vec<String> {
    let w = word.to_lowercase();
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    let from_hunspell = hunspell.len();
    // How the typed word sounds, once for every candidate.
    let english = lang.starts_with("en");
    let typed_keys = if english {
        phonetic::keys(&w, lang)
    } else {
        Vec::new()
    };
    let scored: Vec<(f32, usize, String)> = hunspell
        .into_iter()
        .chain(extra)
        .enumerate()
        .map(|(i, c)| {
            let cl = c.to_lowercase();
            let mut s = typo::language_distance(&w, &cl, lang);
            if english {
                s = phonetic::discounted(&typed_keys, &cl, s);
            }
            if c.contains(' ') && !word.contains(' ') {
                s += 0.6;
            }
            if c.chars().next().is_some_and(char::is_uppercase) != first_upper {
                s += 0.3;
            }
            s += hunspell_order_weight(lang) * i.min(from_hunspell) as f32;
            let mut nats = s * EDIT_NATS;
            if let Some(p) = prior {
                // A split ("alot" → "a lot") costs its rarer part. A Polish name's ending after
                // an apostrophe ("Shakespeare'a") is no word: the name alone counts.
                let named = match cl.split_once('\'') {
                    Some((name, _)) if typo::lang_code(lang) == "pl" => name,
                    _ => &cl,
                };
                nats += named
                    .split([' ', '-'])
                    .map(|part| p.cost(part))
                    .fold(0.0, f32::max);
            }
            (nats, i, c)
        })
        .collect();
    one_spelling_each(scored, typo::folds_yo(lang), w.contains('ё'))
}

/// What each place down Hunspell's list costs, in edits. Its order carries what the
/// dictionary's REP and MAP tables know of likely misspellings; the Russian dictionary has
/// neither, and its order there is only the order edits are tried in (by letter frequency),
/// which says nothing of what the writer meant.
fn hunspell_order_weight(lang: &str) -> f32 {
    if typo::lang_code(lang) == "ru" {
        0.0
    } else {
        0.12
    }
}

/// The candidates scored by `rank` (cost, order found, spelling), best first, each once.
/// Where the language writes ё as е too (`folds_yo`, Russian), a word's spellings with and
/// without ё are one word to the writer: it ranks by the closer of the two, and shows first
/// as the writer spells, with ё only if they typed one. Many writers never type ё (its key is
/// out of the way) and write "шол" or "ещо" for what they hear, so the е-spelling, right too,
/// is their convention unless the typing shows otherwise. The other spelling comes after
/// every other word: it fills one of the five slots only when nothing else would.
fn one_spelling_each(
    scored: Vec<(f32, usize, String)>,
    folds_yo: bool,
    typed_yo: bool,
) -> Vec<String> {
    let word_of = |c: &str| match folds_yo {
        true => typo::without_yo(c).into_owned(),
        false => c.to_string(),
    };
    let mut best: HashMap<String, (f32, usize)> = HashMap::new();
    for (nats, i, c) in &scored {
        let b = best.entry(word_of(c)).or_insert((*nats, *i));
        if (*nats, *i) < *b {
            *b = (*nats, *i);
        }
    }
    // (the word's cost, its order found, against the writer's convention, spelling)
    let mut order: Vec<(f32, usize, bool, String)> = scored
        .into_iter()
        .map(|(_, _, c)| {
            let (nats, i) = best[&word_of(&c)];
            (nats, i, c.contains(['ё', 'Ё']) != typed_yo, c)
        })
        .collect();
    order.sort_by(|a, b| {
        (a.0.total_cmp(&b.0))
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let (mut words, mut seen) = (HashSet::new(), HashSet::new());
    let (mut firsts, mut twins) = (Vec::new(), Vec::new());
    for (.., c) in order {
        if !seen.insert(c.clone()) {
            continue;
        }
        if words.insert(word_of(&c)) {
            firsts.push(c);
        } else {
            twins.push(c);
        }
    }
    firsts.extend(twins);
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error model alone (no word frequencies), Hunspell's order as the tie-break.
    fn rerank(word: &str, candidates: Vec<String>) -> Vec<String> {
        rank(word, "en", None, candidates, Vec::new())
    }

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
    fn rank_prefers_typing_slips() {
        let c = vec!["receipt".into(), "recipe".into(), "Recife".into()];
        assert_eq!(rerank("recipt", c)[0], "receipt");
        let c = vec!["tea".into(), "the".into()];
        assert_eq!(rerank("teh", c)[0], "the");
        let us = typo::layout("en");
        assert!(typo::distance(&['a'], &['s'], us) < typo::distance(&['a'], &['p'], us));
    }

    fn ranked(word: &str, lang: &str, hunspell: &[&str], extra: &[&str]) -> Vec<String> {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        rank(word, lang, Prior::for_lang(lang), v(hunspell), v(extra))
    }

    #[test]
    fn a_frequent_word_wins_over_a_rare_one_at_equal_cost() {
        // One inserted letter either way: "which" is far commoner than "witch".
        assert_eq!(ranked("wich", "en", &["witch", "which"], &[])[0], "which");
        assert_eq!(ranked("thier", "en", &["tier", "their"], &[])[0], "their");
        // Without a prior, Hunspell's order decides the tie (a left-out vowel, either way).
        assert_eq!(rerank("ct", vec!["cut".into(), "cat".into()])[0], "cut");
        assert_eq!(rerank("ct", vec!["cat".into(), "cut".into()])[0], "cat");
        // Unless one sounds like what was typed: "wh" is said "w".
        assert_eq!(
            rerank("wich", vec!["witch".into(), "which".into()])[0],
            "which"
        );
        // Frequency does not beat a much closer spelling.
        assert_eq!(
            ranked("recieve", "en", &["receive"], &["relieve", "recede"])[0],
            "receive"
        );
    }

    #[test]
    fn polish_dropped_diacritics_cost_little() {
        assert_eq!(
            ranked("zamowienie", "pl", &["zamawianie", "zamówienie"], &[])[0],
            "zamówienie"
        );
        assert_eq!(
            ranked("dziekujemy", "pl", &[], &["dziękujemy", "dziergujemy"])[0],
            "dziękujemy"
        );
        // ó for u, ż for rz: the writer knew the sound.
        assert!(typo::language_distance("morze", "może", "pl") < 1.0);
        assert!(typo::language_distance("ktury", "który", "pl") < 1.0);
    }

    #[test]
    fn polish_name_endings_after_an_apostrophe() {
        assert_eq!(
            ranked("Shakespeara", "pl", &["Shakespeare"], &["Shakespeare'a"])[0],
            "Shakespeare'a"
        );
    }

    #[test]
    fn turkish_dotless_i_and_cedillas_cost_little() {
        assert_eq!(
            ranked("yardimci", "tr", &["yardımı", "yardımcı"], &[])[0],
            "yardımcı"
        );
        assert_eq!(
            ranked("musteri", "tr", &["masteri", "müşteri"], &[])[0],
            "müşteri"
        );
    }

    #[test]
    fn russian_unstressed_vowels_and_silent_consonants() {
        assert_eq!(
            ranked("здраствуйте", "ru", &[], &["здравствуйте"])[0],
            "здравствуйте"
        );
        assert_eq!(
            ranked("харошо", "ru", &["хорошо", "харош"], &[])[0],
            "хорошо"
        );
        assert!(typo::language_distance("сонце", "солнце", "ru") < 1.0);
    }

    #[test]
    fn russian_yo_follows_the_writer() {
        // Typed о for ё: the word ranks by its ё-spelling, closer, but shows as the writer
        // spells, without ё; its twin comes after a different word.
        assert_eq!(
            ranked("шол", "ru", &["шелк", "шел"], &["шёл"]),
            ["шел", "шелк", "шёл"]
        );
        assert_eq!(ranked("ище", "ru", &["ещё", "еще"], &[])[0], "еще");
        assert_eq!(ranked("ещ", "ru", &["ещё", "еще"], &[])[0], "еще");
        // A writer who types ё gets it.
        assert_eq!(ranked("ищё", "ru", &["еще", "ещё"], &[])[0], "ещё");
        assert_eq!(ranked("ёщ", "ru", &["еще", "ещё"], &[])[0], "ещё");
        // A ё-word costs what its е-spelling costs in the table.
        let ru = Prior::for_lang("ru").unwrap();
        assert_eq!(ru.cost("ещё"), ru.cost("еще"));
    }

    #[test]
    fn nosuggest_words_are_never_offered() {
        assert!(is_offensive("Shitty") && is_offensive("fucking") && is_offensive("nigger"));
        assert!(!is_offensive("shift") && !is_offensive("cocoon") && !is_offensive("sparkle"));
    }

    #[test]
    fn the_first_letter_is_seldom_wrong() {
        let us = typo::layout("en");
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(
            typo::distance(&c("bat"), &c("bet"), us) < typo::distance(&c("bat"), &c("cat"), us)
        );
    }
}
