//! RawMention → Mention: sanitise once, at the edge, cut to size, then triage. Pure.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::{Author, Cut, Mention, MentionState, Millis};
use crate::sanitize::{sanitize_line, sanitize_text};
use crate::sources::RawMention;
use crate::triage;

/// The most ingest keeps of a post's text, in characters. Far above what the networks allow
/// (Mastodon 500 by default, more on some instances; Bluesky 300 graphemes), so no real post
/// is cut, and small enough that one hostile megabyte cannot slow the console or the store.
pub const MAX_TEXT: usize = 5_000;
/// Display names (Mastodon allows 30, Bluesky 64 graphemes).
pub const MAX_NAME: usize = 200;
/// Handles: a 30-character user name at a domain of up to 253.
pub const MAX_HANDLE: usize = 300;
/// Links to the post.
pub const MAX_URL: usize = 2_048;

/// `s` cut to at most `max` characters without splitting a grapheme (a flag, an emoji
/// sequence, a letter and its marks); None when it fits.
pub fn clip(s: &str, max: usize) -> Option<String> {
    let limit = s.char_indices().nth(max)?.0;
    let end = s
        .grapheme_indices(true)
        .map(|(i, g)| i + g.len())
        .take_while(|end| *end <= limit)
        .last()
        .unwrap_or(0);
    Some(s[..end].to_string())
}

/// `clip`, noting in `cut` what was shortened.
fn capped(s: String, max: usize, field: &str, cut: &mut Vec<Cut>) -> String {
    match clip(&s, max) {
        None => s,
        Some(short) => {
            cut.push(Cut {
                field: field.into(),
                kept: short.chars().count(),
                of: s.chars().count(),
            });
            short
        }
    }
}

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
    let mut cut = Vec::new();
    let text = capped(sanitize_text(&raw.text), MAX_TEXT, "text", &mut cut);
    let name = capped(sanitize_line(&raw.author_name), MAX_NAME, "name", &mut cut);
    let handle = capped(
        sanitize_line(&raw.author_handle),
        MAX_HANDLE,
        "handle",
        &mut cut,
    );
    // A link cut short would lead somewhere else: none rather than a wrong one.
    let url = raw
        .url
        .as_deref()
        .map(sanitize_line)
        .filter(|u| u.len() <= MAX_URL);
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
            name,
            handle,
            followers: raw.followers,
        },
        lang,
        created: raw.created.min(now),
        received: now,
        in_reply_to: raw
            .in_reply_to
            .as_deref()
            .map(|r| mention_id(&raw.source, &sanitize_line(r))),
        url,
        sentiment,
        text,
        state: MentionState::New,
        cues,
        author_waiting: false,
        cut,
        work: Default::default(),
        escalation: None,
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
        assert!(m.cut.is_empty());
    }

    #[test]
    fn huge_fields_are_cut_at_a_grapheme_and_the_cut_is_noted() {
        // A letter with its combining mark (two code points) straddles the limit: it goes
        // whole, never half.
        let text = format!(
            "{}e\u{301} and then a megabyte{}",
            "a".repeat(MAX_TEXT - 1),
            "x".repeat(1 << 20)
        );
        let raw = RawMention {
            source: "jsonl".into(),
            network: Network::Jsonl,
            remote_id: "1".into(),
            author_name: "N".repeat(10_000),
            author_handle: "@kim".into(),
            followers: 0,
            text: text.clone(),
            lang: None,
            created: 0,
            in_reply_to: None,
            url: Some(format!("https://x.example/{}", "p".repeat(5000))),
        };
        let m = prepare(&raw, 0);
        assert_eq!(m.text, "a".repeat(MAX_TEXT - 1));
        assert_eq!(m.author.name.chars().count(), MAX_NAME);
        assert_eq!(m.author.handle, "@kim");
        assert_eq!(m.url, None);
        let said: Vec<String> = m.cut.iter().map(Cut::describe).collect();
        let of = text.chars().count();
        assert_eq!(
            said,
            [
                format!("text cut at {} characters (of {of})", MAX_TEXT - 1),
                "name cut at 200 characters (of 10000)".to_string()
            ]
        );
        // Exactly at the limit nothing is cut; a combining mark stays with its letter.
        assert_eq!(clip(&"é".repeat(MAX_TEXT), MAX_TEXT), None);
        assert_eq!(clip("abe\u{301}", 3).as_deref(), Some("ab"));
        assert_eq!(clip("👩‍👩‍👧x", 2).as_deref(), Some(""));
        assert_eq!(clip("zażółć", 3).as_deref(), Some("zaż"));
        // The note survives the store's encoding; old records without it still read.
        let json = serde_json::to_string(&m).unwrap();
        let back: Mention = serde_json::from_str(&json).unwrap();
        assert_eq!(back.cut, m.cut);
        let small = RawMention {
            text: "hi".into(),
            author_name: "Kim".into(),
            ..raw
        };
        let small = serde_json::to_value(prepare(&small, 0)).unwrap();
        assert!(small.get("cut").is_none());
    }
}
