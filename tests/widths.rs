//! Emoji sequences that terminals draw at different widths (flags, ZWJ sequences, skin
//! tones, presentation selectors) reach the screen only in a form whose width ratatui and a
//! terminal agree on: every cell's symbol is as wide as its code points add up to, so the
//! terminal's cursor lands where ratatui's diff renderer thinks it does and no ghost cell is
//! left behind.

mod common;

use common::{Harness, NOW};
use modq::model::Network;
use modq::sources::RawMention;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const SEQUENCES: &str = "🇵🇱 🇺🇦🇩🇪 👨\u{200d}👩\u{200d}👧 ❤\u{fe0f} 👍🏽 1\u{fe0f}\u{20e3} \
    🏳\u{fe0f}\u{200d}🌈 👩🏽\u{200d}💻 ☺\u{fe0e} 🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";

#[test]
fn every_cell_is_as_wide_as_its_code_points() {
    let mut h = Harness::new();
    h.ingest(
        (0..3)
            .map(|i| RawMention {
                source: "demo".into(),
                network: Network::Mastodon,
                remote_id: format!("w{i}"),
                author_name: format!("Fan {SEQUENCES}"),
                author_handle: format!("@fan{i}@x.example"),
                followers: 10,
                text: format!("{i} {SEQUENCES} end"),
                lang: Some("en".into()),
                created: NOW - 60_000,
                in_reply_to: None,
                url: None,
            })
            .collect(),
    );
    // The queue, then the detail pane.
    for keys in ["", "<Enter>"] {
        h.keys(keys);
        for (w, hgt) in [(80, 24), (41, 12), (200, 60)] {
            let t = h.render(w, hgt);
            let buf = t.backend().buffer();
            let mut wide = 0;
            for y in 0..hgt {
                let mut x = 0;
                while x < w {
                    let sym = buf[(x, y)].symbol();
                    let cluster = sym.width();
                    let points: usize = sym.chars().map(|c| c.width().unwrap_or(0)).sum();
                    assert_eq!(cluster, points, "{sym:?} at {x},{y} ({w}x{hgt})");
                    if cluster == 2 {
                        wide += 1;
                    }
                    x += cluster.max(1) as u16;
                }
            }
            assert!(wide > 0, "no emoji drawn at {w}x{hgt}");
        }
        let screen = h.screen(200, 60);
        assert!(screen.contains("[PL]"), "{screen}");
    }
}
