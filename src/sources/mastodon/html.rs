//! Mastodon status HTML to plain text: paragraphs become blank lines, `<br>` a newline,
//! links their address (Mastodon hides parts of long URLs in `invisible` spans), mentions and
//! hashtags their visible text; entities decoded. The result is still untrusted: ingest
//! sanitises it after decoding (`&#27;` is ESC).

/// Converts status HTML. Never fails: unknown tags are dropped, their text kept.
pub fn to_text(html: &str) -> String {
    let mut out = String::new();
    // Inside an ordinary link we print its href once and skip its inner text.
    let mut link_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let Some(end) = after.find('>') else {
                // A lone '<' is text.
                push_text(&mut out, rest, link_depth.is_some());
                break;
            };
            let tag = Tag::parse(&after[..end]);
            rest = &after[end + 1..];
            match (tag.name.as_str(), tag.closing) {
                ("br", _) => out.push('\n'),
                ("p", false) => paragraph_break(&mut out),
                ("p", true) => {}
                ("a", false) => {
                    depth += 1;
                    let class = tag.attr("class").unwrap_or_default();
                    let is_named = class
                        .split_whitespace()
                        .any(|c| c == "mention" || c == "hashtag");
                    if link_depth.is_none() && !is_named {
                        if let Some(href) = tag.attr("href") {
                            out.push_str(&decode(&href));
                            link_depth = Some(depth);
                        }
                    }
                }
                ("a", true) => {
                    if link_depth == Some(depth) {
                        link_depth = None;
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        push_text(&mut out, &rest[..next], link_depth.is_some());
        rest = &rest[next..];
    }
    out.trim().to_string()
}

fn push_text(out: &mut String, raw: &str, in_link: bool) {
    if !in_link {
        // HTML whitespace (newlines in the source) is not a line break.
        let decoded = decode(raw).replace(['\n', '\r', '\t'], " ");
        out.push_str(&decoded);
    }
}

fn paragraph_break(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\n']).len();
    if trimmed > 0 {
        out.truncate(trimmed);
        out.push_str("\n\n");
    }
}

struct Tag {
    name: String,
    closing: bool,
    attrs: String,
}

impl Tag {
    fn parse(inner: &str) -> Self {
        let inner = inner.trim().trim_end_matches('/');
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, inner),
        };
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        Tag {
            name: inner[..name_end].to_ascii_lowercase(),
            closing,
            attrs: inner[name_end..].to_string(),
        }
    }

    /// A double- or single-quoted attribute value, still entity-encoded.
    fn attr(&self, name: &str) -> Option<String> {
        let mut s = self.attrs.as_str();
        while let Some(i) = s.find(name) {
            let before_ok = i == 0 || s[..i].ends_with(char::is_whitespace);
            let after = s[i + name.len()..].trim_start();
            if before_ok {
                if let Some(v) = after.strip_prefix('=') {
                    let v = v.trim_start();
                    let q = v.chars().next()?;
                    if q == '"' || q == '\'' {
                        let body = &v[1..];
                        return body.find(q).map(|e| body[..e].to_string());
                    }
                    let e = v.find(char::is_whitespace).unwrap_or(v.len());
                    return Some(v[..e].to_string());
                }
            }
            s = &s[i + name.len()..];
        }
        None
    }
}

/// Decodes the named entities Mastodon emits and every numeric one.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail[1..].find(';').map(|e| e + 1).filter(|&e| e <= 12);
        let decoded = end.and_then(|e| entity(&tail[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return Some(char::from_u32(code).unwrap_or('\u{fffd}'));
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_links_mentions() {
        let html = r#"<p><span class="h-card"><a class="u-url mention" href="https://mastodon.social/@trwnh">@<span>trwnh</span></a></span> my order<br>still &quot;missing&quot; &amp; no reply</p><p>see <a href="https://example.com/orders/123456789" rel="nofollow"><span class="invisible">https://</span><span class="ellipsis">example.com/orders/12</span><span class="invisible">3456789</span></a> <a class="mention hashtag" href="https://x/tags/fail">#<span>fail</span></a></p>"#;
        assert_eq!(
            to_text(html),
            "@trwnh my order\nstill \"missing\" & no reply\n\nsee https://example.com/orders/123456789 #fail"
        );
    }

    #[test]
    fn entities_are_decoded_before_sanitising() {
        let text = to_text("<p>a&#27;[2Jb &#x202E;c &lt;script&gt; &bogus; & &#99999999;</p>");
        assert_eq!(text, "a\u{1b}[2Jb \u{202e}c <script> &bogus; & \u{fffd}");
        let safe = crate::sanitize::sanitize_text(&text);
        assert!(crate::sanitize::is_display_safe(&safe), "{safe:?}");
    }

    #[test]
    fn broken_html_never_panics() {
        for s in [
            "<",
            "<p",
            "a < b",
            "<a href=\"x",
            "&",
            "&#",
            "<a href=\"é\">é</a>",
            "</a></a>x",
        ] {
            let _ = to_text(s);
        }
        assert_eq!(to_text("a < b"), "a < b");
        assert_eq!(to_text("</a></a>x"), "x");
    }
}
