//! The SLA policy: first-response targets per band and cue, business hours per account,
//! and the pauses (snoozed, waiting for the customer) during which the clock stops.
//! Everything here is pure except [`SlaConfig::resolve`], which looks time zones up once
//! when the config is loaded.

pub mod hours;
pub mod policy;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

pub use hours::Hours;
pub use policy::{clock, Clock, Pause};

use crate::model::{AuditEntry, Label, Mention, MentionId, Millis};
use crate::triage::priority::{Weights, SAFETY_CUE};

const MIN: Millis = 60_000;

/// `[sla]` in config.toml.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlaConfig {
    /// The target of everything else, minutes; when set it wins over the top-level
    /// `sla_minutes` (both are overridden by `--sla` and `:sla`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_minutes: Option<u32>,
    /// The target of negative mentions, minutes.
    pub negative_minutes: u32,
    /// Targets per care cue (`legal`, `safety`, …), minutes. Without a `safety` entry the
    /// safety band keeps `[triage] safety_sla_minutes`.
    pub cues: BTreeMap<String, u32>,
    /// Business hours per account (the source name, as in the queue's `(account)`);
    /// an account without an entry counts every minute.
    pub hours: BTreeMap<String, HoursConfig>,
}

impl Default for SlaConfig {
    fn default() -> Self {
        Self {
            other_minutes: None,
            negative_minutes: 15,
            cues: BTreeMap::from([("legal".to_string(), 10)]),
            hours: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HoursConfig {
    /// An IANA name, e.g. `Europe/Warsaw`.
    pub time_zone: String,
    /// `mon` … `sun`; Monday to Friday when left out.
    #[serde(default = "weekdays")]
    pub days: Vec<String>,
    /// `HH:MM`; a close not after the open runs past midnight.
    pub open: String,
    pub close: String,
    /// `YYYY-MM-DD`: no shift starts on these days.
    #[serde(default)]
    pub holidays: Vec<String>,
}

fn weekdays() -> Vec<String> {
    ["mon", "tue", "wed", "thu", "fri"]
        .map(String::from)
        .to_vec()
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl HoursConfig {
    /// Looks the time zone up (the system tzdb, else the copy built into modq).
    pub fn resolve(&self) -> Result<Hours, String> {
        let tz = jiff::tz::TimeZone::get(&self.time_zone)
            .map_err(|_| format!("unknown time zone \"{}\"", self.time_zone))?;
        let mut days = [false; 7];
        for d in &self.days {
            let i = DAYS
                .iter()
                .position(|x| x.eq_ignore_ascii_case(d.get(..3).unwrap_or(d)))
                .ok_or_else(|| format!("unknown day \"{d}\" (mon … sun)"))?;
            days[i] = true;
        }
        if !days.contains(&true) {
            return Err("no working days".into());
        }
        let time = |s: &str| {
            s.parse::<jiff::civil::Time>()
                .map_err(|_| format!("\"{s}\" is not a time (HH:MM)"))
        };
        let mut holidays = self
            .holidays
            .iter()
            .map(|h| {
                h.parse::<jiff::civil::Date>()
                    .map_err(|_| format!("holiday \"{h}\" is not a date (YYYY-MM-DD)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        holidays.sort_unstable();
        Ok(Hours {
            tz,
            days,
            open: time(&self.open)?,
            close: time(&self.close)?,
            holidays,
        })
    }
}

impl SlaConfig {
    /// The policy, and one message per account whose hours could not be read (that account
    /// then counts every minute, so nothing is late later than it would be).
    pub fn resolve(&self) -> (Policy, Vec<String>) {
        let mut errors = Vec::new();
        let mut hours = HashMap::new();
        for (account, h) in &self.hours {
            match h.resolve() {
                Ok(h) => {
                    hours.insert(account.clone(), h);
                }
                Err(e) => errors.push(format!("[sla.hours.{account}]: {e}")),
            }
        }
        let policy = Policy {
            negative: minutes(self.negative_minutes),
            cues: self
                .cues
                .iter()
                .map(|(k, v)| (k.clone(), minutes(*v)))
                .collect(),
            hours,
        };
        (policy, errors)
    }
}

fn minutes(m: u32) -> Millis {
    Millis::from(m.max(1)) * MIN
}

/// The resolved policy the app holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub negative: Millis,
    pub cues: BTreeMap<String, Millis>,
    pub hours: HashMap<String, Hours>,
}

impl Default for Policy {
    fn default() -> Self {
        SlaConfig::default().resolve().0
    }
}

impl Policy {
    /// The working-time target of `m`: the shortest of `base` (the team's target), the
    /// negative one and those of its cues. Never longer than `base`, so `:sla 5` tightens
    /// every band.
    pub fn target(&self, m: &Mention, base: Millis, w: &Weights) -> Millis {
        let mut t = base;
        if m.sentiment.label == Label::Negative {
            t = t.min(self.negative);
        }
        for c in &m.cues {
            match self.cues.get(&c.tag) {
                Some(&x) => t = t.min(x),
                None if c.tag == SAFETY_CUE => {
                    t = t.min(w.safety_sla_minutes.max(1) as Millis * MIN)
                }
                None => {}
            }
        }
        t.max(1)
    }

    pub fn clock(
        &self,
        m: &Mention,
        base: Millis,
        w: &Weights,
        pauses: &[Pause],
        now: Millis,
    ) -> Clock {
        let target = self.target(m, base, w);
        clock(m.created, target, self.hours.get(&m.source), pauses, now)
    }
}

/// The audit detail of `mention.snooze` until the author writes again.
pub const UNTIL_AUTHOR: &str = "until the author writes";

/// When each mention's clock stood still, read from the audit log: a snooze pauses it
/// until its end, waiting for the customer until the next state change; any later state
/// change of the mention (reopened, done…) ends a running pause there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pauses(HashMap<MentionId, Vec<Pause>>);

impl Pauses {
    /// Entries in the order they happened.
    pub fn from_audit<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Self {
        let mut p = Self::default();
        for e in entries {
            p.record(e);
        }
        p
    }

    pub fn record(&mut self, e: &AuditEntry) {
        let Some(id) = &e.mention else { return };
        if !e.action.starts_with("mention.") {
            return;
        }
        let list = self.0.entry(id.clone()).or_default();
        if let Some(last) = list.last_mut() {
            if last.0 <= e.at && e.at < last.1 {
                last.1 = e.at;
            }
        }
        let end = match e.action.as_str() {
            "mention.snooze" if e.detail == UNTIL_AUTHOR => Some(Millis::MAX),
            "mention.snooze" => e
                .detail
                .strip_prefix("until ")
                .and_then(|u| u.trim().parse::<Millis>().ok()),
            "mention.waiting" => Some(Millis::MAX),
            // Undoing what ended a wait (done, reopened) puts the mention back to waiting.
            "mention.undo"
                if e.detail.ends_with(" -> waiting") || e.detail.ends_with(UNTIL_AUTHOR) =>
            {
                Some(Millis::MAX)
            }
            _ => None,
        };
        if let Some(end) = end.filter(|&end| end > e.at) {
            list.push((e.at, end));
        }
    }

    pub fn of(&self, id: &str) -> &[Pause] {
        self.0.get(id).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    pub(crate) fn mention(label: Label, created: Millis) -> Mention {
        Mention {
            id: "m1".into(),
            source: "shop".into(),
            network: Network::Mastodon,
            author: Author {
                name: "A".into(),
                handle: "@a".into(),
                followers: 0,
            },
            text: String::new(),
            lang: "en".into(),
            created,
            received: created,
            in_reply_to: None,
            url: None,
            sentiment: Sentiment {
                score: 0.0,
                label,
                reasons: vec![],
            },
            state: MentionState::New,
            cues: vec![],
            author_waiting: false,
            cut: Vec::new(),
            work: Default::default(),
            escalation: None,
        }
    }

    fn entry(at: Millis, action: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            at,
            actor: "jo".into(),
            action: action.into(),
            mention: Some("m1".into()),
            detail: detail.into(),
        }
    }

    #[test]
    fn pauses_come_from_the_audit_log_and_a_reopen_ends_them() {
        let log = [
            entry(100, "mention.snooze", "until 1000"),
            entry(400, "mention.reopen", "snoozed -> seen"),
            entry(500, "reply.sent", ""),
            entry(600, "mention.waiting", "seen -> waiting"),
            entry(900, "mention.done", "waiting -> done"),
            entry(950, "mention.snooze", "until 2000"),
        ];
        let p = Pauses::from_audit(&log);
        assert_eq!(p.of("m1"), &[(100, 400), (600, 900), (950, 2000)]);
        assert!(p.of("other").is_empty());
    }

    #[test]
    fn targets_per_band_and_cue_defaults_and_overrides() {
        let mut m = mention(Label::Neutral, 0);
        let w = Weights::default();
        let p = Policy::default();
        let base = 30 * MIN;
        assert_eq!(p.target(&m, base, &w), 30 * MIN);
        m.sentiment.label = Label::Negative;
        assert_eq!(p.target(&m, base, &w), 15 * MIN);
        m.cues.push(Cue {
            tag: "legal".into(),
            weight: 0.5,
        });
        assert_eq!(p.target(&m, base, &w), 10 * MIN);
        m.cues = vec![Cue {
            tag: SAFETY_CUE.into(),
            weight: 1.0,
        }];
        // [triage] safety_sla_minutes is the fallback, [sla.cues] safety wins over it.
        let w5 = Weights {
            safety_sla_minutes: 5,
            ..Weights::default()
        };
        assert_eq!(p.target(&m, base, &w5), 5 * MIN);
        let c: crate::config::Config =
            toml::from_str("[sla]\nnegative_minutes = 20\ncues = { safety = 7 }\n").unwrap();
        let (p7, errors) = c.sla.resolve();
        assert!(errors.is_empty());
        assert_eq!(p7.target(&m, base, &w5), 7 * MIN);
        // Never longer than the team's target (`:sla 3`).
        assert_eq!(p7.target(&m, 3 * MIN, &w5), 3 * MIN);
    }

    #[test]
    fn the_readme_example_is_a_valid_policy() {
        let readme = include_str!("../../README.md");
        let start = readme.find("```toml\n[sla]\n").expect("the [sla] example") + 8;
        let block = &readme[start..][..readme[start..].find("```").unwrap()];
        let c: crate::config::Config = toml::from_str(block).unwrap();
        let (p, errors) = c.sla.resolve();
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(p.hours["shop"].holidays.len(), 3);
        assert_eq!(p.cues["legal"], 10 * MIN);
    }

    #[test]
    fn hours_are_read_from_config_and_bad_ones_are_named() {
        let c: crate::config::Config = toml::from_str(
            r#"
            [sla.hours.shop]
            time_zone = "Europe/Warsaw"
            days = ["mon", "Tuesday", "sat"]
            open = "22:00"
            close = "06:00"
            holidays = ["2026-12-25", "2026-12-24"]
            [sla.hours.bad]
            time_zone = "Mars/Olympus"
            open = "08:00"
            close = "16:00"
            "#,
        )
        .unwrap();
        let (p, errors) = c.sla.resolve();
        assert_eq!(
            errors,
            vec!["[sla.hours.bad]: unknown time zone \"Mars/Olympus\"".to_string()]
        );
        let h = &p.hours["shop"];
        assert_eq!(h.days, [true, true, false, false, false, true, false]);
        assert_eq!(h.holidays[0].to_string(), "2026-12-24");
        assert!(!p.hours.contains_key("bad"));
    }
}
