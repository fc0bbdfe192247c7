//! A rule-based scorer in the manner of VADER, per language: word valences (stems for
//! inflected languages), negation before (or, in Turkish, after) a word, intensifiers and
//! diminishers, contrast ("but" weakens what came before and strengthens what follows),
//! words in capitals, shouting, "!!!", elongation, emoji and emoticons. Every step that moves
//! the score leaves a `Reason`.

use compact_str::{format_compact, CompactString};

use super::lexicon::{Entry, Idiom, Lexicon, Stock};
use super::phrases::{Found, Span};
use super::tokens::{squeeze, Kind, Token, Tokens};
use super::SHORT_TEXT;
use crate::model::{Cue, Label, Reason, Sentiment};

/// Symbols that mark what surrounds them as sarcastic, and what that does to praise.
const SARCASM: &[&str] = &["🙄", "🙃", "😒"];
/// The shortest past-tense verb whose ending makes it a duty: "dał", "był" are too short
/// to tell from other words.
const MIN_DUTY_VERB: usize = 4;
/// The shortest remainder a negating prefix ("nie-") turns.
const MIN_NEGATED_REST: usize = 4;
/// How far back negators and boosters reach.
const SCOPE: usize = 3;

/// The weights of the rules, in one place: what each step adds to a word's valence or to
/// the text's sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// VADER's constants: how much a word in capitals moves a valence away from zero…
    pub caps_boost: f32,
    /// …what a negation multiplies it by…
    pub negation: f32,
    /// …what each "!" (up to four) adds to the text's sum…
    pub exclaim: f32,
    /// …and what a drawn-out word ("sooo") adds to its valence.
    pub elongation: f32,
    /// VADER's "?" amplifier: per mark for two or three, capped beyond.
    pub question: f32,
    pub questions_max: f32,
    /// Shouting (most letters in capitals) in a negative text reads as anger.
    pub shouting: f32,
    /// What sarcasm (`SARCASM`, scare quotes, mock praise in a complaint) multiplies praise by.
    pub sarcasm_flip: f32,
    /// A negation that turned no sentiment word: "not delivered", "nie działa" is a complaint
    /// as plain as a negative word, so it weighs about as much as a mild-to-moderate one
    /// (−1.4 after the negativity bias).
    pub lone_negation: f32,
    /// What a negator adds to a word that its own suffix already negates (VADER's booster step).
    pub negator_stress: f32,
    /// A negated negative word shifts toward the positive by a fixed step rather than flipping
    /// whole: "not bad" is mild praise, but "not the worst" or a negated vulgarity ("bi bok
    /// olmaz") is no praise at all. SO-CAL's shift negation (Taboada et al. 2011: 4 on a ±5
    /// scale, here on VADER's ±4); a weak word flips as VADER flips it, whichever is less.
    pub negated_shift: f32,
    /// A negation denies what was expected (Givón, "Negation in language", 1978): denying a duty
    /// of the service ("nie zbadał", "nie odpowiada", "nie wytłumaczył") is a complaint half as
    /// strong again as a negation that turns nothing or a word of praise.
    pub failed_duty: f32,
    /// Valence of a care cue of weight 1.
    pub cue_valence: f32,
    /// Negative evidence weighs more than positive ("bad is stronger than good"): SO-CAL's
    /// weight for negative expressions (Taboada et al., Computational Linguistics 37(2), 2011).
    pub negativity_bias: f32,
    /// An open question leans toward a complaint: it orders texts that say nothing else ahead of
    /// plain statements, but alone stays well inside the neutral band (score ≈ −0.026).
    pub open_question: f32,
    /// A post that shares a link mostly relays the news it links to: the negative words in it
    /// count half (as the clause before a "but"), its care cues in full.
    pub relayed: f32,
    /// A post that says nothing of its own but shares a link relays what it links to (news, an
    /// offer): it leans away from a complaint as an open question leans toward one, and alone
    /// stays as well inside the neutral band (score ≈ 0.026).
    pub relayed_lean: f32,
    /// Normalisation: score = sum / sqrt(sum² + alpha).
    pub alpha: f32,
    /// At or below this the label is negative, at or above its opposite positive (VADER's
    /// customary ±0.05).
    pub threshold: f32,
}

/// The weights every text is scored with.
pub const PARAMS: Params = Params {
    caps_boost: 0.733,
    negation: -0.74,
    exclaim: 0.292,
    elongation: 0.3,
    question: 0.18,
    questions_max: 0.96,
    shouting: -0.8,
    sarcasm_flip: -0.5,
    lone_negation: -0.95,
    negator_stress: 0.293,
    negated_shift: 3.2,
    failed_duty: 1.5,
    cue_valence: 2.0,
    negativity_bias: 1.5,
    open_question: -0.1,
    relayed: 0.5,
    relayed_lean: 0.1,
    alpha: 15.0,
    threshold: 0.05,
};
const P: Params = PARAMS;

/// A word's valence, trying squeezed forms of an elongated word ("sooo" → "soo" → "so"),
/// then a negating prefix: Polish writes "nie" together with adjectives, adverbs and
/// nouns, so "nieładny" is "ładny" negated. `found` is what the lexicon says about `w`.
fn valence(lex: &Lexicon, w: &str, found: Option<&Entry>, elongated: bool) -> Option<f32> {
    if let Some(v) = lookup(lex, w, found) {
        return Some(v);
    }
    if elongated {
        for keep in [2, 1] {
            let squeezed = squeeze(w, keep);
            if let Some(v) = lookup(lex, &squeezed, lex.entry(&squeezed)) {
                return Some(v);
            }
        }
    }
    lex.negating_prefixes.iter().find_map(|p| {
        let rest = w.strip_prefix(&**p)?;
        // Short remainders are other words ("niemy", "niech"), not negations.
        if rest.chars().count() < MIN_NEGATED_REST {
            return None;
        }
        let (v, _) = lex.entry(rest)?.valence?;
        Some(v * P.negation)
    })
}

/// A word's valence. Where verbs are negated by a suffix (Turkish), a stem followed by a
/// negated ending is turned as a negation would turn it: "beğen*" in "beğen-medim",
/// "kazan*" in "kazan-amadık". A stem that itself ends in the negation ("beğenme*") keeps its
/// own valence. `found` is what the lexicon says about `w`.
fn lookup(lex: &Lexicon, w: &str, found: Option<&Entry>) -> Option<f32> {
    let (v, n) = found?.valence?;
    if negated_after_stem(lex, w, n) {
        return Some(v * P.negation);
    }
    Some(v)
}

/// Whether what follows the stem `w[..n]` negates it: a negated verb ending ("kazan-amadık")
/// or a negation right after the stem, whatever endings follow it ("beğen-mediğim",
/// "sev-meyen", "güven-emem").
fn negated_after_stem(lex: &Lexicon, w: &str, n: usize) -> bool {
    let rest = &w[n..];
    !rest.is_empty() && (lex.negative_suffixes.ends(rest) || lex.negates_stem(rest))
}

/// A contribution to the score with the negativity bias applied.
fn weigh(v: f32) -> f32 {
    if v < 0.0 {
        v * P.negativity_bias
    } else {
        v
    }
}

fn is_word(t: &Token) -> bool {
    t.kind == Kind::Word
}

/// What a token is to the rules, looked up once per token.
#[derive(Debug, Clone, Copy, Default)]
struct Role {
    negator: bool,
    post_negator: bool,
    question_particle: bool,
    contrast: bool,
    booster: Option<f32>,
    /// A topic word and a frame that makes one a topic: see `framed_topic`.
    topic: bool,
    frame: bool,
    /// A duty of a service: see `P.failed_duty`.
    duty: bool,
    /// Opens a conceded clause: see `Clauses`.
    concessive: bool,
    /// A need: see `denies_need`.
    need: bool,
    /// A sentence adverb ("niestety"): no negation turns it.
    disjunct: bool,
    /// A verb negated by its suffix (Turkish "gelmedi") with no valence of its own.
    negated_form: bool,
    /// A word with a valence that carries its own negative suffix (Turkish "beğenmedim").
    suffix_negated: bool,
    /// Negators and contrast words steer others and carry no valence of their own.
    /// (Intensifiers may: "ужасно" is both "awfully" and "awful".)
    valence: Option<f32>,
}

/// `found`: what the lexicon says about the token.
fn role(lex: &Lexicon, t: &Token, found: Option<&Entry>) -> Role {
    match t.kind {
        Kind::Symbol(v) => Role {
            valence: Some(v),
            ..Role::default()
        },
        Kind::Stop => Role::default(),
        Kind::Word => {
            let r = word_role(lex, &t.word, found, t.elongated);
            // Turkish typed in capitals without Turkish letters: the Turkish lowercasing
            // reads "IYI DEGIL" as "ıyı degıl"; a word that says nothing so is read dotted.
            if r.is_blank() && t.raw.contains('I') && t.word.contains('ı') {
                let dotted = t.word.replace('ı', "i");
                return word_role(lex, &dotted, lex.entry(&dotted), t.elongated);
            }
            r
        }
    }
}

fn word_role(lex: &Lexicon, w: &str, found: Option<&Entry>, elongated: bool) -> Role {
    let st = found.and_then(|e| e.steer).unwrap_or_default();
    let mut r = Role {
        negator: st.negator,
        post_negator: st.post_negator,
        question_particle: st.question_particle,
        contrast: st.contrast,
        booster: st.booster,
        topic: st.topic,
        frame: st.frame,
        // The ending first: most languages have none, and counting characters costs.
        duty: st.duty || (lex.duty_endings.ends(w) && w.chars().count() >= MIN_DUTY_VERB),
        concessive: st.concessive,
        need: st.need,
        disjunct: st.disjunct,
        negated_form: false,
        suffix_negated: false,
        valence: None,
    };
    if !(r.negator || r.post_negator || r.contrast || r.concessive) {
        r.valence = valence(lex, w, found, elongated);
        let suffix = lex.negative_suffixes.ends(w);
        r.negated_form = suffix && r.valence.is_none();
        // Negated after a stem: "güven-mediğim" has a valence ("güven*") and is negated;
        // "beğen-mediğim" is listed negated ("beğenme*", negative) and carries it inside.
        let after_stem = (found.and_then(|e| e.valence)).is_some_and(|(v, n)| {
            negated_after_stem(lex, w, n) || (v < 0.0 && lex.negated_inside(w))
        });
        r.suffix_negated = (suffix || after_stem) && r.valence.is_some();
    }
    r
}

impl Role {
    /// Nothing: no valence, no steering, no negation.
    fn is_blank(&self) -> bool {
        !(self.negator
            || self.post_negator
            || self.contrast
            || self.concessive
            || self.negated_form
            || self.frame)
            && self.booster.is_none()
            && self.valence.is_none()
    }
}

/// Whether the author shows a stance of their own: a word of theirs ("I", "your", "спасибо",
/// `Voice::stance`), "!" or "?", an emoji or emoticon, a word drawn out ("sooo").
fn shows_stance(toks: &Tokens, found: &[Option<&Entry>]) -> bool {
    toks.exclaims > 0
        || toks.questions > 0
        || (toks.toks.iter().zip(found)).any(|(t, f)| match t.kind {
            Kind::Symbol(_) => true,
            Kind::Word => t.elongated || f.is_some_and(|e| e.voice.stance),
            Kind::Stop => false,
        })
}

/// Whether the negation at `k` is asked rather than said: followed by a question particle
/// it is a tag question or a suggestion ("güzel değil mi" — "nice, isn't it"; "olmaz mı" —
/// "why not"), which neither turns the word before it nor complains.
fn asks(t: &[Token], roles: &[Role], k: usize) -> bool {
    t.get(k + 1).is_some_and(|n| n.kind == Kind::Word) && roles[k + 1].question_particle
}

/// How far back a preposition or a remedy verb reaches to a topic word: over one modifier
/// ("z silnym bólem", "rozwiązał mój problem").
const FRAME_REACH: usize = 2;

/// Whether the word at `i` names a condition or a problem as the topic of the text rather
/// than a judgement of it: the complement of a preposition ("przyszłam z bólem", "lek na
/// grypę": what one came with, what a thing is for) or the object of a remedy verb ("pomógł
/// mi z bólem", "wyleczył zapalenie": the harm removed, a polarity shifter as in Schulder et
/// al., IJCNLP 2017). The frame stands within `FRAME_REACH` words before it, in the same
/// sentence, and is not negated itself: "nie pomógł na ból" is still about the pain.
fn framed_topic(t: &[Token], roles: &[Role], i: usize) -> bool {
    let before = |at: usize, reach: usize| {
        (1..=reach.min(at))
            .map(move |d| at - d)
            .take_while(|&j| t[j].kind != Kind::Stop)
    };
    roles[i].topic
        && before(i, FRAME_REACH)
            .any(|j| roles[j].frame && !before(j, SCOPE).any(|k| roles[k].negator))
}

/// The words of names in the text ("The Walking Dead", "Star Wars", "Światowa Organizacja
/// Zdrowia", "Дядо Мраз"): a capitalised word right after another, in a run of capitalised
/// words. A name's words name something and judge nothing.
/// The first word of a run may start a sentence, so it is read as a word ("Happy Birthday
/// Ronaldo", "Pozdrawiam Bogdan"), and a run ends before a word that may start one ("Prosport:
/// Кражба…"); all words of a text that capitalises two in three or more are read as words
/// too (Title Case says nothing of names). `None` when the text names nothing: most texts.
fn names(toks: &Tokens) -> Option<Vec<bool>> {
    let t = &toks.toks;
    let named = |i: usize| i > 0 && t[i].capital && !t[i].opens && t[i - 1].capital;
    if toks.capitals < 2 || !(1..t.len()).any(named) {
        return None;
    }
    let words = t.iter().filter(|x| x.kind == Kind::Word).count();
    if toks.capitals * 3 >= words * 2 {
        return None;
    }
    Some((0..t.len()).map(named).collect())
}

/// The stock phrase of politeness or praise (`Stock`) each token belongs to, from where they
/// stand (`phrases::Found::stocks`); empty when the text has none.
fn stock_phrases(lex: &Lexicon, tokens: usize, stocks: &[Span]) -> Vec<Option<Stock>> {
    let mut out = Vec::new();
    for s in stocks {
        out.resize(tokens, None);
        out[s.at..s.at + s.len].fill(Some(lex.stocks[s.of]));
    }
    out
}

/// What the clauses of a text weigh. "X but Y": X counts half, Y half again as much
/// (VADER). A concessive word opens a conceded clause, up to the next stop ("choć drogo",
/// "although slow"): it counts half wherever it stands, before the main clause or after it
/// ("drogo, ale warto" and "warto, choć drogo" say the same), as the subordinate clause
/// of a concession carries less of the writer's point than the main one (Quirk et al.,
/// "A Comprehensive Grammar of the English Language", 1985, §15.40).
#[derive(Debug, Clone, Copy, Default)]
struct Clauses {
    /// The first contrast word.
    contrast: Option<usize>,
    /// The first concessive word and the stop or end that closes its clause.
    conceded: Option<(usize, usize)>,
}

impl Clauses {
    fn find(t: &[Token], roles: &[Role]) -> Self {
        let contrast = roles.iter().position(|r| r.contrast);
        let conceded = roles.iter().position(|r| r.concessive).map(|c| {
            let end = (c + 1..t.len()).find(|&j| t[j].kind == Kind::Stop);
            (c, end.unwrap_or(t.len()))
        });
        Clauses { contrast, conceded }
    }

    /// What a contribution at `i` is multiplied by.
    fn weight(&self, i: usize) -> f32 {
        if self.conceded.is_some_and(|(c, end)| c < i && i < end) {
            return 0.5;
        }
        match self.contrast {
            Some(c) if i < c => 0.5,
            Some(c) if i > c => 1.5,
            _ => 1.0,
        }
    }

    /// Where the word that weighs the clauses stands, for the reason.
    fn word_at(&self) -> Option<usize> {
        self.contrast.or(self.conceded.map(|(c, _)| c))
    }
}

/// Whether the negator at `k` denies a need: "nie trzeba (było) czekać", "nie musiałam",
/// "nie było potrzeby". It says what was spared, no complaint of its own; it still turns a
/// sentiment word within its reach. Negators in a row deny it together ("nie musiałam nic
/// dopłacać").
fn denies_need(t: &[Token], roles: &[Role], k: usize) -> bool {
    let mut first = k;
    for j in (k.saturating_sub(SCOPE)..k).rev() {
        if t[j].kind == Kind::Stop {
            break;
        }
        if roles[j].negator {
            first = j;
        }
    }
    (first + 1..(k + 3).min(t.len()))
        .take_while(|&j| t[j].kind == Kind::Word)
        .any(|j| roles[j].need)
}

/// Negators that, with the word after them, negate nothing ("nie tylko": "not only", a
/// pseudo-negation in NegEx's sense, Chapman et al. 2001) are no negators there.
fn drop_pseudo_negations(lex: &Lexicon, t: &[Token], roles: &mut [Role]) {
    if lex.pseudo_negations.is_empty() {
        return;
    }
    for (i, pair) in t.windows(2).enumerate() {
        if roles[i].negator
            && (lex.pseudo_negations.iter())
                .any(|(n, w)| **n == *pair[0].word && **w == *pair[1].word)
        {
            roles[i].negator = false;
        }
    }
}

/// An idiom is one word to the rules: its valence stands on its first token, which words
/// before it negate or boost as they would a word ("not looking forward"), and its other
/// tokens carry nothing and steer nothing, so a negator or a "but" inside it ("nothing but
/// love", "no doubt the best") reaches nothing outside it.
/// An idiom that negates or contrasts does so from its last token, nearest to what it
/// steers.
fn read_idioms(lex: &Lexicon, idioms: &[Span], roles: &mut [Role]) {
    for s in idioms {
        roles[s.at..s.at + s.len].fill(Role::default());
        match lex.idioms[s.of].means {
            Idiom::Valence(v) => roles[s.at].valence = Some(v),
            Idiom::Negator => roles[s.at + s.len - 1].negator = true,
            Idiom::Contrast => roles[s.at + s.len - 1].contrast = true,
        }
    }
}

/// How the negator or contrast word at `j` reads in a reason: an idiom that steers from its
/// last token by its whole text ("should have … won", "mimo to"), a word by itself.
fn steering_text<'a>(lex: &'a Lexicon, t: &'a [Token], idioms: &[Span], j: usize) -> &'a str {
    let steers = |s: &&Span| !matches!(lex.idioms[s.of].means, Idiom::Valence(_));
    (idioms.iter())
        .filter(steers)
        .find(|s| s.at + s.len - 1 == j)
        .map_or(t[j].word.as_str(), |s| &lex.idioms[s.of].text)
}

/// Whether the word after the intensifier at `i`, in the same sentence, carries a valence.
fn boosts_a_word(t: &[Token], roles: &[Role], i: usize) -> bool {
    t.get(i + 1).is_some_and(is_word) && roles[i + 1].valence.is_some_and(|v| v != 0.0)
}

/// The sentiment of `toks` in the language of `lex`. `found`: what `lex` says about each
/// token (`Tokens::found_in`); `in_cue`: the tokens a care-cue phrase covers (empty when
/// none, see `cues::find_in`); `phrases`: where the idioms and stock phrases of `lex` stand
/// (`phrases::find`).
pub fn score_found(
    toks: &Tokens,
    lex: &Lexicon,
    found: &[Option<&Entry>],
    in_cue: &[bool],
    phrases: &Found,
    cues: &[Cue],
) -> Sentiment {
    let t = &toks.toks;
    let shouting = toks.letters >= 8 && toks.upper * 10 >= toks.letters * 7;
    // An eye-roll or an upside-down smile turns praise into sarcasm ("great, thanks 🙄").
    let sarcastic = t
        .iter()
        .any(|x| matches!(x.kind, Kind::Symbol(_)) && SARCASM.contains(&x.raw));
    let mut roles: Vec<Role> = (t.iter().zip(found))
        .map(|(x, &f)| role(lex, x, f))
        .collect();
    drop_pseudo_negations(lex, t, &mut roles);
    let idioms = &phrases.idioms;
    read_idioms(lex, idioms, &mut roles);
    let clauses = Clauses::find(t, &roles);
    let contrast_at = clauses.contrast;
    let stock = stock_phrases(lex, t.len(), &phrases.stocks);
    let names = names(toks);
    // Praise of a stock phrase waits until the text is known to complain or not: (token,
    // valence, reason, what it is).
    let mut stock_praise: Vec<(usize, f32, CompactString, Stock)> = Vec::new();
    // Negative evidence of the text's own: a negative word, a negation, a care cue.
    let mut complains = cues.iter().any(|c| c.tag != "question");
    // Asked only of texts that name an event.
    let mut stance: Option<bool> = None;
    // Negators that negated a sentiment word; the others are complaints of their own.
    let (mut used_stack, mut used_heap) = ([false; SHORT_TEXT], Vec::new());
    let used = super::scratch(&mut used_stack, &mut used_heap, t.len(), false);
    let mut reasons: Vec<Reason> = Vec::new();
    let mut sum = 0.0f32;
    // What the clauses' weights add to the plain sum.
    let mut shift = 0.0f32;

    for (i, tok) in t.iter().enumerate() {
        let mut v = match roles[i].valence {
            Some(v) if v != 0.0 && tok.kind != Kind::Stop => v,
            _ => continue,
        };
        // An intensifier of the word after it modifies that word and judges nothing itself
        // ("pretty good", "damn good", "freaking awesome"): its own valence is for when it
        // stands alone ("pretty", "damn!"). Intensifiers carry no polarity of their own in
        // SO-CAL (Taboada et al. 2011).
        if roles[i].booster.is_some() && boosts_a_word(t, &roles, i) {
            continue;
        }
        // Words of a care-cue phrase ("refund", "broken") are a complaint the cue already
        // counts: their own negative valence would count it twice and outweigh the thanks
        // of a customer whose refund came through.
        if v < 0.0 && in_cue.get(i).copied().unwrap_or(false) {
            continue;
        }
        // A condition one came with, or the harm a remedy removed, judges nobody.
        if v < 0.0 && framed_topic(t, &roles, i) {
            continue;
        }
        if names.as_ref().is_some_and(|n| n[i]) {
            continue;
        }
        // Named only once it counts: most words move nothing.
        let idiom = idioms.iter().find(|s| s.at == i);
        let mut what = match (idiom, &tok.kind) {
            (Some(s), _) => CompactString::from(&*lex.idioms[s.of].text),
            (None, Kind::Symbol(_)) => CompactString::from(tok.raw),
            (None, _) => tok.word.clone(),
        };
        if (sarcastic || tok.quoted) && v > 0.0 {
            // Praise in scare quotes ("very «efficient»") is sarcasm too.
            v *= P.sarcasm_flip;
            what = format_compact!("{what} (sarcasm)");
        }
        let sign = v.signum();
        if tok.caps && !shouting {
            v += sign * P.caps_boost;
            if idiom.is_none() {
                what = tok.raw.into();
            }
        }
        if tok.elongated {
            v += sign * P.elongation;
        }
        // Look back within the sentence for boosters and negators. An emoji comments on the
        // whole post: "ничего не навязывал 👍" does not negate the thumbs-up. Nor does a
        // sentence adverb stand in the scope of a negation beside it: it judges the clause,
        // negation and all ("nie polecam niestety", "не хватает к сожалению").
        let (behind, ahead) = if is_word(tok) { (SCOPE, 2) } else { (0, 0) };
        let negatable = !roles[i].disjunct;
        // Only negators follow what they turn.
        let ahead = if negatable { ahead } else { 0 };
        let mut negated = None;
        for d in 0..behind.min(i) {
            let (prev, r) = (&t[i - 1 - d], &roles[i - 1 - d]);
            if prev.kind == Kind::Stop {
                break;
            }
            if let Some(b) = r.booster {
                v += sign * b * [1.0, 0.95, 0.9][d];
                what = format_compact!("{} {what}", prev.word);
            }
            if r.negator && negatable {
                // Every negator in reach is spent on this word: Slavic negative concord
                // ("без никакви проблеми", "nie ma żadnych problemów") negates once.
                used[i - 1 - d] = true;
            }
            if negated.is_none() && r.negator && negatable {
                if roles[i].suffix_negated {
                    // Turkish "hiç beğenmedim": "hiç" stresses the verb's own negation
                    // rather than undoing it.
                    v += sign * P.negator_stress;
                    what = format_compact!("{} {what}", prev.word);
                } else {
                    negated = Some(steering_text(lex, t, idioms, i - 1 - d));
                }
            }
        }
        for k in i + 1..(i + 1 + ahead).min(t.len()) {
            if t[k].kind == Kind::Stop {
                break;
            }
            // A verb negated by its suffix right after a word negates it too: "sorun
            // yaşamadım" is "had no problem", not a problem plus a complaint.
            if roles[k].post_negator || (k == i + 1 && roles[k].negated_form) {
                used[k] = true;
                if asks(t, &roles, k) {
                    break;
                }
                negated = Some(t[k].word.as_str());
                what = format_compact!("{what} {}", t[k].word);
                break;
            }
        }
        if let Some(n) = negated {
            v = match v < 0.0 {
                true => (v * P.negation).min(v + P.negated_shift),
                false => v * P.negation,
            };
            if roles[i].duty {
                v *= P.failed_duty;
            }
            if !what.contains(n) {
                what = format_compact!("{n} … {what}");
            }
        }
        // "Regulator revokes Bank X's licence", "санкции против банка": an institutional event
        // named with nothing of the author's own in the text is news, not their complaint.
        // (Its negation, "без санкций", still counts.)
        if v < 0.0
            && idiom.is_none()
            && found[i].is_some_and(|e| e.voice.event)
            && !*stance.get_or_insert_with(|| shows_stance(toks, found))
        {
            continue;
        }
        // Praise after a contrast word is the point of the text ("geç geldi ama teşekkürler").
        if let Some(kind) = stock.get(i).copied().flatten() {
            if v > 0.0 && contrast_at.is_none_or(|c| i < c) {
                stock_praise.push((i, v, what, kind));
                continue;
            }
        }
        let v = weigh(v);
        complains |= v < 0.0;
        shift += v * (clauses.weight(i) - 1.0);
        sum += v;
        reasons.push(Reason {
            what,
            weight: v / 4.0,
        });
    }

    // "Not delivered", "nie działa", "gelmedi": a negation with no sentiment word to turn
    // is itself a mild complaint.
    // Negators in a row are one negation ("никто не позвонил", "nikt nie oddzwonił"). It
    // denies a duty when one of them stands right before one ("nikt mi nie odpowiedział").
    // The group so far: its last negator, its reason, whether it denies a duty.
    let mut group: Option<(usize, usize, bool)> = None;
    for (i, r) in roles.iter().enumerate() {
        if !(r.negator || r.post_negator || r.negated_form)
            || used[i]
            || asks(t, &roles, i)
            || denies_need(t, &roles, i)
        {
            continue;
        }
        let duty = roles.get(i + 1).is_some_and(|n| n.duty);
        let joined = group.filter(|&(l, _, _)| {
            i - l <= SCOPE && t[l + 1..i].iter().all(|x| x.kind != Kind::Stop)
        });
        if let Some((_, at, denies)) = joined {
            group = Some((i, at, denies || duty));
            if duty && !denies {
                let d = weigh(P.lone_negation * (P.failed_duty - 1.0));
                sum += d;
                reasons[at].weight += d / 4.0;
            }
            continue;
        }
        let v = weigh(P.lone_negation * if duty { P.failed_duty } else { 1.0 });
        sum += v;
        group = Some((i, reasons.len(), duty));
        let n = steering_text(lex, t, idioms, i);
        reasons.push(Reason {
            what: match duty {
                true => format_compact!("negation \"{n} {}\"", t[i + 1].word),
                false => format_compact!("negation \"{n}\""),
            },
            weight: v / 4.0,
        });
    }
    complains |= group.is_some();
    // Thanks and greetings in a complaint are ritual (Brown and Levinson's negative
    // politeness), not praise of the service; congratulating a service one complains of is
    // sarcasm. Alone they are what they say.
    for (i, mut v, mut what, kind) in stock_praise {
        if complains {
            match kind {
                Stock::Formula => continue,
                Stock::Mock => {
                    v *= P.sarcasm_flip;
                    what = format_compact!("{what} (sarcasm)");
                }
            }
        }
        let v = weigh(v);
        shift += v * (clauses.weight(i) - 1.0);
        sum += v;
        reasons.push(Reason {
            what,
            weight: v / 4.0,
        });
    }
    if let Some(at) = clauses.word_at().filter(|_| shift.abs() > 1e-6) {
        let word = steering_text(lex, t, idioms, at);
        sum += shift;
        reasons.push(Reason {
            what: format_compact!("contrast \"{word}\""),
            weight: shift / 4.0,
        });
    }
    if toks.links > 0 && sum < 0.0 {
        let d = -sum * (1.0 - P.relayed);
        sum += d;
        reasons.push(Reason {
            what: "shares a link (relays news)".into(),
            weight: d / 4.0,
        });
    }
    // A care cue (refund, broken, never arrived…) is a complaint even in polite words.
    for c in cues.iter().filter(|c| c.tag != "question") {
        // Not weighed by the negativity bias: P.cue_valence is already set as a complaint's
        // weight (the cue's own words no longer count, see `in_cue`).
        let v = -P.cue_valence * c.weight;
        sum += v;
        reasons.push(Reason {
            what: format_compact!("cue: {}", c.tag),
            weight: v / 4.0,
        });
    }
    if sum != 0.0 && toks.exclaims > 0 {
        let e = sum.signum() * P.exclaim * toks.exclaims.min(4) as f32;
        sum += e;
        reasons.push(Reason {
            what: "!".repeat(toks.exclaims.min(4)).into(),
            weight: e / 4.0,
        });
    }
    // VADER's question-mark rule: "??" and more strengthen whatever the text already says
    // ("still no refund???").
    if sum != 0.0 && toks.questions > 1 {
        let q = if toks.questions <= 3 {
            P.question * toks.questions as f32
        } else {
            P.questions_max
        };
        let e = sum.signum() * q;
        sum += e;
        reasons.push(Reason {
            what: "?".repeat(toks.questions.min(4)).into(),
            weight: e / 4.0,
        });
    }
    if shouting && sum < 0.0 {
        sum += P.shouting;
        reasons.push(Reason {
            what: "shouting (capitals)".into(),
            weight: P.shouting / 4.0,
        });
    }

    if sum == 0.0 && toks.links > 0 {
        sum += P.relayed_lean;
    }
    // After the amplifiers: a question says nothing about how strongly. No reason of its
    // own: the moderator sees it as the "question" cue.
    if toks.asks(found) {
        sum += P.open_question;
    }

    let score = squash(sum);
    let label = label_of(score);
    // Strongest first: what the moderator reads is what moved the score most.
    reasons.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    Sentiment {
        score,
        label,
        reasons,
    }
}

/// For a text in a language without a lexicon: of what each lexicon says about its tokens
/// (`Tokens::found_in`, one slice per lexicon), the place of the one that gives the most
/// words a valence, the last of equals.
pub fn best_lexicon<'e>(found: impl IntoIterator<Item = &'e [Option<&'e Entry>]>) -> Option<usize> {
    (found.into_iter().enumerate())
        .max_by_key(|(_, found)| {
            (found.iter())
                .filter(|f| f.is_some_and(|e| e.valence.is_some()))
                .count()
        })
        .map(|(at, _)| at)
}

/// A sum of weights into a score in (−1, 1).
pub fn squash(sum: f32) -> f32 {
    sum / (sum * sum + P.alpha).sqrt()
}

/// The sum a score came from (`squash` inverted), so that other evidence can be added on the
/// same scale; a score of ±1 (never produced) is held just inside.
pub fn unsquash(score: f32) -> f32 {
    let s = score.clamp(-0.999_999, 0.999_999);
    s * (P.alpha / (1.0 - s * s)).sqrt()
}

/// The label a score falls in.
pub fn label_of(score: f32) -> Label {
    if score <= -P.threshold {
        Label::Negative
    } else if score >= P.threshold {
        Label::Positive
    } else {
        Label::Neutral
    }
}

/// Nothing to score with.
pub fn neutral() -> Sentiment {
    Sentiment {
        score: 0.0,
        label: Label::Neutral,
        reasons: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Label;
    use crate::triage::analyse;

    fn s(text: &str, lang: &str) -> f32 {
        analyse(text, Some(lang)).sentiment.score
    }
    fn label(text: &str, lang: &str) -> Label {
        analyse(text, Some(lang)).sentiment.label
    }

    #[test]
    fn negation_per_language() {
        for (pos, neg, lang) in [
            ("I am happy", "I am not happy", "en"),
            ("jestem zadowolony", "nie jestem zadowolony", "pl"),
            ("я доволен", "я не доволен", "ru"),
            ("доволен съм", "не съм доволен", "bg"),
            ("hizmet iyi", "hizmet iyi değil", "tr"),
            ("я задоволений", "я не задоволений", "uk"),
        ] {
            assert!(s(pos, lang) > 0.0, "{pos}");
            assert!(s(neg, lang) < 0.0, "{neg}: {}", s(neg, lang));
        }
        // Turkish negates inside the verb.
        assert!(s("telefonu beğendim", "tr") > 0.0);
        assert!(s("telefonu beğenmedim", "tr") < 0.0);
        // …and a suffix-negated verb turns the complaint word before it.
        assert!(s("bir kere bile sorun yaşamadım", "tr") > 0.0);
        assert!(s("sorun yaşadım", "tr") < 0.0);
    }

    #[test]
    fn praise_in_scare_quotes_is_sarcasm() {
        for (text, lang) in [
            ("Прошло уже два часа. Очень «оперативно».", "ru"),
            ("Dzięki za \"szybką\" obsługę", "pl"),
            ("Thanks for the 'great' support", "en"),
        ] {
            let a = super::super::analyse(text, Some(lang)).sentiment;
            assert!(
                a.reasons.iter().any(|r| r.what.contains("(sarcasm)")),
                "{text}: {:?}",
                a.reasons
            );
        }
        // Quoted phrases and names are not sarcasm.
        let a = super::super::analyse("the \"Premium Care\" plan is great", Some("en")).sentiment;
        assert!(a.score > 0.0, "{:?}", a.reasons);
    }

    #[test]
    fn negators_in_a_row_are_one_complaint() {
        for (text, lang) in [
            ("никто не позвонил", "ru"),
            ("nikt nie oddzwonił", "pl"),
            ("никой не се обади", "bg"),
        ] {
            let a = super::super::analyse(text, Some(lang)).sentiment;
            let n = a
                .reasons
                .iter()
                .filter(|r| r.what.starts_with("negation"))
                .count();
            assert_eq!(n, 1, "{text}: {:?}", a.reasons);
            assert!(a.score < 0.0, "{text}");
        }
        // Two separate negations are two complaints.
        let a = super::super::analyse("nie działa. nikt nie zadzwonił", Some("pl")).sentiment;
        let n = a
            .reasons
            .iter()
            .filter(|r| r.what.starts_with("negation"))
            .count();
        assert_eq!(n, 2, "{:?}", a.reasons);
    }

    #[test]
    fn negative_concord_negates_once() {
        // Slavic double negation is one negation of the problem, not a complaint more.
        for (text, lang) in [
            ("без никакви проблеми", "bg"),
            ("нет никаких проблем", "ru"),
            ("nie było żadnych problemów", "pl"),
        ] {
            let a = super::super::analyse(text, Some(lang));
            assert!(a.sentiment.score > 0.0, "{text}: {:?}", a.sentiment);
            assert!(
                !a.sentiment
                    .reasons
                    .iter()
                    .any(|r| r.what.starts_with("negation")),
                "{text}: {:?}",
                a.sentiment.reasons
            );
        }
    }

    #[test]
    fn turkish_suffix_negation_of_a_stem() {
        // A positive stem with a negated ending is turned; a negative one too.
        assert!(s("maçı kazandık", "tr") > 0.0);
        assert!(s("maçı kazanamadık", "tr") < 0.0);
        assert!(s("hiç üzülmedim", "tr") > 0.0);
        // "hiç" stresses a verb that its suffix negates instead of undoing the negation.
        assert!(s("telefonu hiç beğenmedim", "tr") < s("telefonu beğenmedim", "tr"));
        assert!(s("hiç memnun değilim", "tr") < 0.0);
        // Capitals typed without Turkish letters: "IYI" is "iyi", not "ıyı".
        assert!(s("COK IYI", "tr") > 0.0);
        assert!(s("HIC IYI DEGIL", "tr") < 0.0);
    }

    #[test]
    fn turkish_negation_right_after_the_stem_whatever_follows() {
        // Participles and persons the verb endings alone do not list.
        for text in [
            "güvenmediğim bir firma",
            "kazanamayan takım",
            "size güvenemem",
            "hiç güvenmemiştim",
            // A negated stem the lexicon lists whole: "hiç" stresses it, not undoes it.
            "hiç beğenmediğim bir hizmet",
            "asla beğenmedim",
        ] {
            assert!(s(text, "tr") < 0.0, "{text}: {}", s(text, "tr"));
        }
        // The infinitive, the verbal noun and "must" are not negations.
        assert!(s("güvenmeye başladım", "tr") > 0.0);
        assert!(s("güvenmek istiyorum", "tr") > 0.0);
        // The rule is Turkish only: other languages have no such beginnings.
        assert!(super::super::lexicon::lexicons()
            .get("pl")
            .is_some_and(|l| l.stem_negations.is_empty()));
    }

    #[test]
    fn turkish_progressive_narrows_the_stem_vowel() {
        // "bekle*", "oyala*" are listed; the progressive writes "bekl-iyor", "oyal-ıyor".
        for text in ["3 gündür bekliyorum", "bizi oyalıyorsunuz", "oyaliyorsunuz"] {
            assert!(s(text, "tr") < 0.0, "{text}");
        }
    }

    #[test]
    fn turkish_colloquial_present_negation() {
        // Tweets drop the r of -mıyor: "gelmiyo" is "gelmiyor".
        for text in ["kargo gelmiyo", "paketi getirmiyolar", "güvenmiyoz"] {
            let a = analyse(text, Some("tr")).sentiment;
            assert!(a.score < 0.0, "{text}: {a:?}");
        }
    }

    #[test]
    fn the_words_of_a_name_judge_nothing() {
        let moved = |text: &str, lang: &str, word: &str| {
            let a = analyse(text, Some(lang)).sentiment;
            a.reasons.iter().any(|r| r.what.contains(word))
        };
        for (text, lang, word) in [
            ("catching up on The Walking Dead tomorrow", "en", "dead"),
            ("New Star Wars out tomorrow", "en", "wars"),
            (
                "playing the music of the Grateful Dead tonight",
                "en",
                "dead",
            ),
            ("dane Ministerstwa Zdrowia z tego roku", "pl", "zdrowia"),
            (
                "скелетът на елхата още седи, Дядо Мраз го няма",
                "bg",
                "мраз",
            ),
        ] {
            assert!(!moved(text, lang, word), "{text}");
        }
        // The first word of a run may start a sentence: it is read as a word, and so is a
        // word after a colon, a quotation mark or a handle ("Source: Worst Case Scenario").
        for (text, lang, word) in [
            ("Happy Birthday Ronaldo", "en", "happy"),
            ("CDC: Worst Case Scenario for the season", "en", "worst"),
            ("@bank Terrible Service again", "en", "terrible"),
            ("Pozdrawiam Bogdan", "pl", "pozdrawiam"),
            // A capital alone names nothing, nor does Title Case.
            ("the service was Terrible", "en", "terrible"),
            ("Trying To Shit The Pain Away", "en", "pain"),
            // A letter is no name: ": D Polecam" is a smiley and a new sentence.
            ("czuję się dobrze : D Polecam", "pl", "polecam"),
        ] {
            assert!(moved(text, lang, word), "{text}");
        }
    }

    #[test]
    fn a_sentence_adverb_is_not_negated() {
        // "Unfortunately" judges the clause it stands in, negation and all: the negation
        // beside it turns the verb, or complains by itself, and never the adverb.
        for (text, lang, adverb) in [
            ("Nie polecam niestety", "pl", "niestety"),
            ("Pani doktor nie była niestety w temacie", "pl", "niestety"),
            ("Выдержки не хватает к сожалению", "ru", "сожалению"),
            ("Kargo gelmedi maalesef", "tr", "maalesef"),
            ("It did not arrive unfortunately", "en", "unfortunately"),
            ("I can't make it sadly", "en", "sadly"),
        ] {
            let a = analyse(text, Some(lang)).sentiment;
            assert_eq!(a.label, Label::Negative, "{text}: {a:?}");
            assert!(
                (a.reasons.iter()).any(|r| r.what == adverb && r.weight < 0.0),
                "{text}: the adverb was negated: {a:?}"
            );
        }
        // A word of the same valence that is no sentence adverb is still turned.
        assert!(s("nie jest źle", "pl") > 0.0);
    }

    #[test]
    fn a_negation_asked_is_no_negation() {
        // "güzel değil mi": "nice, isn't it" is praise; "olmaz mı": "why not".
        assert!(s("çok güzel değil mi", "tr") > 0.0);
        assert!(s("çok güzel değil", "tr") < 0.0);
        let a = analyse("böyle olmaz mı", Some("tr")).sentiment;
        assert!(
            !a.reasons.iter().any(|r| r.what.starts_with("negation")),
            "{a:?}"
        );
        // Without the particle it is a complaint.
        let a = analyse("böyle olmaz", Some("tr")).sentiment;
        assert!(a.score < 0.0, "{a:?}");
    }

    #[test]
    fn every_form_of_a_lack_negates() {
        // "brak" declines: a lack of a virtue is a complaint in each case.
        for text in [
            "Lekarz z kompletnym brakiem kultury",
            "Zabrakło empatii",
            "Widać braki kompetencji",
            "Pozbawiony empatii lekarz",
        ] {
            assert_eq!(label(text, "pl"), Label::Negative, "{text}");
        }
    }

    #[test]
    fn a_negating_prefix_turns_the_rest_of_the_word() {
        // "ładny", "głupi", "polecam" are in the lexicon; their "nie-" forms are not.
        assert_eq!(label("zachował się nieładnie", "pl"), Label::Negative);
        assert_eq!(label("niegłupi pomysł", "pl"), Label::Positive);
        assert_eq!(label("niepolecam", "pl"), Label::Negative);
        // Only the remainder of a longer word is looked up ("niech" is not "ch" negated),
        // and the prefix is Polish only.
        assert_eq!(label("niech będzie", "pl"), Label::Neutral);
        assert_eq!(label("nieładnie", "en"), Label::Neutral);
    }

    #[test]
    fn a_negation_with_nothing_to_turn_is_a_complaint() {
        for (text, lang) in [
            ("the parcel was not delivered", "en"),
            ("paczka nie dotarła", "pl"),
            ("посылка не пришла", "ru"),
            ("пратката не е пристигнала", "bg"),
            ("kurye paketi getirmedi", "tr"),
        ] {
            let a = analyse(text, Some(lang)).sentiment;
            assert!(a.score < 0.0, "{text}: {a:?}");
            assert!(
                a.reasons.iter().any(|r| r.what.starts_with("negation")),
                "{text}"
            );
        }
        // …but a negation that turns a word is not counted twice.
        let a = analyse("nie jestem zadowolony", Some("pl")).sentiment;
        assert!(
            !a.reasons.iter().any(|r| r.what.starts_with("negation")),
            "{a:?}"
        );
    }

    #[test]
    fn even_so_weighs_the_clauses_as_but_does() {
        // "Mimo" alone concedes what it governs; "mimo to" puts the point after it.
        for (text, lang, phrase) in [
            ("Obsługa była miła, mimo to nie polecam", "pl", "mimo to"),
            (
                "Obsługa była miła, mimo wszystko nie polecam",
                "pl",
                "mimo wszystko",
            ),
            (
                "The staff were lovely, even so I would not recommend it",
                "en",
                "even so",
            ),
        ] {
            let a = analyse(text, Some(lang)).sentiment;
            assert_eq!(a.label, Label::Negative, "{text}: {a:?}");
            let contrast = format!("contrast \"{phrase}\"");
            assert!(
                a.reasons.iter().any(|r| r.what == contrast),
                "{text}: {a:?}"
            );
        }
    }

    #[test]
    fn but_also_adds_rather_than_contrasts() {
        for (text, lang) in [
            ("Lekarz nie tylko miły, ale też kompetentny", "pl"),
            ("Not only kind but also competent", "en"),
        ] {
            let a = analyse(text, Some(lang)).sentiment;
            assert!(
                !a.reasons.iter().any(|r| r.what.starts_with("contrast")),
                "{text}: {a:?}"
            );
            assert_eq!(a.label, Label::Positive, "{text}: {a:?}");
        }
    }

    #[test]
    fn polish_excess_and_haste_are_complaints() {
        for text in [
            "200 zł za kwadrans to przesada",
            "Konsultacja była pośpieszna",
        ] {
            assert_eq!(label(text, "pl"), Label::Negative, "{text}");
        }
    }

    #[test]
    fn a_negated_strong_negative_is_no_praise() {
        assert_eq!(label("not bad at all", "en"), Label::Positive);
        assert_ne!(label("not the worst", "en"), Label::Positive);
        assert!(s("not the worst", "en") < s("not bad", "en") / 4.0);
        assert!(s("to nie jest najgorsze", "pl") < s("nie jest źle", "pl") / 4.0);
    }

    #[test]
    fn contrast_per_language() {
        for (text, lang) in [
            ("The screen is nice but the battery is terrible", "en"),
            ("Ekran ładny, ale bateria jest fatalna", "pl"),
            ("Экран хороший, но батарея ужасная", "ru"),
            ("Ekran güzel ama batarya berbat", "tr"),
            ("Екранът е хубав, но батерията е ужасна", "bg"),
        ] {
            let a = analyse(text, Some(lang)).sentiment;
            assert!(a.score < 0.0, "{text}: {a:?}");
            assert!(
                a.reasons.iter().any(|r| r.what.starts_with("contrast")),
                "{text}"
            );
        }
    }

    #[test]
    fn emoji_and_emoticons() {
        // A negation before an emoji turns the word it belongs to, not the emoji.
        let a = analyse("ничего не навязывал 👍", Some("ru")).sentiment;
        assert!(a.score > 0.0, "{a:?}");
        assert!(a.reasons.iter().any(|r| r.what == "👍"), "{a:?}");
        assert_eq!(label("order #123 😡", "en"), Label::Negative);
        assert_eq!(label("zamówienie 😍", "pl"), Label::Positive);
        assert_eq!(label("заказ :(", "ru"), Label::Negative);
        assert_eq!(label("sipariş 👍", "tr"), Label::Positive);
        assert_eq!(label("zamówienie 🤦", "pl"), Label::Negative);
    }

    #[test]
    fn inflected_forms_match_stems() {
        for (text, lang) in [
            ("Paczka uszkodzona, skandal", "pl"),
            ("Obsługa była beznadziejna", "pl"),
            ("Заказ не пришёл, ужасно", "ru"),
            ("Отвратительным обслуживанием", "ru"),
            ("Поръчката е повредена, безобразие", "bg"),
            ("Rezaletsiniz, kargom bozuk geldi", "tr"),
        ] {
            assert_eq!(label(text, lang), Label::Negative, "{text}");
        }
    }

    #[test]
    fn intensity_shouting_elongation_exclamation() {
        assert!(s("very bad", "en") < s("bad", "en"));
        assert!(s("slightly bad", "en") > s("bad", "en"));
        assert!(s("bardzo zły", "pl") < s("zły", "pl"));
        assert!(s("очень плохо", "ru") < s("плохо", "ru"));
        assert!(s("THIS IS A TERRIBLE SERVICE", "en") < s("this is a terrible service", "en"));
        assert!(s("baaad", "en") < s("bad", "en"));
        assert!(s("terrible!!!", "en") < s("terrible", "en"));
        assert!(s("still no refund???", "en") < s("still no refund?", "en"));
        assert!(s("pieniądze nie wróciły???", "pl") < s("pieniądze nie wróciły?", "pl"));
        let r = analyse("THIS IS A TERRIBLE SERVICE", Some("en"))
            .sentiment
            .reasons;
        assert!(r.iter().any(|r| r.what.starts_with("shouting")), "{r:?}");
    }

    #[test]
    fn negative_evidence_outweighs_positive_of_like_strength() {
        // "love" (3.2) and "hate" (−2.7): without the bias this would read as praise.
        assert!(s("I love it and I hate it", "en") < 0.0);
        assert!(s("kocham i nienawidzę", "pl") < 0.0);
        // A positive text alone is untouched.
        assert!(s("I love it", "en") > 0.5);
        // Praise clearly stronger than the complaint still wins.
        assert!(s("excellent, amazing, wonderful, a bit slow", "en") > 0.0);
    }

    #[test]
    fn an_open_question_leans_negative_but_stays_neutral() {
        for (text, lang) in [
            ("Where is the nearest store?", "en"),
            ("Gdzie jest najbliższy sklep??", "pl"),
            ("Где ближайший магазин?", "ru"),
        ] {
            let a = analyse(text, Some(lang)).sentiment;
            assert!(a.score < 0.0, "{text}: {a:?}");
            assert_eq!(a.label, Label::Neutral, "{text}");
            let cues = analyse(text, Some(lang)).cues;
            assert!(cues.iter().any(|c| c.tag == "question"), "{cues:?}");
        }
        assert_eq!(s("Where is the nearest store", "en"), 0.0);
    }

    #[test]
    fn why_asked_of_someone_is_a_mild_complaint() {
        for (text, lang) in [
            ("why does this happen", "en"),
            ("dlaczego tak jest", "pl"),
            ("почему так", "ru"),
            ("niye böyle", "tr"),
            ("защо така", "bg"),
        ] {
            assert!(s(text, lang) < 0.0, "{text}");
        }
    }

    #[test]
    fn a_cue_counts_its_words_once() {
        let s = |t: &str, l: &str| analyse(t, Some(l)).sentiment;
        // Thanks for a mended fault outweigh the fault, which the cue counts once.
        let praise = s(
            "Support sorted a broken charger in ten minutes, thanks!",
            "en",
        );
        assert_eq!(praise.label, Label::Positive, "{praise:?}");
        assert!(!praise.reasons.iter().any(|r| r.what == "broken"));
        assert!(praise.reasons.iter().any(|r| r.what == "cue: broken"));
        let pl = s("Muszę pochwalić, reklamację załatwili w jeden dzień", "pl");
        assert_eq!(pl.label, Label::Positive, "{pl:?}");
        // A complaint stays one.
        assert_eq!(s("My charger arrived broken", "en").label, Label::Negative);
        assert_eq!(s("I want a refund", "en").label, Label::Negative);
        assert_eq!(s("Chcę zwrot pieniędzy", "pl").label, Label::Negative);
    }

    #[test]
    fn negative_words_beside_a_link_count_half_cues_in_full() {
        let plain = s("Bank X loses its licence", "en");
        let relayed = s("Bank X loses its licence https://news.example/x", "en");
        assert!(plain < relayed && relayed < 0.0, "{plain} {relayed}");
        // A link with nothing negative beside it changes nothing.
        assert_eq!(s("great news https://x.y", "en"), s("great news", "en"));
        // A complaint's care cue is not discounted: the photo of a broken parcel.
        let cue = |t: &str| {
            analyse(t, Some("en"))
                .sentiment
                .reasons
                .iter()
                .filter(|r| r.what.starts_with("cue"))
                .map(|r| r.weight)
                .sum::<f32>()
        };
        assert_eq!(
            cue("I want a refund https://x.y/p.jpg"),
            cue("I want a refund")
        );
    }

    #[test]
    fn an_event_reported_without_the_authors_stance_counts_nothing() {
        for (report, lang) in [
            ("Regulator sanctions Bank X over bankruptcy rules", "en"),
            ("ЦБ отозвал лицензию у банка Х", "ru"),
        ] {
            let a = analyse(report, Some(lang)).sentiment;
            assert_eq!(a.label, Label::Neutral, "{report}: {a:?}");
        }
        // The same events told by someone who shows where they stand: a complaint.
        for (felt, lang) in [
            ("My bank went into bankruptcy", "en"),
            ("Bank X sanctioned, again!", "en"),
            ("У моего банка отозвали лицензию", "ru"),
            ("Банку Х отозвали лицензию 😡", "ru"),
        ] {
            let a = analyse(felt, Some(lang)).sentiment;
            assert_eq!(a.label, Label::Negative, "{felt}: {a:?}");
        }
        // Words that judge count with or without a stance, and a negated event is no
        // complaint (its negator is spent on it).
        assert_eq!(label("Bank X service is terrible", "en"), Label::Negative);
        assert_eq!(label("Сервис банка Х ужасный", "ru"), Label::Negative);
        let a = analyse("кредит без штрафов и санкций", Some("ru")).sentiment;
        assert!(a.score >= 0.0, "{a:?}");
    }

    #[test]
    fn a_condition_one_came_with_or_that_was_cured_judges_nobody() {
        // The complement of a preposition, over one modifier: what one came with.
        assert_eq!(s("Przyszłam z bólem kręgosłupa", "pl"), 0.0);
        assert_eq!(s("Przyszłam z silnym bólem", "pl"), 0.0);
        assert_eq!(s("Skierowanie na badania z powodu infekcji", "pl"), 0.0);
        assert_eq!(s("Przyszłam ze strachem", "pl"), 0.0);
        // The object of a remedy verb is the harm removed: the verb's praise is left.
        assert_eq!(
            label("Pan doktor pomógł mi z bólem pleców", "pl"),
            Label::Positive
        );
        assert_eq!(label("Wyleczył zapalenie w tydzień", "pl"), Label::Positive);
        assert_eq!(label("Rozwiała moje wątpliwości", "pl"), Label::Positive);
        // …unless the remedy is negated.
        assert_eq!(label("Nie pomógł mi na ból", "pl"), Label::Negative);
        // A judgement after a preposition is no topic.
        assert_eq!(label("Wyszłam z fatalnym wrażeniem", "pl"), Label::Negative);
    }

    #[test]
    fn a_condition_weighs_less_than_a_judgement_of_the_care() {
        let condition = s("Dziecko miało gorączkę", "pl");
        assert!(condition < 0.0, "{condition}");
        for judgement in ["Lekarz był opryskliwy", "Lekarz zlekceważył objawy"] {
            assert!(s(judgement, "pl") < condition, "{judgement}");
        }
    }

    #[test]
    fn denying_a_duty_is_a_stronger_complaint_than_a_plain_negation() {
        let plain = s("Nie przyjmuje w soboty", "pl");
        for duty in [
            "Lekarz nie zbadał mnie",
            "Nie odpowiada na pytania",
            "Przepisał leki bez zbadania",
            // A past act of anyone but the author, a duty by its ending alone.
            "Pielęgniarka nie przyszła",
            "Nie zadzwonił",
            "Nie zadzwonili",
        ] {
            assert!(s(duty, "pl") < plain, "{duty}");
        }
        // The author's own act is no duty of the service.
        assert!(s("Nie zadzwonił", "pl") < s("Nie zadzwoniłam", "pl"));
        // One group of negators denies the duty once.
        let a = analyse("Nikt mi nie odpowiedział", Some("pl")).sentiment;
        let n = a
            .reasons
            .iter()
            .filter(|r| r.what.starts_with("negation"))
            .count();
        assert_eq!(n, 1, "{a:?}");
        assert!(a.score < plain, "{a:?}");
        // A duty with a valence of its own, denied, weighs more too.
        assert!(s("Nie wyjaśnił", "pl") < plain);
        // Prescribing, diagnosing, warning and giving time are duties too.
        for duty in [
            "Lekarz nie przepisał leków",
            "Nie zdiagnozował mnie",
            "Nie uprzedził o skutkach",
            "Nie poświęcił mi czasu",
        ] {
            assert!(s(duty, "pl") < plain, "{duty}");
        }
    }

    #[test]
    fn waiting_is_a_cost_not_waiting_is_praise() {
        assert_eq!(label("Trzeba czekać miesiąc", "pl"), Label::Negative);
        assert_eq!(label("Nie musiałam czekać", "pl"), Label::Positive);
    }

    #[test]
    fn a_conceded_clause_counts_half_wherever_it_stands() {
        // The main clause carries the point, before the concession or after it.
        assert_eq!(label("Warto, choć drogo", "pl"), Label::Positive);
        assert_eq!(label("Chociaż drogo, to warto", "pl"), Label::Positive);
        assert_eq!(label("Wprawdzie drogo, ale warto", "pl"), Label::Positive);
        assert_eq!(label("Choć miły, to nic nie pomógł", "pl"), Label::Negative);
        // A mixed sentence ranks between pure praise and pure complaint.
        let praise = s("Lekarz bardzo miły", "pl");
        let mixed = s("Lekarz bardzo miły, choć się spóźnił", "pl");
        let complaint = s("Lekarz się spóźnił", "pl");
        assert!(
            praise > mixed && mixed > complaint,
            "{praise} {mixed} {complaint}"
        );
        let a = analyse("Polecam, aczkolwiek trzeba długo czekać", Some("pl")).sentiment;
        assert_eq!(a.label, Label::Positive, "{a:?}");
        assert!(
            a.reasons
                .iter()
                .any(|r| r.what == "contrast \"aczkolwiek\""),
            "{a:?}"
        );
        // Only the clause up to the next stop is conceded.
        let one_clause = s("Choć drogo drogo", "pl");
        let two_clauses = s("Choć drogo, drogo", "pl");
        assert!(two_clauses < one_clause, "{two_clauses} {one_clause}");
    }

    #[test]
    fn despite_concedes_like_although() {
        assert_eq!(label("Warto, mimo że drogo", "pl"), Label::Positive);
        assert_eq!(label("Pomimo że drogo, warto", "pl"), Label::Positive);
    }

    #[test]
    fn regret_advising_against_and_waste_are_strong_complaints() {
        let sorry = s("Przykro", "pl");
        assert!(s("Niestety", "pl") < sorry);
        assert!(s("Szkoda", "pl") < sorry);
        assert!(s("Odradzam", "pl") < s("Beznadziejna", "pl"));
        for waste in ["Strata czasu", "Strata pieniędzy", "Strata nerwów"] {
            assert!(s(waste, "pl") < s("Strata", "pl"), "{waste}");
        }
    }

    #[test]
    fn a_denied_need_is_no_complaint() {
        for text in [
            "Nie trzeba się umawiać",
            "Nie musiałam nic dopłacać",
            "Nie było potrzeby kolejnej wizyty",
        ] {
            let a = analyse(text, Some("pl")).sentiment;
            assert!(a.score >= 0.0, "{text}: {a:?}");
            assert!(
                !a.reasons.iter().any(|r| r.what.starts_with("negation")),
                "{text}: {a:?}"
            );
        }
        // The negation still turns what it reaches, and other negations still complain.
        assert_eq!(label("Nie trzeba długo czekać", "pl"), Label::Positive);
        assert_eq!(label("Nie oddzwonił", "pl"), Label::Negative);
    }

    #[test]
    fn conditions_weigh_faintly_and_are_topics() {
        // A wound, an infection, depression and nausea are what one comes with.
        for text in [
            "Przyszłam z depresją",
            "Trafiłam z zakażeniem",
            "Przyszedł z raną",
            "Zgłosiłam się z nudnościami",
        ] {
            assert_eq!(s(text, "pl"), 0.0, "{text}");
        }
        // "Z rana" is "in the morning".
        assert_eq!(label("Byłam u lekarza z rana", "pl"), Label::Neutral);
        // Nausea is no dullness, a wound no judgement of the care.
        assert!(s("Miałam nudności", "pl") > s("Wizyta była nudna", "pl"));
        assert!(s("Rana się goiła", "pl") > s("Lekarz był opryskliwy", "pl"));
    }

    #[test]
    fn not_only_is_no_negation() {
        let a = analyse("Nie tylko miły, ale też kompetentny lekarz", Some("pl")).sentiment;
        assert_eq!(a.label, Label::Positive, "{a:?}");
        assert!(!a.reasons.iter().any(|r| r.what.contains("nie")), "{a:?}");
        // A plain negation still negates.
        assert_eq!(label("Nie był miły", "pl"), Label::Negative);
    }

    #[test]
    fn an_idiom_counts_as_one_word_and_steers_nothing_outside_it() {
        // Anticipation, pseudo-negations, slang praise: read word by word they complain.
        for text in [
            "can't wait for the new season",
            "nothing but love for this team",
            "no doubt the best show",
            "killing it tonight",
            "couldn't be happier with the service",
        ] {
            assert_eq!(label(text, "en"), Label::Positive, "{text}");
        }
        // Complaint idioms whose words alone say little, or praise.
        for text in [
            "thanks for nothing",
            "fed up with this",
            "what a waste of time",
        ] {
            assert_eq!(label(text, "en"), Label::Negative, "{text}");
        }
        // The idiom is the reason the moderator reads.
        let a = analyse("can't wait!", Some("en")).sentiment;
        assert!(a.reasons.iter().any(|r| r.what == "can't wait"), "{a:?}");
        // Words before an idiom negate it as they would a word.
        assert_eq!(
            label("not looking forward to the call", "en"),
            Label::Negative
        );
        // "but" inside an idiom is no contrast: what came before keeps its weight.
        assert!(!(analyse("great show, nothing but fun", Some("en"))
            .sentiment
            .reasons)
            .iter()
            .any(|r| r.what.starts_with("contrast")));
    }

    #[test]
    fn an_intensifier_before_a_sentiment_word_only_intensifies() {
        // "pretty" (2.2) and "damn" (−1.7) have valences of their own in VADER's lexicon.
        assert_eq!(label("the service was pretty bad", "en"), Label::Negative);
        assert_eq!(label("damn good pizza", "en"), Label::Positive);
        assert!(s("pretty good", "en") > s("good", "en"));
        // Alone, or before a word with no valence, they keep theirs.
        assert_eq!(label("a pretty dress", "en"), Label::Positive);
        assert_eq!(label("damn, the train again", "en"), Label::Negative);
    }

    #[test]
    fn a_counterfactual_says_the_good_thing_did_not_happen() {
        assert_eq!(label("they should have won", "en"), Label::Negative);
        assert_eq!(label("could have been better", "en"), Label::Negative);
        assert_eq!(label("could have been worse", "en"), Label::Positive);
        // With nothing to turn it is a complaint, as a plain negation is.
        assert_eq!(
            label("the parcel should have arrived on Monday", "en"),
            Label::Negative
        );
        assert_eq!(label("should've stayed home", "en"), Label::Negative);
        for (text, lang) in [
            ("Mogło być lepiej", "pl"),
            ("Lekarz powinien był zadzwonić", "pl"),
            ("Могло быть лучше", "ru"),
            ("Вы могли бы помочь", "ru"),
            ("Можеше да бъде по-добре", "bg"),
            ("Пратката трябваше да дойде вчера", "bg"),
        ] {
            assert_eq!(label(text, lang), Label::Negative, "{text}");
        }
        assert_eq!(label("Могло быть хуже", "ru"), Label::Positive);
        // The reason names the counterfactual, not its last word.
        let reasons = |text| analyse(text, Some("en")).sentiment.reasons;
        assert_eq!(
            &*reasons("they should have won")[0].what,
            "should have … won"
        );
        assert_eq!(
            &*reasons("you should have called me")[0].what,
            "negation \"should have\""
        );
    }

    #[test]
    fn english_concessions_count_less_than_the_main_clause() {
        // As "but" weighed them, the conceded "slow" would outweigh the main clause.
        for text in [
            "the food was great, although the service was slow",
            "the food was great, though the service was a bit slow",
            "despite the delay, the staff were lovely",
        ] {
            assert_eq!(label(text, "en"), Label::Positive, "{text}");
        }
    }

    #[test]
    fn not_knowing_negates_nothing() {
        assert_eq!(
            label("I don't know if the shop opens today", "en"),
            Label::Neutral
        );
        assert_eq!(label("I didn't know they sold bikes", "en"), Label::Neutral);
    }

    #[test]
    fn missing_someone_is_longing() {
        assert!(s("I miss you so much", "en") < -0.4);
        // A longing, not a lost parcel.
        let a = analyse("missing you today", Some("en"));
        assert!(a.cues.is_empty(), "{:?}", a.cues);
        assert_eq!(a.sentiment.label, Label::Negative);
    }

    #[test]
    fn surprise_leaves_what_follows_as_it_is() {
        assert_eq!(
            label("can't believe how good it was", "en"),
            Label::Positive
        );
        assert_eq!(label("can't believe they lost", "en"), Label::Negative);
    }

    #[test]
    fn an_english_issue_named_as_a_subject_judges_nobody() {
        assert_eq!(s("a speech on Tuesday about the war", "en"), 0.0);
        assert_eq!(label("the war is terrible", "en"), Label::Negative);
        assert_eq!(label("they fixed my problem", "en"), Label::Positive);
        assert_eq!(label("I have a problem", "en"), Label::Negative);
    }

    #[test]
    fn english_negators_that_deny_and_phrases_that_do_not() {
        // "least" grades down the word after it, as in vaderSentiment; "at least" does not.
        assert_eq!(label("the least helpful agent", "en"), Label::Negative);
        assert_eq!(label("at least it works fine", "en"), Label::Positive);
        assert_eq!(label("nobody answered my email", "en"), Label::Negative);
        // Formulas whose negator denies nothing.
        for text in [
            "last but not least, a great team",
            "why not",
            "I don't mind",
            "not to mention the great food",
        ] {
            assert_ne!(label(text, "en"), Label::Negative, "{text}");
        }
    }

    #[test]
    fn a_negated_wait_is_eagerness_in_every_language() {
        for (text, lang) in [
            ("Nie mogę się doczekać nowego sezonu", "pl"),
            ("Не могу дождаться нового сезона", "ru"),
            ("Жду не дождусь выходных", "ru"),
            ("Нямам търпение за новия сезон", "bg"),
            ("Yeni sezonu sabırsızlıkla bekliyorum", "tr"),
        ] {
            assert_eq!(label(text, lang), Label::Positive, "{text}");
        }
        // "не только" / "не само" add; they deny nothing.
        assert_eq!(
            label("Не только вкусно, но и дешево", "ru"),
            Label::Positive
        );
        assert_eq!(label("Nie mogę się zalogować", "pl"), Label::Negative);
    }

    #[test]
    fn an_idiom_raises_no_cue_its_words_would() {
        let tags = |t: &str| -> Vec<String> {
            analyse(t, Some("en"))
                .cues
                .into_iter()
                .map(|c| c.tag)
                .collect()
        };
        assert!(tags("my phone screen is broken").contains(&"broken".to_string()));
        assert!(!tags("a broken heart").contains(&"broken".to_string()));
        assert!(!tags("never again").contains(&"repeat".to_string()));
    }

    #[test]
    fn a_diminisher_does_not_carry_the_praise_of_its_stem() {
        // "довольно" (rather) shares its stem with "довольный" (satisfied), as Turkish
        // "iyice" (thoroughly) does with "iyi" (good): it softens, it does not praise.
        let a = analyse("довольно плохо", Some("ru")).sentiment;
        assert_eq!(a.label, Label::Negative, "{a:?}");
        assert!(a.score > s("плохо", "ru"), "{a:?}");
        assert_eq!(label("iyice bozuldu", "tr"), Label::Negative);
    }

    #[test]
    fn less_softens_in_every_language() {
        // "Less scary" is still scary, only less so, as English "less" reads in VADER.
        for (less, plain, lang) in [
            ("mniej straszne", "straszne", "pl"),
            ("менее страшно", "страшно", "ru"),
            ("по-малко страшно", "страшно", "bg"),
        ] {
            let (a, b) = (s(less, lang), s(plain, lang));
            assert!(b < a && a < 0.0, "{less}: {a} against {b}");
        }
    }

    #[test]
    fn politeness_formulas_beside_a_complaint_are_no_praise() {
        // Alone, thanks and greetings thank.
        assert_eq!(label("teşekkürler", "tr"), Label::Positive);
        assert_eq!(label("iyi günler", "tr"), Label::Positive);
        // Beside a complaint (a negative word, a negation, a care cue) they count nothing.
        assert_eq!(
            s("hizmetiniz berbat, iyi günler", "tr"),
            s("hizmetiniz berbat", "tr")
        );
        for text in [
            "merhaba, 3 gündür internet yok, şimdiden teşekkürler",
            "teşekkürler, paket hasarlı geldi",
        ] {
            let a = analyse(text, Some("tr")).sentiment;
            assert_eq!(a.label, Label::Negative, "{text}: {a:?}");
            assert!(!a.reasons.iter().any(|r| r.weight > 0.0), "{text}: {a:?}");
        }
        // Thanks after a contrast word are the point of the text.
        assert_eq!(
            label("kargo geç geldi ama teşekkürler", "tr"),
            Label::Positive
        );
        // Languages that list no formulas are untouched.
        assert!(super::super::lexicon::lexicons()
            .get("en")
            .is_some_and(|l| l.stocks.is_empty()));
    }

    #[test]
    fn congratulating_a_service_one_complains_of_is_sarcasm() {
        assert_eq!(label("tebrikler", "tr"), Label::Positive);
        assert_eq!(label("bravo, harika hizmet", "tr"), Label::Positive);
        for (mocked, plain) in [
            ("tebrikler, kargom yine gelmedi", "kargom yine gelmedi"),
            ("harika hizmet, paket hasarlı geldi", "paket hasarlı geldi"),
            ("helal olsun, hizmetiniz berbat", "hizmetiniz berbat"),
        ] {
            let a = analyse(mocked, Some("tr")).sentiment;
            assert!(a.score < s(plain, "tr"), "{mocked}: {a:?}");
            assert!(
                a.reasons.iter().any(|r| r.what.contains("(sarcasm)")),
                "{mocked}: {a:?}"
            );
        }
        // "Harika" praising something else is no mock praise of the service.
        assert!(s("harika bir gün, paket hasarlı geldi", "tr") > s("paket hasarlı geldi", "tr"));
    }

    #[test]
    fn a_link_with_nothing_said_leans_away_from_a_complaint() {
        let a = analyse("new timetable https://x.y/t", Some("en")).sentiment;
        assert!(a.score > 0.0 && a.label == Label::Neutral, "{a:?}");
        assert_eq!(s("new timetable", "en"), 0.0);
        // A text that says something is scored on what it says.
        assert_eq!(s("great news https://x.y", "en"), s("great news", "en"));
    }

    #[test]
    fn a_turkish_question_particle_asks_without_a_question_mark() {
        let a = analyse("paketim yarın gelir mi", Some("tr"));
        assert!(a.sentiment.score < 0.0, "{a:?}");
        assert_eq!(a.sentiment.label, Label::Neutral);
        assert!(a.cues.iter().any(|c| c.tag == "question"), "{a:?}");
        assert_eq!(s("paketim yarın gelir", "tr"), 0.0);
    }

    #[test]
    fn a_turkish_negative_request_is_a_negation() {
        // "Don't call me", "let it not come": the imperative and optative negate as the
        // past and present do.
        for text in [
            "beni bir daha aramayın",
            "lütfen bunu yapmayınız",
            "paket gelmesin",
        ] {
            assert!(s(text, "tr") < 0.0, "{text}: {}", s(text, "tr"));
        }
    }

    #[test]
    fn turkish_complaint_frames() {
        for text in [
            "ne biçim hizmet",
            "bu nasıl kargo",
            "nasıl bir şirketsiniz",
            "bu ne ya",
            "paketim ne zaman gelecek",
            "hani yarın gelecekti",
        ] {
            assert!(s(text, "tr") < 0.0, "{text}: {}", s(text, "tr"));
        }
    }

    #[test]
    fn neutral_and_unknown() {
        assert_eq!(label("What are your opening hours", "en"), Label::Neutral);
        assert_eq!(label("", "en"), Label::Neutral);
        assert_eq!(label("terrible service", "und"), Label::Negative);
    }
}
