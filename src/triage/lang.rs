//! Which language a post is in. whatlang is a good guess on sentences but a poor one on
//! tweets (it confuses Bulgarian, Russian and Ukrainian when there are few words), so
//! handles, links and emoji go first, and letters only one language uses decide before it.

use whatlang::{Detector, Lang};

use super::tokens::{is_letter, is_link_or_handle};

/// Too few letters to say anything.
const MIN_LETTERS: usize = 4;

/// Letters that belong to one language of those we score (or at least rule the others out).
fn letter_cue(c: char) -> Option<&'static str> {
    Some(match c {
        'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => "uk",
        'ы' | 'э' | 'ё' | 'Ы' | 'Э' | 'Ё' => "ru",
        'ğ' | 'ı' | 'ş' | 'Ğ' | 'İ' | 'Ş' => "tr",
        'ą' | 'ę' | 'ł' | 'ń' | 'ś' | 'ź' | 'ż' | 'Ą' | 'Ę' | 'Ł' | 'Ń' | 'Ś' | 'Ź' | 'Ż' => {
            "pl"
        }
        'ß' | 'ä' | 'Ä' => "de",
        'ñ' | '¿' | '¡' | 'Ñ' => "es",
        'ç' | 'è' | 'ê' | 'à' | 'ù' | 'œ' | 'é' | 'Ç' | 'È' | 'Ê' | 'É' => "fr",
        _ => return None,
    })
}

/// Short, frequent words that tell Bulgarian from Russian (both lack ы/э/ё sometimes).
const BG_WORDS: &[&str] = &[
    "е",
    "са",
    "съм",
    "си",
    "сме",
    "сте",
    "ще",
    "това",
    "тази",
    "този",
    "тези",
    "какво",
    "защо",
    "няма",
    "може",
    "във",
    "със",
    "пък",
    "които",
    "който",
    "която",
    "което",
    "днес",
    "вече",
    "само",
    "още",
    "обаче",
    "нещо",
    "кой",
    "ги",
    "му",
    "ви",
    "нали",
    "аз",
    "ние",
    "г-н",
    "беше",
    "бяха",
    "ме",
    "те",
    "сега",
    "тук",
    "добре",
    "благодаря",
    "защото",
    "всички",
    "нищо",
    "никой",
    "някой",
    "някои",
    "колко",
    "къде",
    "кога",
    "какъв",
    "каква",
    "какви",
    "нея",
    "тях",
    "трябва",
    "искам",
    "имам",
    "мога",
    "знам",
    "бил",
    "били",
    "също",
    "така",
    "едно",
    "една",
];
const RU_WORDS: &[&str] = &[
    "что",
    "это",
    "как",
    "его",
    "она",
    "они",
    "только",
    "уже",
    "был",
    "была",
    "было",
    "вот",
    "меня",
    "тебя",
    "себя",
    "если",
    "или",
    "когда",
    "очень",
    "ещё",
    "еще",
    "нет",
    "будет",
    "можно",
    "нужно",
    "сегодня",
    "теперь",
    "который",
    "которая",
    "которые",
    "чтобы",
    "всё",
    "здесь",
    "мне",
    "вы",
    "мы",
    "я",
    "он",
    "так",
    "же",
    "бы",
    "нас",
    "для",
    "через",
    "потому",
    "почему",
    "сколько",
    "где",
    "ничего",
    "никто",
    "кто",
    "тут",
    "хорошо",
    "спасибо",
    "своих",
    "всем",
    "здравствуйте",
    "пожалуйста",
    "ждем",
    "сейчас",
    "тоже",
    "также",
    "вам",
    "них",
    "их",
    "всех",
];

/// Russian case and verb endings Bulgarian, which lost its cases, does not write: adjectives
/// ("нового", "новая", "новые"), the reflexive ("ться", "тся"), accusative and instrumental
/// of nouns ("лицензию", "статьёй", "банком", "кредитами"), the present tense ("делают",
/// "потребует").
const RU_ENDINGS: &[&str] = &[
    "ого", "ему", "ться", "тся", "ый", "ию", "ью", "ией", "ую", "ых", "ые", "ий", "ая", "яя", "ое",
    "ей", "ом", "ешь", "ишь", "ами", "ает", "яет", "ует", "ают", "яют", "уют",
];

/// Frequent Ukrainian words written without і ї є ґ.
const UK_WORDS: &[&str] = &["це", "як", "але", "дуже", "вже", "чи"];

/// Frequent English words no other language we score writes the same way.
const EN_WORDS: &[&str] = &[
    "the", "and", "is", "are", "you", "your", "my", "it", "for", "of", "this", "that", "with",
    "was", "have", "we", "be", "can", "just", "but", "what", "i'm", "it's", "don't", "not", "been",
    "they", "will", "would", "from", "about", "get", "got", "us", "our", "please", "thanks",
    "thank", "sorry", "hi", "hello", "there", "their", "which", "should", "could", "has", "had",
    "were", "who", "how", "why", "where", "still", "again",
];

/// Which of the word lists above a word is in, as bits: one hash look-up per word rather
/// than a scan of every list.
const BG: u8 = 1;
const RU: u8 = 2;
const UK: u8 = 4;
const EN: u8 = 8;

fn word_sets() -> &'static rustc_hash::FxHashMap<&'static str, u8> {
    static SETS: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u8>> =
        std::sync::OnceLock::new();
    SETS.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (list, bit) in [
            (BG_WORDS, BG),
            (RU_WORDS, RU),
            (UK_WORDS, UK),
            (EN_WORDS, EN),
        ] {
            for w in list {
                *m.entry(*w).or_insert(0) |= bit;
            }
        }
        m
    })
}

fn detector() -> &'static Detector {
    static D: std::sync::OnceLock<Detector> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        Detector::with_allowlist(vec![
            Lang::Eng,
            Lang::Pol,
            Lang::Rus,
            Lang::Tur,
            Lang::Bul,
            Lang::Ukr,
            Lang::Deu,
            Lang::Fra,
            Lang::Spa,
        ])
    })
}

fn code(l: Lang) -> &'static str {
    match l {
        Lang::Eng => "en",
        Lang::Pol => "pl",
        Lang::Rus => "ru",
        Lang::Tur => "tr",
        Lang::Bul => "bg",
        Lang::Ukr => "uk",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        _ => "und",
    }
}

/// The text without handles, links, hashtag marks, digits and symbols.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for chunk in text.split_whitespace().filter(|c| !is_link_or_handle(c)) {
        for c in chunk.chars() {
            if is_letter(c) || c == '\'' || c == '-' {
                out.push(c);
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// ISO 639-1 code of the language, or "und" when unsure.
pub fn detect(text: &str) -> &'static str {
    let t = clean(text);
    let mut cyrillic = 0;
    let mut latin = 0;
    let mut cues: [(&str, usize); 7] = [
        ("uk", 0),
        ("ru", 0),
        ("tr", 0),
        ("pl", 0),
        ("de", 0),
        ("es", 0),
        ("fr", 0),
    ];
    for c in t.chars() {
        if ('\u{400}'..='\u{4ff}').contains(&c) {
            cyrillic += 1;
        } else if is_letter(c) {
            latin += 1;
        }
        if let Some(l) = letter_cue(c) {
            if let Some(e) = cues.iter_mut().find(|(x, _)| *x == l) {
                e.1 += 1;
            }
        }
    }
    if cyrillic + latin < MIN_LETTERS {
        return "und";
    }
    let count = |l: &str| cues.iter().find(|(x, _)| *x == l).map_or(0, |e| e.1);
    if cyrillic > latin {
        return cyrillic_language(&t, count("uk"), count("ru"));
    }
    // Latin script: a letter only one of our languages uses is a strong hint.
    let best = cues
        .iter()
        .filter(|(l, n)| *n > 0 && !["uk", "ru"].contains(l))
        .max_by_key(|(_, n)| *n);
    // Two or more letters of one language and none of another settle it.
    let cued = cues
        .iter()
        .filter(|(l, n)| *n > 0 && !["uk", "ru"].contains(l))
        .count();
    if let Some(&(l, n)) = best {
        if n >= 2 && cued == 1 {
            return l;
        }
    }
    // Plain English is most posts: its function words settle it without the detector.
    if best.is_none() {
        let mut lower = String::new();
        let en = t
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''))
            .filter(|w| {
                lower.clear();
                lower.push_str(w);
                lower.make_ascii_lowercase();
                word_sets().get(lower.as_str()).is_some_and(|s| s & EN != 0)
            })
            .count();
        if en >= 2 {
            return "en";
        }
    }
    let guess = detector().detect(&t);
    match (best, guess) {
        (Some(&(l, _)), Some(g)) if code(g.lang()) == l => l,
        // whatlang's pick among languages that share the letter (ü, ö: de and tr)
        (Some(&(l, n)), Some(g)) if g.is_reliable() && n < 2 => {
            let c = code(g.lang());
            if ["uk", "ru", "bg"].contains(&c) {
                l
            } else {
                c
            }
        }
        (Some(&(l, _)), _) => l,
        (None, Some(g)) if g.is_reliable() || (g.confidence() > 0.3 && latin >= 12) => {
            match code(g.lang()) {
                "uk" | "ru" | "bg" => "und",
                c => c,
            }
        }
        // Plain ASCII with no confident guess: most likely English, but we do not know.
        _ => "und",
    }
}

/// Russian, Bulgarian or Ukrainian, by the evidence each shows: Ukrainian і ї є ґ and
/// words, Bulgarian words, articles and ъ, Russian ы э ё, case and verb endings and ь. A
/// single Ukrainian letter in a Russian post ("по Україні") is outweighed; whatlang, which
/// on short posts picks Bulgarian or Ukrainian as often as not ("#Ставки по кредитам"),
/// only breaks a tie, and only between Russian and Bulgarian.
fn cyrillic_language(t: &str, uk: usize, ru: usize) -> &'static str {
    let mut bg = 0usize;
    let mut rus = ru * 2;
    let mut ukr = uk * 2;
    for w in t.split_whitespace() {
        // Most words are in lowercase already: lowercased (a copy) only when not.
        let lowered;
        let w = if w
            .chars()
            .all(|c| matches!(c, 'а'..='я' | 'ѐ'..='џ' | 'a'..='z' | '\'' | '-'))
        {
            w
        } else {
            lowered = w.to_lowercase();
            lowered.as_str()
        };
        let sets = word_sets().get(w).copied().unwrap_or(0);
        if sets & BG != 0 {
            bg += 2;
        }
        if sets & RU != 0 {
            rus += 2;
        }
        if sets & UK != 0 {
            ukr += 2;
        }
        // ъ inside a word is everyday Bulgarian; in Russian it only follows a prefix.
        let hard = w.matches('ъ').count();
        if hard > 0 && !w.starts_with("об") && !w.starts_with("под") && !w.starts_with("с") {
            bg += hard;
        }
        // Bulgarian's definite article: -ът, -ят, and of the forms Russian never ends a
        // word with, -ката, -ията, -ството ("банката", "компанията", "дружеството").
        if ["ът", "ят", "ката", "ията", "ството"]
            .iter()
            .any(|a| w.ends_with(a))
        {
            bg += 1;
        }
        // On a stem of two letters at least: "кое", "дом" are Bulgarian words too.
        let letters = w.chars().count();
        if (RU_ENDINGS.iter()).any(|e| w.ends_with(e) && letters >= e.chars().count() + 2) {
            rus += 1;
        }
        // ь: Bulgarian writes it only before о ("шофьор"), Russian everywhere ("деньги").
        let soft = w.matches('ь').count();
        let soft_o = w.matches("ьо").count();
        bg += soft_o;
        rus += soft - soft_o;
    }
    if ukr > rus && ukr > bg {
        "uk"
    } else if bg > rus {
        "bg"
    } else if rus > bg {
        "ru"
    } else {
        // No evidence either way (or as much): whatlang's reading of the letters decides
        // between the two, never for Ukrainian, which always shows its own letters.
        match detector().detect(t).map(|g| code(g.lang())) {
            Some("bg") => "bg",
            _ => "ru",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_on_short_posts() {
        let cases = [
            (
                "@acme my order never arrived, I want a refund https://t.co/x",
                "en",
            ),
            ("Zamówienie nie dotarło, jestem bardzo zły", "pl"),
            ("Заказ так и не пришёл, это ужасно", "ru"),
            ("Siparişim hâlâ gelmedi, rezalet!", "tr"),
            ("Поръчката ми още не е пристигнала, това е безобразие", "bg"),
            ("Замовлення досі не прийшло, це жахливо", "uk"),
            ("Meine Bestellung ist immer noch nicht angekommen", "de"),
            ("Ma commande n'est toujours pas arrivée, c'est nul", "fr"),
            ("Mi pedido todavía no ha llegado, qué desastre", "es"),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text}");
        }
    }

    #[test]
    fn unsure_is_und() {
        assert_eq!(detect("@acme 👍👍 https://x.y"), "und");
        assert_eq!(detect("ok"), "und");
        assert_eq!(detect(""), "und");
    }

    #[test]
    fn cyrillic_cues() {
        assert_eq!(detect("Кога ще дойде?"), "bg");
        assert_eq!(detect("Когда будет?"), "ru");
        // No ы/э/ё and no frequent word of either: the case ending tells.
        assert_eq!(detect("ЦБ отозвал лицензию у банка Х"), "ru");
        assert_eq!(detect("Банката отне лиценза на дружеството"), "bg");
        assert_eq!(detect("Чекаю відповіді"), "uk");
    }

    #[test]
    fn short_russian_posts_stay_russian_on_little_evidence() {
        // A soft sign, a case or verb ending is enough; whatlang alone would often say
        // Bulgarian or Ukrainian here.
        for text in [
            "#Вклады под процент россельхозбанк",
            "@bank худший банк",
            "Новая ипотека под залог",
            "Кредит выдают быстро",
            "Банк отключил сбойные банкоматы",
            // One Ukrainian place name in a Russian sentence.
            "Новости по Україні: курс валют на сегодня растёт",
        ] {
            assert_eq!(detect(text), "ru", "{text}");
        }
        // Bulgarian and Ukrainian with evidence of their own still are.
        for (text, want) in [
            ("Банката не е отговорила", "bg"),
            ("Парите ми още ги няма", "bg"),
            ("Кредитът ми беше отказан", "bg"),
            ("Дуже погано, це жахливо", "uk"),
            ("Гроші досі не повернули", "uk"),
        ] {
            assert_eq!(detect(text), want, "{text}");
        }
    }
}
