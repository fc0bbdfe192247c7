//! Where a mention ranks. The key does not depend on the clock: every mention ages at the
//! same rate, so ordering by a virtual deadline keeps rows from reshuffling while a
//! moderator reads, yet still means "closest to breaching the SLA first".

use serde::Deserialize;

use super::cues;
use crate::model::{Label, Mention, Millis};

/// Sort ascending: by band, then the earliest virtual deadline, then id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RankKey {
    pub band: Band,
    pub deadline: Millis,
    pub id: String,
}

/// The bands of the queue, most urgent first. A report of harm (fire, burns, a shock, a
/// child hurt) comes before any complaint whatever its tone: "it melted, lol" is no less
/// dangerous for the smiley.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Safety,
    Negative,
    Rest,
}

/// The care cue that puts a mention in the safety band.
pub const SAFETY_CUE: &str = "safety";

pub fn band(m: &Mention) -> Band {
    if m.cues.iter().any(|c| c.tag == SAFETY_CUE) {
        Band::Safety
    } else if m.sentiment.label == Label::Negative {
        Band::Negative
    } else {
        Band::Rest
    }
}

/// The response-time target of `m`: the safety band's own (never longer than `sla`), else
/// `sla`.
pub fn sla_for(m: &Mention, sla: Millis, w: &Weights) -> Millis {
    match band(m) {
        Band::Safety => sla.min(w.safety_sla_minutes.max(1) as Millis * 60_000),
        _ => sla,
    }
}

/// How much each signal moves the virtual deadline, as a fraction of the SLA. From the
/// `[triage]` table of config.toml.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Per unit of negativity (score −1 gives the full weight).
    pub negativity: f64,
    /// For care cues, their weights summed and capped at 1.
    pub cues: f64,
    /// For reach, log-scaled up to `full_reach_followers`.
    pub reach: f64,
    pub full_reach_followers: u64,
    /// When the author already waits in another mention.
    pub author_waiting: f64,
    /// The credit never exceeds this share of the SLA.
    pub max_credit: f64,
    /// The response-time target of safety reports, in minutes (the SLA when shorter).
    pub safety_sla_minutes: u64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            negativity: 0.4,
            cues: 0.3,
            reach: 0.3,
            full_reach_followers: 2_000_000,
            author_waiting: 0.15,
            max_credit: 0.9,
            safety_sla_minutes: 10,
        }
    }
}

/// Reach in [0, 1], log-scaled: 10 followers count a little, a million nearly fully.
pub fn reach(followers: u64, w: &Weights) -> f64 {
    let f = (followers as f64 + 1.0).log10() / (w.full_reach_followers as f64 + 1.0).log10();
    f.clamp(0.0, 1.0)
}

/// How much earlier the virtual deadline falls, in ms: urgency folded into time, so the
/// key never changes while the mention waits.
pub fn credit(m: &Mention, sla: Millis, w: &Weights) -> Millis {
    let neg = f64::from((-m.sentiment.score).max(0.0));
    let share = w.negativity * neg
        + w.cues * f64::from(cues::total(&m.cues))
        + w.reach * reach(m.author.followers, w)
        + if m.author_waiting {
            w.author_waiting
        } else {
            0.0
        };
    (share.clamp(0.0, w.max_credit.clamp(0.0, 1.0)) * sla as f64) as Millis
}

/// `sla` is the team's target; a safety report is held to its own shorter one.
/// A mention whose author wrote again while it waited for them comes first in its band,
/// the earliest return first.
pub fn rank_key(m: &Mention, sla: Millis, w: &Weights) -> RankKey {
    let sla = sla_for(m, sla, w);
    let deadline = match m.work.back {
        Some(at) => Millis::MIN / 4 + at,
        None => m.created + sla - credit(m, sla, w),
    };
    RankKey {
        band: band(m),
        deadline,
        id: m.id.clone(),
    }
}

/// The number shown: how far through its (virtual) SLA window the mention is, in percent.
/// Credit starts it part of the way; 100 means its virtual deadline has passed.
pub fn priority(m: &Mention, now: Millis, sla: Millis, w: &Weights) -> i64 {
    let sla = sla_for(m, sla, w);
    let elapsed = (now - m.created).max(0) + credit(m, sla, w);
    elapsed * 100 / sla.max(1)
}

/// Compact follower count: 12, 4.8k, 48k, 2.0M.
pub fn human_count(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1_000.0),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1_000_000.0),
    }
}

/// Minutes, signed, as a moderator reads them: "12 min", "1 h 05", from two days on
/// "3 days" (nobody reads "22809 h 05").
pub fn human_minutes(ms: Millis) -> String {
    let m = ms / 60_000;
    if m.abs() < 60 {
        format!("{m} min")
    } else if m.abs() < 48 * 60 {
        format!("{} h {:02}", m / 60, (m % 60).abs())
    } else {
        format!("{} days", m / (24 * 60))
    }
}

/// The priority as shown: past 999 (ten times its SLA) the exact figure says nothing more.
fn shown_priority(p: i64) -> String {
    if p > 999 {
        "999+".to_string()
    } else {
        p.to_string()
    }
}

/// One line: why this mention is where it is. `target` and `left` (working time, negative
/// when overdue) come from the SLA policy, which knows business hours and pauses.
pub fn explain(m: &Mention, now: Millis, w: &Weights, (target, left): (Millis, Millis)) -> String {
    // Measured against the policy's target for this mention, the one its SLA clock uses.
    let mut parts = vec![format!(
        "priority {}",
        shown_priority(priority(m, now, target, w))
    )];
    if band(m) == Band::Safety {
        parts.push(format!("safety report, {} SLA", human_minutes(target)));
    }
    parts.extend([format!(
        "{} {:+.2}",
        m.sentiment.label.name(),
        m.sentiment.score
    )]);
    let tags: Vec<&str> = (m.cues.iter())
        .filter(|c| c.tag != SAFETY_CUE)
        .take(3)
        .map(|c| c.tag.as_str())
        .collect();
    if !tags.is_empty() {
        parts.push(tags.join(", "));
    }
    parts.push(format!("{} followers", human_count(m.author.followers)));
    if m.author_waiting {
        parts.push("author already waiting".into());
    }
    if left > 0 {
        parts.push(format!("{} to SLA", human_minutes(left)));
    } else {
        parts.push(format!("SLA breached {} ago", human_minutes(-left)));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn mention(id: &str, label: Label, followers: u64, created: Millis) -> Mention {
        Mention {
            id: id.into(),
            source: "demo".into(),
            network: Network::Mastodon,
            author: Author {
                name: "A".into(),
                handle: "@a".into(),
                followers,
            },
            text: String::new(),
            lang: "en".into(),
            created,
            received: created,
            in_reply_to: None,
            url: None,
            sentiment: Sentiment {
                score: if label == Label::Negative { -0.6 } else { 0.0 },
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

    const SLA: Millis = 30 * 60_000;
    static W: std::sync::LazyLock<Weights> = std::sync::LazyLock::new(Weights::default);

    #[test]
    fn negative_before_everything() {
        let neg = mention("n", Label::Negative, 10, 1_000_000);
        let old_pos = mention("p", Label::Positive, 2_000_000, 0);
        assert!(rank_key(&neg, SLA, &W) < rank_key(&old_pos, SLA, &W));
    }

    #[test]
    fn a_safety_report_ranks_above_every_complaint_whatever_its_tone() {
        let mut neg = Vec::new();
        for (i, followers) in [10, 2_000_000].into_iter().enumerate() {
            let mut m = mention(&format!("n{i}"), Label::Negative, followers, 0);
            m.sentiment.score = -1.0;
            m.author_waiting = true;
            m.cues.push(Cue {
                tag: "legal".into(),
                weight: 0.9,
            });
            neg.push(m);
        }
        for label in [Label::Neutral, Label::Positive] {
            // Arrived an hour after the oldest, angriest, best-followed complaint.
            let mut s = mention("s", label, 0, 3_600_000);
            s.cues.push(Cue {
                tag: SAFETY_CUE.into(),
                weight: 1.0,
            });
            assert_eq!(band(&s), Band::Safety);
            for n in &neg {
                assert!(rank_key(&s, SLA, &W) < rank_key(n, SLA, &W), "{label:?}");
            }
        }
    }

    #[test]
    fn a_safety_report_has_its_own_shorter_sla() {
        let mut s = mention("s", Label::Neutral, 0, 0);
        s.cues.push(Cue {
            tag: SAFETY_CUE.into(),
            weight: 1.0,
        });
        assert_eq!(sla_for(&s, SLA, &W), 10 * 60_000);
        // Never longer than the team's own target.
        assert_eq!(sla_for(&s, 5 * 60_000, &W), 5 * 60_000);
        let plain = mention("p", Label::Negative, 0, 0);
        assert_eq!(sla_for(&plain, SLA, &W), SLA);
        let e = explain(&s, 12 * 60_000, &W, (10 * 60_000, -2 * 60_000));
        assert!(e.contains("safety report, 10 min SLA"), "{e}");
        assert!(e.ends_with("SLA breached 2 min ago"), "{e}");
        // Configurable like the other weights.
        let c: crate::config::Config =
            toml::from_str("[triage]\nsafety_sla_minutes = 5\n").unwrap();
        assert_eq!(sla_for(&s, SLA, &c.triage), 5 * 60_000);
    }

    #[test]
    fn older_first_within_band() {
        let a = mention("a", Label::Negative, 100, 0);
        let b = mention("b", Label::Negative, 100, 60_000);
        assert!(rank_key(&a, SLA, &W) < rank_key(&b, SLA, &W));
    }

    #[test]
    fn reach_moves_a_mention_up() {
        let small = mention("s", Label::Negative, 10, 0);
        let big = mention("b", Label::Negative, 1_000_000, 5 * 60_000);
        assert!(rank_key(&big, SLA, &W) < rank_key(&small, SLA, &W));
    }

    #[test]
    fn explanation_reads_well() {
        let mut m = mention("x", Label::Negative, 48_000, 0);
        m.cues.push(Cue {
            tag: "refund".into(),
            weight: 0.6,
        });
        let e = explain(&m, 18 * 60_000, &W, (SLA, 12 * 60_000));
        // credit = 0.4·0.6 + 0.3·0.6 + 0.3·reach(48k) ≈ 0.64 of the SLA; 18 of 30 min gone
        assert_eq!(
            e,
            "priority 124 · negative -0.60 · refund · 48k followers · 12 min to SLA"
        );
        m.author_waiting = true;
        let late = explain(&m, 95 * 60_000, &W, (SLA, -65 * 60_000));
        assert!(late.contains("author already waiting"), "{late}");
        assert!(late.ends_with("SLA breached 1 h 05 ago"), "{late}");
        // Reaching the target exactly is a breach, as in the queue.
        let at = explain(&m, 30 * 60_000, &W, (SLA, 0));
        assert!(at.ends_with("SLA breached 0 min ago"), "{at}");
        // A mention from long ago: days, and a priority that stops counting.
        let year = 365 * 24 * 60 * 60_000;
        let old = explain(&m, year, &W, (SLA, SLA - year));
        assert!(old.starts_with("priority 999+ · "), "{old}");
        assert!(old.ends_with("SLA breached 364 days ago"), "{old}");
        assert_eq!(human_minutes(47 * 60 * 60_000), "47 h 00");
    }

    #[test]
    fn key_is_time_invariant_and_cues_move_it_up() {
        let plain = mention("p", Label::Negative, 100, 0);
        let mut refund = mention("r", Label::Negative, 100, 5 * 60_000);
        refund.cues.push(Cue {
            tag: "refund".into(),
            weight: 0.6,
        });
        assert!(rank_key(&refund, SLA, &W) < rank_key(&plain, SLA, &W));
        // The displayed number grows with time; the key does not depend on it.
        assert!(priority(&plain, 20 * 60_000, SLA, &W) > priority(&plain, 60_000, SLA, &W));
        let waiting = Mention {
            author_waiting: true,
            ..mention("w", Label::Negative, 100, 0)
        };
        assert!(rank_key(&waiting, SLA, &W) < rank_key(&plain, SLA, &W));
    }

    #[test]
    fn weights_come_from_config_and_typos_are_caught() {
        let c: crate::config::Config =
            toml::from_str("sla_minutes = 20\n[triage]\nreach = 0.1\n").unwrap();
        assert_eq!(c.triage.reach, 0.1);
        assert_eq!(c.triage.negativity, Weights::default().negativity);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "[triage]\nreach = 0.1\nrech = 2\n").unwrap();
        let (c, errors) = crate::config::Config::load(&p);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(c.triage.reach, 0.1, "the valid weight stands");
    }

    #[test]
    fn credit_is_capped() {
        let w = Weights {
            negativity: 5.0,
            ..Weights::default()
        };
        let m = mention("x", Label::Negative, 0, 0);
        assert_eq!(credit(&m, SLA, &w), (0.9 * SLA as f64) as Millis);
    }

    #[test]
    fn counts() {
        assert_eq!(human_count(12), "12");
        assert_eq!(human_count(4_800), "4.8k");
        assert_eq!(human_count(2_000_000), "2.0M");
    }
}
