//! Exponential backoff with full jitter (a random wait between 0 and the capped exponential),
//! and never sooner than the server asked for.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    state: u64,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9);
        Self::seeded(base, cap, seed)
    }

    /// A fixed seed, for tests that want the same waits every run.
    pub fn seeded(base: Duration, cap: Duration, seed: u64) -> Self {
        Self {
            base,
            cap,
            state: seed,
        }
    }

    /// The wait before try number `attempt + 1` (attempt 0 is the first retry).
    pub fn delay(&mut self, attempt: u32, asked: Option<Duration>) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX))
            .min(self.cap);
        let jittered = exp.mul_f64(self.next_unit());
        asked.map_or(jittered, |a| a.max(jittered))
    }

    /// splitmix64: a uniform number in [0, 1). Jitter needs spread, not secrecy.
    fn next_unit(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_is_capped_jittered_and_honours_the_server() {
        let mut b = Backoff::seeded(Duration::from_secs(1), Duration::from_secs(60), 7);
        let waits: Vec<Duration> = (0..40).map(|a| b.delay(a, None)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_secs(60)));
        assert!(waits[0] < Duration::from_secs(1));
        // Full jitter spreads the late waits over the whole range.
        let late = &waits[10..];
        assert!(late.iter().any(|w| *w < Duration::from_secs(30)));
        assert!(late.iter().any(|w| *w > Duration::from_secs(30)));
        assert_eq!(
            b.delay(0, Some(Duration::from_secs(90))),
            Duration::from_secs(90)
        );
        // Huge attempt numbers do not overflow.
        assert!(b.delay(u32::MAX, None) <= Duration::from_secs(60));
    }
}
