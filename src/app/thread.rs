//! The thread around the open mention, as the network has it (posts modq never ingested:
//! the conversation before the mention and the answers after it). Fetched off the UI
//! thread; the latest request wins, so a slow answer for a mention the moderator already
//! left is dropped.

use super::event::Effect;
use super::state::{App, ThreadState, ThreadView};
use crate::model::Thread;

/// Asks for the selected mention's thread when it came to a connected network account
/// (the demo and JSON-lines sources have no network to ask).
pub fn request(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(m) = app.selected_mention() else {
        return;
    };
    let local = [crate::model::DEMO_SOURCE, crate::model::JSONL_SOURCE];
    if local.contains(&m.source.as_str()) || !app.sources.contains_key(&m.source) {
        return;
    }
    if app
        .thread
        .as_ref()
        .is_some_and(|t| t.mention == m.id && !matches!(t.state, ThreadState::Failed(_)))
    {
        return;
    }
    let (mention, source) = (m.id.clone(), m.source.clone());
    app.thread_seq += 1;
    app.thread = Some(ThreadView {
        seq: app.thread_seq,
        mention: mention.clone(),
        state: ThreadState::Loading,
    });
    fx.push(Effect::Thread {
        seq: app.thread_seq,
        mention,
        source,
    });
}

/// An answer: kept only if it is for the latest request.
pub fn arrived(app: &mut App, seq: u64, result: Result<Thread, String>) {
    if let Some(t) = app.thread.as_mut().filter(|t| t.seq == seq) {
        t.state = match result {
            Ok(th) => ThreadState::Ready(th),
            Err(e) => ThreadState::Failed(e),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{update, Event};
    use crate::keymap::Keymap;
    use crate::model::SourceState;
    use crate::model::{Mention, Network};
    use crate::sources::RawMention;
    use crate::theme::Theme;

    fn mention(id: &str, source: &str) -> Mention {
        let raw = RawMention {
            source: source.into(),
            network: Network::Mastodon,
            remote_id: id.into(),
            author_name: "Kim".into(),
            author_handle: "@kim".into(),
            followers: 1,
            text: "hello".into(),
            lang: None,
            created: 1_000,
            in_reply_to: None,
            url: None,
        };
        let mut m = crate::ingest::prepare(&raw, 1_000);
        m.id = id.into();
        m
    }

    fn app() -> App {
        let mut app = App::new(
            10_000,
            3_600_000,
            Keymap::embedded("default").unwrap(),
            Theme::embedded("dark").unwrap(),
        );
        app.load(
            vec![
                mention("a", "work"),
                mention("b", "work"),
                mention("c", "demo"),
            ],
            Default::default(),
            Default::default(),
        );
        update(
            &mut app,
            10_000,
            Event::Source {
                name: "work".into(),
                state: SourceState::Live {
                    detail: "streaming".into(),
                },
            },
        );
        app
    }

    fn select(app: &mut App, id: &str) -> Vec<Effect> {
        app.selected = Some(id.into());
        let mut fx = Vec::new();
        request(app, &mut fx);
        fx
    }

    #[test]
    fn the_latest_request_wins() {
        let mut app = app();
        let first = select(&mut app, "a");
        let second = select(&mut app, "b");
        let seq = |fx: &[Effect]| match fx {
            [Effect::Thread { seq, .. }] => *seq,
            other => panic!("expected one thread request, got {other:?}"),
        };
        let (s1, s2) = (seq(&first), seq(&second));
        assert_eq!(app.thread.as_ref().unwrap().state, ThreadState::Loading);
        // The slow answer for "a" comes after the moderator moved to "b": dropped.
        arrived(&mut app, s1, Err("late".into()));
        assert_eq!(app.thread.as_ref().unwrap().state, ThreadState::Loading);
        arrived(&mut app, s2, Ok(Thread::default()));
        let t = app.thread.as_ref().unwrap();
        assert_eq!(
            (t.mention.as_str(), &t.state),
            ("b", &ThreadState::Ready(Thread::default()))
        );
        // Opening the same mention again does not ask twice.
        assert!(select(&mut app, "b").is_empty());
    }

    #[test]
    fn local_sources_and_unconnected_accounts_are_not_asked() {
        let mut app = app();
        assert!(select(&mut app, "c").is_empty());
        app.sources.clear();
        assert!(select(&mut app, "a").is_empty());
        assert!(app.thread.is_none());
    }
}
