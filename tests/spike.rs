//! Spike alerts in the console: a steady stream raises nothing; a burst raises one banner
//! and one bell, and `!` shows just the burst's negative mentions.

mod common;

use common::Harness;
use modq::app::{update, Effect, Event};
use modq::model::{Millis, Network};
use modq::sources::RawMention;

const MIN: Millis = 60_000;

fn raw(i: usize, text: &str, created: Millis) -> RawMention {
    RawMention {
        source: "demo".into(),
        network: Network::Mastodon,
        remote_id: format!("s{i}"),
        author_name: format!("Author {i}"),
        author_handle: format!("@a{i}@x.example"),
        followers: 100,
        text: text.into(),
        lang: Some("en".into()),
        created,
        in_reply_to: None,
        url: None,
    }
}

/// Feeds one mention as the store would acknowledge it; returns how often the bell rang.
fn arrive(h: &mut Harness, r: &RawMention) -> usize {
    let m = modq::ingest::prepare(r, h.now);
    let fx = update(&mut h.app, h.now, Event::MentionArrived(Box::new(m)));
    fx.iter().filter(|e| **e == Effect::Bell).count()
}

#[test]
fn steady_stream_no_alert_burst_one_alert_and_a_view() {
    let mut h = Harness::new();
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
    let mut h = Harness::new();
    let mut a = raw(1, "where is my parcel?", h.now);
    arrive(&mut h, &a);
    a.remote_id = "s2".into();
    a.text = "hello?? still nothing".into();
    arrive(&mut h, &a);
    assert!(!h.app.mentions["demo:s1"].author_waiting);
    assert!(h.app.mentions["demo:s2"].author_waiting);
}
