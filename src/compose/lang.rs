//! The language a reply is written in, so spelling is checked in the right dictionary
//! without the moderator choosing it: triage's detector, with "unsure" as `None`. A hint for
//! short texts; the moderator can always choose with a key.

/// ISO 639-1 code of the reply's language, `None` when the detector is unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    match crate::triage::lang::detect(text) {
        "und" => None,
        l => Some(l),
    }
}

/// The language's English name for messages ("Polish"), the code itself when unknown.
pub fn name(code: &str) -> &str {
    match code {
        "en" => "English",
        "pl" => "Polish",
        "ru" => "Russian",
        "tr" => "Turkish",
        "bg" => "Bulgarian",
        "uk" => "Ukrainian",
        "de" => "German",
        "es" => "Spanish",
        "fr" => "French",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn detects_the_default_languages() {
        assert_eq!(detect("Hi, sorry for the wait"), Some("en"));
        // Short replies with few of the commonest words still read as English.
        assert_eq!(detect("Please send us your order number."), Some("en"));
        assert_eq!(detect("Thanks, please check your inbox."), Some("en"));
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
