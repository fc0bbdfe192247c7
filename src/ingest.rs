//! RawMention → Mention: sanitise once, at the edge, then triage. Pure.

use crate::model::{Author, Mention, MentionState, Millis};
use crate::sanitize::{sanitize_line, sanitize_text};
use crate::sources::RawMention;
use crate::triage;

pub fn mention_id(source: &str, remote_id: &str) -> String {
    format!("{source}:{remote_id}")
}

/// A language code as a source declares it, if it looks like one ("en", "pt-BR" → "pt").
fn clean_lang(lang: Option<&str>) -> String {
    lang.map(|l| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    })
    .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()))
    .unwrap_or_else(|| "und".into())
}

pub fn prepare(raw: &RawMention, now: Millis) -> Mention {
    let text = sanitize_text(&raw.text);
    let declared = clean_lang(raw.lang.as_deref());
    let triage::Analysis {
        lang,
        sentiment,
        cues,
    } = triage::analyse(&text, Some(&declared));
    let remote = sanitize_line(&raw.remote_id);
    Mention {
        id: mention_id(&raw.source, &remote),
        source: sanitize_line(&raw.source),
        network: raw.network,
        author: Author {
            name: sanitize_line(&raw.author_name),
            handle: sanitize_line(&raw.author_handle),
            followers: raw.followers,
        },
        lang,
        created: raw.created.min(now),
        received: now,
        in_reply_to: raw
            .in_reply_to
            .as_deref()
            .map(|r| mention_id(&raw.source, &sanitize_line(r))),
        url: raw.url.as_deref().map(sanitize_line),
        sentiment,
        text,
        state: MentionState::New,
        cues,
        author_waiting: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Network;

    #[test]
    fn sanitises_every_string_and_scores() {
        let raw = RawMention {
            source: "demo".into(),
            network: Network::Mastodon,
            remote_id: "1".into(),
            author_name: "Evil\u{1b}]0;pwned\u{7} Name\u{202e}".into(),
            author_handle: "@evil\u{200b}@x.example".into(),
            followers: 5,
            text: "refund now \u{1b}[2J!!".into(),
            lang: Some("EN-gb".into()),
            created: 10_000,
            in_reply_to: Some("0".into()),
            url: None,
        };
        let m = prepare(&raw, 5_000);
        assert!(crate::sanitize::is_display_safe(&m.author.name));
        assert!(crate::sanitize::is_display_safe(&m.author.handle));
        assert!(crate::sanitize::is_display_safe(&m.text));
        assert_eq!(m.lang, "en");
        assert_eq!(m.created, 5_000, "a post from the future is clamped to now");
        assert_eq!(m.in_reply_to.as_deref(), Some("demo:0"));
        assert_eq!(m.id, "demo:1");
    }
}
