//! Words as they sound, for candidates spelt by ear.
//!
//! English spelled by ear: "fisical" for "physical", "definately", "recieve". Writers who know
//! how a word sounds but not how it is spelt land more than two plain edits away, so (as
//! Aspell's "soundslike" does) listed words that sound like the typed word become candidates,
//! found by their Double Metaphone key, and the error model charges the spellings English uses
//! for one sound (ph/f, c/k/s, -tion/-sion/-shun, ie/ei, schwa vowels, silent letters) less
//! than arbitrary edits. Ranking stays with the noisy-channel score: a sound-alike only costs
//! less, it is not put first.

use std::sync::OnceLock;

use rphonetic::DoubleMetaphone;

use super::freq::{self, Prior};
use super::typo::{base_letter, lang_code, VOICING};

/// Spellings of one sound, (one, another, cost in edits), used both ways: a writer may pick
/// either for the other. Single vowels stand for the unstressed schwa any vowel may spell.
const SOUND_ALIKES: &[(&str, &str, f32)] = &[
    // Consonants.
    ("f", "ph", 0.3),
    ("f", "gh", 0.5),
    ("k", "c", 0.3),
    ("k", "ck", 0.3),
    ("c", "ck", 0.3),
    ("k", "ch", 0.4),
    ("c", "ch", 0.5),
    ("k", "q", 0.5),
    ("kw", "qu", 0.3),
    ("cw", "qu", 0.4),
    ("s", "c", 0.4),
    ("s", "sc", 0.4),
    ("s", "z", 0.4),
    ("ks", "x", 0.3),
    ("cs", "x", 0.4),
    ("sh", "ti", 0.4),
    ("sh", "ci", 0.4),
    ("tion", "sion", 0.3),
    ("shun", "tion", 0.3),
    ("shun", "sion", 0.3),
    ("cher", "ture", 0.4),
    ("j", "g", 0.4),
    ("j", "dg", 0.4),
    ("g", "dg", 0.4),
    ("t", "th", 0.5),
    // Silent letters.
    ("w", "wh", 0.3),
    ("r", "wr", 0.3),
    ("n", "kn", 0.3),
    ("n", "gn", 0.3),
    ("m", "mb", 0.3),
    ("m", "mn", 0.4),
    ("s", "ps", 0.4),
    ("r", "rh", 0.3),
    ("t", "bt", 0.4),
    ("t", "ght", 0.4),
    ("", "h", 0.6),
    // Vowels.
    ("a", "e", 0.5),
    ("a", "i", 0.5),
    ("a", "o", 0.5),
    ("a", "u", 0.5),
    ("e", "i", 0.5),
    ("e", "o", 0.5),
    ("e", "u", 0.5),
    ("i", "o", 0.5),
    ("i", "u", 0.5),
    ("o", "u", 0.5),
    ("i", "y", 0.3),
    ("ie", "y", 0.4),
    ("ie", "ei", 0.3),
    ("ee", "ea", 0.4),
    ("ee", "ie", 0.4),
    ("e", "ea", 0.4),
    ("a", "ai", 0.4),
    ("a", "ay", 0.5),
    ("ai", "ay", 0.3),
    ("ite", "ight", 0.4),
    ("ou", "ow", 0.3),
    ("o", "ow", 0.4),
    ("o", "oa", 0.4),
    ("o", "ough", 0.5),
    ("u", "ough", 0.5),
    ("uff", "ough", 0.5),
    ("au", "aw", 0.3),
    ("o", "au", 0.5),
    ("u", "oo", 0.4),
    ("u", "ew", 0.4),
    ("u", "ue", 0.4),
    ("er", "re", 0.3),
    ("le", "el", 0.3),
    ("or", "our", 0.4),
    ("ly", "ally", 0.4),
    // A schwa left out or put in ("intresting", "athelete"), a silent e.
    ("", "a", 0.6),
    ("", "e", 0.6),
    ("", "i", 0.6),
    ("", "o", 0.6),
    ("", "u", 0.6),
];

/// Consonants English doubles, and what writing one for two (or two for one) costs.
const DOUBLED_CONSONANTS: &str = "bcdfgklmnprstz";
const DOUBLING: f32 = 0.3;

/// What is left of the error cost of a candidate that sounds like what was typed (shares its
/// Double Metaphone key): the sound was right, only the spelling slipped.
const SAME_SOUND: f32 = 0.8;

/// A rewrite of a group of typed letters into a group of intended ones, with its cost.
pub type Rewrite = (Vec<char>, Vec<char>, f32);

/// The language's sound-alike rewrites for the weighted distance (English only; empty else).
pub fn rewrites(lang: &str) -> &'static [Rewrite] {
    static EN: OnceLock<Vec<Rewrite>> = OnceLock::new();
    if !lang.starts_with("en") {
        return &[];
    }
    EN.get_or_init(|| {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let mut v: Vec<Rewrite> = SOUND_ALIKES
            .iter()
            .flat_map(|&(a, b, c)| [(chars(a), chars(b), c), (chars(b), chars(a), c)])
            .collect();
        // A consonant written once for twice or twice for once ("acommodate", "occurence"):
        // cheaper than the 0.5 of any doubled letter, as English doubling is heard nowhere.
        for c in DOUBLED_CONSONANTS.chars() {
            v.push((vec![c], vec![c, c], DOUBLING));
            v.push((vec![c, c], vec![c], DOUBLING));
        }
        v
    })
}

/// How a lowercase word sounds, as keys that words spelt alike by ear share: Double Metaphone
/// (primary and alternate) in English, `sound_key` in Polish, Russian and Turkish, none in
/// other languages.
pub fn keys(lower: &str, lang: &str) -> Vec<String> {
    if lang_code(lang) == "en" {
        metaphone(lower)
    } else {
        sound_key(lower, lang).into_iter().collect()
    }
}

/// The Double Metaphone keys (primary and alternate, once if equal) of a lowercase word; none
/// for words with letters outside a–z, which the encoder does not handle.
fn metaphone(lower: &str) -> Vec<String> {
    let letters: String = lower.chars().filter(|c| *c != '\'' && *c != '-').collect();
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_lowercase()) {
        return Vec::new();
    }
    let r = DoubleMetaphone::new(None).double_metaphone(&letters);
    let (p, a) = (r.primary(), r.alternate());
    if a.is_empty() || a == p {
        vec![p]
    } else {
        vec![p, a]
    }
}

/// The symbols Double Metaphone writes, for keys one change away.
const KEY_SYMBOLS: &str = "0AFHJKLMNPRSTXB";

/// Keys at most one symbol change (left out, put in, replaced) from `key`.
fn keys_near(key: &str) -> Vec<String> {
    let k: Vec<char> = key.chars().collect();
    let mut out = vec![key.to_string()];
    for i in 0..k.len() {
        let mut v = k.clone();
        v.remove(i);
        out.push(v.iter().collect());
    }
    for i in 0..=k.len() {
        for s in KEY_SYMBOLS.chars() {
            let mut v = k.clone();
            v.insert(i, s);
            out.push(v.iter().collect());
            if i < k.len() && k[i] != s {
                let mut v = k.clone();
                v[i] = s;
                out.push(v.iter().collect());
            }
        }
    }
    out
}

/// Listed English words that sound like `lower` (the typed word, lowercase): the same key, or
/// for keys of three symbols and more one symbol away, and spelt within a few plain edits
/// (sound-alike spellings stretch a word by a letter or two, not more).
pub fn candidates(lower: &str) -> Vec<String> {
    let Some(prior) = Prior::for_lang("en") else {
        return Vec::new();
    };
    let typed: Vec<char> = lower.chars().collect();
    let max_edits = (typed.len() / 2).max(2);
    let mut near = Vec::new();
    for key in metaphone(lower) {
        if key.chars().count() >= 3 {
            near.extend(keys_near(&key));
        } else {
            near.push(key);
        }
    }
    let mut w = Vec::new();
    prior
        .sounding(&near, lower, usize::MAX)
        .into_iter()
        .filter(|cand| {
            w.clear();
            w.extend(cand.chars());
            freq::within(&typed, &w, max_edits)
        })
        .collect()
}

/// An English candidate's error cost, lowered when it sounds like what was typed (both
/// lowercase).
pub fn discounted(typed: &str, candidate: &str, cost: f32) -> f32 {
    let typed_keys = metaphone(typed);
    if metaphone(candidate).iter().any(|k| typed_keys.contains(k)) {
        cost * SAME_SOUND
    } else {
        cost
    }
}

/// The spelling as heard, for the languages whose writers often spell by ear or type without
/// diacritics: words with the same key are candidates for each other however many letters
/// differ ("zolw" and "żółw", "ktury" and "który", "ищо" and "ещё", "gorusmek" and
/// "görüşmek"). `None` for other languages. Lowercase input.
fn sound_key(word: &str, lang: &str) -> Option<String> {
    let (groups, letters): (&[(&str, &str)], SoundOf) = match lang_code(lang) {
        "pl" => (PL_SOUNDS, pl_sound),
        "ru" => (RU_SOUNDS, ru_sound),
        "tr" => (&[], tr_sound),
        _ => return None,
    };
    let spelt = groups
        .iter()
        .fold(word.to_string(), |acc, (a, b)| acc.replace(a, b));
    let mut key = String::with_capacity(spelt.len());
    for c in spelt.chars().filter_map(letters) {
        // Doubled letters are heard as one.
        if !key.ends_with(c) {
            key.push(c);
        }
    }
    Some(key)
}

/// A letter as heard, `None` for a silent one.
type SoundOf = fn(char) -> Option<char>;

/// Polish letter groups heard alike (rewritten before the letters).
const PL_SOUNDS: &[(&str, &str)] = &[
    ("rz", "ż"),
    ("ch", "h"),
    ("ą", "on"),
    ("ę", "en"),
    ("om", "on"),
    ("em", "en"),
    ("ji", "i"),
];

/// ó sounds as u and is typed as o without its diacritic: all three are one.
fn pl_sound(c: char) -> Option<char> {
    Some(match c {
        'ó' | 'u' => 'o',
        'ż' | 'ź' => 'z',
        other => base_letter(other),
    })
}

/// Russian groups pronounced alike: silent consonants, -тся/-ться, the genitive -ого.
const RU_SOUNDS: &[(&str, &str)] = &[
    ("ться", "ца"),
    ("тся", "ца"),
    ("тс", "ц"),
    ("сч", "щ"),
    ("зч", "щ"),
    ("вств", "ств"),
    ("стн", "сн"),
    ("здн", "зн"),
    ("лнц", "нц"),
    ("ого", "ова"),
    ("его", "ева"),
];

/// Unstressed vowels reduced, consonants devoiced, the hard and soft signs silent.
fn ru_sound(c: char) -> Option<char> {
    Some(match c {
        'е' | 'э' | 'и' | 'я' | 'ы' | 'й' => 'и',
        // ё is always stressed, heard as о.
        'о' | 'ё' => 'а',
        'ю' => 'у',
        'ъ' | 'ь' => return None,
        other => VOICING
            .iter()
            .find(|(v, _)| *v == other)
            .map_or(other, |&(_, u)| u),
    })
}

fn tr_sound(c: char) -> Option<char> {
    Some(match c {
        'â' => 'a',
        'î' => 'i',
        'û' => 'u',
        other => base_letter(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::typo::language_distance;

    #[test]
    fn words_spelt_by_ear_share_a_key() {
        assert_eq!(keys("fisical", "en"), keys("physical", "en"));
        assert_eq!(keys("nowledge", "en")[0], keys("knowledge", "en")[0]);
        assert!(keys("naïve", "en").is_empty());
    }

    #[test]
    fn sound_alikes_become_candidates() {
        assert!(candidates("fisical").contains(&"physical".to_string()));
        assert!(candidates("definately").contains(&"definitely".to_string()));
        assert!(!candidates("physical").contains(&"physical".to_string()));
    }

    #[test]
    fn sound_alike_spellings_cost_less_than_other_edits() {
        assert!(language_distance("fisical", "physical", "en") < 1.0);
        assert!(language_distance("definately", "definitely", "en") < 1.0);
        assert!(language_distance("nowledge", "knowledge", "en") < 1.0);
        assert!(language_distance("intresting", "interesting", "en") < 1.0);
        assert!(language_distance("nashun", "nation", "en") < 1.0);
        // Not in other languages, and not for letters that do not spell one sound.
        assert!(language_distance("fisical", "physical", "pl") > 2.0);
        assert!(language_distance("bt", "bmt", "en") >= 1.0);
        // English doubling is not heard.
        assert!(language_distance("acomodate", "accommodate", "en") < 1.0);
    }

    #[test]
    fn the_same_sound_lowers_the_cost() {
        assert!(discounted("fisical", "physical", 1.0) < 1.0);
        assert_eq!(discounted("fisical", "musical", 1.0), 1.0);
    }
    #[test]
    fn sound_keys_join_spellings_by_ear_and_without_diacritics() {
        let same = |a: &str, b: &str, l: &str| sound_key(a, l) == sound_key(b, l);
        assert!(same("zolw", "żółw", "pl") && same("ktury", "który", "pl"));
        assert!(same("morze", "może", "pl") && same("historji", "historii", "pl"));
        assert!(same("gorusmek", "görüşmek", "tr") && same("yardimci", "yardımcı", "tr"));
        assert!(same("ищо", "ещё", "ru") && same("севодня", "сегодня", "ru"));
        assert!(same("учиться", "учица", "ru") && same("здраствуйте", "здравствуйте", "ru"));
        assert!(!same("kot", "kat", "pl") && !same("дом", "дым", "ru"));
        assert_eq!(sound_key("the", "en"), None);
    }
}
