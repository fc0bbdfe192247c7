//! Tone: insults, blaming or arguing with the customer, sarcasm markers, shouting; and
//! sensitive topics (politics, religion) a brand should not discuss in a care reply.
//! The lists were written for modq; they catch the usual slips, not every possible one.

use super::lexicon::findings;
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
