//! The language a reply is written in, guessed from its letters and most common words, so
//! spelling is checked in the right dictionary without the moderator choosing it. A hint for
//! short texts; the moderator can always choose with a key.

/// Letters only one of the default languages uses, then common short words.
pub fn detect(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let has = |set: &str| lower.chars().filter(|c| set.contains(*c)).count();
    let cyrillic = lower
        .chars()
        .filter(|c| ('\u{400}'..='\u{4ff}').contains(c))
        .count();
    let latin = lower.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if cyrillic == 0 && latin == 0 {
        return None;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let hits = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
    if cyrillic > latin {
        if has("іїєґ") > 0 {
            return Some("uk");
        }
        let ru = has("ыэё") * 2
            + hits(&[
                "вы",
                "что",
                "это",
                "как",
                "спасибо",
                "здравствуйте",
                "мы",
                "не",
                "ваш",
                "заказ",
            ]);
        let bg = has("ъ")
            + hits(&[
                "вие",
                "се",
                "да",
                "благодарим",
                "здравейте",
                "ние",
                "сме",
                "ще",
                "за",
                "поръчка",
            ]);
        return Some(if bg > ru { "bg" } else { "ru" });
    }
    let pl = has("ąćęłńśźż") * 2
        + hits(&[
            "się",
            "nie",
            "jest",
            "dziękujemy",
            "cześć",
            "czy",
            "na",
            "za",
            "to",
            "zamówienie",
        ]);
    let tr = has("ğış") * 2
        + hits(&[
            "ve",
            "bir",
            "bu",
            "için",
            "merhaba",
            "teşekkürler",
            "siparişiniz",
            "çok",
        ]);
    let de = has("äß") * 2
        + hits(&[
            "und", "der", "die", "das", "ist", "nicht", "wir", "ihre", "danke",
        ]);
    let en = hits(&[
        "the", "and", "you", "your", "we", "is", "to", "for", "thanks", "hi", "sorry", "it",
    ]);
    let best = [(en, "en"), (pl, "pl"), (tr, "tr"), (de, "de")]
        .into_iter()
        .max_by_key(|(n, _)| *n)?;
    (best.0 > 0).then_some(best.1)
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn detects_the_default_languages() {
        assert_eq!(detect("Hi, sorry for the wait"), Some("en"));
        assert_eq!(detect("Cześć, przepraszamy za opóźnienie"), Some("pl"));
        assert_eq!(detect("Здравствуйте! Спасибо, что написали"), Some("ru"));
        assert_eq!(
            detect("Здравейте! Благодарим Ви, че ни писахте"),
            Some("bg")
        );
        assert_eq!(detect("Merhaba, siparişiniz yolda"), Some("tr"));
        assert_eq!(detect("Дякуємо, ми вже працюємо"), Some("uk"));
        assert_eq!(detect("12345 🙂"), None);
    }
}
