//! The rank order as an index a store can keep: what the paged queue asks for (a range of
//! the order, counts by state) without reading every mention.
//!
//! A rank key depends on the team's SLA and the triage weights as well as on the mention
//! (`triage::priority::rank_key`), so an index is built for one `Ranking`, and a query for
//! another one rebuilds it. Keys sort as `RankKey` does: band, then the virtual deadline,
//! then the id, byte for byte.

use serde::{Deserialize, Serialize};

use crate::model::{Mention, MentionState, Millis};
use crate::triage::priority::{rank_key, Band, Weights};
use crate::triage::RankKey;

/// The inputs of the rank order that are not the mention's own: the team's response-time
/// target (ms) and the triage weights, as the queue ranks with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub sla: Millis,
    pub weights: Weights,
}

impl Ranking {
    pub fn key(&self, m: &Mention) -> RankKey {
        rank_key(m, self.sla, &self.weights)
    }

    /// How an index records the ranking it was built for.
    pub fn basis(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_basis(s: &str) -> Option<Self> {
        serde_json::from_str(s).ok()
    }
}

fn band_byte(b: Band) -> u8 {
    match b {
        Band::Safety => 0,
        Band::Negative => 1,
        Band::Rest => 2,
    }
}

fn band_of(b: u8) -> Option<Band> {
    Some(match b {
        0 => Band::Safety,
        1 => Band::Negative,
        2 => Band::Rest,
        _ => return None,
    })
}

/// Bytes that sort as the key: the band, the deadline with its sign bit flipped (so
/// negative times sort first), big-endian, then the id.
pub fn encode_key(k: &RankKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + k.id.len());
    out.push(band_byte(k.band));
    out.extend_from_slice(&((k.deadline as u64) ^ (1 << 63)).to_be_bytes());
    out.extend_from_slice(k.id.as_bytes());
    out
}

pub fn decode_key(b: &[u8]) -> Option<RankKey> {
    let band = band_of(*b.first()?)?;
    let deadline = u64::from_be_bytes(b.get(1..9)?.try_into().ok()?) ^ (1 << 63);
    Some(RankKey {
        band,
        deadline: deadline as Millis,
        id: std::str::from_utf8(&b[9..]).ok()?.to_string(),
    })
}

/// An index entry's value: the mention's state (with a snooze's end), as the records write
/// it, so a range can be filtered and counted without reading the mentions.
pub fn encode_state(s: MentionState) -> Vec<u8> {
    super::record::state_bytes(s)
}

pub fn decode_state(b: &[u8]) -> Option<MentionState> {
    super::record::state_from_bytes(b)
}

/// Whether a state is one the query asked for (all when `states` is empty).
pub fn wanted(states: &[&str], s: MentionState) -> bool {
    states.is_empty() || states.contains(&super::record::state_tag(s).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_as_rank_keys_do() {
        let k = |band, deadline, id: &str| RankKey {
            band,
            deadline,
            id: id.into(),
        };
        let mut keys = vec![
            k(Band::Rest, -5, "a"),
            k(Band::Negative, 1_795_464_000_000, "b"),
            k(Band::Negative, 1_795_464_000_000, "a"),
            k(Band::Safety, i64::MAX, "z"),
            k(Band::Negative, -1_000, "c"),
            k(Band::Rest, 0, ""),
            k(Band::Rest, i64::MIN, "x"),
        ];
        let mut bytes: Vec<Vec<u8>> = keys.iter().map(encode_key).collect();
        keys.sort();
        bytes.sort();
        let back: Vec<RankKey> = bytes.iter().map(|b| decode_key(b).unwrap()).collect();
        assert_eq!(back, keys);
        assert_eq!(decode_key(&[7, 0]), None);
    }

    #[test]
    fn states_keep_their_detail() {
        let s = MentionState::Snoozed { until: 99 };
        assert_eq!(decode_state(&encode_state(s)), Some(s));
        assert!(wanted(&["snoozed"], s));
        assert!(!wanted(&["new", "seen"], s));
        assert!(wanted(&[], s));
    }
}
