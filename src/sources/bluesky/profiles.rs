//! Follower counts for Bluesky authors, which notifications do not carry: `getProfiles`, up
//! to 25 actors a request, kept for an hour so a busy thread costs one lookup, not one per
//! mention.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// The most actors `app.bsky.actor.getProfiles` takes at once.
pub const BATCH: usize = 25;
const TTL: Duration = Duration::from_secs(3600);
/// Bounds memory on a long run; past it, stale entries go first, then everything.
const MAX_ENTRIES: usize = 5000;

#[derive(Debug, Default)]
pub struct Cache {
    map: HashMap<String, (u64, Instant)>,
}

impl Cache {
    pub fn get(&self, did: &str, now: Instant) -> Option<u64> {
        self.map
            .get(did)
            .filter(|(_, at)| now.duration_since(*at) < TTL)
            .map(|(n, _)| *n)
    }

    pub fn put(&mut self, did: &str, followers: u64, now: Instant) {
        if self.map.len() >= MAX_ENTRIES {
            self.map.retain(|_, (_, at)| now.duration_since(*at) < TTL);
            if self.map.len() >= MAX_ENTRIES {
                self.map.clear();
            }
        }
        self.map.insert(did.to_string(), (followers, now));
    }

    /// The DIDs to ask for, each once, in the order first seen.
    pub fn missing<'a>(
        &self,
        dids: impl IntoIterator<Item = &'a str>,
        now: Instant,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in dids {
            if self.get(d, now).is_none() && !out.iter().any(|o| o == d) {
                out.push(d.to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_each_missing_did_is_asked_once() {
        let now = Instant::now();
        let mut c = Cache::default();
        c.put("a", 10, now);
        assert_eq!(c.get("a", now), Some(10));
        assert_eq!(c.missing(["a", "b", "b", "c"], now), ["b", "c"]);
        assert_eq!(c.get("a", now + TTL), None);
        assert_eq!(c.missing(["a"], now + TTL), ["a"]);
    }
}
