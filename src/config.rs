//! Where modq keeps things, the optional config file, and the one error type for data files
//! (keymaps, themes, config) that names the file and line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A problem in a user-editable file: `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl DataError {
    pub fn at(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn toml(file: &str, src: &str, e: &toml::de::Error) -> Self {
        let line = e.span().map(|s| line_at(src, s.start));
        Self::at(file, line, e.message().trim().to_string())
    }
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for DataError {}

/// 1-based line of a byte offset.
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

pub fn line_at(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line that defines `key` (in `[section]`, or the section header itself when `section`
/// is None). The TOML parser has already accepted the file, so a plain scan is enough.
pub fn line_of(src: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim_start();
        if let Some(name) = line.strip_prefix('[') {
            let name = name
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if section.is_none() && name == key {
                return Some(i + 1);
            }
            current = Some(name.to_string());
            continue;
        }
        if section.is_none() || current.as_deref() != section {
            continue;
        }
        for quoted in [format!("\"{key}\""), format!("'{key}'"), key.to_string()] {
            if let Some(rest) = line.strip_prefix(quoted.as_str()) {
                if rest.trim_start().starts_with('=') {
                    return Some(i + 1);
                }
            }
        }
    }
    None
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
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
        }
    }
}

impl Config {
    /// A missing file is fine; a broken one is reported and the defaults are used.
    pub fn load(path: &Path) -> (Self, Option<DataError>) {
        let src = match read_text(path) {
            Ok(Some(src)) => src,
            Ok(None) => return (Self::default(), None),
            Err(e) => return (Self::default(), Some(e)),
        };
        let file = path.display().to_string();
        match toml::from_str::<Config>(&src) {
            Ok(mut c) => {
                // `[sla] other_minutes` is the newer name of `sla_minutes`, and wins.
                if let Some(m) = c.sla.other_minutes {
                    c.sla_minutes = m;
                }
                (c, None)
            }
            Err(e) => (Self::default(), Some(DataError::toml(&file, &src, &e))),
        }
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
    fn finds_lines() {
        let src = "# c\n[queue]\nj = \"a\"\n\"<C-s>\" = \"b\"\n[compose]\nj = \"c\"\n";
        assert_eq!(line_of(src, None, "compose"), Some(5));
        assert_eq!(line_of(src, Some("queue"), "<C-s>"), Some(4));
        assert_eq!(line_of(src, Some("compose"), "j"), Some(6));
    }

    #[test]
    fn broken_config_reports_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "sla_minutes = 30\nsla_minutes_typo = 5\n").unwrap();
        let (c, err) = Config::load(&p);
        assert_eq!(c, Config::default());
        let err = err.unwrap();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn a_config_that_is_not_utf8_is_reported_with_line_and_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, b"sla_minutes = 30\nagent = \"Jos\xe9\"\n").unwrap();
        let (c, err) = Config::load(&p);
        assert_eq!(c, Config::default());
        let err = err.expect("a non-UTF-8 config is reported");
        assert_eq!(
            err.to_string(),
            format!(
                "{}:2: not UTF-8 text (byte 0xe9 at column 13); save it as UTF-8",
                p.display()
            )
        );
    }

    #[test]
    fn an_unreadable_config_is_reported_and_a_missing_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let (_, err) = Config::load(&dir.path().join("config.toml"));
        assert_eq!(err, None);
        // A folder where the file should be.
        let p = dir.path().join("config.toml");
        std::fs::create_dir(&p).unwrap();
        let err = Config::load(&p).1.expect("reported");
        assert!(err.to_string().contains("cannot read it"), "{err}");
        assert!(
            err.to_string().starts_with(&p.display().to_string()),
            "{err}"
        );
    }
}
