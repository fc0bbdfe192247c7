//! What composing needs beyond the text: templates, dictionaries (loaded lazily, off the UI
//! thread), the brand's own words, cached suggestions and the network limits. The slow parts
//! are `Job`s that a driver runs (on a worker thread in the console, inline in the CLI and
//! in tests) and answers with a `Done`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::gate::length::Limits;
use super::spell::Speller;
use super::template::Template;
use crate::config::DataError;

/// A loaded dictionary, shared with the worker that computes suggestions.
#[derive(Clone)]
pub struct SpellerRef(pub Arc<Speller>);

impl std::fmt::Debug for SpellerRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Speller({})", self.0.lang)
    }
}

impl PartialEq for SpellerRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Debug, Clone)]
pub enum Slot {
    Loading,
    Ready(SpellerRef),
    Missing(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    LoadDictionary {
        lang: String,
        dirs: Vec<PathBuf>,
    },
    Suggest {
        speller: SpellerRef,
        word: String,
    },
    /// Appends a word to the brand dictionary file.
    SaveBrandWord {
        word: String,
        file: PathBuf,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    Dictionary {
        lang: String,
        result: Result<SpellerRef, String>,
    },
    Suggestions {
        lang: String,
        word: String,
        list: Vec<String>,
    },
    BrandWordSaved(Result<String, String>),
}

/// Runs a job to completion (slow: call it off the UI thread).
pub fn run(job: Job) -> Done {
    match job {
        Job::LoadDictionary { lang, dirs } => Done::Dictionary {
            result: super::dict::load(&lang, &dirs)
                .map(|l| SpellerRef(Arc::new(Speller::new(&lang, l.dict)))),
            lang,
        },
        Job::Suggest { speller, word } => Done::Suggestions {
            lang: speller.0.lang.clone(),
            list: speller.0.suggest(&word),
            word,
        },
        Job::SaveBrandWord { word, file } => {
            Done::BrandWordSaved(append_word(&file, &word).map(|_| word))
        }
    }
}

fn append_word(file: &std::path::Path, word: &str) -> Result<(), String> {
    use std::io::Write;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    writeln!(f, "{word}").map_err(|e| format!("{}: {e}", file.display()))
}

/// Brand words: one a line, `#` comments; compared lowercased. No file, no words.
pub fn read_brand_words(file: &std::path::Path) -> Result<HashSet<String>, DataError> {
    Ok(crate::config::read_text(file)?
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect())
}

pub struct Kit {
    pub templates: Vec<Template>,
    pub template_errors: Vec<DataError>,
    pub dicts: HashMap<String, Slot>,
    /// Directories searched for dictionaries, user ones first.
    pub dict_dirs: Vec<PathBuf>,
    pub brand: Option<String>,
    pub brand_words: HashSet<String>,
    pub brand_file: Option<PathBuf>,
    /// Why the brand words file could not be read, when it could not.
    pub brand_error: Option<DataError>,
    /// (language, word) → suggestions, best first.
    pub suggestions: HashMap<(String, String), Vec<String>>,
    pub suggesting: HashSet<(String, String)>,
    pub limits: Limits,
    /// The template picker's query as last ranked.
    pub ranked_query: Option<String>,
}

impl Default for Kit {
    fn default() -> Self {
        let (templates, template_errors) = super::template::load(None);
        Self {
            templates,
            template_errors,
            dicts: HashMap::new(),
            dict_dirs: super::dict::search_dirs(&[]),
            brand: None,
            brand_words: HashSet::new(),
            brand_file: None,
            brand_error: None,
            suggestions: HashMap::new(),
            suggesting: HashSet::new(),
            limits: Limits::default(),
            ranked_query: None,
        }
    }
}

impl Kit {
    /// Templates, dictionaries and brand words from the user's directories.
    pub fn for_paths(paths: &crate::config::Paths, config: &crate::config::Config) -> Self {
        let (templates, template_errors) =
            super::template::load(Some(&paths.config_dir.join("templates")));
        let mut user = vec![paths.data_dir.join("hunspell")];
        user.extend(config.dictionaries.iter().cloned());
        let brand_file = paths.config_dir.join("brand-words.txt");
        let (mut brand_words, brand_error) = match read_brand_words(&brand_file) {
            Ok(words) => (words, None),
            Err(e) => (HashSet::new(), Some(e)),
        };
        if let Some(b) = &config.brand {
            brand_words.extend(b.split_whitespace().map(str::to_lowercase));
        }
        Self {
            templates,
            template_errors,
            dict_dirs: super::dict::search_dirs(&user),
            brand: config.brand.clone(),
            brand_words,
            brand_file: Some(brand_file),
            brand_error,
            ..Self::default()
        }
    }

    pub fn template(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }

    pub fn speller(&self, lang: &str) -> Option<&Speller> {
        match self.dicts.get(lang) {
            Some(Slot::Ready(s)) => Some(&s.0),
            _ => None,
        }
    }

    /// Takes a finished job's answer in; returns a line for the status bar, if any.
    pub fn absorb(&mut self, done: Done) -> Option<Result<String, String>> {
        match done {
            Done::Dictionary { lang, result } => {
                let slot = match result {
                    Ok(s) => Slot::Ready(s),
                    Err(e) => Slot::Missing(e),
                };
                self.dicts.insert(lang, slot);
                None
            }
            Done::Suggestions { lang, word, list } => {
                self.suggesting.remove(&(lang.clone(), word.clone()));
                self.suggestions.insert((lang, word), list);
                None
            }
            Done::BrandWordSaved(r) => Some(r.map(|w| format!("\"{w}\" added to the brand words"))),
        }
    }
}
