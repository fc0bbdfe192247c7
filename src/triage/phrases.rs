//! Where a lexicon's phrases stand in a text: idioms ("can't wait", "nothing but") and the
//! phrases of care cues ("never arrived"). Each word's entry lists the phrases that start
//! with it, so a text is read once, and only the words that start a phrase look ahead.

use super::lexicon::{matches, Entry, Lexicon, PhraseOf};
use super::tokens::{Kind, Token, Tokens};

/// A phrase found: what it stands for (a place in the lexicon's `cues` or `idioms`), its
/// first token and how many tokens it covers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub of: usize,
    pub at: usize,
    pub len: usize,
}

impl Span {
    fn overlaps(&self, other: &Span) -> bool {
        self.at < other.at + other.len && other.at < self.at + self.len
    }
}

/// The phrases of a text, made only when one matches: most texts hold none.
#[derive(Debug, Default)]
pub struct Found {
    /// Idioms, in text order, none overlapping another.
    pub idioms: Vec<Span>,
    /// Care-cue phrases outside every idiom: an idiom's words count only through it, so
    /// "broken heart" raises no "broken" cue and "never again" no "repeat".
    pub cues: Vec<Span>,
    /// Politeness formulas and mock praise: the longest starting at each word (of equals,
    /// the last in the file); they may overlap idioms and each other.
    pub stocks: Vec<Span>,
}

/// The phrases in `toks`; `found` is what the lexicon says about each token
/// (`Tokens::found_in`). Of idioms that overlap, the first wins, and of two starting on the
/// same word the longer.
pub fn find(toks: &Tokens, lex: &Lexicon, found: &[Option<&Entry>]) -> Found {
    let t = &toks.toks;
    let mut out = Found::default();
    for (i, tok) in t.iter().enumerate() {
        if !lex.after_number.is_empty() && tok.word.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(span) = after_number(t, lex, i) {
                out.cues.push(span);
            }
        }
        let phrases = match (tok.kind == Kind::Word, found[i]) {
            (true, Some(e)) if !e.phrases.is_empty() => &e.phrases,
            _ => continue,
        };
        for p in phrases {
            let follows = p.rest.iter().enumerate().all(|(k, pat)| {
                t.get(i + 1 + k)
                    .is_some_and(|n| n.kind == Kind::Word && matches(pat, &n.word))
            });
            if !follows {
                continue;
            }
            let len = 1 + p.rest.len();
            match p.of {
                PhraseOf::Cue(of) => out.cues.push(Span { of, at: i, len }),
                PhraseOf::Stock(of) => {
                    let span = Span { of, at: i, len };
                    match out.stocks.last_mut() {
                        Some(last) if last.at == i => {
                            if (len, of) > (last.len, last.of) {
                                *last = span;
                            }
                        }
                        _ => out.stocks.push(span),
                    }
                }
                PhraseOf::Idiom(of) => {
                    let span = Span { of, at: i, len };
                    match out.idioms.last_mut() {
                        Some(last) if last.at == i && last.len < len => *last = span,
                        Some(last) if last.overlaps(&span) => {}
                        _ => out.idioms.push(span),
                    }
                }
            }
        }
    }
    if !out.idioms.is_empty() {
        let idioms = &out.idioms;
        out.cues.retain(|c| !idioms.iter().any(|i| i.overlaps(c)));
    }
    out
}

/// The first cue phrase of `lex.after_number` that the number at `i` starts: its words
/// follow the number ("10 minut"), the first of them also written onto it ("200zł",
/// "10-minutowa").
fn after_number(t: &[Token], lex: &Lexicon, i: usize) -> Option<Span> {
    let joined = (t[i].word).trim_start_matches(|c: char| c.is_ascii_digit() || ".,-".contains(c));
    // Where the phrase's words start: on the number itself, or after it.
    let from = if joined.is_empty() { i + 1 } else { i };
    let word = |k: usize| match k == i {
        true => Some(joined),
        false => t.get(k).filter(|n| n.kind == Kind::Word).map(|n| &*n.word),
    };
    lex.after_number.iter().find_map(|p| {
        let PhraseOf::Cue(of) = p.of else {
            return None;
        };
        let follows = (p.rest.iter().enumerate())
            .all(|(k, pat)| word(from + k).is_some_and(|w| matches(pat, w)));
        follows.then(|| Span {
            of,
            at: i,
            len: from - i + p.rest.len(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::lexicon::{parse, Lexicons};
    use crate::triage::tokens::tokenize;

    fn spans(src: &str, text: &str) -> Found {
        let lex = parse(src).unwrap();
        let toks = tokenize(text, "en", &Lexicons::default());
        find(&toks, &lex, &toks.found_in(&lex))
    }

    #[test]
    fn the_longer_of_two_idioms_on_one_word_wins_and_overlaps_are_dropped() {
        let src = "[phrases]\nno doubt 0\nno doubt about it 1\ndoubt about 2\n";
        let f = spans(src, "no doubt about it");
        assert_eq!(
            f.idioms,
            vec![Span {
                of: 1,
                at: 0,
                len: 4
            }]
        );
        let f = spans(src, "I doubt about no doubt");
        assert_eq!(f.idioms.len(), 2, "{f:?}");
    }

    #[test]
    fn a_cue_phrase_inside_an_idiom_is_not_a_cue() {
        let src = "[cues]\nbroken 0.5 = broken\n[phrases]\nbroken heart -2.9\n";
        assert!(spans(src, "a broken heart").cues.is_empty());
        assert_eq!(spans(src, "a broken phone").cues.len(), 1);
    }

    #[test]
    fn stock_phrases_keep_the_longest_at_each_word_and_may_overlap() {
        let src = "[formulas]
thank*
thank you
[mock_praise]
great service
[phrases]
                   thank you so much 2
";
        let f = spans(src, "thank you so much, great service");
        let at = |s: &Span| (s.of, s.at, s.len);
        assert_eq!(
            f.stocks.iter().map(at).collect::<Vec<_>>(),
            [(1, 0, 2), (2, 5, 2)]
        );
        // An idiom over the same words does not hide them.
        assert_eq!(f.idioms.len(), 1);
        // Of two of one length on one word, the last in the file.
        let f = spans(
            "[formulas]
thanks
[mock_praise]
thank*
",
            "thanks",
        );
        assert_eq!(f.stocks.iter().map(at).collect::<Vec<_>>(), [(1, 0, 1)]);
    }
}
