//! Where a mention ranks. The key does not depend on the clock: every mention ages at the
//! same rate, so ordering by a virtual deadline keeps rows from reshuffling while a
//! moderator reads, yet still means "closest to breaching the SLA first".

use crate::model::{Label, Mention, Millis};

/// Sort ascending: negative tier first, then the earliest virtual deadline, then id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RankKey {
    pub tier: u8,
    pub deadline: Millis,
    pub id: String,
}

/// Followers at which the reach credit is full.
const FULL_REACH: f64 = 2_000_000.0;

/// How much earlier a large audience makes the virtual deadline: up to half the SLA.
pub fn reach_credit(followers: u64, sla: Millis) -> Millis {
    let f = (followers as f64 + 1.0).log10() / (FULL_REACH + 1.0).log10();
    (f.clamp(0.0, 1.0) * sla as f64 / 2.0) as Millis
}

pub fn rank_key(m: &Mention, sla: Millis) -> RankKey {
    let tier = match m.sentiment.label {
        Label::Negative => 0,
        _ => 1,
    };
    RankKey {
        tier,
        deadline: m.created + sla - reach_credit(m.author.followers, sla),
        id: m.id.clone(),
    }
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

/// Minutes, signed, as a moderator reads them: "12 min", "1 h 05".
pub fn human_minutes(ms: Millis) -> String {
    let m = ms / 60_000;
    if m.abs() < 60 {
        format!("{m} min")
    } else {
        format!("{} h {:02}", m / 60, (m % 60).abs())
    }
}

/// One line: why this mention is where it is.
pub fn explain(m: &Mention, now: Millis, sla: Millis) -> String {
    let mut parts = vec![format!(
        "{} {:+.2}",
        m.sentiment.label.name(),
        m.sentiment.score
    )];
    let top: Vec<&str> = m
        .sentiment
        .reasons
        .iter()
        .filter(|r| r.weight < 0.0)
        .take(3)
        .map(|r| r.what.as_str())
        .collect();
    if !top.is_empty() {
        parts.push(top.join(", "));
    }
    parts.push(format!("{} followers", human_count(m.author.followers)));
    let left = m.created + sla - now;
    if left >= 0 {
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
        }
    }

    const SLA: Millis = 30 * 60_000;

    #[test]
    fn negative_before_everything() {
        let neg = mention("n", Label::Negative, 10, 1_000_000);
        let old_pos = mention("p", Label::Positive, 2_000_000, 0);
        assert!(rank_key(&neg, SLA) < rank_key(&old_pos, SLA));
    }

    #[test]
    fn older_first_within_tier() {
        let a = mention("a", Label::Negative, 100, 0);
        let b = mention("b", Label::Negative, 100, 60_000);
        assert!(rank_key(&a, SLA) < rank_key(&b, SLA));
    }

    #[test]
    fn reach_moves_a_mention_up() {
        let small = mention("s", Label::Negative, 10, 0);
        let big = mention("b", Label::Negative, 1_000_000, 5 * 60_000);
        assert!(rank_key(&big, SLA) < rank_key(&small, SLA));
    }

    #[test]
    fn explanation_reads_well() {
        let mut m = mention("x", Label::Negative, 48_000, 0);
        m.sentiment.reasons.push(Reason {
            what: "refund".into(),
            weight: -0.5,
        });
        let e = explain(&m, 18 * 60_000, SLA);
        assert_eq!(e, "negative -0.60 · refund · 48k followers · 12 min to SLA");
        let late = explain(&m, 95 * 60_000, SLA);
        assert!(late.ends_with("SLA breached 1 h 05 ago"), "{late}");
    }

    #[test]
    fn counts() {
        assert_eq!(human_count(12), "12");
        assert_eq!(human_count(4_800), "4.8k");
        assert_eq!(human_count(2_000_000), "2.0M");
    }
}
