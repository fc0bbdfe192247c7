//! Text → tokens the scorer reads: lowercased words (handles and links dropped), emoji and
//! emoticons, and sentence stops that bound negation. One pass, no regex.

use std::sync::OnceLock;

use compact_str::CompactString;

use super::lexicon::{emoticon_key, Entry, Lexicon, Lexicons};

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Word,
    /// An emoji or emoticon with its valence.
    Symbol(f32),
    /// `.`, `,`, `!`, `?`, `;`: negation and boosters do not reach across.
    Stop,
}

#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub kind: Kind,
    /// As written (for emoji and emoticons: the symbol itself).
    pub raw: &'a str,
    /// Lowercased, `’` → `'`, `ё` → `е`.
    /// Inline (no allocation) for words up to 24 bytes: most of them.
    pub word: CompactString,
    /// Written in capitals ("AWFUL").
    pub caps: bool,
    /// A word of two letters or more that starts with a capital and is not all in capitals
    /// ("Dead"; not "DEAD", "I" nor a hashtag's words).
    pub capital: bool,
    /// A letter repeated three times or more ("sooo").
    pub elongated: bool,
    pub hashtag: bool,
    /// A word alone in quotation marks ("«оперативно»", "„szybka” obsługa"): scare quotes.
    pub quoted: bool,
    /// Follows a colon, an opening quotation mark or parenthesis, a dash, a handle or a link:
    /// it may start a headline, a quotation or a sentence ("Source: Worst Case Scenario").
    pub opens: bool,
}

impl<'a> Token<'a> {
    /// A symbol or a stop: no word form.
    fn bare(kind: Kind, raw: &'a str) -> Self {
        Token {
            kind,
            raw,
            word: CompactString::default(),
            caps: false,
            capital: false,
            elongated: false,
            hashtag: false,
            quoted: false,
            opens: false,
        }
    }
}

#[derive(Debug, Default)]
pub struct Tokens<'a> {
    pub toks: Vec<Token<'a>>,
    pub exclaims: usize,
    pub questions: usize,
    pub letters: usize,
    pub upper: usize,
    /// Words that are `Token::capital`.
    pub capitals: usize,
    /// Links in the text: a post that shares one mostly relays what it says.
    pub links: usize,
    /// Scratch space for lowercasing, reused word after word.
    buf: String,
}

impl Tokens<'_> {
    /// What `lex` says about each token (words only), looked up once for the cues and the
    /// score both.
    pub fn found_in<'l>(&self, lex: &'l Lexicon) -> Vec<Option<&'l Entry>> {
        let mut found = vec![None; self.toks.len()];
        self.find_in(lex, &mut found);
        found
    }

    /// Whether the text asks a question: a "?", or a question particle, which asks without
    /// one (Turkish "gelmeyecek mi", "bu mu hizmet": tweets often drop the mark). `found`:
    /// what the lexicon says about each token.
    pub fn asks(&self, found: &[Option<&Entry>]) -> bool {
        self.questions > 0
            || (found.iter()).any(|f| f.and_then(|e| e.steer).is_some_and(|s| s.question_particle))
    }

    /// As `found_in`, into `found` (one slot per token).
    pub fn find_in<'l>(&self, lex: &'l Lexicon, found: &mut [Option<&'l Entry>]) {
        for (slot, t) in found.iter_mut().zip(&self.toks) {
            *slot = (t.kind == Kind::Word).then(|| lex.entry(&t.word)).flatten();
        }
    }
}

/// A letter, answered without Unicode tables for the scripts we score (ASCII, Latin-1 and
/// Extended-A, Cyrillic): the table lookup was the single largest cost of scoring.
#[inline]
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A => true,
        0..=0x7F => false,
        0xC0..=0x24F => c != '×' && c != '÷',
        0x400..=0x481 | 0x48A..=0x52F => true,
        _ => c.is_alphabetic(),
    }
}

/// A letter or a digit, as `is_letter`.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

#[inline]
fn is_upper(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x400..=0x42F => true,
        0..=0x7F | 0x430..=0x45F => false,
        n @ 0x80..LatinCase::END => latin_case().upper[n as usize],
        _ => c.is_uppercase(),
    }
}

/// What the Unicode tables say of the characters below `END` (Latin-1 and Extended-A:
/// the letters with marks of Polish, Turkish, German, French, Spanish), asked once: asking
/// the tables for every such letter was the costliest step of reading a word.
struct LatinCase {
    upper: [bool; Self::END as usize],
    /// Lowercased by `char::to_lowercase` into itself alone.
    own_lower: [bool; Self::END as usize],
}

impl LatinCase {
    const END: u32 = 0x180;
}

fn latin_case() -> &'static LatinCase {
    static TABLE: OnceLock<LatinCase> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = LatinCase {
            upper: [false; LatinCase::END as usize],
            own_lower: [false; LatinCase::END as usize],
        };
        for c in (0..LatinCase::END).filter_map(char::from_u32) {
            t.upper[c as usize] = c.is_uppercase();
            t.own_lower[c as usize] = c.to_lowercase().eq([c]);
        }
        t
    })
}

/// Whether a whitespace-separated chunk is a link or a handle, which carry no sentiment.
#[inline]
pub fn is_link_or_handle(chunk: &str) -> bool {
    may_be_link_or_handle(chunk) && link_or_handle(chunk)
}

fn link_or_handle(chunk: &str) -> bool {
    let c = without_opening_marks(chunk);
    is_link(c) || (c.starts_with('@') && c.len() > 1)
}

/// Whether a whitespace-separated chunk is a link.
pub fn is_link(chunk: &str) -> bool {
    let c = without_opening_marks(chunk);
    c.starts_with("http://") || c.starts_with("https://") || c.starts_with("www.")
}

fn without_opening_marks(chunk: &str) -> &str {
    chunk.trim_start_matches(['(', '"', '\'', '['])
}

/// False for most chunks, on their first byte alone: a link or a handle starts with one of
/// these (after any opening marks).
#[inline]
fn may_be_link_or_handle(chunk: &str) -> bool {
    matches!(
        chunk.as_bytes().first(),
        Some(b'h' | b'w' | b'@' | b'(' | b'"' | b'\'' | b'[')
    )
}

/// The lowercase form of one character, as the lexicons write it.
#[inline]
fn push_lower(out: &mut String, c: char, turkish: bool) {
    match c {
        c if c.is_ascii() && !(turkish && c == 'I') => out.push(c.to_ascii_lowercase()),
        '’' | '‘' | '`' => out.push('\''),
        'I' => out.push('ı'),
        'İ' => out.push('i'),
        'ё' | 'Ё' => out.push('е'),
        // Cyrillic capitals, without the Unicode tables.
        'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        'Ѐ'..='Џ' => out.push(char::from_u32(c as u32 + 0x50).unwrap_or(c)),
        'а'..='я' | 'ѐ'..='џ' => out.push(c),
        c => out.extend(c.to_lowercase()),
    }
}

/// Whether `push_lower` writes `c` as it is.
#[inline]
fn is_own_lower(c: char, turkish: bool) -> bool {
    match c {
        c if c.is_ascii() && !(turkish && c == 'I') => !c.is_ascii_uppercase(),
        '’' | '‘' | 'I' | 'İ' | 'ё' | 'Ё' | 'А'..='Я' | 'Ѐ'..='Џ' => false,
        'а'..='я' | 'ѐ'..='џ' => true,
        c if (c as u32) < LatinCase::END => latin_case().own_lower[c as usize],
        c => c.to_lowercase().eq([c]),
    }
}

/// Languages whose writers smile and frown with bare brackets: "спасибо)))", "жаль((".
const BRACKET_SMILEYS: &[&str] = &["ru"];

/// The whitespace-separated chunks of `text`, as `str::split_whitespace`, found on bytes:
/// only the lead bytes of the few non-ASCII spaces are decoded.
fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let bytes = rest.as_bytes();
        let mut at = 0;
        loop {
            if at == bytes.len() {
                rest = "";
                return None;
            }
            match space_at(rest, at) {
                0 => break,
                n => at += n,
            }
        }
        let start = at;
        loop {
            // Most bytes cannot start a space: skipped in a tight loop.
            while at < bytes.len() && !SPACE_LEADS[usize::from(bytes[at])] {
                at += 1;
            }
            if at == bytes.len() {
                let chunk = &rest[start..];
                rest = "";
                return Some(chunk);
            }
            match space_at(rest, at) {
                0 => at += 1,
                n => {
                    let chunk = &rest[start..at];
                    rest = &rest[at + n..];
                    return Some(chunk);
                }
            }
        }
    })
}

/// The bytes a whitespace character can start with (see `space_at`).
static SPACE_LEADS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    t
};

/// The length of the whitespace character at byte `at` of `s`, 0 when there is none. Every
/// non-ASCII space (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000) leads with one of four
/// bytes; any other byte, continuation bytes included, is not a space.
#[inline]
fn space_at(s: &str, at: usize) -> usize {
    match s.as_bytes()[at] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => match s[at..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

/// The character at byte `at` of `s` (a character boundary) and its length. Two-byte
/// characters (Latin letters with marks, Cyrillic) are decoded here, the rarer ones by `str`.
#[inline(always)]
fn char_at(s: &str, at: usize) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    match *bytes.get(at)? {
        b if b.is_ascii() => Some((char::from(b), 1)),
        b if b & 0xE0 == 0xC0 => {
            let code = u32::from(b & 0x1F) << 6 | u32::from(bytes[at + 1] & 0x3F);
            Some((char::from_u32(code).unwrap_or_default(), 2))
        }
        _ => s[at..].chars().next().map(|c| (c, c.len_utf8())),
    }
}

pub fn tokenize<'a>(text: &'a str, lang: &str, lex: &Lexicons) -> Tokens<'a> {
    let turkish = lang == "tr";
    let brackets = BRACKET_SMILEYS.contains(&lang);
    // Parentheses opened and not yet closed: their ")" is punctuation, not a smile.
    let mut open_parens = 0usize;
    let mut out = Tokens {
        toks: Vec::with_capacity(text.len() / 5 + 4),
        ..Tokens::default()
    };
    // Whether the next word follows what may start a sentence of its own (`Token::opens`).
    let mut opens = false;
    for chunk in chunks(text) {
        if is_link_or_handle(chunk) {
            out.links += usize::from(is_link(chunk));
            opens = true;
            continue;
        }
        if lex.emoticon_keys.may_hold(emoticon_key(chunk)) {
            if let Some(&v) = lex.emoticons.get(chunk) {
                out.toks.push(Token::bare(Kind::Symbol(v), chunk));
                continue;
            }
        }
        let mut start: Option<usize> = None;
        let mut hashtag = false;
        let bytes = chunk.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Most characters are ASCII letters inside a word: settled on the byte alone.
            if bytes[i].is_ascii_alphanumeric() {
                start.get_or_insert(i);
                i += 1;
                continue;
            }
            let Some((c, len)) = char_at(chunk, i) else {
                break;
            };
            let next = i + len;
            let inner_mark = (c == '\'' || c == '’' || c == '-')
                && start.is_some()
                && char_at(chunk, next).is_some_and(|(n, _)| is_word_char(n));
            if inner_mark || (!c.is_ascii() && is_word_char(c)) {
                start.get_or_insert(i);
                i = next;
                continue;
            }
            if let Some(s) = start.take() {
                push_word_or_tag(&mut out, &chunk[s..i], turkish, hashtag, &mut opens);
                hashtag = false;
            }
            i = next;
            match c {
                '#' => hashtag = true,
                ':' | '"' | '“' | '„' | '«' | '-' | '–' | '—' => opens = true,
                '(' if !brackets => opens = true,
                '!' => {
                    out.exclaims += 1;
                    push_stop(&mut out, &chunk[i - 1..i]);
                }
                '?' => {
                    out.questions += 1;
                    push_stop(&mut out, &chunk[i - 1..i]);
                }
                '.' | ';' | ',' | '…' => push_stop(&mut out, &chunk[i - len..i]),
                '(' | ')' if brackets => {
                    opens |= c == '(';
                    let from = i - 1;
                    while bytes.get(i) == Some(&(c as u8)) {
                        i += 1;
                    }
                    let n = i - from;
                    let run = &chunk[from..i];
                    let smiles = if c == '(' {
                        // "(see below)" or "( see below )" is a parenthesis.
                        let at = chunk.as_ptr() as usize - text.as_ptr() as usize + from + 1;
                        let opens = n == 1
                            && text[at..].contains(')')
                            && (chunk.len() == 1
                                || char_at(chunk, i)
                                    .is_some_and(|(x, _)| is_word_char(x) || x == '"' || x == '«'));
                        open_parens += usize::from(opens);
                        !opens
                    } else if open_parens > 0 {
                        open_parens -= 1;
                        n > 1
                    } else {
                        // "1)" numbers a list.
                        !(n == 1 && from > 0 && bytes[from - 1].is_ascii_digit())
                    };
                    if smiles {
                        push_bracket_smiley(&mut out, run, lex);
                    }
                }
                c if !c.is_ascii() => {
                    let sym = &chunk[i - len..i];
                    if let Some(&v) = lex.emoji.get(sym) {
                        out.toks.push(Token::bare(Kind::Symbol(v), sym));
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            push_word_or_tag(&mut out, &chunk[s..], turkish, hashtag, &mut opens);
        }
        if is_scare_quoted(chunk) {
            if let Some(t) = out.toks.iter_mut().rev().find(|t| t.kind == Kind::Word) {
                t.quoted = true;
            }
        }
    }
    out
}

/// One word wrapped in quotation marks, punctuation after it allowed: «оперативно».
fn is_scare_quoted(chunk: &str) -> bool {
    const OPEN: &[char] = &['"', '«', '„', '“', '‘', '\''];
    const CLOSE: &[char] = &['"', '»', '”', '“', '’', '\''];
    // Most chunks fail on the first byte: each opening mark starts with one of these.
    if !matches!(chunk.as_bytes().first(), Some(b'"' | b'\'' | 0xC2 | 0xE2)) {
        return false;
    }
    let Some(rest) = chunk.strip_prefix(OPEN) else {
        return false;
    };
    let rest = rest.trim_end_matches(['.', ',', '!', '?', ';', ':', '…']);
    rest.strip_suffix(CLOSE)
        .is_some_and(|w| w.chars().count() >= 2 && w.chars().all(|c| is_letter(c) || c == '-'))
}

/// ")" or "(" as a smiley: one bracket weighs as ":-)" / ":-(", two or more as ":)" / ":(".
/// A stop goes first, so that "не знаю)" does not negate the smile.
fn push_bracket_smiley<'a>(out: &mut Tokens<'a>, run: &'a str, lex: &Lexicons) {
    let key = match (run.starts_with(')'), run.len() > 1) {
        (true, false) => ":-)",
        (true, true) => ":)",
        (false, false) => ":-(",
        (false, true) => ":(",
    };
    if let Some(&v) = lex.emoticons.get(key) {
        push_stop(out, run);
        out.toks.push(Token::bare(Kind::Symbol(v), run));
    }
}

fn push_stop<'a>(out: &mut Tokens<'a>, raw: &'a str) {
    if !matches!(out.toks.last(), Some(t) if t.kind == Kind::Stop) {
        out.toks.push(Token::bare(Kind::Stop, raw));
    }
}

/// A hashtag written in camel case ("#EpicFail", "#NotHappy") is read as the words it joins;
/// anything else is one word.
#[inline]
/// `opens`: whether the word follows what may start a sentence (`Token::opens`); spent here.
fn push_word_or_tag<'a>(
    out: &mut Tokens<'a>,
    raw: &'a str,
    turkish: bool,
    hashtag: bool,
    opens: &mut bool,
) {
    let first = out.toks.len();
    if hashtag {
        let mut from = 0;
        let mut prev_lower = false;
        for (i, c) in raw.char_indices() {
            let upper = is_upper(c);
            if upper && prev_lower {
                push_word(out, &raw[from..i], turkish, true);
                from = i;
            }
            prev_lower = is_letter(c) && !upper;
        }
        push_word(out, &raw[from..], turkish, true);
    } else {
        push_word(out, raw, turkish, false);
    }
    if let Some(t) = out.toks.get_mut(first) {
        t.opens = std::mem::take(opens);
    }
}

/// One pass over the word: letter and capital counts, the lowercase form, elongation.
fn push_word<'a>(out: &mut Tokens<'a>, raw: &'a str, turkish: bool, hashtag: bool) {
    let (mut letters, mut upper, mut run) = (0usize, 0usize, 0u8);
    let mut elongated = false;
    let first_upper = raw.chars().next().is_some_and(is_upper);
    let word = if raw.is_ascii() && !(turkish && raw.contains('I')) {
        // Most words: the same steps on bytes, lowercased in place without decoding.
        let mut prev = 0u8;
        for &b in raw.as_bytes() {
            if b.is_ascii_alphabetic() {
                letters += 1;
                upper += usize::from(b.is_ascii_uppercase());
                run = if b == prev { run.saturating_add(1) } else { 1 };
                elongated |= run >= 3;
            }
            prev = b;
        }
        let mut word = CompactString::from(raw);
        if upper > 0 {
            word.make_ascii_lowercase();
        }
        word
    } else {
        let mut prev = '\0';
        // Most words are written in lowercase: copied whole unless a character changes.
        let mut lowercase = true;
        let mut at = 0;
        while let Some((c, len)) = char_at(raw, at) {
            at += len;
            if is_letter(c) {
                letters += 1;
                if is_upper(c) {
                    upper += 1;
                }
                run = if c == prev { run.saturating_add(1) } else { 1 };
                elongated |= run >= 3;
            }
            prev = c;
            lowercase &= is_own_lower(c, turkish);
        }
        if lowercase {
            CompactString::from(raw)
        } else {
            let buf = &mut out.buf;
            buf.clear();
            raw.chars().for_each(|c| push_lower(buf, c, turkish));
            CompactString::from(buf.as_str())
        }
    };
    out.letters += letters;
    out.upper += upper;
    let caps = letters >= 2 && upper == letters;
    let capital = first_upper && letters >= 2 && !caps && !hashtag;
    out.capitals += usize::from(capital);
    out.toks.push(Token {
        kind: Kind::Word,
        raw,
        elongated,
        word,
        caps,
        capital,
        hashtag,
        quoted: false,
        opens: false,
    });
}

/// The word with every run of three or more letters cut to `keep` ("sooo" → "soo" / "so").
pub fn squeeze(word: &str, keep: usize) -> String {
    let mut out = String::with_capacity(word.len());
    let mut prev = '\0';
    let mut run = 0;
    for c in word.chars() {
        run = if c == prev { run + 1 } else { 1 };
        prev = c;
        if run <= keep || !c.is_alphabetic() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::lexicon::lexicons;

    fn words(text: &str, lang: &str) -> Vec<String> {
        tokenize(text, lang, lexicons())
            .toks
            .into_iter()
            .map(|t| match t.kind {
                Kind::Word => t.word.to_string(),
                _ => t.raw.to_string(),
            })
            .collect()
    }

    #[test]
    fn drops_links_and_handles_keeps_hashtags_and_symbols() {
        assert_eq!(
            words("@acme your app is DOWN!!! https://x.y/z #fail 😡 :(", "en"),
            ["your", "app", "is", "down", "!", "fail", "😡", ":("]
        );
    }

    #[test]
    fn chunks_split_as_split_whitespace() {
        for text in [
            "",
            "  a  b\t\nc ",
            "zamówienie\u{a0}nie\u{2003}doszło\u{3000}ok\u{85}x",
            "заказ —\u{202f}не пришёл\u{200b}!",
            "x\u{1680}y\u{2028}z\u{205f}",
        ] {
            let ours: Vec<&str> = chunks(text).collect();
            let std: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn own_lowercase_is_what_lowering_leaves_alone() {
        for turkish in [false, true] {
            for c in (0..0x3100).filter_map(char::from_u32) {
                let mut lowered = String::new();
                push_lower(&mut lowered, c, turkish);
                let same = lowered.chars().eq([c]);
                assert_eq!(is_own_lower(c, turkish), same, "{c:?} {turkish}");
            }
        }
    }

    #[test]
    fn scare_quotes_of_every_kind() {
        for chunk in [
            "«оперативно».",
            "„szybka”",
            "“great”",
            "‘great’",
            "\"fast\"!",
            "'nice'",
        ] {
            assert!(is_scare_quoted(chunk), "{chunk}");
        }
        for chunk in ["great", "„a”", "“two words", "»x«"] {
            assert!(!is_scare_quoted(chunk), "{chunk}");
        }
    }

    #[test]
    fn capitals_are_what_unicode_says() {
        for c in (0..0x3100).filter_map(char::from_u32) {
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
        }
    }

    #[test]
    fn characters_decode_as_str_does() {
        let text = "aż ё€😀 z";
        let mut at = 0;
        for c in text.chars() {
            assert_eq!(char_at(text, at), Some((c, c.len_utf8())));
            at += c.len_utf8();
        }
        assert_eq!(char_at(text, at), None);
    }

    #[test]
    fn counts_links_not_handles() {
        let t = tokenize("@acme see https://x.y/z and (www.a.b)", "en", lexicons());
        assert_eq!(t.links, 2);
        assert_eq!(tokenize("@acme @bob hi", "en", lexicons()).links, 0);
    }

    #[test]
    fn marks_words_that_may_start_a_sentence() {
        let opening = |text: &str, lang: &str| -> Vec<String> {
            let t = tokenize(text, lang, lexicons());
            (t.toks.iter())
                .filter(|x| x.opens)
                .map(|x| x.word.to_string())
                .collect()
        };
        assert_eq!(
            opening("RT @bank: Worst Case - Sad \"News\" (Yes) «Da» x", "en"),
            ["worst", "sad", "news", "yes", "da"]
        );
        assert_eq!(opening("see http://a.b Now then", "en"), ["now"]);
        // A smiley's brackets are no parenthesis, an inner hyphen no dash.
        assert_eq!(opening("Привет :) Как дела-то (Ну)", "ru"), ["ну"]);
        assert!(opening("plain words, all of them.", "en").is_empty());
    }

    #[test]
    fn camel_case_hashtags_split_into_words() {
        assert_eq!(
            words("so #EpicFail #NotHappy #fail #iPhone6 #UK", "en"),
            ["so", "epic", "fail", "not", "happy", "fail", "i", "phone6", "uk"]
        );
        // Only hashtags: a word in camel case elsewhere stays whole.
        assert_eq!(words("McDonald's", "en"), ["mcdonald's"]);
        let a = crate::triage::analyse("New phone #NotHappy", Some("en")).sentiment;
        assert!(a.score < 0.0, "{a:?}");
    }

    #[test]
    fn turkish_dotted_and_dotless_i() {
        assert_eq!(words("İYİ DEĞİL", "tr"), ["iyi", "değil"]);
        assert_eq!(words("IŞIK", "tr"), ["ışık"]);
        assert_eq!(words("KIRIK", "tr"), ["kırık"]);
        assert_eq!(words("KIRIK", "en"), ["kirik"]);
        assert_eq!(words("Ещё", "ru"), ["еще"]);
    }

    #[test]
    fn elongation_and_caps() {
        let t = tokenize("sooo BAD don't", "en", lexicons());
        assert!(t.toks[0].elongated && !t.toks[0].caps);
        assert!(t.toks[1].caps);
        assert_eq!(t.toks[2].word, "don't");
        assert_eq!(squeeze("sooo", 1), "so");
        assert_eq!(squeeze("goooood", 2), "good");
    }

    #[test]
    fn russian_bracket_smileys() {
        let symbols = |text: &str, lang: &str| -> Vec<f32> {
            tokenize(text, lang, lexicons())
                .toks
                .iter()
                .filter_map(|t| match t.kind {
                    Kind::Symbol(v) => Some(v),
                    _ => None,
                })
                .collect()
        };
        let smile = symbols("спасибо)))", "ru");
        assert!(smile.len() == 1 && smile[0] > 0.0, "{smile:?}");
        assert!(symbols("спасибо)", "ru")[0] < smile[0]);
        assert!(symbols("жаль((", "ru")[0] < 0.0);
        assert!(symbols("опять не работает (", "ru")[0] < 0.0);
        // Parentheses and numbered lists are punctuation…
        assert!(symbols("банк (сбербанк) закрыт", "ru").is_empty());
        assert!(symbols("банк ( сбербанк ) закрыт", "ru").is_empty());
        assert!(symbols("1) вклад 2) кредит", "ru").is_empty());
        assert_eq!(symbols("банк (сбербанк)))", "ru").len(), 1);
        // …and so are brackets in other languages.
        assert!(symbols("thanks)))", "en").is_empty());
        // A smile ends its clause: "не" before it does not turn it (the negation counts on
        // its own, and the two leave the text neutral).
        let a = crate::triage::analyse("не знаю)", Some("ru")).sentiment;
        assert!(
            a.reasons.iter().any(|r| r.what == ")" && r.weight > 0.0),
            "{a:?}"
        );
        assert_eq!(a.label, crate::model::Label::Neutral, "{a:?}");
    }
}
