//! Tone: insults, blaming or arguing with the customer, shouting (these block); sarcasm
//! (this warns); and sensitive topics (politics, religion) a brand should not discuss in a
//! care reply.
//! The lists were written for modq; they catch the usual slips, not every possible one.

use super::lexicon::{entries, findings, Folded};
use super::{Finding, Kind};

const HOSTILE: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "idiot*",
            "stupid",
            "moron*",
            "dumb",
            "shut up",
            "pathetic",
            "ridiculous",
            "your fault",
            "you should have",
            "you didn't read",
            "as we already said",
            "as i already said",
            "calm down",
            "learn to read",
            "obviously you",
            "whatever",
            "yeah right",
            "/s",
            "good luck with that",
            "not our problem",
        ],
    ),
    (
        "pl",
        &[
            "idiot*",
            "głup*",
            "debil*",
            "kretyn*",
            "zamknij się",
            "twoja wina",
            "sam jesteś sobie winien",
            "trzeba było",
            "uspokój się",
            "naucz się czytać",
            "jasne, jasne",
            "nie nasz problem",
            "powodzenia z tym",
        ],
    ),
    (
        "ru",
        &[
            "идиот*",
            "дурак*",
            "тупо*",
            "тупой",
            "заткнись",
            "сами виноваты",
            "ваша вина",
            "надо было",
            "успокойтесь",
            "научитесь читать",
            "ну-ну",
            "ага, конечно",
            "не наша проблема",
        ],
    ),
    (
        "tr",
        &[
            "aptal*",
            "salak*",
            "gerizekalı*",
            "kapa çeneni",
            "sizin hatanız",
            "kendi hatanız",
            "sakin olun",
            "okumayı öğrenin",
            "tabii canım",
            "yok artık",
            "bizim sorunumuz değil",
        ],
    ),
    (
        "bg",
        &[
            "идиот*",
            "глупав*",
            "тъп*",
            "млъкни*",
            "ваша вина",
            "сами сте виновни",
            "трябваше да",
            "успокойте се",
            "научете се да четете",
            "да бе",
            "не е наш проблем",
        ],
    ),
];

/// Sarcasm that is not an insult: a warning, since irony is easy to misread in both
/// directions. Phrases carry their comma where the bare words are also sincere ("oh great,"
/// but not "oh great to hear"); markers already in `HOSTILE` block there instead.
const SARCASM: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "🙄",
            "😒",
            "*eye roll*",
            "*sigh*",
            "oh great,",
            "oh wonderful,",
            "oh joy",
            "oh sure,",
            "sure, because",
            "because that always works",
            "wow, shocking",
            "shocking, i know",
            "what a surprise",
            "surprise, surprise",
            "big surprise",
            "who would have thought",
            "who could have guessed",
            "clearly you",
            "thanks for nothing",
            "nice try",
            "bless your heart",
        ],
    ),
    (
        "pl",
        &[
            "bo to zawsze działa",
            "co za niespodzianka",
            "kto by pomyślał",
            "dzięki za nic",
            "brawo ty",
            "najwyraźniej pan",
            "najwyraźniej pani",
        ],
    ),
    (
        "ru",
        &[
            "ну да, конечно",
            "ага, щас",
            "какая неожиданность",
            "кто бы мог подумать",
            "ну надо же",
            "спасибо, кэп",
            "очевидно, вы",
        ],
    ),
    (
        "tr",
        &[
            "ne sürpriz",
            "aman ne güzel",
            "kim bilebilirdi",
            "tabii ki de",
            "belli ki siz",
        ],
    ),
    (
        "bg",
        &[
            "каква изненада",
            "кой би помислил",
            "ама разбира се",
            "браво на вас",
            "очевидно вие",
        ],
    ),
];

/// Possessives that, before a word in quotes, put the customer's words at arm's length
/// (your "problem"). Turkish marks possession with a suffix, so it has none here.
const POSSESSIVE: &[&str] = &[
    "your",
    "twój",
    "twoja",
    "twoje",
    "pana",
    "pani",
    "państwa",
    "ваш",
    "ваша",
    "ваше",
    "ваши",
    "вашу",
    "твой",
    "твоя",
    "вашият",
    "вашия",
    "вашата",
    "вашето",
    "вашите",
];

const SENSITIVE: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "politic*",
            "election*",
            "government",
            "president",
            "vote for",
            "left-wing",
            "right-wing",
            "religio*",
            "church",
            "god",
            "allah",
            "muslim*",
            "christian*",
            "jewish",
        ],
    ),
    (
        "pl",
        &[
            "polityk*",
            "politycz*",
            "wybor*",
            "rząd*",
            "prezydent*",
            "religi*",
            "kości*",
            "bóg",
            "boga",
            "partii",
            "partia",
        ],
    ),
    (
        "ru",
        &[
            "полити*",
            "выбор*",
            "правительств*",
            "президент*",
            "религи*",
            "церк*",
            "бог",
            "бога",
            "партия",
            "партии",
        ],
    ),
    (
        "tr",
        &[
            "siyas*",
            "seçim*",
            "hükümet*",
            "cumhurbaşkan*",
            "din",
            "dini",
            "allah",
            "cami*",
            "kilise*",
            "parti",
        ],
    ),
    (
        "bg",
        &[
            "полити*",
            "избор*",
            "правителств*",
            "президент*",
            "религи*",
            "църк*",
            "бог",
            "партия",
            "партии",
        ],
    ),
];

pub fn check(text: &str, lang: &str) -> Vec<Finding> {
    let mut out = findings(text, HOSTILE, lang, Kind::Tone, |p| {
        format!("\"{p}\" reads as hostile or sarcastic to a customer")
    });
    out.extend(shouting(text));
    out.extend(sarcasm(text, lang));
    out
}

fn sarcastic(r: std::ops::Range<usize>, what: &str) -> Finding {
    Finding::new(
        r,
        Kind::Tone,
        false,
        format!("{what} can read as sarcastic to a customer"),
    )
}

/// Sarcasm markers, a stressed "SO much", and scare quotes around the customer's words.
fn sarcasm(text: &str, lang: &str) -> Vec<Finding> {
    let folded = Folded::new(text);
    let mut out: Vec<Finding> = entries(SARCASM, lang)
        .into_iter()
        .flat_map(|e| folded.find(e))
        .map(|r| sarcastic(r.clone(), &format!("\"{}\"", &text[r])))
        .collect();
    // Sincere thanks are written in lower case; "Thanks SO much" is said with a look.
    let words = super::super::spell::words(text);
    for pair in words.windows(2) {
        let [(a, w), (b, next)] = pair else { continue };
        if w == "SO" && next.to_lowercase() == "much" {
            out.push(sarcastic(a.start..b.end, "a stressed \"SO much\""));
        }
    }
    out.extend(scare_quotes(text, &words));
    // One warning per stretch of text ("Sure, because that always works" matches twice).
    out.sort_by_key(|f| f.range.start);
    let mut end = 0;
    out.retain(|f| {
        let keep = f.range.start >= end;
        end = end.max(f.range.end);
        keep
    });
    out
}

/// A quoted word or two right after a possessive: your "problem", ваша «проблема». A
/// capitalised quote is more likely a label (your "Orders" page) and is left alone.
fn scare_quotes(text: &str, words: &[(std::ops::Range<usize>, String)]) -> Vec<Finding> {
    const OPEN: &[char] = &['"', '\'', '“', '„', '«', '‘'];
    const CLOSE: &[char] = &['"', '\'', '”', '“', '»', '’'];
    let mut out = Vec::new();
    for (r, w) in words {
        if !POSSESSIVE.contains(&w.to_lowercase().as_str()) {
            continue;
        }
        let rest = &text[r.end..];
        let after = rest.trim_start_matches(' ');
        let Some(q) = after.chars().next().filter(|c| OPEN.contains(c)) else {
            continue;
        };
        let inner_start = r.end + (rest.len() - after.len()) + q.len_utf8();
        let Some(len) = text[inner_start..].find(CLOSE) else {
            continue;
        };
        let inner = &text[inner_start..inner_start + len];
        let n = inner.split_whitespace().count();
        if (1..=2).contains(&n) && inner.chars().next().is_some_and(char::is_lowercase) {
            let close = text[inner_start + len..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            out.push(sarcastic(
                r.start..inner_start + len + close,
                "quotes around the customer's words",
            ));
        }
    }
    out
}

/// Capitals only, in a word of five letters or more or in two words in a row: shouting.
/// Short acronyms (FAQ, SMS, UTC) are fine.
fn shouting(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut run: Vec<std::ops::Range<usize>> = Vec::new();
    let flush = |run: &mut Vec<std::ops::Range<usize>>, out: &mut Vec<Finding>| {
        let long = run.iter().any(|r| text[r.clone()].chars().count() >= 5);
        if run.len() >= 2 || long {
            let r = run[0].start..run[run.len() - 1].end;
            out.push(Finding::new(
                r,
                Kind::Tone,
                true,
                "capitals read as shouting",
            ));
        }
        run.clear();
    };
    for (r, w) in super::super::spell::words(text) {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        let caps = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
        if caps {
            run.push(r);
        } else if !run.is_empty() {
            flush(&mut run, &mut out);
        }
    }
    if !run.is_empty() {
        flush(&mut run, &mut out);
    }
    out
}

pub fn sensitive(text: &str, lang: &str) -> Vec<Finding> {
    findings(text, SENSITIVE, lang, Kind::Sensitive, |p| {
        format!("\"{p}\": politics and religion stay out of care replies")
    })
}
