//! Suggestions depend on the word alone: the search two edits away is bounded by counted work,
//! not by a clock, so a busy machine gets the same suggestions as an idle one. Languages whose
//! Hunspell dictionary is not installed are skipped with a message (English is embedded).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use modq::compose::dict;
use modq::compose::spell::Speller;

/// Misspellings far enough from any word that the bounded search runs, per language.
const WORDS: &[(&str, &[&str])] = &[
    ("en", &["acknowlegment", "xylofone", "recieveing"]),
    ("tr", &["musterilerimize", "yardimcii", "tesekurlerr"]),
    ("ru", &["здраствуйте", "извените", "пажалуста"]),
    ("pl", &["przeprasamy", "zamowieniee", "dziekujmy"]),
];

fn speller(lang: &str) -> Option<Speller> {
    let stem = match lang {
        "en" => return Some(Speller::new("en", dict::load("en", &[]).ok()?.dict)),
        "tr" => "tr_TR",
        "ru" => "ru_RU",
        _ => "pl_PL",
    };
    let dir = Path::new("/usr/share/hunspell");
    let (aff, dic) = (
        dir.join(format!("{stem}.aff")),
        dir.join(format!("{stem}.dic")),
    );
    if !aff.is_file() || !dic.is_file() {
        eprintln!("SKIPPED: {stem} is not installed (apt-get install hunspell-…)");
        return None;
    }
    Some(Speller::new(lang, dict::load_files(&aff, &dic).ok()?))
}

fn suggest_all(s: &Speller, words: &[&str]) -> Vec<Vec<String>> {
    words.iter().map(|w| s.ranked(w)).collect()
}

/// Runs `f` on a thread of its own while `spinners` other threads keep every core busy.
fn under_load<T: Send>(spinners: usize, f: impl FnOnce() -> T + Send) -> T {
    let stop = Arc::new(AtomicBool::new(false));
    std::thread::scope(|scope| {
        for _ in 0..spinners {
            let stop = Arc::clone(&stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            });
        }
        let out = scope.spawn(f).join().expect("suggesting thread");
        stop.store(true, Ordering::Relaxed);
        out
    })
}

#[test]
fn suggestions_are_equal_with_and_without_load() {
    let busy = 2 * std::thread::available_parallelism().map_or(2, |n| n.get());
    for &(lang, words) in WORDS {
        let Some(s) = speller(lang) else { continue };
        let quiet = std::thread::scope(|scope| {
            scope
                .spawn(|| suggest_all(&s, words))
                .join()
                .expect("suggesting thread")
        });
        let loaded = under_load(busy, || suggest_all(&s, words));
        assert_eq!(quiet, loaded, "{lang}: suggestions changed under load");
        assert!(
            quiet.iter().any(|l| !l.is_empty()),
            "{lang}: no suggestions at all for {words:?}"
        );
    }
}
