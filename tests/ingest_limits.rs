//! Oversized mentions: what a source sends past the limits is cut at ingest, the cut is kept
//! with the mention and shown in the detail pane, and the queue stays as cheap as ever.

mod common;

use common::{Harness, NOW};
use modq::ingest::MAX_TEXT;
use modq::model::Network;
use modq::sources::RawMention;
use modq::store::Store;

fn huge() -> RawMention {
    // A megabyte in lines, as a hostile JSON-lines feed or instance could send it.
    let text = "my refund never came and nobody answers\n".repeat(1 << 20 >> 5);
    RawMention {
        source: "jsonl".into(),
        network: Network::Jsonl,
        remote_id: "big".into(),
        author_name: "Big".into(),
        author_handle: "@big".into(),
        followers: 10,
        text,
        lang: Some("en".into()),
        created: NOW,
        in_reply_to: None,
        url: None,
    }
}

#[test]
fn a_megabyte_mention_is_stored_cut_and_says_so() {
    let mut h = Harness::new();
    let raw = huge();
    let of = raw.text.chars().count();
    h.ingest(vec![raw]);
    let stored = h.store.load_mentions().unwrap();
    let m = stored.iter().find(|m| m.id == "jsonl:big").unwrap();
    assert!(m.text.chars().count() <= MAX_TEXT);
    assert!(
        huge().text.starts_with(&m.text),
        "the start is kept as it was"
    );
    let note = format!(
        "text cut at {} characters (of {of})",
        m.text.chars().count()
    );
    assert_eq!(m.cut[0].describe(), note);

    // Kept across a restart, and shown at the end of the text in the detail pane.
    let mut h = h.restart();
    h.keys("<Enter>");
    let mut seen = false;
    for _ in 0..400 {
        if h.screen(100, 30).contains(&note) {
            seen = true;
            break;
        }
        h.keys("j");
    }
    assert!(seen, "the pane never said the text was cut");
}
