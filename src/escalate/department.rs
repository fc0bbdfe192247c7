//! `[[departments]]` in config.toml: where a moderator can pass a mention on. Each entry is
//! checked on its own; a bad one is reported at its line and left out, the others stay.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::de::DeValue;
use toml::Spanned;

use crate::config::DataError;

/// How the webhook body is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// `{"text": "…"}`: what Slack, Mattermost and Rocket.Chat incoming webhooks read.
    Slack,
    /// Every field as its own JSON key, for a ticketing system or a script.
    #[default]
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub name: String,
    /// One character: choosing it in the department picker is that key.
    #[serde(default)]
    pub key: String,
    /// Where the escalation is posted.
    pub webhook: String,
    /// Header name → the name of the environment variable holding its value. The value
    /// itself never sits in the file (nor in the store, nor in the log).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub style: Style,
    /// Plain `http://` to another machine, as `--insecure` allows for accounts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

impl Department {
    /// The key as a character, when one was given.
    pub fn key_char(&self) -> Option<char> {
        self.key.chars().next()
    }

    /// The header values from the environment, read when a delivery leaves. A variable
    /// that is not set is an error naming the variable (never a value).
    pub fn header_values(&self) -> Result<Vec<(String, String)>, String> {
        self.headers
            .iter()
            .map(|(h, var)| match std::env::var(var) {
                Ok(v) if !v.is_empty() => Ok((h.clone(), v)),
                _ => Err(format!(
                    "the environment variable {var} (header {h} of department {}) is not set",
                    self.name
                )),
            })
            .collect()
    }

    /// Checks one entry; the error names the key at fault (None: the entry as a whole).
    fn check(mut self) -> Result<Self, (Option<&'static str>, String)> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() || self.name.chars().any(char::is_whitespace) {
            return Err((
                Some("name"),
                "a department needs a name of one word (it is typed after :escalate)".into(),
            ));
        }
        if self.key.chars().count() > 1 || self.key.chars().any(char::is_whitespace) {
            return Err((
                Some("key"),
                format!("key \"{}\" must be one character", self.key),
            ));
        }
        self.webhook = crate::accounts::server_url(&self.webhook, self.insecure)
            .map_err(|e| (Some("webhook"), e.replace("--insecure", "insecure = true")))?;
        for (h, var) in &self.headers {
            if reqwest::header::HeaderName::from_bytes(h.as_bytes()).is_err() {
                return Err((Some("headers"), format!("\"{h}\" is not a header name")));
            }
            let env_name = !var.is_empty()
                && !var.starts_with(|c: char| c.is_ascii_digit())
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !env_name {
                // Never echo it: it may be the secret itself.
                return Err((
                    Some("headers"),
                    format!(
                        "header {h}: give the name of an environment variable that holds \
                         the value (e.g. {h} = \"BILLING_TOKEN\"), never the value itself"
                    ),
                ));
            }
        }
        Ok(self)
    }
}

/// The departments of `value` (the `departments` key of config.toml), each bad entry an
/// error at its line.
pub fn parse(
    file: &str,
    src: &str,
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<DataError>,
) -> Vec<Department> {
    let at = |offset: usize, msg: String| DataError::at_offset(file, src, offset, msg);
    let Some(list) = value.get_ref().as_array() else {
        errors.push(at(
            value.span().start,
            "departments: write each department as a [[departments]] table; none is used".into(),
        ));
        return Vec::new();
    };
    let mut out: Vec<Department> = Vec::new();
    for item in list {
        let start = item.span().start;
        let span_of = |key: &str| {
            item.get_ref()
                .as_table()
                .and_then(|t| t.iter().find(|(k, _)| k.get_ref().as_ref() == key))
                .map_or(start, |(k, _)| k.span().start)
        };
        let plain = toml::Value::deserialize(toml::de::ValueDeserializer::from(item.clone()));
        let d = match plain
            .map_err(|e| e.message().trim().to_string())
            .and_then(|v| {
                v.try_into::<Department>()
                    .map_err(|e| e.message().trim().to_string())
            }) {
            Ok(d) => d,
            Err(why) => {
                // An unknown key is reported where it is written.
                let place = why.split('`').nth(1).map_or(start, &span_of);
                errors.push(at(
                    place,
                    format!("departments: {why}; department left out"),
                ));
                continue;
            }
        };
        let d = match d.check() {
            Ok(d) => d,
            Err((key, why)) => {
                let place = key.map_or(start, span_of);
                errors.push(at(
                    place,
                    format!("departments: {why}; department left out"),
                ));
                continue;
            }
        };
        if out.iter().any(|o| o.name.eq_ignore_ascii_case(&d.name)) {
            errors.push(at(
                span_of("name"),
                format!(
                    "departments: \"{}\" is named twice; the first is used",
                    d.name
                ),
            ));
            continue;
        }
        if let Some(o) = out.iter().find(|o| !d.key.is_empty() && o.key == d.key) {
            errors.push(at(
                span_of("key"),
                format!(
                    "departments: key \"{}\" is already {}'s; {} is chosen by name only",
                    d.key, o.name, d.name
                ),
            ));
            out.push(Department {
                key: String::new(),
                ..d
            });
            continue;
        }
        out.push(d);
    }
    out
}

/// The department a name (or its key) stands for, ignoring case.
pub fn find<'a>(all: &'a [Department], name: &str) -> Option<&'a Department> {
    all.iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
        .or_else(|| {
            let mut c = name.chars();
            let (Some(k), None) = (c.next(), c.next()) else {
                return None;
            };
            all.iter().find(|d| d.key_char() == Some(k))
        })
}
