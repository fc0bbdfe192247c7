//! Words up to two edits away, found by checking generated spellings against the dictionary
//! under a fixed budget of checks, the likeliest edits first. A word with no close correction
//! then costs a bounded time whatever the dictionary's size (a search over every stem and its
//! affixed forms costs hundreds of milliseconds in Polish, Russian or Turkish).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::typo;

/// Spellings one edit away from `w`, likely edits first (sound-alikes, swaps, deletions,
/// related letters, doubled letters); with `all`, then every other substitution and insertion
/// from the language's alphabet.
pub fn edits(w: &[char], lang: &str, all: bool) -> Vec<Vec<char>> {
    let rows = typo::layout(lang);
    let alphabet: Vec<char> = typo::alphabet(lang).chars().collect();
    let mut out = Vec::new();
    let s: String = w.iter().collect();
    for (a, b) in typo::sound_alikes(lang) {
        for (from, to) in [(a, b), (b, a)] {
            for (i, _) in s.match_indices(from) {
                let r = format!("{}{to}{}", &s[..i], &s[i + from.len()..]);
                out.push(r.chars().collect());
            }
        }
    }
    for i in 0..w.len().saturating_sub(1) {
        let mut v = w.to_vec();
        v.swap(i, i + 1);
        out.push(v);
    }
    for i in 0..w.len() {
        let mut v = w.to_vec();
        v.remove(i);
        out.push(v);
    }
    for (i, &c) in w.iter().enumerate() {
        for &x in alphabet
            .iter()
            .filter(|&&x| x != c && typo::related(c, x, rows))
        {
            let mut v = w.to_vec();
            v[i] = x;
            out.push(v);
        }
        let mut v = w.to_vec();
        v.insert(i, c);
        out.push(v);
    }
    if all {
        for (i, &c) in w.iter().enumerate() {
            for &x in alphabet
                .iter()
                .filter(|&&x| x != c && !typo::related(c, x, rows))
            {
                let mut v = w.to_vec();
                v[i] = x;
                out.push(v);
            }
        }
        for i in 0..=w.len() {
            for &x in &alphabet {
                let mut v = w.to_vec();
                v.insert(i, x);
                out.push(v);
            }
        }
    }
    out
}

/// Dictionary words within two edits of `word`, in the order found (likeliest first), after at
/// most `budget` calls of `known` and about `time` (checks cost from under a microsecond to
/// tens of them, by dictionary and word). The typed word's capitalisation is kept.
pub fn search(
    word: &str,
    lang: &str,
    budget: usize,
    time: Duration,
    mut known: impl FnMut(&str) -> bool,
) -> Vec<String> {
    let deadline = Instant::now() + time;
    const ENOUGH: usize = 12;
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let capital = word.chars().next().is_some_and(char::is_uppercase);
    let spell = |v: &[char]| -> String {
        let s: String = v.iter().collect();
        if !capital {
            return s;
        }
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    };
    let mut seen: HashSet<Vec<char>> = HashSet::new();
    seen.insert(w.clone());
    let mut found = Vec::new();
    let mut checks = 0;
    // Checks `v` unless already seen; says whether it did.
    let mut try_one = |v: Vec<char>, found: &mut Vec<String>| {
        if v.is_empty() || !seen.insert(v.clone()) {
            return false;
        }
        let s = spell(&v);
        if known(&s) {
            found.push(s);
        }
        true
    };
    let out_of_time = |checks: usize| checks % 64 == 0 && Instant::now() > deadline;
    let first = edits(&w, lang, true);
    for v in &first {
        if out_of_time(checks) {
            return found;
        }
        checks += usize::from(try_one(v.clone(), &mut found));
    }
    'outer: for v in &first {
        for v2 in edits(v, lang, false) {
            if checks >= budget || found.len() >= ENOUGH || out_of_time(checks) {
                break 'outer;
            }
            checks += usize::from(try_one(v2, &mut found));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(60);

    #[test]
    fn finds_two_edits_within_budget_and_keeps_capitals() {
        let words = ["receipt", "Warsaw", "dziękujemy"];
        let known = |s: &str| words.contains(&s);
        assert_eq!(search("recepit", "en", 20_000, T, known), ["receipt"]);
        // A swap and a doubled letter.
        assert_eq!(
            search("reciepptt", "en", 50_000, T, known),
            Vec::<String>::new()
        );
        assert_eq!(search("reciept", "en", 20_000, T, known), ["receipt"]);
        assert_eq!(search("Warszw", "en", 20_000, T, known), ["Warsaw"]);
        assert!(search("Warszaw", "en", 20_000, T, known).contains(&"Warsaw".to_string()));
        // A swap, and a letter without its diacritic.
        assert_eq!(search("dziekujeym", "pl", 20_000, T, known), ["dziękujemy"]);
    }

    #[test]
    fn the_budget_bounds_the_checks() {
        let mut calls = 0;
        let none = search("abcdefghijkl", "en", 2_000, T, |_| {
            calls += 1;
            false
        });
        assert!(none.is_empty());
        assert_eq!(calls, 2_000);
    }
}
