//! Each check in each default language. Spelling runs on a small dictionary written here, so
//! these tests need no system files.

use std::collections::HashSet;

use super::*;
use crate::compose::spell::Speller;

/// A dictionary of a few words in each default language.
fn speller(lang: &str) -> Speller {
    let words = match lang {
        "pl" => "dziękujemy\nza\ncierpliwość\nzamówienie\njest\nw\ndrodze",
        "ru" => "спасибо\nза\nтерпение\nзаказ\nуже\nв\nпути",
        "tr" => "teşekkürler\nsiparişiniz\nyolda\nbekleyin",
        "bg" => "благодарим\nза\nтърпението\nпоръчката\nе\nна\nпът",
        _ => "thanks\nfor\nwaiting\nyour\norder\nis\non\nits\nway\nhi",
    };
    let dic = format!("{}\n{words}\n", words.lines().count());
    Speller::new(
        lang,
        spellbook::Dictionary::new("SET UTF-8\nTRY abc\n", &dic).unwrap(),
    )
}

fn run(text: &str, lang: &str, private: bool) -> Vec<Finding> {
    let s = speller(lang);
    let known: HashSet<String> = ["acme".to_string()].into();
    check(&Input {
        text,
        lang,
        lang_chosen: false,
        customer_lang: None,
        network: Network::Mastodon,
        private,
        limits: length::Limits::default(),
        dictionary: Dictionary::Ready(&s),
        known_words: &known,
        template: None,
        names: &[],
        earlier_to_mention: 0,
        same_text_to_author: false,
    })
}

fn kinds(f: &[Finding]) -> Vec<Kind> {
    f.iter().map(|f| f.kind).collect()
}

#[test]
fn clean_replies_pass_in_every_language() {
    for (lang, text) in [
        (
            "en",
            "Hi, thanks for waiting: your order is on its way. Acme",
        ),
        ("pl", "Dziękujemy za cierpliwość, zamówienie jest w drodze."),
        ("ru", "Спасибо за терпение, заказ уже в пути."),
        ("tr", "Teşekkürler, siparişiniz yolda."),
        ("bg", "Благодарим за търпението, поръчката е на път."),
    ] {
        let f = run(text, lang, false);
        assert!(f.is_empty(), "{lang}: {f:?}");
    }
}

#[test]
fn spelling_in_every_language_with_its_position() {
    for (lang, text, bad) in [
        ("en", "Hi, thansk for waiting", "thansk"),
        ("pl", "Dziękujmy za cierpliwość", "Dziękujmy"),
        ("ru", "Спасибо за терпенее", "терпенее"),
        ("tr", "Teşekürler, siparişiniz yolda", "Teşekürler"),
        ("bg", "Благодарим за търпениeто", "търпениeто"),
    ] {
        let f = run(text, lang, false);
        assert_eq!(kinds(&f), [Kind::Spelling], "{lang}: {f:?}");
        assert_eq!(&text[f[0].range.clone()], bad);
        assert!(f[0].blocking);
    }
}

#[test]
fn skipped_tokens_and_brand_words_are_not_misspelt() {
    let f = run(
        "Hi @anna https://acme.example/x #AcmeCare help@acme.com 42 🙂 {order_id} ACME’s",
        "en",
        false,
    );
    assert_eq!(kinds(&f), [Kind::Placeholder], "{f:?}");
}

#[test]
fn no_dictionary_is_said_plainly() {
    let known = HashSet::new();
    let f = check(&Input {
        text: "Dzień dobry",
        lang: "pl",
        lang_chosen: false,
        customer_lang: None,
        network: Network::Mastodon,
        private: false,
        limits: length::Limits::default(),
        dictionary: Dictionary::Missing("no pl dictionary"),
        known_words: &known,
        template: None,
        names: &[],
        earlier_to_mention: 0,
        same_text_to_author: false,
    });
    assert_eq!(kinds(&f), [Kind::Unchecked]);
    assert!(f[0].message.contains("NOT checked"));
    assert!(!f[0].blocking);
}

#[test]
fn unfilled_placeholders_block_and_cannot_be_overridden() {
    let f = run("Hi, your order {order_id} is on its way", "en", false);
    assert_eq!(kinds(&f), [Kind::Placeholder]);
    assert!(f[0].blocking && !f[0].overridable());
}

#[test]
fn tone_in_every_language() {
    for (lang, text, phrase) in [
        ("en", "Hi, calm down, your order is on its way", "calm down"),
        ("pl", "Uspokój się, zamówienie jest w drodze", "Uspokój się"),
        ("ru", "Сами виноваты, заказ уже в пути", "Сами виноваты"),
        ("tr", "Sakin olun, siparişiniz yolda", "Sakin olun"),
        (
            "bg",
            "Сами сте виновни, поръчката е на път",
            "Сами сте виновни",
        ),
    ] {
        let f: Vec<_> = run(text, lang, false)
            .into_iter()
            .filter(|f| f.kind == Kind::Tone)
            .collect();
        assert_eq!(f.len(), 1, "{lang}: {f:?}");
        assert_eq!(&text[f[0].range.clone()], phrase, "{lang}");
    }
}

#[test]
fn shouting_but_not_acronyms() {
    let f = run("Hi, your ORDER IS on its way", "en", false);
    assert_eq!(kinds(&f), [Kind::Tone]);
    assert!(run("Hi, see FAQ", "en", false)
        .iter()
        .all(|f| f.kind != Kind::Tone));
    let f = run("Спасибо ЗАКАЗ УЖЕ в пути", "ru", false);
    assert!(kinds(&f).contains(&Kind::Tone));
}

#[test]
fn sensitive_topics_in_every_language() {
    for (lang, text) in [
        ("en", "Hi, thanks for waiting, the election is on"),
        ("pl", "Dziękujemy za cierpliwość, polityka"),
        ("ru", "Спасибо за терпение, политика"),
        ("tr", "Teşekkürler, siyaset"),
        ("bg", "Благодарим за търпението, политика"),
    ] {
        let f = run(text, lang, false);
        assert!(kinds(&f).contains(&Kind::Sensitive), "{lang}: {f:?}");
    }
}

#[test]
fn privacy_in_every_language_unless_private() {
    for (lang, text) in [
        ("en", "Hi, what is your phone number"),
        ("pl", "Podaj numer telefonu"),
        ("ru", "Напишите номер телефона"),
        ("tr", "Telefon numaranızı yazın"),
        ("bg", "Напишете телефонния си номер"),
    ] {
        assert!(
            kinds(&run(text, lang, false)).contains(&Kind::Privacy),
            "{lang}"
        );
        assert!(
            !kinds(&run(text, lang, true)).contains(&Kind::Privacy),
            "{lang} private"
        );
    }
    // Pointing to a private message is the right way to ask.
    let f = run(
        "Hi, send your order number in a private message",
        "en",
        false,
    );
    assert!(!kinds(&f).contains(&Kind::Privacy));
}

#[test]
fn length_per_network() {
    let limits = length::Limits::default();
    let url = format!("https://example.com/{}", "x".repeat(200));
    let text = format!("{} {url}", "a".repeat(470));
    // 470 + 1 + 23 = 494: the URL counts 23 on Mastodon.
    assert_eq!(length::count(&text, Network::Mastodon, &limits).0, 494);
    assert!(length::check(&text, Network::Mastodon, &limits).is_none());
    let f = length::check(&text, Network::Bluesky, &limits).unwrap();
    assert!(f.blocking);
    assert_eq!(f.range.start, 300);
    // Graphemes, not bytes or chars: 300 flags with skin tones fit Bluesky.
    let emoji = "👍🏽".repeat(300);
    assert!(length::check(&emoji, Network::Bluesky, &limits).is_none());
    assert!(length::check(&format!("{emoji}!"), Network::Bluesky, &limits).is_some());
}

#[test]
fn copy_paste_and_duplicates_warn() {
    let s = speller("en");
    let known = HashSet::new();
    let names = vec!["Anna".to_string()];
    let base = |text, template, earlier, same| {
        check(&Input {
            text,
            lang: "en",
            lang_chosen: false,
            customer_lang: None,
            network: Network::Mastodon,
            private: false,
            limits: length::Limits::default(),
            dictionary: Dictionary::Ready(&s),
            known_words: &known,
            template,
            names: &names,
            earlier_to_mention: earlier,
            same_text_to_author: same,
        })
    };
    let t = "Hi Anna, thanks for waiting";
    let f = base(t, Some(t), 0, false);
    assert!(f.iter().any(|f| f.kind == Kind::CopyPaste && !f.blocking));
    let f = base(
        "Hi Anna, thanks for waiting, your order is on its way",
        Some(t),
        0,
        false,
    );
    assert!(f.iter().all(|f| f.kind != Kind::CopyPaste), "{f:?}");
    let f = base("Hi, thanks for waiting", Some(t), 1, true);
    assert_eq!(
        kinds(&f),
        [Kind::CopyPaste, Kind::Duplicate, Kind::Duplicate]
    );
}

fn to_customer(text: &str, customer: &str, chosen: bool) -> Vec<Finding> {
    let s = speller("en");
    let known = HashSet::new();
    check(&Input {
        text,
        lang: "en",
        lang_chosen: chosen,
        customer_lang: Some(customer),
        network: Network::Mastodon,
        private: false,
        limits: length::Limits::default(),
        dictionary: Dictionary::Ready(&s),
        known_words: &known,
        template: None,
        names: &[],
        earlier_to_mention: 0,
        same_text_to_author: false,
    })
}

#[test]
fn a_reply_in_another_language_than_the_customers_warns() {
    let en = "Hi, thanks for waiting: your order is on its way and arrives tomorrow.";
    let f: Vec<_> = to_customer(en, "pl", false)
        .into_iter()
        .filter(|f| f.kind == Kind::Language)
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(!f[0].blocking);
    assert_eq!(
        f[0].message,
        "the customer wrote in Polish; this reply is in English"
    );
    let ru = "Здравствуйте! Спасибо за терпение, ваш заказ уже в пути и приедет завтра.";
    let f = to_customer(ru, "tr", false);
    assert!(
        f.iter()
            .any(|f| f.message == "the customer wrote in Turkish; this reply is in Russian"),
        "{f:?}"
    );
    let lang_of = |text, customer, chosen| {
        to_customer(text, customer, chosen)
            .into_iter()
            .filter(|f| f.kind == Kind::Language)
            .count()
    };
    // The same language, an unknown one, a language chosen with a key, a reply too short
    // to tell: nothing to say.
    assert_eq!(lang_of(en, "en", false), 0);
    assert_eq!(lang_of(en, "und", false), 0);
    assert_eq!(lang_of(en, "pl", true), 0);
    assert_eq!(lang_of("Hi, thanks Ania!", "pl", false), 0);
    let pl = "Dzień dobry, dziękujemy za cierpliwość, zamówienie jest już w drodze.";
    assert_eq!(lang_of(pl, "pl", false), 0);
}

fn sarcasm(text: &str, lang: &str) -> Vec<Finding> {
    run(text, lang, false)
        .into_iter()
        .filter(|f| f.kind == Kind::Tone && !f.blocking)
        .collect()
}

#[test]
fn sarcasm_warns_in_every_language() {
    for (lang, text, marked) in [
        ("en", "Thanks SO much for your patience", "SO much"),
        ("en", "Thanks for waiting 🙄", "🙄"),
        ("en", "Oh great, another refund request", "Oh great,"),
        ("en", "Sure, because that always works", "Sure, because"),
        ("en", "Wow, shocking, the order is late", "Wow, shocking"),
        ("en", "Clearly you did not check", "Clearly you"),
        (
            "en",
            "We looked into your \"problem\" today",
            "your \"problem\"",
        ),
        (
            "pl",
            "Co za niespodzianka, zamówienie jest w drodze",
            "Co za niespodzianka",
        ),
        ("pl", "Sprawdzimy pana „problem” jutro", "pana „problem”"),
        (
            "ru",
            "Какая неожиданность, заказ уже в пути",
            "Какая неожиданность",
        ),
        (
            "ru",
            "Мы проверим ваша «проблема» завтра",
            "ваша «проблема»",
        ),
        ("tr", "Ne sürpriz, siparişiniz yolda", "Ne sürpriz"),
        ("bg", "Каква изненада, поръчката е на път", "Каква изненада"),
    ] {
        let f = sarcasm(text, lang);
        assert_eq!(f.len(), 1, "{lang} {text}: {f:?}");
        assert_eq!(&text[f[0].range.clone()], marked, "{lang}");
        assert!(f[0].message.contains("sarcastic"));
    }
}

#[test]
fn sincere_replies_are_not_sarcastic() {
    for (lang, text) in [
        ("en", "Thanks so much for your patience!"),
        ("en", "Oh great to hear it arrived, thanks!"),
        ("en", "Sure, we can help with that."),
        ("en", "Open your \"Orders\" page and tap Return."),
        ("en", "Your order's on its way, we're so sorry for the wait"),
        (
            "pl",
            "Dziękujemy bardzo za cierpliwość, zamówienie jest w drodze.",
        ),
        ("ru", "Большое спасибо за терпение, заказ уже в пути."),
        ("tr", "Sabrınız için çok teşekkürler, siparişiniz yolda."),
        ("bg", "Много благодарим за търпението, поръчката е на път."),
    ] {
        let f = sarcasm(text, lang);
        assert!(f.is_empty(), "{lang} {text}: {f:?}");
    }
}
