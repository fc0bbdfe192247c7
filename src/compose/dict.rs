//! Finding and reading Hunspell dictionaries, with the traps real files set: a non-UTF-8
//! `SET` encoding (Polish ISO8859-2), a byte-order mark (en_GB), numeric flag `0` (Turkish,
//! which spellbook rejects). English (SCOWL en_US, permissive licence, see
//! `dicts/en_US.copyright`) is embedded so it works with no set-up.

use std::path::{Path, PathBuf};

use spellbook::Dictionary;

const EN_US_AFF: &str = include_str!("../../dicts/en_US.aff");
const EN_US_DIC: &str = include_str!("../../dicts/en_US.dic");

/// The stems the embedded English dictionary flags NOSUGGEST (`!`), lowercase.
pub fn en_nosuggest() -> &'static [String] {
    static STEMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| {
        let flag = EN_US_AFF
            .lines()
            .find_map(|l| l.strip_prefix("NOSUGGEST "))
            .map(str::trim)
            .unwrap_or("!");
        EN_US_DIC
            .lines()
            .filter_map(|l| l.split_once('/'))
            .filter(|(_, flags)| {
                flags
                    .split_whitespace()
                    .next()
                    .is_some_and(|f| f.contains(flag))
            })
            .map(|(w, _)| w.to_lowercase())
            .collect()
    })
}

/// System directories searched after the user's own ones.
pub const SYSTEM_DIRS: &[&str] = &["/usr/share/hunspell", "/usr/share/myspell"];

/// File stems tried for a language code, best first.
pub fn locales(lang: &str) -> Vec<String> {
    let main = match lang {
        "en" => &["en_US", "en_GB"][..],
        "pl" => &["pl_PL"],
        "ru" => &["ru_RU"],
        "tr" => &["tr_TR"],
        "bg" => &["bg_BG"],
        "uk" => &["uk_UA"],
        "de" => &["de_DE"],
        _ => &[],
    };
    let mut out: Vec<String> = main.iter().map(|s| s.to_string()).collect();
    // A full locale ("en_GB") or a bare code with a file of that name.
    out.push(lang.to_string());
    out
}

/// Where to look, in order: the user's directories first, then the system's.
pub fn search_dirs(user: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = user.to_vec();
    dirs.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
    dirs
}

/// A loaded dictionary and where it came from (for the compose pane and `modq spell`).
pub struct Loaded {
    pub dict: Dictionary,
    pub origin: String,
}

/// Loads the dictionary for `lang` from the first directory that has it; English falls back
/// to the embedded copy. `Err` says plainly what is missing.
pub fn load(lang: &str, dirs: &[PathBuf]) -> Result<Loaded, String> {
    for dir in dirs {
        for stem in locales(lang) {
            let aff = dir.join(format!("{stem}.aff"));
            let dic = dir.join(format!("{stem}.dic"));
            if aff.is_file() && dic.is_file() {
                return load_files(&aff, &dic).map(|dict| Loaded {
                    dict,
                    origin: aff.with_extension("").display().to_string(),
                });
            }
        }
    }
    if lang == "en" {
        return Dictionary::new(EN_US_AFF, EN_US_DIC)
            .map(|dict| Loaded {
                dict,
                origin: "embedded en_US".into(),
            })
            .map_err(|e| format!("embedded en_US: {e}"));
    }
    Err(format!(
        "no {lang} dictionary (looked for {} in {})",
        locales(lang)[0],
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

pub fn load_files(aff: &Path, dic: &Path) -> Result<Dictionary, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    // Each copy of the files is dropped as soon as the next is made: what is allocated while a
    // dictionary loads stays in the process's heap after.
    let (aff_text, dic_text) = {
        let (aff_bytes, dic_bytes) = (read(aff)?, read(dic)?);
        decode_pair(&aff_bytes, &dic_bytes)
    };
    let (aff_text, dic_text) = match renumber_flag_zero(&aff_text, &dic_text) {
        Some(renumbered) => renumbered,
        None => (aff_text, dic_text),
    };
    Dictionary::new(&aff_text, &dic_text).map_err(|e| format!("{}: {e}", aff.display()))
}

/// Decodes both files by the `.aff`'s `SET` line (both files share it), dropping a BOM.
pub fn decode_pair(aff: &[u8], dic: &[u8]) -> (String, String) {
    let label = set_line(aff).unwrap_or_else(|| "UTF-8".into());
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())
        // Hunspell writes ISO8859-2 without the dash the WHATWG labels use.
        .or_else(|| {
            encoding_rs::Encoding::for_label(label.replace("ISO8859", "ISO-8859").as_bytes())
        })
        .unwrap_or(encoding_rs::UTF_8);
    let dec = |b: &[u8]| {
        let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        enc.decode_without_bom_handling(b).0.into_owned()
    };
    (dec(aff), dec(dic))
}

fn set_line(aff: &[u8]) -> Option<String> {
    let aff = aff.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(aff);
    aff.split(|&b| b == b'\n').find_map(|line| {
        let line = std::str::from_utf8(line).ok()?.trim();
        line.strip_prefix("SET ").map(|s| s.trim().to_string())
    })
}

/// With `FLAG num`, flag `0` is legal for Hunspell but not for spellbook: give it an unused
/// number in both files. `None` where there is nothing to renumber.
pub fn renumber_flag_zero(aff: &str, dic: &str) -> Option<(String, String)> {
    let numeric = aff
        .lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["FLAG", "num"]);
    if !numeric {
        return None;
    }
    let max = aff
        .lines()
        .filter(|l| l.starts_with("SFX ") || l.starts_with("PFX "))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let new = (max + 1).to_string();
    let list = |flags: &str| -> String {
        flags
            .split(',')
            .map(|f| if f == "0" { new.as_str() } else { f })
            .collect::<Vec<_>>()
            .join(",")
    };
    // `word/flags rest`: the flags run to the first whitespace.
    let slashed = |field: &str| -> String {
        match field.split_once('/') {
            Some((w, f)) => format!("{w}/{}", list(f)),
            None => field.to_string(),
        }
    };
    let mut out_aff = String::with_capacity(aff.len());
    for line in aff.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let fixed = match fields.as_slice() {
            [kind @ ("SFX" | "PFX"), flag, rest @ ..] => {
                let mut v = vec![kind.to_string(), list(flag)];
                for (i, f) in rest.iter().enumerate() {
                    // Rule lines: strip, affix[/flags], condition, morphology.
                    v.push(if i == 1 && rest.len() >= 3 {
                        slashed(f)
                    } else {
                        f.to_string()
                    });
                }
                v.join(" ")
            }
            [kw, flag] if is_flag_directive(kw) => format!("{kw} {}", list(flag)),
            ["AF", flags, ..] => format!("AF {}", list(flags)),
            _ => line.to_string(),
        };
        out_aff.push_str(&fixed);
        out_aff.push('\n');
    }
    let mut out_dic = String::with_capacity(dic.len() + dic.len() / 8);
    for line in dic.lines() {
        match line.split_once(|c: char| c.is_whitespace()) {
            Some((word, rest)) => {
                out_dic.push_str(&slashed(word));
                out_dic.push('\t');
                out_dic.push_str(rest);
            }
            None => out_dic.push_str(&slashed(line)),
        }
        out_dic.push('\n');
    }
    Some((out_aff, out_dic))
}

fn is_flag_directive(kw: &str) -> bool {
    matches!(
        kw,
        "NEEDAFFIX"
            | "FORBIDDENWORD"
            | "KEEPCASE"
            | "NOSUGGEST"
            | "ONLYINCOMPOUND"
            | "CIRCUMFIX"
            | "COMPOUNDFLAG"
            | "COMPOUNDBEGIN"
            | "COMPOUNDMIDDLE"
            | "COMPOUNDLAST"
            | "COMPOUNDEND"
            | "COMPOUNDPERMITFLAG"
            | "COMPOUNDFORBIDFLAG"
            | "WARN"
            | "FORCEUCASE"
            | "SUBSTANDARD"
            | "LEMMA_PRESENT"
            | "PSEUDOROOT"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_by_set_line_and_drops_bom() {
        let aff = b"\xEF\xBB\xBFSET ISO8859-2\nTRY abc\n";
        // "żółw" in ISO8859-2.
        let dic = b"1\n\xBF\xF3\xB3w\n";
        let (a, d) = decode_pair(aff, dic);
        assert!(a.starts_with("SET ISO8859-2"));
        assert_eq!(d, "1\nżółw\n");
        let dict = Dictionary::new(&a, &d).unwrap();
        assert!(dict.check("żółw"));
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let (a, d) = decode_pair(b"\xEF\xBB\xBFSET UTF-8\n", b"\xEF\xBB\xBF1\ncolour\n");
        assert!(a.starts_with("SET"));
        assert!(Dictionary::new(&a, &d).unwrap().check("colour"));
    }

    #[test]
    fn flag_zero_is_renumbered_in_both_files() {
        let aff = "SET UTF-8\nFLAG num\n\nSFX 0 N 1\nSFX 0 0 ler .\n\nSFX 1 N 1\nSFX 1 0 de/0 .\n";
        let dic = "2\nev/0,1\nkitap/1\n";
        assert!(
            Dictionary::new(aff, dic).is_err(),
            "spellbook rejects flag 0"
        );
        let (a, d) = renumber_flag_zero(aff, dic).unwrap();
        let dict = Dictionary::new(&a, &d).unwrap();
        assert!(dict.check("evler"));
        assert!(dict.check("evde"));
        assert!(dict.check("evdeler"));
        assert!(dict.check("kitapde"));
        assert!(!dict.check("kitapler"));
        assert!(renumber_flag_zero("SET UTF-8\n", "1\nev\n").is_none());
    }

    #[test]
    fn nosuggest_stems_are_read_from_the_embedded_dictionary() {
        let stems = en_nosuggest();
        assert!(stems.len() >= 20, "{stems:?}");
        assert!(stems.iter().any(|s| s == "shit"));
        assert!(!stems.iter().any(|s| s == "refund"));
    }

    #[test]
    fn embedded_english_needs_no_system_files() {
        let l = load("en", &[]).unwrap();
        assert_eq!(l.origin, "embedded en_US");
        assert!(l.dict.check("refund"));
        assert!(!l.dict.check("refnud"));
        let missing = load("xx", &[]).err().unwrap_or_default();
        assert!(missing.contains("no xx dictionary"), "{missing}");
    }
}
