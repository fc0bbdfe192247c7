//! Length against the network's limit: Mastodon counts characters with every URL as a fixed
//! cost, Bluesky counts graphemes.

use unicode_segmentation::UnicodeSegmentation;

use super::{Finding, Kind};
use crate::model::Network;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The instance's `configuration.statuses.max_characters`.
    pub mastodon_max: usize,
    /// `characters_reserved_per_url`.
    pub mastodon_url: usize,
    pub bluesky_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            mastodon_max: 500,
            mastodon_url: 23,
            bluesky_max: 300,
        }
    }
}

fn is_url(word: &str) -> bool {
    word.starts_with("http://") || word.starts_with("https://")
}

/// (used, limit) as the network counts, and the byte offset where the limit is passed.
pub fn count(text: &str, network: Network, limits: &Limits) -> (usize, usize, Option<usize>) {
    let limit = match network {
        Network::Bluesky => limits.bluesky_max,
        _ => limits.mastodon_max,
    };
    let mut used = 0;
    let mut over = None;
    let mut bump = |used: &mut usize, n: usize, at: usize| {
        *used += n;
        if *used > limit && over.is_none() {
            over = Some(at);
        }
    };
    match network {
        Network::Bluesky => {
            for (i, _) in text.grapheme_indices(true) {
                bump(&mut used, 1, i);
            }
        }
        _ => {
            // Words keep their offsets; whitespace counts one character each.
            let mut i = 0;
            for part in text.split_inclusive(char::is_whitespace) {
                let word = part.trim_end_matches(char::is_whitespace);
                if is_url(word) {
                    bump(&mut used, limits.mastodon_url, i);
                    for (j, _) in part[word.len()..].char_indices() {
                        bump(&mut used, 1, i + word.len() + j);
                    }
                } else {
                    for (j, _) in part.char_indices() {
                        bump(&mut used, 1, i + j);
                    }
                }
                i += part.len();
            }
        }
    }
    (used, limit, over)
}

pub fn check(text: &str, network: Network, limits: &Limits) -> Option<Finding> {
    let (used, limit, over) = count(text, network, limits);
    over.map(|at| {
        Finding::new(
            at..text.len(),
            Kind::Length,
            true,
            format!(
                "{used}/{limit}: {} over the {} limit",
                used - limit,
                network.name()
            ),
        )
    })
}
