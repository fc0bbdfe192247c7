//! The SLA policy in the console: the first breach of a mention rings once and counts in
//! the status bar; snoozed time does not count, also after a restart.

mod common;

use common::{raw, Harness, NOW};
use modq::app::{update, Effect, Event};
use modq::model::Millis;

const MIN: Millis = 60_000;

/// Moves the clock to `NOW + at` and ticks; how often the bell rang.
fn tick_to(h: &mut Harness, at: Millis) -> usize {
    h.now = NOW + at;
    let fx = update(&mut h.app, h.now, Event::Tick);
    fx.iter().filter(|e| **e == Effect::Bell).count()
}

#[test]
fn the_first_breach_rings_once_and_counts_exactly_at_the_target() {
    let mut h = Harness::new();
    h.ingest(vec![raw(1, "where can I find the opening hours?", NOW)]);
    assert_eq!(tick_to(&mut h, 30 * MIN - 1), 0);
    assert_eq!(h.app.counts.over_sla, 0);
    // Reaching the 30-minute target exactly is a breach.
    assert_eq!(tick_to(&mut h, 30 * MIN), 1);
    assert_eq!(h.app.counts.over_sla, 1);
    assert_eq!(tick_to(&mut h, 31 * MIN), 0, "rings once per mention");
    assert_eq!(h.app.counts.over_sla, 1);
    assert!(h.screen(80, 24).contains("1 over SLA"));
}

#[test]
fn a_negative_mention_has_fifteen_minutes_and_snoozed_time_does_not_count() {
    let mut h = Harness::new();
    h.ingest(vec![raw(1, "terrible service, my order is broken", NOW)]);
    let id = h.app.selected.clone().unwrap();
    assert_eq!(h.app.sla_of(&h.app.mentions[&id]), 15 * MIN);
    // Five minutes in, snoozed for ten: the clock stands still until minute 15.
    tick_to(&mut h, 5 * MIN);
    h.key(":");
    h.type_text("snooze 10m\n");
    assert!(matches!(
        h.app.mentions[&id].state,
        modq::model::MentionState::Snoozed { .. }
    ));
    assert_eq!(tick_to(&mut h, 25 * MIN - 1), 0);
    assert_eq!(h.app.counts.over_sla, 0);
    assert_eq!(h.app.sla_of(&h.app.mentions[&id]), 25 * MIN);
    assert_eq!(tick_to(&mut h, 25 * MIN), 1);
    assert_eq!(h.app.counts.over_sla, 1);
    // The pause is read back from the audit log.
    let mut h = h.restart();
    tick_to(&mut h, 25 * MIN - 1);
    assert_eq!(h.app.sla_of(&h.app.mentions[&id]), 25 * MIN);
    assert_eq!(h.app.counts.over_sla, 0);
}

#[test]
fn a_mention_that_arrives_already_late_counts_but_does_not_ring() {
    let mut h = Harness::new();
    tick_to(&mut h, 0);
    // Fetched an hour after it was posted (a backlog at start, a slow network).
    let m = modq::ingest::prepare(&raw(1, "where are the opening hours?", NOW - 60 * MIN), NOW);
    let fx = update(&mut h.app, NOW, Event::MentionArrived(Box::new(m)));
    assert!(!fx.contains(&Effect::Bell));
    assert_eq!(h.app.counts.over_sla, 1);
    assert_eq!(tick_to(&mut h, MIN), 0);
}
