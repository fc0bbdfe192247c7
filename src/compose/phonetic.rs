//! Words as they sound, for candidates spelt by ear.
//!
//! English spelled by ear: "fisical" for "physical", "definately", "recieve". Writers who know
//! how a word sounds but not how it is spelt land more than two plain edits away, so (as
//! Aspell's "soundslike" does) listed words that sound like the typed word become candidates,
//! found by their Double Metaphone key, and the error model (`typo`) charges the spellings
//! English uses for one sound (ph/f, c/k/s, -tion/-sion/-shun, ie/ei, schwa vowels, silent
//! letters) less than arbitrary edits. Ranking stays with the noisy-channel score: a sound-alike only costs
//! less, it is not put first.

use rphonetic::DoubleMetaphone;

use super::typo::{base_letter, lang_code, VOICING};

/// What is left of the error cost of a candidate that sounds like what was typed (shares its
/// Double Metaphone key): the sound was right, only the spelling slipped.
const SAME_SOUND: f32 = 0.8;

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

/// The Double Metaphone keys of a lowercase English word and, for keys of three symbols and
/// more, the keys one symbol away: how a writer who spells by ear may have heard it.
pub fn keys_heard(lower: &str) -> Vec<String> {
    let mut near = Vec::new();
    for key in metaphone(lower) {
        if key.chars().count() >= 3 {
            near.extend(keys_near(&key));
        } else {
            near.push(key);
        }
    }
    near
}

/// An English candidate's error cost, lowered when it sounds like what was typed:
/// `typed_keys` are the typed word's `keys`, `candidate` is lowercase.
pub fn discounted(typed_keys: &[String], candidate: &str, cost: f32) -> f32 {
    if metaphone(candidate).iter().any(|k| typed_keys.contains(k)) {
        cost * SAME_SOUND
    } else {
        cost
    }
}

/// The keys a Russian word would have if one ё the writer heard (and wrote ё, о, "йо" or
/// "ьо") were written е, other than its own keys: a table that writes every ё as е lists
/// "шёл" as "шел", which a writer of "шол" would not find by sound otherwise.
pub fn keys_yo_written_ye(lower: &str, lang: &str) -> Vec<String> {
    let own = keys(lower, lang);
    let w: Vec<char> = lower.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for i in 0..w.len() {
        // How many letters spell the ё here.
        let len = match (w[i], w.get(i + 1)) {
            ('й' | 'ь', Some('о')) => 2,
            ('о' | 'ё', _) if i > 0 || w[i] == 'ё' => 1,
            _ => continue,
        };
        let spelt: String = w[..i]
            .iter()
            .chain(std::iter::once(&'е'))
            .chain(&w[i + len..])
            .collect();
        for k in keys(&spelt, lang) {
            if !own.contains(&k) && !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
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
        let typed = keys("fisical", "en");
        assert!(discounted(&typed, "physical", 1.0) < 1.0);
        assert_eq!(discounted(&typed, "musical", 1.0), 1.0);
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

    #[test]
    fn a_yo_heard_as_o_is_looked_for_under_ye() {
        let heard = |w: &str| keys_yo_written_ye(w, "ru");
        assert!(heard("шол").contains(&sound_key("шел", "ru").unwrap()));
        assert!(heard("ещо").contains(&sound_key("еще", "ru").unwrap()));
        assert!(heard("йолка").contains(&sound_key("елка", "ru").unwrap()));
        assert!(!heard("шол").contains(&sound_key("шол", "ru").unwrap()));
        assert!(heard("дом").len() == 1 && heard("лес").is_empty());
    }
}
