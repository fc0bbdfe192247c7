//! Pure triage: how negative a mention is, and where it ranks. No I/O, no clocks.

pub mod priority;
pub mod sentiment;

pub use priority::{explain, RankKey};
pub use sentiment::score;
