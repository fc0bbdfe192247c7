//! A reply in another language than the customer's: a warning, not a block (a customer may
//! have asked for English). Only when both sides are known: the mention's language from
//! ingest, the reply's from the same detector that picks the spelling dictionary, on a reply
//! long enough for it to be sure. A language chosen with a key is the moderator's decision
//! and is not questioned.

use super::{Finding, Kind};
use crate::compose::{lang, spell};

/// Fewer words than this and the detector guesses from a greeting ("Hi Ania, thanks").
pub const MIN_WORDS: usize = 6;

pub fn check(text: &str, customer: Option<&str>, chosen: bool) -> Option<Finding> {
    let customer = customer.filter(|l| !l.is_empty() && *l != "und")?;
    if chosen || spell::words(text).len() < MIN_WORDS {
        return None;
    }
    let reply = lang::detect(text)?;
    (reply != customer).then(|| {
        Finding::new(
            0..0,
            Kind::Language,
            false,
            format!(
                "the customer wrote in {}; this reply is in {}",
                lang::name(customer),
                lang::name(reply)
            ),
        )
    })
}
