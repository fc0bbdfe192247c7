//! Care cues: what generic sentiment misses and a care team acts on (refund, broken, never
//! arrived, cancel, legal, safety, outage, repeated contact, an open question). The phrases
//! live in each language's lexicon file; a cue counts once per post.

use super::lexicon::{Entry, Lexicon};
use super::phrases::Span;
use super::tokens::Tokens;
use crate::model::Cue;

/// A question left hanging is worth answering sooner, in every language.
const QUESTION: f32 = 0.2;

/// The cues of `lex` in `toks`, strongest first, and which tokens their phrases cover
/// (`in_cue`, empty when no phrase matched); `spans` are where the cue phrases stand
/// (`phrases::find`); `found` is what `lex` says about each token (`Tokens::found_in`). One
/// match serves both the cues and the score.
pub fn find_in(
    toks: &Tokens,
    lex: &Lexicon,
    found: &[Option<&Entry>],
    spans: &[Span],
) -> (Vec<Cue>, Vec<bool>) {
    // Made only when a phrase matches: most texts raise no cue.
    let mut hit: Vec<bool> = Vec::new();
    let mut in_cue: Vec<bool> = Vec::new();
    for &Span { of: cue, at, len } in spans {
        hit.resize(lex.cues.len(), false);
        hit[cue] = true;
        in_cue.resize(toks.toks.len(), false);
        in_cue[at..at + len].iter_mut().for_each(|c| *c = true);
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
    if toks.asks(found) {
        out.push(Cue {
            tag: "question".into(),
            weight: QUESTION,
        });
    }
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    (out, in_cue)
}

/// The weights together, capped at 1: three mild cues do not outweigh one legal threat by much.
pub fn total(cues: &[Cue]) -> f32 {
    cues.iter().map(|c| c.weight).sum::<f32>().min(1.0)
}

#[cfg(test)]
mod tests {
    use crate::triage::analyse;

    #[test]
    fn waiting_and_being_ignored_are_repeated_contact() {
        for (text, lang) in [
            ("Жду ответа уже две недели", "ru"),
            ("Никто не отвечает, не дозвониться", "ru"),
            ("Nikt nie odpowiada od tygodnia", "pl"),
            ("Никой не отговаря, чакам отговор", "bg"),
            ("Haftadır cevap yok", "tr"),
        ] {
            let cues = analyse(text, Some(lang)).cues;
            assert!(cues.iter().any(|c| c.tag == "repeat"), "{text}: {cues:?}");
        }
    }

    #[test]
    fn a_duration_or_a_sum_of_money_is_a_cue() {
        let tags = |text: &str, lang: &str| -> Vec<String> {
            (analyse(text, Some(lang)).cues.into_iter())
                .map(|c| c.tag)
                .collect()
        };
        for (text, lang, cues) in [
            ("Czekałam 3 godziny na wizytę", "pl", &["duration"][..]),
            (
                "Wizyta trwała 5 minut i kosztowała 200zł",
                "pl",
                &["duration", "money"],
            ),
            (
                "10-minutowa wizyta za 150 złotych",
                "pl",
                &["duration", "money"],
            ),
            ("Czekam już 10-15 minut", "pl", &["duration"]),
            ("Ждал 2 часа, списали 500 руб", "ru", &["duration", "money"]),
            ("3 gündür bekliyorum, 100 TL ödedim", "tr", &["money"]),
            ("Чакам 2 седмици за 30 лв", "bg", &["duration", "money"]),
            (
                "Charged 50 dollars for 2 weeks of nothing",
                "en",
                &["duration", "money"],
            ),
        ] {
            let found = tags(text, lang);
            for cue in cues {
                assert!(found.iter().any(|t| t == cue), "{text}: {found:?}");
            }
        }
        // A number that counts no time or money is no cue, nor a unit without a number.
        for (text, lang) in [
            ("I have 3 kids", "en"),
            ("2nd place", "en"),
            ("minutes ago", "en"),
        ] {
            let found = tags(text, lang);
            assert!(
                !found.iter().any(|t| t == "duration" || t == "money"),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn a_hospital_is_a_place_ending_up_in_one_is_a_harm() {
        let safety = |t: &str| {
            analyse(t, Some("pl"))
                .cues
                .iter()
                .any(|c| c.tag == "safety")
        };
        assert!(!safety("Leżałam w szpitalu na oddziale kardiologii"));
        assert!(!safety("Mam alergię na pyłki"));
        assert!(safety("Po tym kremie trafiłam do szpitala"));
        assert!(safety("Wystąpiła reakcja alergiczna"));
    }

    fn safety(text: &str, lang: &str) -> bool {
        analyse(text, Some(lang))
            .cues
            .iter()
            .any(|c| c.tag == "safety")
    }

    #[test]
    fn reports_of_harm_are_safety_in_five_languages() {
        for (text, lang) in [
            (
                "The power strip I bought SPARKS when I plug things in",
                "en",
            ),
            ("my PowerCell melted the lining of my bag", "en"),
            ("the battery is swollen and bulging", "en"),
            ("got an electric shock from the kettle", "en"),
            ("smoke coming out of the charger", "en"),
            ("my son got hurt by the blade", "en"),
            ("the charger caught fire overnight", "en"),
            ("Ładowarka iskrzy przy podłączaniu", "pl"),
            ("Powerbank spuchł i śmierdzi spalenizną", "pl"),
            ("Obudowa się stopiła", "pl"),
            ("Kopnął mnie prąd przy włączaniu", "pl"),
            ("Dziecko się poparzyło", "pl"),
            ("Ładowarka się pali!", "pl"),
            ("У меня PowerCell раздулся прямо в рюкзаке", "ru"),
            ("Удлинитель искрит", "ru"),
            ("Корпус оплавился, дым пошёл", "ru"),
            ("Ребёнок обжёгся о зарядку", "ru"),
            ("Меня ударило током", "ru"),
            ("Şarj aleti kıvılcım çıkardı", "tr"),
            ("Powerbank şişti ve eridi", "tr"),
            ("Elektrik çarptı, çocuğum yaralandı", "tr"),
            ("Priz alev aldı", "tr"),
            ("Батерията се поду и пуши", "bg"),
            ("Зарядното искри", "bg"),
            ("Кабелът се стопи", "bg"),
            ("Удари ме ток от контакта", "bg"),
            ("Детето се нарани", "bg"),
        ] {
            assert!(safety(text, lang), "{lang}: {text}");
        }
    }

    #[test]
    fn fire_and_smoke_as_figures_of_speech_are_no_safety_report() {
        for (text, lang) in [
            ("Fire sale this weekend, everything must go", "en"),
            ("this deal is fire", "en"),
            ("smoking hot price on the headphones", "en"),
            ("you guys are killing it", "en"),
            ("our burn rate is fine", "en"),
            ("it wouldn't hurt to answer faster", "en"),
            ("that card melted my heart", "en"),
            ("fire your support team", "en"),
            ("Nie pali się, odpiszcie kiedy możecie", "pl"),
            ("Bardzo mi się pali z tym zamówieniem", "pl"),
            ("Zapaliła się kontrolka ładowania", "pl"),
            ("Mam alergię na pyłki", "pl"),
            ("Искренне благодарю за помощь", "ru"),
            ("Бонусы сгорели, верните", "ru"),
            ("Загорела на море, вернулась за заказом", "ru"),
            ("Kargo yine gecikti, yandık!", "tr"),
            ("Искрено благодаря", "bg"),
        ] {
            assert!(!safety(text, lang), "{lang}: {text}");
        }
    }

    #[test]
    fn words_that_only_look_like_a_cue_raise_none() {
        let tags = |t: &str| -> Vec<String> {
            analyse(t, Some("pl"))
                .cues
                .into_iter()
                .map(|c| c.tag)
                .collect()
        };
        // "pozwolić" (allow) is not "pozwać" (sue); "zwrócić się do" is turning to someone.
        assert!(tags("Pozwoliła mi wszystko spokojnie opowiedzieć").is_empty());
        assert!(tags("Zwróciłam się do lekarza rodzinnego").is_empty());
        assert!(tags("Pozwę was do sądu").contains(&"legal".to_string()));
        assert!(tags("Zwróćcie mi pieniądze").contains(&"refund".to_string()));
    }
}
