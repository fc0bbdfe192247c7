//! Where modq keeps things, the optional config file, and the one error type for data files
//! (keymaps, themes, config) that names the file and line.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A problem in a user-editable file: `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub line: Option<usize>,
    /// 1-based, in characters; known when the error points at a place in the line.
    pub column: Option<usize>,
    pub message: String,
}

impl DataError {
    pub fn at(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line,
            column: None,
            message: message.into(),
        }
    }

    /// At a byte offset of `src`.
    pub fn at_offset(file: &str, src: &str, offset: usize, message: impl Into<String>) -> Self {
        let end = floor_char_boundary(src, offset);
        let line_start = src[..end].rfind('\n').map_or(0, |p| p + 1);
        Self {
            column: Some(src[line_start..end].chars().count() + 1),
            ..Self::at(file, Some(line_at(src, end)), message)
        }
    }

    /// For an error that keeps the whole file from being used: says so.
    pub fn whole_file(mut self) -> Self {
        self.message
            .push_str("; nothing in the file is used, modq runs on the defaults");
        self
    }

    pub fn toml(file: &str, src: &str, e: &toml::de::Error) -> Self {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(s) => Self::at_offset(file, src, s.start, message),
            None => Self::at(file, None, message),
        }
    }
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

fn floor_char_boundary(src: &str, offset: usize) -> usize {
    let mut end = offset.min(src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// A TOML file as a table whose keys and values know where they are, so that each part can
/// be checked and reported on its own: one bad line does not discard the rest.
pub fn parse_spanned<'s>(file: &str, src: &'s str) -> Result<DeTable<'s>, DataError> {
    DeTable::parse(src)
        .map(Spanned::into_inner)
        .map_err(|e| DataError::toml(file, src, &e))
}

/// The known name closest to a misspelt one (one letter off, or two in a longer name), for
/// "did you mean".
fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let w: Vec<char> = word.chars().collect();
    let most = if w.len() > 5 { 2 } else { 1 };
    (1..=most).find_map(|max| {
        known.clone().into_iter().find(|k| {
            let k: Vec<char> = k.chars().collect();
            crate::compose::freq::within(&w, &k, max)
        })
    })
}

/// ` (did you mean 'x'?)` when a known name is close, else nothing.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    closest(word, known)
        .map(|k| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default()
}

/// The field names a struct deserializes, as serde hands them to a deserializer, so that
/// unknown keys are found without a second hand-written list.
pub fn field_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Error, Visitor};
    struct Fields<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Fields<'_> {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(Error::custom("fields read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut fields));
    fields
}

fn table_at<'a>(good: &'a mut toml::Table, path: &[&str]) -> Option<&'a mut toml::Table> {
    path.iter()
        .try_fold(good, |t, p| t.get_mut(*p)?.as_table_mut())
}

/// An unknown key: reported where it is written, with the closest known one, and ignored.
fn unknown_key(
    file: &str,
    src: &str,
    key: &Spanned<toml::de::DeString<'_>>,
    known: &[&str],
) -> DataError {
    let name = key.get_ref().as_ref();
    DataError::at_offset(
        file,
        src,
        key.span().start,
        format!(
            "unknown key '{name}'{}; ignored",
            did_you_mean(name, known.iter().copied())
        ),
    )
}

/// Puts `value` at `path` in `good` if `T` still deserializes from the whole; otherwise leaves
/// `good` as it was and says why.
fn accept_key<T: serde::de::DeserializeOwned>(
    good: &mut toml::Table,
    path: &[&str],
    value: &Spanned<DeValue<'_>>,
) -> Result<(), String> {
    let plain = toml::Value::deserialize(toml::de::ValueDeserializer::from(value.clone()))
        .map_err(|e| e.message().trim().to_string())?;
    let Some((last, parents)) = path.split_last() else {
        return Ok(());
    };
    let Some(parent) = table_at(good, parents) else {
        return Err("its table is not valid".into());
    };
    parent.insert(last.to_string(), plain);
    match toml::Value::Table(good.clone()).try_into::<T>() {
        Ok(_) => Ok(()),
        Err(e) => {
            if let Some(parent) = table_at(good, parents) {
                parent.remove(*last);
            }
            Err(e.message().trim().to_string())
        }
    }
}

impl std::error::Error for DataError {}

/// A data file's text: `None` when there is no such file; otherwise the text, or an error
/// naming the file and the reason (unreadable, a folder, not UTF-8 with the line and byte of
/// the first bad byte). A file that exists is never silently skipped.
pub fn read_text(path: &Path) -> Result<Option<String>, DataError> {
    let file = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DataError::at(&file, None, format!("cannot read it: {e}"))),
    };
    String::from_utf8(bytes).map(Some).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        DataError::at(
            &file,
            Some(line),
            format!(
                "not UTF-8 text (byte 0x{:02x} at column {column}); save it as UTF-8",
                bytes[at]
            ),
        )
    })
}

/// 1-based line of a byte offset.
pub fn line_at(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Response-time target, minutes.
    pub sla_minutes: u32,
    pub snooze_minutes: u32,
    pub theme: Option<String>,
    pub keymap: Option<String>,
    /// Who is acting, for the audit log. Defaults to $USER.
    pub agent: Option<String>,
    /// Demo mentions per second.
    pub demo_rate: f64,
    /// The brand's name: fills `{brand}` in templates and is never a spelling mistake.
    pub brand: Option<String>,
    /// More directories with Hunspell `.aff`/`.dic` files, searched before the system ones.
    pub dictionaries: Vec<PathBuf>,
    /// Triage weights: how negativity, cues, reach and waiting move a mention up.
    pub triage: crate::triage::priority::Weights,
    /// Copy links with OSC 52 (`link.copy`): off, since it lets the console write the
    /// clipboard and not every terminal (or multiplexer) should be trusted with that.
    pub osc52: bool,
    /// First-response targets per band and cue, business hours per account.
    pub sla: crate::sla::SlaConfig,
    /// The team's list of tags.
    pub tags: TagsConfig,
    /// Who the queue marks as an advocate or a repeat complainer.
    pub advocates: crate::app::author::AuthorRules,
    /// `[[departments]]`: where `e` passes a mention on (checked entry by entry).
    pub departments: Vec<crate::escalate::department::Department>,
    /// How the store is kept on this machine (`[store] cache_mb`).
    pub store: crate::store::StoreConfig,
}

/// `[tags]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct TagsConfig {
    /// Tags the team agreed on: offered first and drawn in the theme's `tag` colour.
    pub known: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            sla_minutes: 30,
            snooze_minutes: 30,
            theme: None,
            keymap: None,
            agent: None,
            demo_rate: 0.5,
            brand: None,
            dictionaries: Vec::new(),
            triage: Default::default(),
            osc52: false,
            sla: Default::default(),
            tags: Default::default(),
            advocates: Default::default(),
            departments: Vec::new(),
            store: Default::default(),
        }
    }
}

/// Tables of config.toml whose keys are checked one by one, with the fields they know.
type Fields = fn() -> &'static [&'static str];

const SECTIONS: &[(&str, Fields)] = &[
    ("triage", field_names::<crate::triage::priority::Weights>),
    ("store", field_names::<crate::store::StoreConfig>),
];

impl Config {
    /// A missing file is fine. In a broken one each bad key is reported and keeps its default;
    /// the valid keys are applied.
    pub fn load(path: &Path) -> (Self, Vec<DataError>) {
        match read_text(path) {
            Ok(Some(src)) => Self::parse(&path.display().to_string(), &src),
            Ok(None) => (Self::default(), Vec::new()),
            Err(e) => (Self::default(), vec![e.whole_file()]),
        }
    }

    /// Each key is deserialized on its own (and each key of `[triage]`): a bad value, an
    /// unknown key, a table where a number belongs is one error at its place, the rest stands.
    /// Only a file that is not TOML at all gives the defaults.
    pub fn parse(file: &str, src: &str) -> (Self, Vec<DataError>) {
        let doc = match parse_spanned(file, src) {
            Ok(d) => d,
            Err(e) => return (Self::default(), vec![e.whole_file()]),
        };
        let defaults =
            toml::Value::try_from(Self::default()).unwrap_or(toml::Value::Boolean(false));
        let mut good = toml::Table::new();
        let mut errors = Vec::new();
        let mut accept = |good: &mut toml::Table, path: &[&str], value: &Spanned<DeValue<'_>>| {
            if let Err(why) = accept_key::<Self>(good, path, value) {
                let default = path
                    .iter()
                    .try_fold(&defaults, |v, k| v.get(k))
                    .map_or("no value".to_string(), |v| format!("the default {v}"));
                errors.push(DataError::at_offset(
                    file,
                    src,
                    value.span().start,
                    format!("{}: {why}; using {default}", path.join(".")),
                ));
            }
        };
        let mut unknown = Vec::new();
        let (mut departments, mut dept_errors) = (Vec::new(), Vec::new());
        for (key, value) in &doc {
            let name = key.get_ref().as_ref();
            if name == "departments" {
                departments =
                    crate::escalate::department::parse(file, src, value, &mut dept_errors);
                continue;
            }
            let fields = field_names::<Self>();
            if !fields.contains(&name) {
                unknown.push(unknown_key(file, src, key, fields));
                continue;
            }
            let section = SECTIONS.iter().find(|(s, _)| *s == name);
            match (section, value.get_ref().as_table()) {
                (Some((_, known)), Some(table)) => {
                    good.insert(name.into(), toml::Value::Table(Default::default()));
                    for (sub, v) in table {
                        let sub_name = sub.get_ref().as_ref();
                        if known().contains(&sub_name) {
                            accept(&mut good, &[name, sub_name], v);
                        } else {
                            unknown.push(unknown_key(file, src, sub, known()));
                        }
                    }
                }
                _ => accept(&mut good, &[name], value),
            }
        }
        errors.extend(unknown);
        errors.extend(dept_errors);
        errors.sort_by_key(|e| (e.line, e.column));
        let mut config: Self = toml::Value::Table(good).try_into().unwrap_or_default();
        config.departments = departments;
        // `[sla] other_minutes` is the newer name of `sla_minutes`, and wins.
        if let Some(m) = config.sla.other_minutes {
            config.sla_minutes = m;
        }
        (config, errors)
    }

    pub fn agent_name(&self) -> String {
        self.agent
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "moderator".into())
    }
}

/// Resolved directories.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl Paths {
    /// XDG defaults; `--data-dir` moves data and the log, `--config-dir` the config.
    pub fn resolve(data_dir: Option<PathBuf>, config_dir: Option<PathBuf>) -> Self {
        let dirs = directories::ProjectDirs::from("", "", "modq");
        let fallback = || PathBuf::from(".modq");
        let config_dir = config_dir.unwrap_or_else(|| {
            dirs.as_ref()
                .map(|d| d.config_dir().to_path_buf())
                .unwrap_or_else(fallback)
        });
        let (data_dir, log_dir) = match data_dir {
            Some(d) => (d.clone(), d),
            None => {
                let data = dirs
                    .as_ref()
                    .map(|d| d.data_dir().to_path_buf())
                    .unwrap_or_else(fallback);
                let log = dirs
                    .as_ref()
                    .and_then(|d| d.state_dir().map(Path::to_path_buf))
                    .unwrap_or_else(|| data.clone());
                (data, log)
            }
        };
        Self {
            config_dir,
            data_dir,
            log_dir,
        }
    }

    pub fn store_dir(&self) -> PathBuf {
        self.data_dir.join("store")
    }
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
    pub fn user_keymap(&self) -> PathBuf {
        self.config_dir.join("keymap.toml")
    }
    pub fn user_themes(&self) -> PathBuf {
        self.config_dir.join("themes")
    }
    pub fn log_file(&self) -> PathBuf {
        self.log_dir.join("modq.log")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_key_is_reported_and_the_rest_applied() {
        let src = "sla_minutes = \"soon\"\nsnooze_minutes = 45\nsla_minuts = 5\n\
                   demo_rate = 2.0\n[triage]\nreach = 0.1\nrech = 2\nnegativity = \"high\"\n";
        let (c, errors) = Config::parse("config.toml", src);
        assert_eq!(c.snooze_minutes, 45);
        assert_eq!(c.demo_rate, 2.0);
        assert_eq!(c.triage.reach, 0.1);
        assert_eq!(c.sla_minutes, 30, "the bad value keeps its default");
        assert_eq!(c.triage.negativity, Config::default().triage.negativity);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "config.toml:1:15: sla_minutes: invalid type: string \"soon\", expected u32; \
                 using the default 30",
                "config.toml:3:1: unknown key 'sla_minuts' (did you mean 'sla_minutes'?); ignored",
                "config.toml:7:1: unknown key 'rech' (did you mean 'reach'?); ignored",
                "config.toml:8:14: triage.negativity: invalid type: string \"high\", expected f64; \
                 using the default 0.4",
            ],
        );
    }

    #[test]
    fn a_table_where_a_value_belongs_and_unset_defaults_are_named() {
        let (c, errors) = Config::parse("c.toml", "agent = 3\nsla_minutes = 10\ntriage = 4\n");
        assert_eq!(c.sla_minutes, 10);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, Some(1));
        assert!(
            errors[0].message.ends_with("using no value"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1].line, Some(3));
    }

    #[test]
    fn a_file_that_is_not_toml_gives_the_defaults_and_says_so() {
        let (c, errors) = Config::parse("c.toml", "sla_minutes = 10\n[triage\n");
        assert_eq!(c, Config::default());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[0].message.contains("modq runs on the defaults"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn every_config_key_is_known() {
        assert!(field_names::<Config>().contains(&"sla_minutes"));
        assert!(field_names::<Config>().contains(&"triage"));
        // A config written with every default reads back without a complaint.
        let all = toml::to_string(&Config::default()).unwrap();
        assert_eq!(
            Config::parse("c.toml", &all),
            (Config::default(), Vec::new())
        );
    }

    #[test]
    fn a_config_that_is_not_utf8_is_reported_with_line_and_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, b"sla_minutes = 30\nagent = \"Jos\xe9\"\n").unwrap();
        let (c, err) = Config::load(&p);
        assert_eq!(c, Config::default());
        let err = err.first().expect("a non-UTF-8 config is reported");
        assert_eq!(
            err.to_string(),
            format!(
                "{}:2: not UTF-8 text (byte 0xe9 at column 13); save it as UTF-8; \
                 nothing in the file is used, modq runs on the defaults",
                p.display()
            )
        );
    }

    #[test]
    fn an_unreadable_config_is_reported_and_a_missing_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let (_, err) = Config::load(&dir.path().join("config.toml"));
        assert_eq!(err, []);
        // A folder where the file should be.
        let p = dir.path().join("config.toml");
        std::fs::create_dir(&p).unwrap();
        let err = Config::load(&p).1.pop().expect("reported");
        assert!(err.to_string().contains("cannot read it"), "{err}");
        assert!(
            err.to_string().starts_with(&p.display().to_string()),
            "{err}"
        );
    }
}
