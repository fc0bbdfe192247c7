//! Care cues: what generic sentiment misses and a care team acts on (refund, broken, never
//! arrived, cancel, legal, safety, outage, repeated contact, an open question). The phrases
//! live in each language's lexicon file; a cue counts once per post.

use super::lexicon::{matches, Entry, Lexicon};
use super::tokens::{Kind, Tokens};
use crate::model::Cue;

/// A question left hanging is worth answering sooner, in every language.
const QUESTION: f32 = 0.2;

pub fn find(toks: &Tokens, lex: &Lexicon) -> Vec<Cue> {
    find_in(toks, lex, &toks.found_in(lex))
}

/// As `find`, with what `lex` says about each token (`Tokens::found_in`).
pub fn find_in(toks: &Tokens, lex: &Lexicon, found: &[Option<&Entry>]) -> Vec<Cue> {
    let t = &toks.toks;
    // Made only when a phrase matches: most texts raise no cue.
    let mut hit: Vec<bool> = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        if tok.kind != Kind::Word {
            continue;
        }
        let phrases = found[i].map_or(&[][..], |e| &e.phrases);
        for p in phrases {
            let follows = p.rest.iter().enumerate().all(|(k, pat)| {
                t.get(i + 1 + k)
                    .is_some_and(|n| n.kind == Kind::Word && matches(pat, &n.word))
            });
            if follows {
                hit.resize(lex.cues.len(), false);
                hit[p.cue] = true;
            }
        }
    }
    let mut out: Vec<Cue> = lex
        .cues
        .iter()
        .zip(hit)
        .filter(|(_, h)| *h)
        .map(|(c, _)| Cue {
            tag: c.tag.to_string(),
            weight: c.weight,
        })
        .collect();
    if toks.questions > 0 {
        out.push(Cue {
            tag: "question".into(),
            weight: QUESTION,
        });
    }
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    out
}

/// The weights together, capped at 1: three mild cues do not outweigh one legal threat by much.
pub fn total(cues: &[Cue]) -> f32 {
    cues.iter().map(|c| c.weight).sum::<f32>().min(1.0)
}
