//! Property-based fuzzing of everything that reads untrusted or hand-written input: the
//! sanitiser, Mastodon's HTML, the SSE and JSON-lines readers, the Bluesky facet slicer and
//! the keymap, theme and template files. CI runs a short, seeded pass (the same inputs every
//! run); `PROPTEST_CASES=100000 cargo test --release --test fuzz` runs longer, and
//! `PROPTEST_RNG_SEED=<n>` explores other inputs. A failure is written to
//! tests/fuzz.proptest-regressions, which is committed so it is replayed first ever after.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use modq::compose::template;
use modq::config::DataError;
use modq::keymap::Keymap;
use modq::sanitize::{is_display_safe, sanitize_line, sanitize_text};
use modq::sources::adapter::Page;
use modq::sources::bluesky::facets::{self, ByteSlice, Facet, Feature};
use modq::sources::mastodon::html;
use modq::sources::mastodon::stream::{self, Events, Live, StreamConfig};
use modq::sources::mastodon::Notification;
use modq::sources::net::NetError;
use modq::sources::{jsonl, SourceMsg};
use modq::theme::Theme;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use unicode_width::UnicodeWidthStr;

/// CI's inputs: the same every run, so a red run is reproducible and a green one means the same.
const SEED: u64 = 0x6d6f_6471_6675_7a7a;

/// `cases` unless `PROPTEST_CASES` says otherwise; a fixed seed unless `PROPTEST_RNG_SEED` does.
fn config(cases: u32) -> Config {
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(SEED);
    }
    c.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz.proptest-regressions"
    ))));
    c
}

// ------------------------------------------------------------------ hostile text

/// The hostile corpus the sanitiser's own tests use: one JSON string per line.
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("fixtures/hostile.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<String>(l).expect("a JSON string per line"))
        .collect()
});

/// Sequences that drive terminals or hide and reorder text.
const NASTY: &[&str] = &[
    "\u{1b}",
    "\u{1b}[",
    "\u{1b}]",
    "\u{1b}\\",
    "\u{1b}P",
    "\u{1b}]8;;https://evil.example\u{7}",
    "\u{1b}]0;title\u{1b}\\",
    "\u{1b}[2J",
    "\u{1b}[?1049h",
    "\u{1b}(0",
    "\u{1b}#8",
    "\u{7}",
    "\u{18}",
    "\u{1a}",
    "\r",
    "\r\n",
    "\n",
    "\n\n\n\n",
    "\t",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{9c}",
    "\u{9d}",
    "\u{90}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{202d}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{2060}",
    "\u{feff}",
    "\u{ad}",
    "\u{34f}",
    "\u{fe0e}",
    "\u{fe0f}",
    "\u{20e3}",
    "\u{301}",
    "\u{36f}",
    "\u{1ab0}",
    "\u{1f3f4}",
    "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
    "\u{e007f}",
    "\u{e0041}",
    "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
    "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",
    "\u{1f44d}\u{1f3fd}",
    "\u{1f1f5}\u{1f1f1}",
    "\u{1f1f5}",
    "#\u{fe0f}\u{20e3}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{fdd0}",
    "\u{10ffff}",
    "é",
    "ż",
    "日本",
    "مرحبا",
    "&#27;",
    "&amp;",
    "&lt;",
    "<p>",
    " ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<char>().prop_map(String::from).boxed(),
        3 => "[a-zA-Z0-9 .,;:!?@#&<>/\\[\\]=_'\"-]{1,8}".boxed(),
        4 => prop::sample::select(NASTY).prop_map(String::from).boxed(),
        1 => prop::sample::select(CORPUS.clone()).boxed(),
        // A control sequence with parameters, maybe unfinished.
        1 => ("[\\[\\]P^_X]", "[0-9;?:]{0,6}", prop::option::of("[@-~]"))
            .prop_map(|(k, p, f)| format!("\u{1b}{k}{p}{}", f.unwrap_or_default())).boxed(),
        // C0 and C1 controls.
        1 => (0u32..0x20).prop_map(|c| char_at(c).to_string()).boxed(),
        1 => (0x7fu32..0xa0).prop_map(|c| char_at(c).to_string()).boxed(),
        // Stacks of combining marks.
        1 => prop::collection::vec(0x300u32..0x370, 1..12)
            .prop_map(|v| v.into_iter().map(char_at).collect()).boxed(),
        // Tag characters, with or without the black flag before them.
        1 => (any::<bool>(), prop::collection::vec(0xe0000u32..0xe0080, 1..10)).prop_map(
            |(flag, v)| {
                let tags: String = v.into_iter().map(char_at).collect();
                if flag { format!("\u{1f3f4}{tags}") } else { tags }
            }
        ).boxed(),
        // Regional indicators, paired or not.
        1 => prop::collection::vec(0x1f1e6u32..0x1f200, 1..5)
            .prop_map(|v| v.into_iter().map(char_at).collect()).boxed(),
        // Emoji joined, selected and toned in any order.
        1 => prop::collection::vec(
            prop::sample::select(&[
                "\u{1f468}", "\u{1f469}", "\u{2764}", "\u{200d}", "\u{fe0f}", "\u{fe0e}",
                "\u{1f3fd}", "\u{20e3}", "\u{1f308}", "a",
            ][..]),
            1..8
        )
        .prop_map(|v| v.concat()).boxed(),
    ]
}

fn char_at(c: u32) -> char {
    char::from_u32(c).unwrap_or('\u{fffd}')
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
}

/// Never on screen, whatever the sanitiser's internals say: the check is written afresh.
fn denied(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{61c}'
                | '\u{200b}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{ad}'
                | '\u{fdd0}'..='\u{fdef}'
                | '\u{fff9}'..='\u{fffb}'
        )
        || (c as u32) & 0xfffe == 0xfffe
}

/// Tag characters only as the tail of a black flag (a subdivision flag such as England's).
fn tags_only_in_flags(s: &str) -> bool {
    let mut prev_ok = false;
    for c in s.chars() {
        let tag = matches!(c, '\u{e0000}'..='\u{e007f}');
        if tag && !prev_ok {
            return false;
        }
        prev_ok = c == '\u{1f3f4}' || (tag && c != '\u{e007f}');
    }
    true
}

fn assert_clean(out: &str, input: &str) -> Result<(), TestCaseError> {
    prop_assert!(is_display_safe(out), "unsafe {out:?} from {input:?}");
    prop_assert!(
        !out.chars().any(denied),
        "denied char in {out:?} from {input:?}"
    );
    prop_assert!(tags_only_in_flags(out), "stray tags in {out:?}");
    // Width: never more than three columns for each char of the input (a sequence may be
    // written out another way — a lone regional indicator becomes `[A]` — but not grow past
    // that), so a hostile post cannot stretch a row far beyond its own length.
    prop_assert!(out.width() <= 3 * input.chars().count());
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn sanitiser_is_safe_and_idempotent(input in hostile()) {
        let text = sanitize_text(&input);
        assert_clean(&text, &input)?;
        prop_assert_eq!(sanitize_text(&text), text.clone(), "text of {:?}", input);
        let line = sanitize_line(&input);
        assert_clean(&line, &input)?;
        prop_assert!(!line.contains('\n'));
        prop_assert_eq!(line.trim(), line.as_str());
        prop_assert_eq!(sanitize_line(&line), line.clone(), "line of {:?}", input);
        prop_assert_eq!(sanitize_line(&text), sanitize_line(&sanitize_line(&text)));
        // Body text keeps at most two blank lines in a row.
        prop_assert!(!text.contains("\n\n\n\n"), "{:?}", text);
    }

    #[test]
    fn sanitiser_takes_any_unicode(input in any::<String>()) {
        let text = sanitize_text(&input);
        assert_clean(&text, &input)?;
        prop_assert_eq!(sanitize_text(&text), text.clone());
        let line = sanitize_line(&input);
        assert_clean(&line, &input)?;
        prop_assert_eq!(sanitize_line(&line), line.clone());
    }
}

// ------------------------------------------------------------------ Mastodon HTML

fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => piece(),
        2 => prop::sample::select(&[
            "<p>", "</p>", "<br>", "<br/>", "<br />", "</a>", "<span>", "</span>",
            "<span class=\"invisible\">", "<span class=\"ellipsis\">", "<a href=\"https://x.example/a?b=1&amp;c=2\">",
            "<a class=\"mention u-url\" href=\"https://x.example/@kim\">", "<a class=\"hashtag\" href=\"/tags/x\">",
            "<a href='&#27;[2J'>", "<a href=&#x202e;x>", "<a href=\"", "<a", "<", ">", "&", "&#", "&#x",
            "&#27;", "&#x1b;", "&#x9b;", "&#8238;", "&#99999999;", "&#xD800;", "&amp;#27;", "&amp;amp;",
            "&nbsp;", "&quot;", "&bogus;", "<P>", "<A HREF=\"x\">", "<!-- c -->", "<script>",
        ][..]).prop_map(String::from),
    ]
}

/// The text as Mastodon would encode it in a status.
fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn mastodon_notification(content: &str, spoiler: &str, name: &str) -> Notification {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/mastodon/mention.json")).unwrap();
    v["status"]["content"] = content.into();
    v["status"]["spoiler_text"] = spoiler.into();
    v["status"]["account"]["display_name"] = name.into();
    serde_json::from_value(v).unwrap()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn html_to_text_never_panics_and_ingests_safe(
        content in prop::collection::vec(html_piece(), 0..24).prop_map(|v| v.concat()),
        spoiler in prop::collection::vec(html_piece(), 0..4).prop_map(|v| v.concat()),
        name in hostile(),
    ) {
        let _ = html::to_text(&content);
        let n = mastodon_notification(&content, &spoiler, &name);
        let (raw, _) = modq::sources::mastodon::to_raw("m", &n).expect("a mention");
        let m = modq::ingest::prepare(&raw, 0);
        for s in [&m.text, &m.author.name, &m.author.handle] {
            prop_assert!(is_display_safe(s), "{s:?}");
            prop_assert!(!s.contains('\u{1b}'), "ESC in {:?}", s);
        }
    }

    /// Entities are decoded exactly once: what the author typed comes back, `&amp;#27;` stays
    /// the text `&#27;` and never becomes ESC.
    #[test]
    fn html_entities_decode_once(t in hostile()) {
        prop_assert_eq!(html::decode(&escape(&t)), t.clone());
        let out = html::to_text(&format!("<p>{}</p>", escape(&t)));
        let want = t.replace(['\n', '\r', '\t'], " ");
        prop_assert_eq!(out, want.trim());
        let twice = html::to_text(&format!("<p>{}</p>", escape(&escape(&t))));
        prop_assert_eq!(html::decode(&twice), want.trim());
    }
}

#[test]
fn an_escaped_entity_is_not_an_escape() {
    assert_eq!(html::to_text("<p>a&amp;#27;[2Jb</p>"), "a&#27;[2Jb");
    assert_eq!(html::to_text("<a href=\"&amp;#x1b;\">x</a>"), "&#x1b;");
}

// ------------------------------------------------------------------ byte streams

/// One record or some garbage in a stream.
#[derive(Debug, Clone)]
enum Item {
    Good,
    /// Looks like a record and is not one: the reader must count it.
    Bad(String),
    Noise(Vec<u8>),
}

const NOISE: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\n",
    b"\0",
    b"{",
    b"}",
    b"\"",
    b"[]",
    b"null",
    b"data: ",
    b":thump",
    b"event: update",
    b"id: 7",
    b"retry: x",
    b"\x1b[2J",
];

fn noise() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..40),
        2 => hostile().prop_map(String::into_bytes),
        1 => prop::sample::select(NOISE).prop_map(<[u8]>::to_vec),
    ]
}

fn items() -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(
        prop_oneof![
            2 => Just(Item::Good),
            1 => prop::sample::select(&[
                "{", "{}", "[]", "null", "{\"id\": 1}", "{\"id\": \"\", \"handle\": \"@a\", \"text\": \"t\"}",
                "{\"id\": 1.5, \"handle\": \"@a\", \"text\": \"t\"}", "\"text\"", "{\"type\": \"mention\"}",
            ][..]).prop_map(|s| Item::Bad(s.to_string())),
            3 => noise().prop_map(Item::Noise),
        ],
        0..16,
    )
}

/// Where to cut the stream into chunks (any byte, in a char or a CRLF as well).
fn cuts() -> impl Strategy<Value = Vec<prop::sample::Index>> {
    prop::collection::vec(any::<prop::sample::Index>(), 0..12)
}

fn chunked(bytes: &[u8], cuts: &[prop::sample::Index]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.dedup();
    at.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

// --- JSON lines

/// A reader that hands out its chunks one per read and, when `eof_between`, reports an end
/// after each one (as a file that is still being written does).
struct Chunks {
    chunks: VecDeque<Vec<u8>>,
    eof_between: bool,
    eof_next: bool,
}

impl AsyncRead for Chunks {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if std::mem::take(&mut self.eof_next) {
            return Poll::Ready(Ok(()));
        }
        if let Some(mut c) = self.chunks.pop_front() {
            let n = c.len().min(buf.remaining());
            buf.put_slice(&c[..n]);
            if n < c.len() {
                self.chunks.push_front(c.split_off(n));
            } else {
                self.eof_next = self.eof_between;
            }
        }
        Poll::Ready(Ok(()))
    }
}

fn jsonl_record(i: usize) -> String {
    format!("{{\"id\": \"rec-{i}\", \"handle\": \"@a\", \"text\": \"t{i}\"}}")
}

/// What the reader must report, worked out from the whole input at once: ids read, count read,
/// count bad and the number of the last bad line.
fn jsonl_model(bytes: &[u8], follow: bool) -> (Vec<String>, u64, u64, u64) {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let tail = lines.pop().unwrap_or_default();
    if !follow && !tail.is_empty() {
        lines.push(tail);
    }
    let (mut ids, mut bad, mut last_bad) = (Vec::new(), 0, 0);
    for (i, l) in lines.iter().enumerate() {
        let ok = std::str::from_utf8(l).map(str::trim);
        match ok {
            Ok("") => {}
            Ok(t) => match jsonl::parse_line(t, 0) {
                Ok(m) => ids.push(m.remote_id),
                Err(_) => (bad, last_bad) = (bad + 1, i as u64 + 1),
            },
            Err(_) => (bad, last_bad) = (bad + 1, i as u64 + 1),
        }
    }
    let read = ids.len() as u64;
    (ids, read, bad, last_bad)
}

fn jsonl_bytes(items: &[Item]) -> (Vec<u8>, usize) {
    let mut bytes = Vec::new();
    let mut goods = 0;
    for it in items {
        match it {
            Item::Good => {
                bytes.push(b'\n');
                bytes.extend(jsonl_record(goods).bytes());
                bytes.push(b'\n');
                goods += 1;
            }
            Item::Bad(s) => {
                bytes.push(b'\n');
                bytes.extend(s.bytes());
                bytes.push(b'\n');
            }
            Item::Noise(n) => bytes.extend(n),
        }
    }
    (bytes, goods)
}

/// Runs the reader over the chunks; the ids it sent and its last status.
fn jsonl_run(chunks: Vec<Vec<u8>>, follow: bool) -> (Vec<String>, String) {
    let ends = chunks.len();
    let reader = Chunks {
        chunks: chunks.into(),
        eof_between: follow,
        eof_next: false,
    };
    current_thread().block_on(async move {
        let (tx, mut rx) = mpsc::channel(4);
        let task = tokio::spawn(async move {
            jsonl::read_stream(reader, &tx, Duration::from_millis(10), follow).await;
        });
        let (mut ids, mut detail, mut statuses) = (Vec::new(), String::new(), 0);
        // Following, each end of what is there is one status; the last one covers it all.
        while let Some(msg) = rx.recv().await {
            match msg {
                SourceMsg::Mention(m) => ids.push(m.remote_id),
                SourceMsg::Status { state, .. } => {
                    detail = format!("{state:?}");
                    statuses += 1;
                    if follow && statuses >= ends.max(1) {
                        break;
                    }
                }
                _ => {}
            }
        }
        drop(rx);
        task.await.unwrap();
        (ids, detail)
    })
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn jsonl_reads_every_good_line_once_at_any_split(
        items in items(),
        cuts in cuts(),
        follow in any::<bool>(),
    ) {
        let (bytes, goods) = jsonl_bytes(&items);
        let (want, read, bad, last_bad) = jsonl_model(&bytes, follow);
        let (ids, detail) = jsonl_run(chunked(&bytes, &cuts), follow);
        prop_assert_eq!(&ids, &want);
        // Every planted record, exactly once (the tail of a followed file waits for its end).
        let planted: Vec<String> = (0..goods).map(|i| format!("rec-{i}")).collect();
        let got: Vec<&String> = ids.iter().filter(|i| i.starts_with("rec-")).collect();
        prop_assert_eq!(got.len(), planted.len(), "{:?}", ids);
        for p in &planted {
            prop_assert_eq!(ids.iter().filter(|i| *i == p).count(), 1);
        }
        let counted = if bad == 0 {
            format!("{read} read, 0 bad")
        } else {
            format!("{read} read, {bad} bad (line {last_bad})")
        };
        prop_assert!(detail.contains(&format!("{counted:?}")), "{detail} != {counted}");
    }
}

// --- server-sent events

fn sse_event(id: usize) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/mastodon/mention.json")).unwrap();
    v["id"] = format!("n{id}").into();
    v["status"]["id"] = format!("rec-{id}").into();
    format!("event: notification\ndata: {v}\n\n")
}

fn sse_bytes(items: &[Item]) -> (Vec<u8>, usize, usize) {
    let (mut bytes, mut goods, mut bads) = (Vec::new(), 0, 0);
    for it in items {
        // A blank line ends whatever the garbage before left open.
        bytes.extend(b"\n\n");
        match it {
            Item::Good => {
                bytes.extend(sse_event(goods).bytes());
                goods += 1;
            }
            Item::Bad(s) => {
                bytes.extend(format!("event: notification\ndata: {s}\n\n").bytes());
                bads += 1;
            }
            Item::Noise(n) => bytes.extend(n),
        }
    }
    bytes.extend(b"\n\n");
    (bytes, goods, bads)
}

/// A server whose one stream carries the chunks and then ends.
struct OneStream(Mutex<Option<Vec<Vec<u8>>>>);

impl Live for OneStream {
    fn source(&self) -> &str {
        "m"
    }

    async fn open(&self, _tx: &mpsc::Sender<SourceMsg>) -> Result<Events, NetError> {
        let chunks = self.0.lock().unwrap().take().unwrap_or_default();
        let s = futures_util::stream::iter(chunks.into_iter().map(Ok));
        Ok(Box::pin(s))
    }

    async fn backfill(&self, _cursor: Option<String>) -> Result<Page, NetError> {
        Ok(Page {
            mentions: Vec::new(),
            cursor: None,
        })
    }
}

/// Log lines, to count the events the stream reader skipped.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs the stream loop over one stream of chunks until it says the stream broke: the
/// mentions it sent and how many events it skipped as unreadable.
fn sse_run(chunks: Vec<Vec<u8>>) -> (Vec<String>, usize) {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let ids = tracing::subscriber::with_default(subscriber, || {
        current_thread().block_on(async move {
            let live = OneStream(Mutex::new(Some(chunks)));
            let (tx, mut rx) = mpsc::channel(4);
            let task = tokio::spawn(async move {
                stream::run_live(&live, None, tx, StreamConfig::default()).await;
            });
            let mut ids = Vec::new();
            while let Some(msg) = rx.recv().await {
                match msg {
                    SourceMsg::Mention(m) => ids.push(m.remote_id),
                    SourceMsg::Status {
                        state: modq::model::SourceState::Down { .. },
                        ..
                    } => break,
                    _ => {}
                }
            }
            drop(rx);
            task.await.unwrap();
            ids
        })
    });
    let text = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    let skipped = text.matches("skipping an unreadable stream event").count();
    (ids, skipped)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn sse_reads_every_event_once_at_any_split(
        items in items().prop_filter("noise that names the event", |v| !v.iter().any(|i| matches!(i, Item::Noise(n) if n.windows(12).any(|w| w == b"notification")))),
        cuts in cuts(),
    ) {
        let (bytes, goods, bads) = sse_bytes(&items);
        let (ids, skipped) = sse_run(chunked(&bytes, &cuts));
        let want: Vec<String> = (0..goods).map(|i| format!("rec-{i}")).collect();
        prop_assert_eq!(ids, want);
        prop_assert_eq!(skipped, bads);
    }
}

#[test]
fn a_byte_that_is_not_utf8_does_not_stall_the_stream() {
    // It used to hold every later byte back for as long as the connection lived.
    let (bytes, _, _) = sse_bytes(&[Item::Noise(vec![0x80]), Item::Good, Item::Good]);
    assert_eq!(sse_run(vec![bytes]).0, ["rec-0", "rec-1"]);
    let (bytes, _, _) = sse_bytes(&[Item::Good, Item::Noise(b"\xc3(".to_vec()), Item::Good]);
    assert_eq!(sse_run(chunked(&bytes, &[])).0, ["rec-0", "rec-1"]);
}

// ------------------------------------------------------------------ Bluesky facets

fn link(s: usize, e: usize, uri: &str) -> Facet {
    Facet {
        index: ByteSlice {
            byte_start: s,
            byte_end: e,
        },
        features: vec![Feature::Link { uri: uri.into() }],
    }
}

/// Offsets anywhere: in a char, at the end, past it, far past it.
fn offset(len: usize) -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0..=len + 4,
        1 => Just(usize::MAX),
        1 => any::<usize>(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn facets_at_any_offset_never_cut_a_char(
        (text, raw) in hostile().prop_flat_map(|t| {
            let n = t.len();
            (Just(t), prop::collection::vec((offset(n), offset(n)), 0..6))
        }),
    ) {
        let facets: Vec<Facet> = raw
            .iter()
            .enumerate()
            .map(|(i, &(s, e))| link(s, e, &format!("<{i}>")))
            .collect();
        let out = facets::expand_links(&text, &facets);
        // Only whole facets on char boundaries are replaced; the rest is the text, in order.
        let on_char = |&(s, e): &(usize, usize)| s <= e && text.get(s..e).is_some();
        if !raw.iter().any(on_char) {
            prop_assert_eq!(&out, &text);
        }
        // The same from JSON, as the network sends them.
        let json = serde_json::to_string(&facets).unwrap();
        let back: Vec<Facet> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(facets::expand_links(&text, &back), out);
    }

    #[test]
    fn valid_facets_are_expanded_and_bad_ones_ignored(
        (text, cuts, bad) in hostile().prop_flat_map(|t| {
            let n = t.len();
            (Just(t), prop::collection::vec(any::<prop::sample::Index>(), 0..8),
             prop::collection::vec((offset(n), offset(n)), 0..6))
        }),
    ) {
        // Disjoint facets on char boundaries, from sorted cut points taken in pairs.
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let mut at: Vec<usize> = cuts.iter().map(|c| bounds[c.index(bounds.len())]).collect();
        at.sort_unstable();
        let good: Vec<(usize, usize)> = at.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        let mut want = String::new();
        let mut from = 0;
        let mut facets = Vec::new();
        for (i, &(s, e)) in good.iter().enumerate() {
            if s < from {
                continue;
            }
            want.push_str(&text[from..s]);
            want.push_str(&format!("<{i}>"));
            facets.push(link(s, e, &format!("<{i}>")));
            from = e;
        }
        want.push_str(&text[from..]);
        prop_assert_eq!(facets::expand_links(&text, &facets), want.clone());
        // Facets that cut a char, run backwards or past the end change nothing.
        for &(s, e) in &bad {
            if s > e || text.get(s..e).is_none() {
                facets.push(link(s, e, "BAD"));
            }
        }
        prop_assert_eq!(facets::expand_links(&text, &facets), want);
    }

    #[test]
    fn reply_facets_slice_their_own_text(
        text in hostile(),
        handle in prop_oneof![Just("ż.bsky.social".to_string()), "[a-zé.@-]{0,12}"],
        url in prop::option::of("https?://[a-zż./?=.,)]{0,12}"),
    ) {
        let text = match url {
            Some(u) => format!("@{handle} {text} {u} {text}"),
            None => text,
        };
        let fs = facets::for_reply(&text, &handle, "did:plc:x");
        for f in &fs {
            let slice = text.get(f.index.byte_start..f.index.byte_end);
            prop_assert!(slice.is_some(), "{:?} in {:?}", f.index, text);
            let slice = slice.unwrap_or_default();
            match &f.features[..] {
                [Feature::Mention { .. }] => {
                    prop_assert_eq!(slice, format!("@{}", handle.trim_start_matches('@')))
                }
                [Feature::Link { uri }] => {
                    prop_assert_eq!(slice, uri.as_str());
                    prop_assert!(uri.starts_with("http"));
                }
                other => prop_assert!(false, "unexpected {:?}", other),
            }
        }
        // Links we write point where they say: expanding them changes nothing.
        prop_assert_eq!(facets::expand_links(&text, &fs), text);
    }
}

// ------------------------------------------------------------------ keymap, theme, templates

const KEYMAP: &str = include_str!("../keymaps/vim.toml");
const THEME: &str = include_str!("../themes/night.toml");
const TEMPLATES: &str = include_str!("../templates/orders.toml");

fn toml_line() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(&[
            "[queue]", "[detail]", "[compose]", "[picker]", "[command]", "[roles]", "[roles.base]",
            "[nope]", "[[template]]", "[template.body]", "[queue", "[[queue]]", "",
            "j = \"down\"", "\"<C-s>\" = \"send\"", "'<lt>' = \"up\"", "x = \"\"", "<Nope> = \"down\"",
            "jj = \"down\"", "j = 1", "j = [\"down\"]", "j = { a = 1 }", "queue.j = \"down\"",
            "queue = { j = \"down\" }", "inherits = \"dark\"", "inherits = \"ghost\"", "name = \"x\"",
            "base = { fg = \"red\" }", "fg = \"#12345\"", "bg = \"rgb(1,2,3)\"", "modifiers = [\"bold\", \"wobble\"]",
            "fg = \"#ffffff\"", "id = \"x\"", "id = 'y'", "title = \"t\"", "en = \"Hi {first_name\"",
            "en = \"Hi {first_name}\"", "pl = \"{brand} {\"", "tags = [\"a\"]", "situations = 1",
            "cues = []", "\"\" = \"\"", "x = \"\\u0000\"", "x = \"\\uD800\"", "# comment", "x = '''",
            "x = \"\"\"", "\u{feff}", "=", "[", "]", "\"", "x = 1979-05-27T07:32:00Z", "x = nan",
        ][..]).prop_map(String::from),
        1 => hostile(),
        1 => ("[a-z<>\\-\"'.]{1,8}", "[ =]{0,3}", "[a-z0-9\"'{}\\[\\],#. -]{0,12}")
            .prop_map(|(k, eq, v)| format!("{k}{eq}{v}")),
    ]
}

fn toml_ish() -> impl Strategy<Value = String> {
    let lines = prop::collection::vec(toml_line(), 0..12).prop_map(|v| v.join("\n"));
    // Real files with a stretch cut out, or a line put in anywhere.
    let mutated = (
        prop::sample::select(&[KEYMAP, THEME, TEMPLATES][..]),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        toml_line(),
    )
        .prop_map(|(src, a, b, ins)| {
            let bounds: Vec<usize> = src
                .char_indices()
                .map(|(i, _)| i)
                .chain([src.len()])
                .collect();
            let (x, y) = (bounds[a.index(bounds.len())], bounds[b.index(bounds.len())]);
            let (x, y) = (x.min(y), x.max(y).min(x.min(y) + 40));
            let y = bounds
                .iter()
                .copied()
                .find(|&c| c >= y)
                .unwrap_or(src.len());
            format!("{}{ins}{}", &src[..x], &src[y..])
        });
    prop_oneof![lines, mutated]
}

/// An error must say where: a line inside the file, whatever the file's TOML layout.
fn located(src: &str, e: &DataError) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.file.as_str(), "f.toml");
    prop_assert!(!e.message.is_empty());
    let lines = src.lines().count().max(1);
    match e.line {
        Some(l) => prop_assert!(
            (1..=lines + 1).contains(&l),
            "line {} of {}: {}",
            l,
            lines,
            e
        ),
        None => prop_assert!(false, "no line: {} in {:?}", e, src),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn keymap_theme_template_files_parse_or_say_where(src in toml_ish()) {
        match Keymap::parse_partial("f", &src, "f.toml") {
            Ok((_, skipped)) => skipped.iter().try_for_each(|e| located(&src, e))?,
            Err(e) => located(&src, &e)?,
        }
        match Theme::parse(&src, "f.toml", &|_| None) {
            Ok((_, skipped)) => skipped.iter().try_for_each(|e| located(&src, e))?,
            Err(e) => located(&src, &e)?,
        }
        if let Err(e) = template::parse("f.toml", &src) {
            located(&src, &e)?;
        }
        let (_, errors) = modq::config::Config::parse("f.toml", &src);
        errors.iter().try_for_each(|e| located(&src, e))?;
    }
}
