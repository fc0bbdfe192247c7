//! The status bar's counters, the author index and the visible list are kept up to date as
//! things change (arrivals, state changes, snoozes running out, deadlines passing) instead of
//! being recomputed over every mention. Whatever happens, they must equal what a full pass
//! over the mentions finds.

use crossterm::event::KeyEvent;
use modq::app::{update, App, Event};
use modq::keymap::{Key, Keymap};
use modq::model::{Author, Cue, Label, Mention, MentionState, Millis, Network, Sentiment};
use modq::theme::Theme;
use proptest::prelude::*;

/// 2026-12-07 09:00 UTC, a Monday.
const T0: Millis = 1_796_634_000_000;
const MIN: Millis = 60_000;

#[derive(Debug, Clone, Copy)]
struct Arrival {
    n: u16,
    ago: i64,
    label: u8,
    author: u8,
    cue: u8,
    shop: bool,
    state: u8,
}

#[derive(Debug, Clone)]
enum Op {
    /// A mention posted some minutes before now, by one of a few authors.
    Arrive(Arrival),
    Key(char),
    Command(&'static str),
    /// The clock moves on by this many seconds (the tick, or just the next event).
    Wait {
        secs: i64,
        tick: bool,
    },
    /// The system clock is set back.
    Back(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u16..60, 0i64..90, 0u8..3, 0u8..6, 0u8..4, any::<bool>(), 0u8..10).prop_map(
            |(n, ago, label, author, cue, shop, state)| Op::Arrive(Arrival {
                n,
                ago,
                label,
                author,
                cue,
                shop,
                state
            })
        ),
        4 => prop::sample::select(vec!['j', 'k', 'd', 'n', 'x', 'z', 'U', 'u', 'v', 'H'])
            .prop_map(Op::Key),
        1 => Just(Op::Key('\n')),
        1 => Just(Op::Key('\x1b')),
        1 => prop::sample::select(vec![
            "snooze 2m",
            "snooze 45m",
            "sla 10",
            "sla 30",
            "label neg",
            "label pos",
            "filter @a1",
            "filter",
            "view snoozed",
            "view open",
        ])
        .prop_map(Op::Command),
        4 => (1i64..900, any::<bool>()).prop_map(|(secs, tick)| Op::Wait { secs, tick }),
        1 => (1i64..600).prop_map(Op::Back),
    ]
}

fn mention(a: &Arrival, now: Millis) -> Mention {
    let Arrival {
        n,
        ago,
        label,
        author,
        cue,
        shop,
        state,
    } = *a;
    let label = [Label::Negative, Label::Neutral, Label::Positive][label as usize];
    let cues = match cue {
        1 => vec![Cue {
            tag: "legal".into(),
            weight: 0.5,
        }],
        2 => vec![Cue {
            tag: "safety".into(),
            weight: 1.0,
        }],
        _ => vec![],
    };
    // Most arrive new; some come from a backlog already handled or snoozed.
    let state = match state {
        0 => MentionState::Done,
        1 => MentionState::Snoozed {
            until: now + 3 * MIN,
        },
        2 => MentionState::Replied,
        _ => MentionState::New,
    };
    Mention {
        id: format!("m{n}"),
        source: if shop { "shop" } else { "demo" }.into(),
        network: Network::Mastodon,
        author: Author {
            name: format!("A{author}"),
            handle: format!("@a{author}"),
            followers: 10 * u64::from(n),
        },
        text: format!("mention {n}"),
        lang: "en".into(),
        created: now - ago * MIN,
        received: now,
        in_reply_to: None,
        url: None,
        sentiment: Sentiment {
            score: if label == Label::Negative { -0.6 } else { 0.2 },
            label,
            reasons: vec![],
        },
        state,
        cues,
        author_waiting: false,
        cut: Vec::new(),
        work: Default::default(),
        escalation: None,
    }
}

fn app() -> App {
    let mut app = App::new(
        T0,
        30 * MIN,
        Keymap::default_keymap(),
        Theme::default_theme(),
    );
    // One account keeps office hours, so deadlines skip the closed hours too.
    let c: modq::config::Config = toml::from_str(
        "[sla.hours.shop]\ntime_zone = \"Europe/Warsaw\"\nopen = \"10:30\"\nclose = \"11:00\"\n",
    )
    .unwrap();
    app.sla_policy = c.sla.resolve().0;
    update(&mut app, T0, Event::Resize(100, 30));
    app
}

fn key(c: char) -> Event {
    let k = match c {
        '\n' => Key::parse("<Enter>").unwrap(),
        '\x1b' => Key::parse("<Esc>").unwrap(),
        c => Key::char(c),
    };
    Event::Key(KeyEvent::new(k.code, k.mods))
}

/// Everything kept incrementally equals a full pass.
fn check(app: &App) -> Result<(), TestCaseError> {
    prop_assert_eq!(app.counts, app.counts_from_scratch());
    for a in 0..6 {
        let handle = format!("@a{a}");
        let mut kept: Vec<&String> = app.authors.open(&handle).iter().collect();
        let mut all: Vec<&String> = app
            .mentions
            .values()
            .filter(|m| m.author.handle == handle && m.state.is_open(app.now))
            .map(|m| &m.id)
            .collect();
        kept.sort();
        all.sort();
        prop_assert_eq!(kept, all, "open mentions of {}", handle);
    }
    let mut want: Vec<_> = app
        .mentions
        .values()
        .filter(|m| app.admits(m))
        .map(|m| app.rank(m))
        .collect();
    want.sort();
    prop_assert!(app.visible.keys.iter().eq(want.iter()), "visible list");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn incremental_counts_equal_a_full_recount(ops in prop::collection::vec(op(), 1..80)) {
        let mut app = app();
        let mut now = T0;
        for op in ops {
            let event = match op {
                Op::Arrive(a) => Event::MentionArrived(Box::new(mention(&a, now))),
                Op::Key(c) => key(c),
                Op::Command(line) => {
                    update(&mut app, now, key(':'));
                    for c in line.chars() {
                        update(&mut app, now, key(c));
                    }
                    key('\n')
                }
                Op::Wait { secs, tick } => {
                    now += secs * 1_000;
                    if tick { Event::Tick } else { Event::Resize(100, 30) }
                }
                Op::Back(secs) => {
                    now -= secs * 1_000;
                    Event::Tick
                }
            };
            // "Author already waiting", as a scan over every mention finds it.
            let waiting = match &event {
                Event::MentionArrived(m) if !app.mentions.contains_key(&m.id)
                    && m.state.is_open(now) => Some((m.id.clone(), app.mentions.values().any(|o| {
                        o.author.handle == m.author.handle && o.state.is_open(now)
                    }))),
                _ => None,
            };
            update(&mut app, now, event);
            if let Some((id, waiting)) = waiting {
                prop_assert_eq!(app.mentions[&id].author_waiting, waiting, "author waiting");
            }
            check(&app)?;
        }
    }
}

#[test]
fn a_snooze_that_runs_out_comes_back_without_a_full_pass() {
    let mut app = app();
    for n in 0..3 {
        let a = Arrival {
            n,
            ago: 1,
            label: 1,
            author: n as u8,
            cue: 0,
            shop: false,
            state: 9,
        };
        let m = mention(&a, T0);
        update(&mut app, T0, Event::MentionArrived(Box::new(m)));
    }
    update(
        &mut app,
        T0,
        Event::Action(modq::app::Action::parse("mention.snooze:5m").unwrap()),
    );
    assert_eq!(app.counts.open, 2);
    assert_eq!(app.visible.len(), 2);
    // Only the snoozed mention is due before its deadline: one instant, not three.
    update(&mut app, T0 + 5 * MIN, Event::Tick);
    assert_eq!(app.counts.open, 3);
    assert_eq!(app.visible.len(), 3);
    assert_eq!(app.counts, app.counts_from_scratch());
}
