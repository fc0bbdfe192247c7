//! Bluesky rich text: facets address the text by UTF-8 byte offsets. Offsets from the
//! network are never trusted (`str::get` checks boundaries); offsets we write come from
//! `str::find`, so they always fall on character boundaries.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// The post length limit is in graphemes.
pub const MAX_GRAPHEMES: usize = 300;

pub fn graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteSlice {
    #[serde(rename = "byteStart")]
    pub byte_start: usize,
    #[serde(rename = "byteEnd")]
    pub byte_end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "$type")]
pub enum Feature {
    #[serde(rename = "app.bsky.richtext.facet#mention")]
    Mention { did: String },
    #[serde(rename = "app.bsky.richtext.facet#link")]
    Link { uri: String },
    #[serde(rename = "app.bsky.richtext.facet#tag")]
    Tag { tag: String },
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub index: ByteSlice,
    pub features: Vec<Feature>,
}

/// The text with each link facet's (often shortened) label replaced by its full address.
/// Facets that overlap, run backwards or cut a character are ignored.
pub fn expand_links(text: &str, facets: &[Facet]) -> String {
    let mut links: Vec<(usize, usize, &str)> = facets
        .iter()
        .filter_map(|f| {
            let uri = f.features.iter().find_map(|x| match x {
                Feature::Link { uri } => Some(uri.as_str()),
                _ => None,
            })?;
            let (s, e) = (f.index.byte_start, f.index.byte_end);
            text.get(s..e).map(|_| (s, e, uri))
        })
        .collect();
    links.sort_by_key(|l| l.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e, uri) in links {
        if s < at {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(uri);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// Facets for a reply we write: the leading `@handle` (we know its DID from the mention) and
/// every http(s) link.
pub fn for_reply(text: &str, handle: &str, did: &str) -> Vec<Facet> {
    let mut out = Vec::new();
    let at = format!("@{}", handle.trim_start_matches('@'));
    if !did.is_empty() && handle.len() > 1 {
        let mut from = 0;
        while let Some(i) = text[from..].find(&at) {
            let s = from + i;
            let e = s + at.len();
            let ends_word = text[e..].chars().next().is_none_or(|c| !is_handle_char(c));
            if ends_word {
                out.push(Facet {
                    index: ByteSlice {
                        byte_start: s,
                        byte_end: e,
                    },
                    features: vec![Feature::Mention {
                        did: did.to_string(),
                    }],
                });
            }
            from = e;
        }
    }
    for (s, e) in links(text) {
        out.push(Facet {
            index: ByteSlice {
                byte_start: s,
                byte_end: e,
            },
            features: vec![Feature::Link {
                uri: text[s..e].to_string(),
            }],
        });
    }
    out.sort_by_key(|f| f.index.byte_start);
    out
}

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

/// Byte ranges of `http://` and `https://` links, trailing punctuation left out.
fn links(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let rest = &text[from..];
        let Some(i) = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min()
        else {
            break;
        };
        let s = from + i;
        let len = text[s..]
            .find(char::is_whitespace)
            .unwrap_or(text.len() - s);
        let link =
            text[s..s + len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        let e = s + link.len();
        if link.len() > "https://".len() {
            out.push((s, e));
        }
        from = s + len.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facet(s: usize, e: usize, uri: &str) -> Facet {
        Facet {
            index: ByteSlice {
                byte_start: s,
                byte_end: e,
            },
            features: vec![Feature::Link { uri: uri.into() }],
        }
    }

    #[test]
    fn expands_links_and_ignores_bad_offsets() {
        let t = "zażółć see ex.com/a… ok";
        let s = t.find("ex.com").unwrap();
        let e = s + "ex.com/a…".len();
        let good = facet(s, e, "https://ex.com/abc");
        assert_eq!(
            expand_links(t, std::slice::from_ref(&good)),
            "zażółć see https://ex.com/abc ok"
        );
        // Inside 'ż' (2 bytes), past the end, backwards: ignored, no panic.
        for bad in [facet(3, 5, "x"), facet(5, 999, "x"), facet(9, 2, "x")] {
            assert_eq!(
                expand_links(t, &[bad, good.clone()]),
                "zażółć see https://ex.com/abc ok"
            );
        }
    }

    #[test]
    fn reply_facets_have_byte_offsets() {
        let t = "@żaneta.bsky.social przepraszamy — https://help.example/x?y=1. Dzięki";
        let f = for_reply(t, "żaneta.bsky.social", "did:plc:abc");
        assert_eq!(f.len(), 2);
        assert_eq!(
            &t[f[0].index.byte_start..f[0].index.byte_end],
            "@żaneta.bsky.social"
        );
        assert_eq!(
            &t[f[1].index.byte_start..f[1].index.byte_end],
            "https://help.example/x?y=1"
        );
        // A longer handle that merely starts the same is not our mention.
        assert!(for_reply("@ann.bsky.socialite hi", "ann.bsky.social", "did:x").is_empty());
    }

    #[test]
    fn counts_graphemes_not_bytes() {
        assert_eq!(graphemes("👍🏽 ok"), 4);
        assert_eq!(graphemes("é"), 1);
    }

    #[test]
    fn reads_network_facets_with_unknown_features() {
        let json = r#"[{"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:x"},{"$type":"app.bsky.richtext.facet#future"}],"index":{"byteEnd":18,"byteStart":0}}]"#;
        let f: Vec<Facet> = serde_json::from_str(json).unwrap();
        assert_eq!(f[0].features[1], Feature::Other);
    }
}
