//! Passing a mention on to a department (billing, legal, engineering) through a webhook, and
//! acknowledging mentions that arrive outside business hours. Departments come from
//! config.toml; deliveries go through a durable outbox of their own (`webhook`), with the
//! outbox's backoff and an idempotency key that never changes, so a department is told once.

pub mod department;
pub mod ooh;
pub mod webhook;
pub mod worker;

use std::collections::HashMap;

use crate::model::MentionId;
use department::Department;
use webhook::Webhook;

/// What the console knows about escalation: the departments and the deliveries.
#[derive(Debug, Clone, Default)]
pub struct Desk {
    pub departments: Vec<Department>,
    /// Deliveries by mention, oldest first.
    pub deliveries: HashMap<MentionId, Vec<Webhook>>,
}

impl Desk {
    /// Adds a delivery or puts its newer state in place.
    pub fn upsert(&mut self, w: Webhook) {
        let list = self.deliveries.entry(w.mention_id.clone()).or_default();
        match list.iter_mut().find(|x| x.key == w.key) {
            Some(x) => *x = w,
            None => list.push(w),
        }
    }

    /// The delivery with this key.
    pub fn delivery(&self, mention: &str, key: &str) -> Option<&Webhook> {
        self.deliveries.get(mention)?.iter().find(|w| w.key == key)
    }
}
