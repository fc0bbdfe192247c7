//! The real Hunspell dictionaries the Debian packages install, with their traps: Polish in
//! ISO8859-2, en_GB's byte-order mark, Turkish flag `0`, typographic apostrophes. Each test
//! skips with a message where its dictionary is not installed (CI installs them all).

use std::path::Path;

use modq::compose::dict;
use modq::compose::spell::Speller;

fn system(stem: &str) -> Option<Speller> {
    let dir = Path::new("/usr/share/hunspell");
    let (aff, dic) = (
        dir.join(format!("{stem}.aff")),
        dir.join(format!("{stem}.dic")),
    );
    if !aff.is_file() || !dic.is_file() {
        eprintln!("SKIPPED: {stem} is not installed (apt-get install hunspell-…)");
        return None;
    }
    let d = dict::load_files(&aff, &dic).unwrap_or_else(|e| panic!("{stem}: {e}"));
    Some(Speller::new(stem, d))
}

fn assert_words(s: &Speller, good: &[&str], bad: &[&str]) {
    for w in good {
        assert!(s.check_word(w), "{}: {w} should be known", s.lang);
    }
    for w in bad {
        assert!(!s.check_word(w), "{}: {w} should be misspelt", s.lang);
    }
}

#[test]
fn polish_iso8859_2_is_decoded_by_its_set_line() {
    let Some(s) = system("pl_PL") else { return };
    assert_words(
        &s,
        &["żółw", "dziękujemy", "zamówienie", "przesyłka"],
        &["dziekujemy", "zamowienie"],
    );
    assert_eq!(
        s.suggest("dziekujemy").first().map(String::as_str),
        Some("dziękujemy")
    );
}

#[test]
fn en_gb_with_a_byte_order_mark() {
    let Some(s) = system("en_GB") else { return };
    assert!(
        std::fs::read("/usr/share/hunspell/en_GB.aff")
            .map(|b| b.starts_with(b"\xEF\xBB\xBF"))
            .unwrap_or(false),
        "the trap is still there"
    );
    assert_words(
        &s,
        &["colour", "apologise", "cancelled"],
        &["colr", "apologyse"],
    );
}

#[test]
fn turkish_flag_zero_is_renumbered() {
    let Some(s) = system("tr_TR") else { return };
    assert_words(
        &s,
        &["teşekkürler", "siparişiniz", "kitaplar", "abajurlar"],
        &["siparisiniz", "kitaplarr"],
    );
}

#[test]
fn cyrillic_dictionaries() {
    if let Some(s) = system("ru_RU") {
        assert_words(
            &s,
            &["спасибо", "заказ", "доставка"],
            &["спосибо", "заказь"],
        );
    }
    if let Some(s) = system("bg_BG") {
        assert_words(&s, &["благодарим", "поръчка"], &["благударим"]);
    }
    if let Some(s) = system("uk_UA") {
        assert_words(&s, &["дякуємо", "замовлення"], &["дякуемо"]);
    }
}

#[test]
fn typographic_apostrophes_are_checked_as_straight_ones() {
    let s = Speller::new("en", dict::load("en", &[]).map(|l| l.dict).unwrap());
    let known = Default::default();
    assert!(s.misses("We don’t know, it’s fine", &known).is_empty());
    assert_eq!(s.misses("We dont’ know", &known).len(), 1);
}

#[test]
fn an_apostrophe_parts_words_only_where_the_language_does() {
    // English: the apostrophe is part of the word, and "r", "l", "is", "am" do not make a
    // misspelt contraction right.
    let en = Speller::new("en", dict::load("en", &[]).map(|l| l.dict).unwrap());
    assert_words(
        &en,
        &[
            "you're", "we'll", "I'll", "they're", "it's", "I'm", "don't", "o'clock",
        ],
        &["you'r", "we'l", "I'l", "they'r", "it'is", "I'am", "dont'"],
    );
    let known = Default::default();
    assert_eq!(
        en.misses("Sorry, you'r right and we'l fix it", &known)
            .len(),
        2
    );
    // Turkish and Polish: a name, an apostrophe, its case ending.
    if let Some(tr) = system("tr_TR") {
        assert_words(
            &tr,
            &["Ankara'da", "İstanbul'a", "Türkiye'nin"],
            &["Ankara'dq"],
        );
    }
    if let Some(pl) = system("pl_PL") {
        assert_words(&pl, &["Andy'ego", "Shakespeare'a"], &["Andy'egp"]);
    }
}

#[test]
fn user_directories_come_before_the_system() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pl_PL.aff"), "SET UTF-8\n").unwrap();
    std::fs::write(dir.path().join("pl_PL.dic"), "1\nacmezwrot\n").unwrap();
    let l = dict::load("pl", &dict::search_dirs(&[dir.path().to_path_buf()])).unwrap();
    assert!(l.origin.starts_with(&dir.path().display().to_string()));
    assert!(l.dict.check("acmezwrot"));
}

#[test]
fn default_templates_pass_their_own_spelling_gate() {
    let (all, errors) = modq::compose::template::load(None);
    assert!(errors.is_empty(), "{errors:?}");
    let known = Default::default();
    for lang in modq::compose::template::LANGS {
        let Ok(l) = dict::load(lang, &dict::search_dirs(&[])) else {
            eprintln!("SKIPPED: no {lang} dictionary installed");
            continue;
        };
        let s = Speller::new(lang, l.dict);
        for t in &all {
            let misses = s.misses(t.body_for(lang).1, &known);
            assert!(misses.is_empty(), "{} ({lang}): {misses:?}", t.id);
        }
    }
}

#[test]
fn suggestions_put_the_likely_word_first_in_each_language() {
    let en = Speller::new("en", dict::load("en", &[]).map(|l| l.dict).unwrap());
    assert_eq!(en.suggest("thier")[0], "their");
    assert_eq!(en.suggest("beleive")[0], "believe");
    assert_eq!(en.suggest("recieve")[0], "receive");
    assert_eq!(en.suggest("definately")[0], "definitely");
    let cases = [
        ("pl_PL", "dziekujemy", "dziękujemy"),
        ("pl_PL", "zamowienie", "zamówienie"),
        ("ru_RU", "здраствуйте", "здравствуйте"),
        ("ru_RU", "пожалуста", "пожалуйста"),
        ("tr_TR", "tesekkurler", "teşekkürler"),
        ("tr_TR", "yardimci", "yardımcı"),
    ];
    for (stem, typed, meant) in cases {
        let Some(s) = system(stem) else { continue };
        let got = s.suggest(typed);
        assert_eq!(
            got.first().map(String::as_str),
            Some(meant),
            "{stem}: {typed} → {got:?}"
        );
        assert!(got.len() <= 5);
    }
}
