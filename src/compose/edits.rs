//! Words up to two edits away, found by checking generated spellings against the dictionary
//! under a fixed budget of work, the likeliest edits first. A word with no close correction
//! then costs a bounded time whatever the dictionary's size (a search over every stem and its
//! affixed forms costs hundreds of milliseconds in Polish, Russian or Turkish). Where the
//! language's listed words tell which runs of letters occur, a second pass tries two edits of
//! any kind, checking only spellings made of such runs.
//!
//! The budget counts work (look-ups, spellings made), never time: what is found depends on the
//! word alone, the same on every run and however busy the machine.

use std::collections::HashSet;
use std::ops::RangeInclusive;

use super::typo;

/// The likely spellings one edit away from `w`: sound-alikes, swaps, deletions, related
/// letters, doubled letters.
fn likely_edits(w: &[char], lang: &str) -> Vec<Vec<char>> {
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
    out
}

/// The other spellings one edit away from `w`, added to `out`: every other substitution and
/// insertion from the language's alphabet.
fn other_edits(w: &[char], lang: &str, out: &mut Vec<Vec<char>>) {
    let rows = typo::layout(lang);
    let alphabet: Vec<char> = typo::alphabet(lang).chars().collect();
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

/// Every edit (deletion, swap, substitution, insertion) at the positions in `at`.
fn edits_within(w: &[char], alphabet: &[char], at: RangeInclusive<usize>) -> Vec<Vec<char>> {
    let mut out = Vec::new();
    for i in at {
        if i < w.len() {
            let mut v = w.to_vec();
            v.remove(i);
            out.push(v);
            if i + 1 < w.len() {
                let mut v = w.to_vec();
                v.swap(i, i + 1);
                out.push(v);
            }
            for &x in alphabet.iter().filter(|&&x| x != w[i]) {
                let mut v = w.to_vec();
                v[i] = x;
                out.push(v);
            }
        }
        if i <= w.len() {
            for &x in alphabet {
                let mut v = w.to_vec();
                v.insert(i, x);
                out.push(v);
            }
        }
    }
    out
}

/// Where a spelling has runs of letters the language does not show (`Prior::unseen_span`).
pub type Unseen<'a> = dyn Fn(&[char]) -> Option<(usize, usize)> + 'a;

/// How much work one search may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Calls of `known` (dictionary look-ups) for one and two likely edits; as many again for
    /// the second pass.
    pub checks: usize,
    /// Spellings the second pass makes and screens by their runs of letters (a fraction of a
    /// microsecond each, where a look-up costs one to tens of microseconds).
    pub spellings: usize,
}

/// Dictionary words within two edits of `word`, in the order found (likeliest first), within
/// `budget`. The typed word's capitalisation is kept. With `unseen`, a second pass tries two
/// edits of any kind: the second one only where it can mend the runs of letters the first left
/// unseen, and only spellings without such runs are checked, so most of the many are ruled out
/// without a dictionary look-up.
pub fn search(
    word: &str,
    lang: &str,
    budget: Budget,
    unseen: Option<&Unseen>,
    mut known: impl FnMut(&str) -> bool,
) -> Vec<String> {
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
    // The likely edits first, then the others.
    let mut first = likely_edits(&w, lang);
    let likely = first.len();
    other_edits(&w, lang, &mut first);
    for (i, v) in first.iter().enumerate() {
        if checks >= budget.checks {
            return found;
        }
        // Unlikely single edits are Hunspell's own candidates too: with `unseen`, only those
        // made of runs of letters the language shows are looked up again.
        if i >= likely && unseen.is_some_and(|u| u(v).is_some()) {
            continue;
        }
        checks += usize::from(try_one(v.clone(), &mut found));
    }
    'outer: for v in &first {
        for v2 in likely_edits(v, lang) {
            if checks >= budget.checks || found.len() >= ENOUGH {
                break 'outer;
            }
            checks += usize::from(try_one(v2, &mut found));
        }
    }
    let Some(unseen) = unseen else {
        return found;
    };
    let alphabet: Vec<char> = typo::alphabet(lang).chars().collect();
    let (before, mut tried, mut made) = (found.len(), 0, 0usize);
    'roots: for v in &first {
        let at = match unseen(v) {
            None => 0..=v.len(),
            Some((a, b)) if a <= b + 1 => a.saturating_sub(1)..=(b + 1).min(v.len()),
            Some(_) => continue,
        };
        for v2 in edits_within(v, &alphabet, at) {
            made += 1;
            if tried >= budget.checks || made > budget.spellings || found.len() >= before + ENOUGH {
                break 'roots;
            }
            if unseen(&v2).is_none() {
                tried += usize::from(try_one(v2, &mut found));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::freq::Prior;

    /// `checks` look-ups, and spellings enough for any word of these tests.
    fn b(checks: usize) -> Budget {
        Budget {
            checks,
            spellings: 1_000_000,
        }
    }

    #[test]
    fn finds_two_edits_within_budget_and_keeps_capitals() {
        let words = ["receipt", "Warsaw", "dziękujemy"];
        let known = |s: &str| words.contains(&s);
        assert_eq!(search("recepit", "en", b(20_000), None, known), ["receipt"]);
        // A swap and a doubled letter.
        assert_eq!(
            search("reciepptt", "en", b(50_000), None, known),
            Vec::<String>::new()
        );
        assert_eq!(search("reciept", "en", b(20_000), None, known), ["receipt"]);
        assert_eq!(search("Warszw", "en", b(20_000), None, known), ["Warsaw"]);
        assert!(search("Warszaw", "en", b(20_000), None, known).contains(&"Warsaw".to_string()));
        // A swap, and a letter without its diacritic.
        assert_eq!(
            search("dziekujeym", "pl", b(20_000), None, known),
            ["dziękujemy"]
        );
    }

    #[test]
    fn two_edits_of_any_kind_where_letter_runs_allow() {
        // Two letters left out: the first pass tries no second insertion.
        let known = |s: &str| s == "poszedłem";
        assert!(search("poszłem", "pl", b(2_000), None, known).is_empty());
        // The second pass finds it in as many look-ups, of some hundred thousand spellings.
        let listed = Prior::parse("#3\n0poszedł\n0szedłem\n", "pl");
        let unseen = |v: &[char]| listed.unseen_span(v);
        let found = search("poszłem", "pl", b(2_000), Some(&unseen), known);
        assert_eq!(found, ["poszedłem"]);
        // Too few spellings allowed to reach it.
        let short = Budget {
            checks: 2_000,
            spellings: 100,
        };
        assert!(search("poszłem", "pl", short, Some(&unseen), known).is_empty());
    }

    #[test]
    fn a_slow_machine_finds_the_same_words() {
        // A sparse, fixed set of "words": about one spelling in two hundred.
        let known = |s: &str| {
            s.bytes().fold(2_166_136_261u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(16_777_619)
            }) % 200
                == 0
        };
        // Each look-up a hundred times slower: a loaded machine, a slow one.
        let slow = |s: &str| {
            std::thread::sleep(std::time::Duration::from_micros(100));
            known(s)
        };
        let budget = Budget {
            checks: 600,
            spellings: 5_000,
        };
        let (calls, last_hit) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        let counted = |s: &str| {
            calls.set(calls.get() + 1);
            let hit = known(s);
            if hit {
                last_hit.set(calls.get());
            }
            hit
        };
        let fast = search("acknowlegment", "en", budget, None, counted);
        // The slow search finds its last word after more than 30 ms of look-ups: a cap on
        // time would have cut it short.
        assert!(last_hit.get() > 300, "{}", last_hit.get());
        assert_eq!(fast, search("acknowlegment", "en", budget, None, slow));
    }

    #[test]
    fn the_budget_bounds_the_checks() {
        let mut calls = 0;
        let none = search("abcdefghijkl", "en", b(2_000), None, |_| {
            calls += 1;
            false
        });
        assert!(none.is_empty());
        assert_eq!(calls, 2_000);
    }
}
