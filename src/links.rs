//! Links out of modq: which URLs it hands to a browser or the clipboard (http and https
//! only, checked and re-serialised, so no text from a mention can ride along), the argv that
//! opens one (never a shell string) and the OSC 52 sequence that copies one.

use crate::model::Mention;

/// A URL modq has checked: http(s), a host, no credentials, printable ASCII only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link(String);

impl Link {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Longer than any post or profile link; a guard against junk, not a limit anyone meets.
const MAX_LEN: usize = 2048;

/// Checks `raw` and returns it in its canonical form, or why it will not be opened.
pub fn check(raw: &str) -> Result<Link, String> {
    if raw.is_empty() {
        return Err("the link is empty".into());
    }
    if raw.len() > MAX_LEN {
        return Err("the link is too long".into());
    }
    // A parser would quietly drop tabs and newlines; a link that carries any is refused.
    if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("the link contains spaces or control characters".into());
    }
    let url = reqwest::Url::parse(raw).map_err(|e| format!("not a link ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("not a web link ({}:)", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the link has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the link carries credentials".into());
    }
    let s = url.as_str();
    // Serialised URLs are ASCII (hosts in punycode, the rest percent-encoded); make sure.
    if !s.chars().all(|c| c.is_ascii_graphic()) {
        return Err("the link contains characters a terminal should not get".into());
    }
    Ok(Link(s.to_string()))
}

/// The mention's own post on its network.
pub fn post(m: &Mention) -> Result<Link, String> {
    match m.url.as_deref() {
        Some(u) => check(u),
        None => Err("this mention has no link (demo and file mentions have none)".into()),
    }
}

/// The author's profile, from the post's link: Bluesky `/profile/H/post/R`, Mastodon
/// `/@user/ID`, ActivityPub `/users/U/statuses/ID`.
pub fn profile(m: &Mention) -> Result<Link, String> {
    let post = post(m)?;
    let mut url = reqwest::Url::parse(post.as_str()).map_err(|e| e.to_string())?;
    let segs: Vec<String> = url
        .path_segments()
        .map(|s| s.map(str::to_string).collect())
        .unwrap_or_default();
    let keep = match segs
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["profile", _, "post", _] => 2,
        [user, _] if user.starts_with('@') && user.len() > 1 => 1,
        ["users", _, "statuses", _] => 2,
        _ => return Err("cannot tell the author's profile from this mention's link".into()),
    };
    url.set_path(&segs[..keep].join("/"));
    url.set_query(None);
    url.set_fragment(None);
    check(url.as_str())
}

/// The command that opens `link`: `$BROWSER` when set (its first entry; a `%s` in it is
/// replaced, else the link is the last argument), else `xdg-open`. Each word is one
/// argument: nothing goes through a shell.
pub fn browser_argv(browser: Option<&str>, link: &Link) -> Vec<String> {
    let words: Vec<&str> = browser
        .and_then(|b| b.split(':').map(str::trim).find(|c| !c.is_empty()))
        .map(|c| c.split_whitespace().collect())
        .unwrap_or_default();
    if words.is_empty() {
        return vec!["xdg-open".into(), link.to_string()];
    }
    let mut argv: Vec<String> = words
        .iter()
        .map(|w| w.replace("%s", link.as_str()))
        .collect();
    if !words.iter().any(|w| w.contains("%s")) {
        argv.push(link.to_string());
    }
    argv
}

/// OSC 52 "set the clipboard" with the link, for the terminal to act on.
pub fn osc52(link: &Link) -> String {
    format!("\x1b]52;c;{}\x07", base64(link.as_str().as_bytes()))
}

/// Standard base64 with padding (RFC 4648), as OSC 52 wants it.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_web_links_pass() {
        for ok in [
            "https://mastodon.social/@kim/1234",
            "http://example.org/a?b=c#d",
            "https://bsky.app/profile/kim.bsky.social/post/3kpost0001",
        ] {
            assert_eq!(check(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://example.org/x",
            "https://example.org/a b",
            "https://example.org/a\tb",
            "https://example.org/\x1b]52;c;AAAA\x07",
            "https://user:pw@example.org/",
            "https://",
            "-https://example.org",
            "mention text @voltbay",
        ] {
            assert!(check(bad).is_err(), "{bad:?} passed");
        }
        // Non-ASCII reaches the terminal only encoded.
        let l = check("https://exämple.org/zażółć").unwrap();
        assert_eq!(
            l.as_str(),
            "https://xn--exmple-cua.org/za%C5%BC%C3%B3%C5%82%C4%87"
        );
    }

    #[test]
    fn profiles_come_from_the_post_link() {
        let mut m = crate::ingest::prepare(
            &crate::sources::demo::raw_at(&crate::sources::demo::lines(), 0, 0),
            0,
        );
        assert!(post(&m).is_err(), "demo mentions have no link");
        for (post_url, want) in [
            (
                "https://bsky.app/profile/kim.bsky.social/post/3kpost0001",
                "https://bsky.app/profile/kim.bsky.social",
            ),
            (
                "https://mastodon.social/@kim/1234?x=1",
                "https://mastodon.social/@kim",
            ),
            (
                "https://fedi.example/users/kim/statuses/99",
                "https://fedi.example/users/kim",
            ),
        ] {
            m.url = Some(post_url.into());
            assert_eq!(profile(&m).unwrap().as_str(), want);
        }
        m.url = Some("https://example.org/notes/abc".into());
        assert!(profile(&m).is_err());
    }

    #[test]
    fn the_browser_gets_the_link_as_one_argument() {
        let l = check("https://mastodon.social/@kim/1234?a=1&b=2").unwrap();
        let url = l.to_string();
        assert_eq!(browser_argv(None, &l), ["xdg-open", url.as_str()]);
        assert_eq!(browser_argv(Some(""), &l), ["xdg-open", url.as_str()]);
        assert_eq!(browser_argv(Some("firefox"), &l), ["firefox", url.as_str()]);
        assert_eq!(
            browser_argv(Some("firefox --new-tab:chromium"), &l),
            ["firefox", "--new-tab", url.as_str()]
        );
        assert_eq!(
            browser_argv(Some("lynx -dump %s"), &l),
            ["lynx", "-dump", url.as_str()]
        );
        // A shell line is not run by a shell: its words are plain arguments.
        assert_eq!(
            browser_argv(Some("sh -c 'x'"), &l),
            ["sh", "-c", "'x'", url.as_str()]
        );
    }

    #[test]
    fn osc52_carries_only_the_link_in_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        let l = check("https://a.example/@k/1").unwrap();
        assert_eq!(osc52(&l), "\x1b]52;c;aHR0cHM6Ly9hLmV4YW1wbGUvQGsvMQ==\x07");
    }
}
