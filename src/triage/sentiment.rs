//! A first, deliberately simple scorer: a small care-vocabulary word list per language with
//! prefix matching (so inflected forms count), negation of the next word, and a couple of
//! surface cues (shouting, "!!!"). It explains itself through `Reason`s.

use crate::model::{Label, Reason, Sentiment};

/// (prefix, weight). A word matches when it starts with the prefix; prefixes are lowercase.
const LEXICON: &[(&str, f32)] = &[
    // English
    ("refund", -0.5),
    ("broken", -0.6),
    ("broke", -0.4),
    ("defect", -0.6),
    ("late", -0.4),
    ("still waiting", -0.6),
    ("waiting", -0.3),
    ("never arrived", -0.8),
    ("never", -0.3),
    ("worst", -0.8),
    ("terrible", -0.7),
    ("awful", -0.7),
    ("horrible", -0.7),
    ("useless", -0.7),
    ("scam", -0.8),
    ("rude", -0.6),
    ("angry", -0.6),
    ("furious", -0.8),
    ("disappoint", -0.6),
    ("unacceptable", -0.8),
    ("ridiculous", -0.6),
    ("joke", -0.4),
    ("cancel", -0.4),
    ("lawyer", -0.6),
    ("outage", -0.6),
    ("down", -0.3),
    ("error", -0.4),
    ("can't", -0.3),
    ("cannot", -0.3),
    ("doesn't work", -0.6),
    ("not working", -0.6),
    ("wrong", -0.4),
    ("missing", -0.4),
    ("lost", -0.4),
    ("damaged", -0.6),
    ("overheat", -0.7),
    ("burn", -0.7),
    ("charged twice", -0.7),
    ("hate", -0.7),
    ("fail", -0.5),
    ("problem", -0.3),
    ("issue", -0.2),
    ("bad", -0.5),
    ("sucks", -0.7),
    ("love", 0.6),
    ("great", 0.5),
    ("thank", 0.5),
    ("awesome", 0.6),
    ("amazing", 0.6),
    ("excellent", 0.6),
    ("perfect", 0.5),
    ("happy", 0.5),
    ("fast", 0.3),
    ("helpful", 0.5),
    ("recommend", 0.4),
    ("good", 0.4),
    ("nice", 0.3),
    // Polish
    ("zwrot", -0.4),
    ("reklamac", -0.5),
    ("zepsu", -0.6),
    ("uszkodz", -0.6),
    ("opóźni", -0.4),
    ("spóźni", -0.4),
    ("nie dotar", -0.7),
    ("czekam", -0.4),
    ("skandal", -0.8),
    ("żenad", -0.7),
    ("beznadziej", -0.7),
    ("oszu", -0.8),
    ("nie działa", -0.6),
    ("fataln", -0.7),
    ("niegrzeczn", -0.6),
    ("dziękuj", 0.5),
    ("super", 0.5),
    ("polecam", 0.5),
    ("świetn", 0.6),
    // Russian
    ("возврат", -0.4),
    ("сломан", -0.6),
    ("брак", -0.5),
    ("не пришл", -0.7),
    ("не работает", -0.6),
    ("жду", -0.4),
    ("ужас", -0.8),
    ("отврат", -0.8),
    ("обман", -0.8),
    ("хамств", -0.7),
    ("хам", -0.6),
    ("кошмар", -0.8),
    ("позор", -0.7),
    ("спасибо", 0.5),
    ("отличн", 0.6),
    ("рекомендую", 0.5),
    // Turkish
    ("iade", -0.4),
    ("bozuk", -0.6),
    ("kırık", -0.6),
    ("gelmedi", -0.7),
    ("bekliyorum", -0.4),
    ("rezalet", -0.8),
    ("berbat", -0.8),
    ("dolandır", -0.8),
    ("çalışmıyor", -0.6),
    ("kaba", -0.6),
    ("şikayet", -0.5),
    ("teşekkür", 0.5),
    ("harika", 0.6),
    ("süper", 0.5),
    // Bulgarian
    ("връщане", -0.4),
    ("счупен", -0.6),
    ("повреден", -0.6),
    ("не е пристигнал", -0.7),
    ("чакам", -0.4),
    ("ужас", -0.8),
    ("безобраз", -0.8),
    ("измам", -0.8),
    ("не работи", -0.6),
    ("груб", -0.6),
    ("благодар", 0.5),
    ("страхотн", 0.6),
    ("супер", 0.5),
];

const NEGATORS: &[&str] = &["not", "no", "never", "nie", "не", "değil", "hiç", "ни"];

/// Scores `text`; the label threshold keeps faint negativity out of the top tier.
pub fn score(text: &str) -> Sentiment {
    let lower = text.to_lowercase();
    let mut reasons: Vec<Reason> = Vec::new();
    let mut total = 0.0f32;

    // Multi-word phrases first, matched on the whole text.
    for &(entry, weight) in LEXICON.iter().filter(|(e, _)| e.contains(' ')) {
        if lower.contains(entry) {
            total += weight;
            reasons.push(Reason {
                what: entry.to_string(),
                weight,
            });
        }
    }

    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        let Some(&(entry, weight)) = LEXICON
            .iter()
            .filter(|(e, _)| !e.contains(' '))
            .find(|(e, _)| word.starts_with(e))
        else {
            continue;
        };
        if reasons.iter().any(|r| r.what.contains(entry)) {
            continue;
        }
        let negated = i > 0 && NEGATORS.contains(&words[i - 1]);
        let w = if negated { -weight * 0.8 } else { weight };
        total += w;
        reasons.push(Reason {
            what: if negated {
                format!("{} {}", words[i - 1], word)
            } else {
                (*word).to_string()
            },
            weight: w,
        });
    }

    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() >= 12 && upper * 10 >= letters.len() * 7 && total < 0.0 {
        total -= 0.3;
        reasons.push(Reason {
            what: "shouting (caps)".into(),
            weight: -0.3,
        });
    }
    if text.contains("!!") && total < 0.0 {
        total -= 0.2;
        reasons.push(Reason {
            what: "\"!!\"".into(),
            weight: -0.2,
        });
    }

    let score = (total / (1.0 + total.abs())).clamp(-1.0, 1.0);
    let label = if score <= -0.25 {
        Label::Negative
    } else if score >= 0.25 {
        Label::Positive
    } else {
        Label::Neutral
    };
    reasons.sort_by(|a, b| a.weight.total_cmp(&b.weight));
    Sentiment {
        score,
        label,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaint_is_negative_with_reasons() {
        let s = score("My order never arrived and I want a refund");
        assert_eq!(s.label, Label::Negative);
        assert!(s.reasons.iter().any(|r| r.what == "never arrived"));
        assert!(s.reasons.iter().any(|r| r.what.starts_with("refund")));
    }

    #[test]
    fn praise_is_positive() {
        assert_eq!(score("Thank you, great service!").label, Label::Positive);
    }

    #[test]
    fn negation_flips() {
        let s = score("I am not happy");
        assert!(s.score < 0.0, "{s:?}");
    }

    #[test]
    fn inflected_forms_match_by_prefix() {
        assert_eq!(score("Paczka uszkodzona, skandal").label, Label::Negative);
        assert_eq!(score("Заказ не пришёл, ужасно").label, Label::Negative);
    }

    #[test]
    fn neutral_question() {
        assert_eq!(score("What are your opening hours?").label, Label::Neutral);
    }
}
