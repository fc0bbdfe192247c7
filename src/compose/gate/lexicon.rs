//! Phrase lists per language, matched case-insensitively at word boundaries. An entry ending
//! in `*` matches any word that begins with it (for inflected languages); otherwise the whole
//! word or phrase must match.

use std::ops::Range;

/// The text lowercased, with the original byte offset of every lowercased byte.
pub struct Folded {
    pub lower: String,
    map: Vec<usize>,
    len: usize,
}

impl Folded {
    pub fn new(text: &str) -> Self {
        let mut lower = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            let c = if c == '’' { '\'' } else { c };
            for l in c.to_lowercase() {
                for _ in 0..l.len_utf8() {
                    map.push(i);
                }
                lower.push(l);
            }
        }
        Self {
            lower,
            map,
            len: text.len(),
        }
    }

    fn orig(&self, at: usize) -> usize {
        self.map.get(at).copied().unwrap_or(self.len)
    }

    /// Original ranges where `entry` occurs.
    pub fn find(&self, entry: &str) -> Vec<Range<usize>> {
        let (needle, prefix) = match entry.strip_suffix('*') {
            Some(n) => (n, true),
            None => (entry, false),
        };
        let mut out = Vec::new();
        let l = &self.lower;
        let word = |c: char| c.is_alphanumeric();
        let mut from = 0;
        while let Some(i) = l[from..].find(needle).map(|i| i + from) {
            let before_ok = !l[..i].chars().next_back().is_some_and(word)
                || !needle.chars().next().is_some_and(word);
            let mut end = i + needle.len();
            if prefix {
                end += l[end..].find(|c: char| !word(c)).unwrap_or(l.len() - end);
            }
            let after_ok = !l[end..].chars().next().is_some_and(word)
                || !needle.chars().next_back().is_some_and(word);
            if before_ok && after_ok {
                out.push(self.orig(i)..self.orig(end));
            }
            from = i + needle.len().max(1);
        }
        out
    }
}

/// The list for `lang` from a table of (language, entries); English also applies to every
/// language, since replies mix it in.
pub fn entries<'a>(table: &'a [(&str, &'a [&'a str])], lang: &str) -> Vec<&'a str> {
    table
        .iter()
        .filter(|(l, _)| *l == lang || *l == "en")
        .flat_map(|(_, e)| e.iter().copied())
        .collect()
}

/// One finding per match of any entry of `lang`'s list, its message naming the phrase.
pub fn findings(
    text: &str,
    table: &[(&str, &[&str])],
    lang: &str,
    kind: super::Kind,
    message: impl Fn(&str) -> String,
) -> Vec<super::Finding> {
    let f = Folded::new(text);
    entries(table, lang)
        .into_iter()
        .flat_map(|e| f.find(e))
        .map(|r| {
            let m = message(&text[r.clone()]);
            super::Finding::new(r, kind, true, m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_words_and_prefixes_with_original_offsets() {
        let t = "İstanbul: ВЫ ИДИОТЫ, idiotic? not an idiot-proof test";
        let f = Folded::new(t);
        let r = f.find("идиот*");
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].clone()], "ИДИОТЫ");
        assert_eq!(
            f.find("idiot").len(),
            1,
            "idiotic is not idiot, idiot-proof is"
        );
        assert!(f.find("test").len() == 1);
        assert!(f.find("tes").is_empty());
    }
}
