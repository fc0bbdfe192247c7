//! The key a reply gets when it enters the outbox, kept with it: Mastodon's
//! `Idempotency-Key` and Bluesky's record key. A TID (13 sortable base-32 characters:
//! microseconds and a clock id), so it is a valid `app.bsky.feed.post` record key.

use crate::model::Millis;

const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";

/// A TID from a time and a discriminator (the reply id hashed), so two replies queued in the
/// same millisecond still differ.
pub fn new_key(reply_id: &str, created: Millis) -> String {
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in reply_id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let micros = (created.max(0) as u64).saturating_mul(1000) + (h >> 54);
    tid(micros, (h & 0x3ff) as u16)
}

fn tid(micros: u64, clock: u16) -> String {
    let v = ((micros & ((1 << 53) - 1)) << 10) | u64::from(clock & 0x3ff);
    (0..13)
        .rev()
        .map(|i| ALPHABET[((v >> (i * 5)) & 31) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_tids_stable_and_distinct() {
        let a = new_key("m:1#r5", 1_700_000_000_000);
        assert_eq!(a.len(), 13);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        // The first character of a TID stays within the lower half (top bit zero).
        assert!(b"234567abcdefghij".contains(&a.as_bytes()[0]), "{a}");
        assert_eq!(a, new_key("m:1#r5", 1_700_000_000_000));
        assert_ne!(a, new_key("m:2#r5", 1_700_000_000_000));
        assert!(new_key("x", 1_700_000_000_000) < new_key("x", 1_700_000_001_000));
    }
}
