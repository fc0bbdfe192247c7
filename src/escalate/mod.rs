//! Passing a mention on to a department (billing, legal, engineering) through a webhook, and
//! acknowledging mentions that arrive outside business hours. Departments come from
//! config.toml; deliveries go through a durable outbox of their own (`webhook`), with the
//! outbox's backoff and an idempotency key that never changes, so a department is told once.

pub mod department;
