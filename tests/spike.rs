//! Spike alerts in the console: a steady stream raises nothing; a burst raises one banner
//! and one bell, and `!` shows just the burst's negative mentions.

mod common;

use common::{raw, Harness};
use modq::app::{update, Effect, Event};
use modq::model::Millis;
use modq::sources::RawMention;

const MIN: Millis = 60_000;

/// The bells counted here are spike alerts: the mentions never breach their SLA (whose
/// bell tests/sla.rs covers).
fn spike_harness() -> Harness {
    let mut h = Harness::new();
    let day = 24 * 60 * MIN;
    h.app.sla = day;
    h.app.sla_policy.negative = day;
    h.app.sla_policy.cues.clear();
    h.app.weights.safety_sla_minutes = 24 * 60;
    h
}

/// Feeds one mention as the store would acknowledge it; returns how often the bell rang.
fn arrive(h: &mut Harness, r: &RawMention) -> usize {
    let m = modq::ingest::prepare(r, h.now);
    let fx = update(&mut h.app, h.now, Event::MentionArrived(Box::new(m)));
    fx.iter().filter(|e| **e == Effect::Bell).count()
}

#[test]
fn steady_stream_no_alert_burst_one_alert_and_a_view() {
    let mut h = spike_harness();
    let start = h.now;
    let mut bells = 0;
    // Two hours of ordinary complaints, one every six minutes.
    for i in 0..20 {
        h.now = start + i as Millis * 6 * MIN;
        let text = [
            "my parcel is late, terrible",
            "awful support, still no answer",
        ][i % 2];
        let r = raw(i, text, h.now);
        bells += arrive(&mut h, &r);
    }
    assert_eq!(bells, 0);
    assert!(!h.app.notices.iter().any(|n| n.starts_with("spike:")));

    // Then the checkout breaks: fifteen angry posts in seven minutes.
    let burst_start = h.now + MIN;
    for i in 0..15 {
        h.now = burst_start + i as Millis * 30_000;
        let text = format!("checkout is broken again, terrible, error 503 #voltbaydown ({i})");
        let r = raw(100 + i, &text, h.now);
        bells += arrive(&mut h, &r);
    }
    assert_eq!(bells, 1, "one ring for one burst");
    let banners: Vec<_> = h
        .app
        .notices
        .iter()
        .filter(|n| n.starts_with("spike:"))
        .collect();
    assert_eq!(banners.len(), 1, "{banners:?}");
    let screen = h.screen(100, 30);
    assert!(screen.contains("spike: "), "{screen}");

    h.keys("!");
    assert_eq!(h.app.visible.len(), 15, "only the burst's mentions");
    let topic = h.app.spike_topic.clone().unwrap();
    for k in &h.app.visible.keys {
        assert!(h.app.mentions[&k.id].text.to_lowercase().contains(&topic));
    }
}

#[test]
fn second_mention_of_a_waiting_author_is_marked() {
    let mut h = spike_harness();
    let mut a = raw(1, "where is my parcel?", h.now);
    arrive(&mut h, &a);
    a.remote_id = "s2".into();
    a.text = "hello?? still nothing".into();
    arrive(&mut h, &a);
    assert!(!h.app.mentions["demo:s1"].author_waiting);
    assert!(h.app.mentions["demo:s2"].author_waiting);
}

/// The demo at its default rate for an hour of simulated time, on a set clock, through the
/// real ingest and app: exactly its two real incidents alert (the battery recall and the
/// checkout outage), once each, with one bell each; nothing else does.
#[test]
fn an_hour_of_the_demo_raises_its_two_real_incidents_and_nothing_else() {
    use modq::sources::demo;
    let mut h = spike_harness();
    let cfg = demo::DemoConfig::default();
    let lines = demo::lines();
    let start = h.now;
    let mut n = 0u64;
    // The backlog, at its ages, as on a first start.
    for line in lines.iter().take_while(|l| l.ago_min.is_some()) {
        let created = start - line.ago_min.unwrap_or(0) * 60_000;
        let r = demo::raw_at(&lines, n, created);
        assert_eq!(arrive(&mut h, &r), 0);
        n += 1;
    }
    let mut bells = 0;
    let mut alerted = Vec::new();
    while h.now < start + 60 * MIN {
        let line = &lines[(n % lines.len() as u64) as usize];
        h.now += cfg.gap(line).as_millis() as Millis;
        let r = demo::raw_at(&lines, n, h.now);
        n += 1;
        let rang = arrive(&mut h, &r);
        if rang > 0 {
            alerted.push(h.app.spike_topic.clone().unwrap());
        }
        bells += rang;
    }
    eprintln!("{n} mentions, alerts {alerted:?}, {:?}", h.app.notices);
    assert!(n > 1000, "an hour at the default rate: {n} mentions");
    assert_eq!(
        alerted,
        ["#voltbaydown", "powercell"],
        "one alert per incident"
    );
    assert_eq!(bells, 2);
    // The banner names the latest incident and how it grew over the hour.
    let banner = h
        .app
        .notices
        .iter()
        .find(|b| b.starts_with("spike:"))
        .unwrap();
    assert!(banner.starts_with("spike: powercell "), "{banner}");
    assert!(banner.contains(" → "), "{banner}");

    // `!` lists the incident's mentions and nothing else.
    h.keys("!");
    assert!(h.app.visible.len() >= 10, "{}", h.app.visible.len());
    for k in &h.app.visible.keys {
        let m = &h.app.mentions[&k.id];
        assert!(m.text.to_lowercase().contains("powercell"), "{}", m.text);
    }
}
