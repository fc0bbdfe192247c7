//! Pure triage: which language, how negative, which care cues, and where it ranks. No I/O,
//! no clocks.

pub mod cues;
pub mod eval;
pub mod lang;
pub mod lexicon;
pub mod model;
pub mod phrases;
pub mod priority;
pub mod sentiment;
pub mod spike;
pub mod tokens;

pub use priority::{explain, RankKey};

use crate::model::{Cue, Sentiment};

/// What triage says about one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub lang: String,
    pub sentiment: Sentiment,
    pub cues: Vec<Cue>,
}

/// Share of Cyrillic among letters, counted on bytes: Cyrillic letters lead with 0xD0/0xD1 in
/// UTF-8, which is much cheaper than decoding every character. Counted with arithmetic
/// alone (no branches, no table), in blocks small enough for 8-bit counters, so that the
/// loop runs on many bytes at once.
fn cyrillic_share(text: &str) -> f32 {
    let (mut cyr, mut all) = (0usize, 0usize);
    for block in text.as_bytes().chunks(255) {
        let (mut c8, mut a8) = (0u8, 0u8);
        for &b in block {
            let cyrillic = b & 0xFE == 0xD0;
            // Latin-1 and Extended-A letters (ą, ş, é…) lead with 0xC3–0xC5.
            let ascii_letter = (b | 0x20).wrapping_sub(b'a') < 26;
            let letter = ascii_letter | cyrillic | (b.wrapping_sub(0xC3) < 3);
            c8 += u8::from(cyrillic);
            a8 += u8::from(letter);
        }
        cyr += usize::from(c8);
        all += usize::from(a8);
    }
    if all == 0 {
        0.5
    } else {
        cyr as f32 / all as f32
    }
}

/// Tokens in a short text (most posts): per-token scratch space that fits stays on the stack.
const SHORT_TEXT: usize = 64;

/// `n` slots set to `fill`: in `stack` when they fit (most texts are short), else in `heap`.
/// Spares an allocation per text.
fn scratch<'s, T: Copy, const N: usize>(
    stack: &'s mut [T; N],
    heap: &'s mut Vec<T>,
    n: usize,
    fill: T,
) -> &'s mut [T] {
    if n <= N {
        let slots = &mut stack[..n];
        slots.fill(fill);
        slots
    } else {
        heap.clear();
        heap.resize(n, fill);
        heap
    }
}

/// The language to score in: the declared one unless the script contradicts it (clients
/// often tag every post with the interface language), else what detection says.
pub fn choose_lang(text: &str, declared: Option<&str>) -> String {
    if let Some(d) = declared.filter(|d| !d.is_empty() && *d != "und") {
        let cyrillic_lang = matches!(d, "ru" | "bg" | "uk");
        let share = cyrillic_share(text);
        let contradicts = (cyrillic_lang && share < 0.2) || (!cyrillic_lang && share > 0.8);
        if !contradicts {
            return d.to_string();
        }
    }
    lang::detect(text).to_string()
}

/// Language, sentiment and cues of `text`; `lang` is what the source declared, if anything.
pub fn analyse(text: &str, lang: Option<&str>) -> Analysis {
    let lexs = lexicon::lexicons();
    let lang = choose_lang(text, lang);
    let toks = tokens::tokenize(text, &lang, lexs);
    if let Some(lex) = lexs.get(&lang) {
        let (mut stack, mut heap) = ([None; SHORT_TEXT], Vec::new());
        let found = scratch(&mut stack, &mut heap, toks.toks.len(), None);
        toks.find_in(lex, found);
        let phrases = phrases::find(&toks, lex, found);
        let (cues, in_cue) = cues::find_in(&toks, lex, found, &phrases.cues);
        let sentiment = sentiment::score_found(&toks, lex, found, &in_cue, &phrases, &cues);
        return Analysis {
            lang,
            sentiment,
            cues,
        };
    }
    // Unknown language: the cues of every language we know (they rarely collide), scored
    // with the lexicon that recognises the most words.
    let mut cues: Vec<Cue> = Vec::new();
    let mut per_lexicon = Vec::with_capacity(lexs.langs.len());
    for (_, lex) in &lexs.langs {
        let found = toks.found_in(lex);
        let phrases = phrases::find(&toks, lex, &found);
        let (found_cues, in_cue) = cues::find_in(&toks, lex, &found, &phrases.cues);
        for c in found_cues {
            if !cues.iter().any(|x| x.tag == c.tag) {
                cues.push(c);
            }
        }
        per_lexicon.push((found, in_cue, phrases));
    }
    let sentiment = match sentiment::best_lexicon(per_lexicon.iter().map(|(f, _, _)| &f[..])) {
        Some(at) => {
            let (found, in_cue, phrases) = &per_lexicon[at];
            sentiment::score_found(&toks, &lexs.langs[at].1, found, in_cue, phrases, &cues)
        }
        None => sentiment::neutral(),
    };
    Analysis {
        lang,
        sentiment,
        cues,
    }
}

/// Sentiment alone, language detected.
pub fn score(text: &str) -> Sentiment {
    analyse(text, None).sentiment
}
