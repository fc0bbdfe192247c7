//! Mentions as JSON lines from a file (followed as it grows) or standard input, so any other
//! system can feed the queue. One object per line:
//!
//! `{"id": "42", "handle": "@kim@shop.example", "text": "…"}` plus, optionally, `"name"`,
//! `"followers"`, `"lang"`, `"created"` (RFC 3339 or epoch milliseconds), `"in_reply_to"`,
//! `"url"`. Unknown fields are ignored. A bad line is counted and logged, never fatal.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};
use tokio::sync::mpsc::Sender;

use super::feed::status;
use super::{RawMention, SourceMsg};
use crate::model::SourceState;
use crate::model::{now_millis, Millis, Network};

use crate::model::JSONL_SOURCE as SOURCE;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// `jsonl:PATH` or `jsonl:-`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        match spec.strip_prefix("jsonl:") {
            Some("-") => Ok(Input::Stdin),
            Some(p) if !p.is_empty() => Ok(Input::File(PathBuf::from(p))),
            _ => Err(format!(
                "unknown source '{spec}': expected jsonl:PATH or jsonl:-"
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum When {
    Millis(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
struct Line {
    #[serde(deserialize_with = "super::ids::string_or_number")]
    id: String,
    handle: String,
    text: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    followers: u64,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    created: Option<When>,
    #[serde(default, deserialize_with = "super::ids::opt_string_or_number")]
    in_reply_to: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Ids longer than this are refused (network ids are a few dozen characters).
const MAX_ID: usize = 256;

/// One line to a mention, or why not.
pub fn parse_line(line: &str, now: Millis) -> Result<RawMention, String> {
    let l: Line = serde_json::from_str(line).map_err(|e| e.to_string())?;
    if l.id.is_empty() {
        return Err("\"id\" must be a non-empty string or a number".into());
    }
    // The id is a key in the store and in every reference to the mention.
    if l.id.len() > MAX_ID {
        return Err(format!("\"id\" is longer than {MAX_ID} bytes"));
    }
    let id = l.id;
    let created = match l.created {
        None => now,
        Some(When::Millis(ms)) => ms,
        Some(When::Text(t)) => super::net::parse_time(&t)
            .ok_or_else(|| format!("\"created\" is not an RFC 3339 time: {t:?}"))?,
    };
    Ok(RawMention {
        source: SOURCE.into(),
        network: Network::Jsonl,
        remote_id: id,
        author_name: l.name.unwrap_or_else(|| l.handle.clone()),
        author_handle: l.handle,
        followers: l.followers,
        text: l.text,
        lang: l.lang,
        created,
        in_reply_to: l.in_reply_to,
        url: l.url,
    })
}

/// Reads until the input ends (stdin) or forever (a file, polled every `poll` for growth;
/// a file that shrinks was rotated and is read again from the start).
pub async fn run(input: Input, tx: Sender<SourceMsg>, poll: Duration) {
    let follow = matches!(input, Input::File(_));
    let mut counts = Counts::default();
    loop {
        let reader: Box<dyn AsyncRead + Unpin + Send> = match &input {
            Input::Stdin => Box::new(tokio::io::stdin()),
            Input::File(p) => match tokio::fs::File::open(p).await {
                Ok(f) => Box::new(f),
                Err(e) => {
                    let reason = format!("cannot read {}: {e}", p.display());
                    if !status(&tx, SOURCE, SourceState::Down { reason }).await {
                        return;
                    }
                    tokio::time::sleep(poll.max(Duration::from_secs(1))).await;
                    continue;
                }
            },
        };
        let path = match &input {
            Input::File(p) => Some(p.clone()),
            Input::Stdin => None,
        };
        match read(reader, path, &tx, poll, follow, &mut counts).await {
            Some(true) => continue,
            _ => return,
        }
    }
}

/// Reads any byte stream as the source reads its input, counting bad lines the same way:
/// to the stream's end, or with `follow` on past every end, each `poll`, as a growing file is
/// read. Returns when a finite input ends or the console closes.
pub async fn read_stream(
    reader: impl AsyncRead + Unpin + Send + 'static,
    tx: &Sender<SourceMsg>,
    poll: Duration,
    follow: bool,
) {
    let mut counts = Counts::default();
    read(Box::new(reader), None, tx, poll, follow, &mut counts).await;
}

#[derive(Debug, Default)]
struct Counts {
    read: u64,
    bad: u64,
    /// The number of the latest bad line, for the status bar (the log has each one).
    last_bad: u64,
}

impl Counts {
    fn detail(&self) -> String {
        match self.bad {
            0 => format!("{} read, 0 bad", self.read),
            n => format!("{} read, {n} bad (line {})", self.read, self.last_bad),
        }
    }

    fn bad_line(&mut self, no: u64, why: &str) {
        self.bad += 1;
        self.last_bad = no;
        tracing::warn!("jsonl: line {no} skipped: {why}");
    }
}

/// A line longer than this is bad (and skipped to its end) rather than held in memory.
const MAX_LINE: usize = 4 << 20;

/// Some(true): the file was truncated, start over; Some(false): input ended; None: closing.
async fn read(
    reader: Box<dyn AsyncRead + Unpin + Send>,
    path: Option<PathBuf>,
    tx: &Sender<SourceMsg>,
    poll: Duration,
    follow: bool,
    counts: &mut Counts,
) -> Option<bool> {
    // Bytes, not text: a line that is not UTF-8 is one bad line, and the next one is read.
    let mut input = BufReader::new(reader);
    let mut buf: Vec<u8> = Vec::new();
    let mut pos = 0u64;
    let mut line_no = 0u64;
    // The line being read is over MAX_LINE: its bytes are dropped until its newline.
    let mut overlong = false;
    loop {
        let room = (MAX_LINE + 1).saturating_sub(buf.len()) as u64;
        let got = (&mut input).take(room).read_until(b'\n', &mut buf).await;
        if let Err(e) = got {
            let reason = format!("cannot read after line {line_no}: {e}");
            tracing::warn!("jsonl: {reason}");
            let _ = status(tx, SOURCE, SourceState::Down { reason }).await;
            // A file is opened again from the start (the store keeps each mention once).
            return Some(follow);
        }
        let ended = buf.last() == Some(&b'\n');
        if !ended && buf.len() > MAX_LINE {
            pos += buf.len() as u64;
            buf.clear();
            overlong = true;
            continue;
        }
        if ended {
            pos += buf.len() as u64;
            line_no += 1;
            if overlong {
                overlong = false;
                counts.bad_line(line_no, &format!("longer than {MAX_LINE} bytes"));
            } else if !take_line(&buf, line_no, tx, counts).await {
                return None;
            }
            buf.clear();
            continue;
        }
        // End of what is there (a partial last line stays in `buf` until it is finished).
        // A finite input that ended without a final newline: the last line is still a line,
        // and the status counts it.
        if !follow
            && !buf.is_empty()
            && !overlong
            && !take_line(&buf, line_no + 1, tx, counts).await
        {
            return None;
        }
        let detail = counts.detail();
        if !status(tx, SOURCE, SourceState::Live { detail }).await {
            return None;
        }
        if !follow {
            return Some(false);
        }
        tokio::time::sleep(poll).await;
        if let Some(p) = &path {
            let len = tokio::fs::metadata(p).await.map(|m| m.len()).unwrap_or(0);
            if len < pos + buf.len() as u64 {
                tracing::info!("jsonl: {} shrank; reading it again", p.display());
                return Some(true);
            }
        }
    }
}

/// Decodes and parses one line (`no` counts from 1, as editors do); a bad one is counted and
/// logged with its number. False when modq is closing.
async fn take_line(bytes: &[u8], no: u64, tx: &Sender<SourceMsg>, counts: &mut Counts) -> bool {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            counts.bad_line(no, &format!("not UTF-8 (byte {})", e.valid_up_to() + 1));
            return true;
        }
    };
    let line = text.trim();
    if line.is_empty() {
        return true;
    }
    match parse_line(line, now_millis()) {
        Ok(raw) => {
            counts.read += 1;
            tx.send(SourceMsg::Mention(Box::new(raw))).await.is_ok()
        }
        Err(e) => {
            counts.bad_line(no, &e);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_fields() {
        let r = parse_line(
            r#"{"id": 7, "handle": "@kim", "text": "broken again", "name": "Kim", "followers": 3, "lang": "en", "created": "2024-05-01T10:00:00Z", "extra": [1]}"#,
            99,
        )
        .unwrap();
        assert_eq!(r.remote_id, "7");
        assert_eq!(r.author_name, "Kim");
        assert_eq!(r.created, 1_714_557_600_000);
        assert_eq!(r.network, Network::Jsonl);
        let r = parse_line(
            r#"{"id": "a", "handle": "@x", "text": "t", "created": 5}"#,
            99,
        )
        .unwrap();
        assert_eq!((r.created, r.author_name.as_str()), (5, "@x"));
        assert_eq!(
            parse_line(r#"{"id": "a", "handle": "@x", "text": "t"}"#, 99)
                .unwrap()
                .created,
            99
        );
        for bad in [
            "",
            "{",
            "[]",
            r#"{"id": "", "handle": "@x", "text": "t"}"#,
            r#"{"id": "a", "text": "t"}"#,
            r#"{"id": "a", "handle": "@x", "text": "t", "created": "soon"}"#,
            &format!(
                r#"{{"id": "{}", "handle": "@x", "text": "t"}}"#,
                "i".repeat(257)
            ),
        ] {
            assert!(parse_line(bad, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn specs() {
        assert_eq!(Input::parse("jsonl:-"), Ok(Input::Stdin));
        assert_eq!(
            Input::parse("jsonl:/tmp/x"),
            Ok(Input::File("/tmp/x".into()))
        );
        assert!(Input::parse("rss:x").is_err());
    }

    #[tokio::test]
    async fn a_finite_input_keeps_its_unterminated_last_line() {
        let input = b"{\"id\": 1, \"handle\": \"@a\", \"text\": \"one\"}\n{\"id\": 2, \"handle\": \"@b\", \"text\": \"two\"}";
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let mut counts = Counts::default();
        let end = read(
            Box::new(&input[..]),
            None,
            &tx,
            Duration::ZERO,
            false,
            &mut counts,
        )
        .await;
        assert_eq!(end, Some(false));
        drop(tx);
        let mut ids = Vec::new();
        while let Some(m) = rx.recv().await {
            if let SourceMsg::Mention(m) = m {
                ids.push(m.remote_id);
            }
        }
        assert_eq!(ids, ["1", "2"]);
    }

    /// Reads a finite input to its end: the mentions' ids and the counts.
    async fn read_all(input: Vec<u8>) -> (Vec<String>, Counts) {
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let reader = tokio::spawn(async move {
            let mut counts = Counts::default();
            let end = read(
                Box::new(std::io::Cursor::new(input)),
                None,
                &tx,
                Duration::ZERO,
                false,
                &mut counts,
            )
            .await;
            assert_eq!(end, Some(false));
            counts
        });
        let mut ids = Vec::new();
        while let Some(m) = rx.recv().await {
            if let SourceMsg::Mention(m) = m {
                ids.push(m.remote_id);
            }
        }
        (ids, reader.await.unwrap())
    }

    fn good(id: u32) -> Vec<u8> {
        format!("{{\"id\": {id}, \"handle\": \"@a\", \"text\": \"m{id}\"}}\n").into_bytes()
    }

    #[tokio::test]
    async fn a_bad_byte_line_loses_no_good_line_and_numbers_stay_exact() {
        let mut input = good(1);
        input.extend(b"\xff\xfe{\"id\": 99}\n"); // line 2: not UTF-8
        input.extend(good(3)); // the line after a bad one was the one lost
        input.extend(b"\x00\x01\x02\x89PNG\r\n\x1a\n"); // lines 4 and 5: binary
        input.extend(good(6));
        input.extend(b"\r\n\n"); // blank lines are neither read nor bad
        input.extend(b"{\"id\": 9, \"handle\": \"@a\", \"text\": \"caf\xc3\"}\n"); // line 9: cut char
        input.extend(good(10));
        input.extend(format!("{{\"id\": 11, \"text\": \"{}\"}}\n", "x".repeat(MAX_LINE)).bytes());
        input.extend(good(13)); // after a line too long to keep
        input.extend(&good(14)[..good(14).len() - 1]); // no final newline
        let (ids, counts) = read_all(input).await;
        assert_eq!(ids, ["1", "3", "6", "10", "13", "14"]);
        assert_eq!((counts.read, counts.bad), (6, 5));
        assert_eq!(counts.detail(), "6 read, 5 bad (line 11)");
        // Each bad line is reported by its own number.
        let (_, c) = read_all([good(1), b"\xc0\n".to_vec(), good(3)].concat()).await;
        assert_eq!(c.detail(), "2 read, 1 bad (line 2)");
        let (_, c) = read_all([good(1), good(2), good(3), b"\xc0".to_vec()].concat()).await;
        assert_eq!(c.detail(), "3 read, 1 bad (line 4)");
    }

    #[tokio::test]
    async fn the_last_status_counts_an_unterminated_last_line() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let input: &[u8] = b"{\"id\": 1, \"handle\": \"@a\", \"text\": \"one\"}\n\x0e";
        let mut counts = Counts::default();
        read(
            Box::new(input),
            None,
            &tx,
            Duration::ZERO,
            false,
            &mut counts,
        )
        .await;
        drop(tx);
        let mut last = None;
        while let Some(m) = rx.recv().await {
            if let SourceMsg::Status { state, .. } = m {
                last = Some(state);
            }
        }
        let detail = "1 read, 1 bad (line 2)".to_string();
        assert_eq!(last, Some(SourceState::Live { detail }));
    }

    #[tokio::test]
    async fn ids_past_64_bits_stay_distinct() {
        let input = concat!(
            r#"{"id": 18446744073709551617, "handle": "@a", "text": "one"}"#,
            "\n",
            r#"{"id": 18446744073709551616, "handle": "@a", "text": "two", "in_reply_to": 18446744073709551617}"#,
            "\n"
        );
        let (ids, _) = read_all(input.as_bytes().to_vec()).await;
        assert_eq!(ids, ["18446744073709551617", "18446744073709551616"]);
        let r = parse_line(
            r#"{"id": 1, "handle": "@a", "text": "t", "in_reply_to": 98765432109876543210987}"#,
            0,
        )
        .unwrap();
        assert_eq!(r.in_reply_to.as_deref(), Some("98765432109876543210987"));
        assert!(parse_line(r#"{"id": 1.5, "handle": "@a", "text": "t"}"#, 0).is_err());
    }

    #[tokio::test]
    async fn follows_a_growing_file_and_counts_bad_lines() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        let mut f = std::fs::File::create(&p).unwrap();
        writeln!(f, r#"{{"id": 1, "handle": "@a", "text": "one"}}"#).unwrap();
        writeln!(f, "not json").unwrap();
        f.write_all(b"\xff\xfe\x00 binary\n").unwrap();
        // A half-written line waits for its end.
        write!(f, r#"{{"id": 2, "handle": "@b", "#).unwrap();
        f.flush().unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let task = tokio::spawn(run(Input::File(p.clone()), tx, Duration::from_millis(5)));
        let mut ids = Vec::new();
        let mut said = Vec::new();
        let mut last = None;
        while last
            != Some(SourceState::Live {
                detail: "3 read, 3 bad (line 5)".into(),
            })
        {
            match rx.recv().await.unwrap() {
                SourceMsg::Mention(m) => ids.push(m.remote_id),
                SourceMsg::Status { state, .. } => {
                    if said.last() != Some(&ids.len()) {
                        said.push(ids.len());
                        // The file grows: the end of the half line, then a bad line and a good one.
                        match ids.len() {
                            1 => writeln!(f, r#""text": "two"}}"#).unwrap(),
                            2 => f
                                .write_all(
                                    b"\xc3(\n{\"id\": 3, \"handle\": \"@c\", \"text\": \"3\"}\n",
                                )
                                .unwrap(),
                            _ => {}
                        }
                        f.flush().unwrap();
                    }
                    if ids.len() == 1 {
                        assert_eq!(
                            state,
                            SourceState::Live {
                                detail: "1 read, 2 bad (line 3)".into()
                            }
                        );
                    }
                    last = Some(state);
                }
                SourceMsg::Cursor { .. } | SourceMsg::Limits { .. } => {}
            }
        }
        assert_eq!(ids, ["1", "2", "3"]);
        task.abort();
    }
}
