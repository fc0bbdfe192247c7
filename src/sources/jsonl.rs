//! Mentions as JSON lines from a file (followed as it grows) or standard input, so any other
//! system can feed the queue. One object per line:
//!
//! `{"id": "42", "handle": "@kim@shop.example", "text": "…"}` plus, optionally, `"name"`,
//! `"followers"`, `"lang"`, `"created"` (RFC 3339 or epoch milliseconds), `"in_reply_to"`,
//! `"url"`. Unknown fields are ignored. A bad line is counted and logged, never fatal.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
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
    id: serde_json::Value,
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
    #[serde(default)]
    in_reply_to: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// One line to a mention, or why not.
pub fn parse_line(line: &str, now: Millis) -> Result<RawMention, String> {
    let l: Line = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let id = match &l.id {
        serde_json::Value::String(s) if !s.is_empty() => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err("\"id\" must be a non-empty string or a number".into()),
    };
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

#[derive(Debug, Default)]
struct Counts {
    read: u64,
    bad: u64,
}

/// Some(true): the file was truncated, start over; Some(false): input ended; None: closing.
async fn read(
    reader: Box<dyn AsyncRead + Unpin + Send>,
    path: Option<PathBuf>,
    tx: &Sender<SourceMsg>,
    poll: Duration,
    follow: bool,
    counts: &mut Counts,
) -> Option<bool> {
    let mut lines = BufReader::new(reader);
    let mut buf = String::new();
    let mut pos = 0u64;
    let mut line_no = 0u64;
    loop {
        let n = match lines.read_line(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                // Not UTF-8: count the line as bad and skip past it.
                counts.bad += 1;
                tracing::warn!("jsonl: unreadable input after line {line_no}: {e}");
                let mut skip = Vec::new();
                let _ = lines.read_until(b'\n', &mut skip).await;
                buf.clear();
                continue;
            }
        };
        if n > 0 && buf.ends_with('\n') {
            pos += buf.len() as u64;
            line_no += 1;
            let line = buf.trim();
            if !line.is_empty() {
                match parse_line(line, now_millis()) {
                    Ok(raw) => {
                        counts.read += 1;
                        if tx.send(SourceMsg::Mention(Box::new(raw))).await.is_err() {
                            return None;
                        }
                    }
                    Err(e) => {
                        counts.bad += 1;
                        tracing::warn!("jsonl: line {line_no} skipped: {e}");
                    }
                }
            }
            buf.clear();
            continue;
        }
        // End of what is there (a partial last line stays in `buf` until it is finished).
        let detail = format!("{} read, {} bad", counts.read, counts.bad);
        if !status(tx, SOURCE, SourceState::Live { detail }).await {
            return None;
        }
        if !follow {
            // The input ended without a final newline: the last line is still a line.
            if !buf.trim().is_empty() {
                match parse_line(buf.trim(), now_millis()) {
                    Ok(raw) => {
                        if tx.send(SourceMsg::Mention(Box::new(raw))).await.is_err() {
                            return None;
                        }
                    }
                    Err(e) => tracing::warn!("jsonl: last line skipped: {e}"),
                }
            }
            return Some(false);
        }
        tokio::time::sleep(poll).await;
        if let Some(p) = &path {
            let len = tokio::fs::metadata(p).await.map(|m| m.len()).unwrap_or(0);
            if len < pos {
                tracing::info!("jsonl: {} shrank; reading it again", p.display());
                return Some(true);
            }
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

    #[tokio::test]
    async fn follows_a_growing_file_and_counts_bad_lines() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        let mut f = std::fs::File::create(&p).unwrap();
        writeln!(f, r#"{{"id": 1, "handle": "@a", "text": "one"}}"#).unwrap();
        writeln!(f, "not json").unwrap();
        // A half-written line waits for its end.
        write!(f, r#"{{"id": 2, "handle": "@b", "#).unwrap();
        f.flush().unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let task = tokio::spawn(run(Input::File(p.clone()), tx, Duration::from_millis(5)));
        let mut ids = Vec::new();
        let mut last_status = None;
        while ids.len() < 2 {
            match rx.recv().await.unwrap() {
                SourceMsg::Mention(m) => ids.push(m.remote_id),
                SourceMsg::Status { state, .. } => {
                    if ids.len() == 1 && last_status.is_none() {
                        last_status = Some(state);
                        writeln!(f, r#""text": "two"}}"#).unwrap();
                        f.flush().unwrap();
                    }
                }
                SourceMsg::Cursor { .. } | SourceMsg::Limits { .. } => {}
            }
        }
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(
            last_status,
            Some(SourceState::Live {
                detail: "1 read, 1 bad".into()
            })
        );
        task.abort();
    }
}
