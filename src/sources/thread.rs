//! Fetches the thread around a mention from the account it came to, for the detail pane:
//! Mastodon `statuses/:id/context`, Bluesky `getPostThread`. Text is sanitised here, at the
//! edge, like everything else from a network.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc;

use super::adapter::{reply_ref_key, ReplyRef};
use super::bluesky::{facets, PostRecord};
use super::mastodon::{html, Status};
use crate::accounts::Client;
use crate::app::{Effect, Event};
use crate::model::{Post, Thread};
use crate::sanitize::{sanitize_line, sanitize_text};
use crate::store::Store;

/// Bounds a hostile or huge thread: the pane shows this many posts each way at most.
const MAX_POSTS: usize = 50;

/// Starts the task that answers `Effect::Thread`; each request runs on its own so a slow
/// network never holds up the next one.
pub fn spawn(
    accounts: &[Client],
    store: Arc<dyn Store>,
    events: mpsc::UnboundedSender<Event>,
) -> mpsc::UnboundedSender<Effect> {
    let clients: Arc<HashMap<String, Client>> = Arc::new(
        accounts
            .iter()
            .map(|c| (c.name().to_string(), c.clone()))
            .collect(),
    );
    let (tx, mut rx) = mpsc::unbounded_channel::<Effect>();
    tokio::spawn(async move {
        while let Some(e) = rx.recv().await {
            let Effect::Thread {
                seq,
                mention,
                source,
            } = e
            else {
                continue;
            };
            let (clients, store, events) = (clients.clone(), store.clone(), events.clone());
            tokio::spawn(async move {
                let result = match clients.get(&source) {
                    Some(c) => fetch(c, store.as_ref(), &mention).await,
                    None => Err(format!("no account {source} to ask for the thread")),
                };
                let _ = events.send(Event::Thread { seq, result });
            });
        }
    });
    tx
}

/// The thread around one stored mention, or one line saying why not.
pub async fn fetch(client: &Client, store: &dyn Store, mention: &str) -> Result<Thread, String> {
    let to: ReplyRef = store
        .meta_get(&reply_ref_key(mention))
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
        .ok_or("thread unavailable: no network reference for this mention")?;
    let fail = |e: super::net::NetError| sanitize_line(&format!("thread unavailable: {e}"));
    match client {
        Client::Mastodon(m) => {
            let (up, down) = m.context(&to.remote_id).await.map_err(fail)?;
            Ok(Thread {
                ancestors: last(up.iter().map(masto_post).collect()),
                descendants: down.iter().take(MAX_POSTS).map(masto_post).collect(),
            })
        }
        Client::Bluesky(b) => Ok(sky_thread(
            &b.post_thread(&to.remote_id).await.map_err(fail)?,
        )),
    }
}

fn last(mut v: Vec<Post>) -> Vec<Post> {
    let cut = v.len().saturating_sub(MAX_POSTS);
    v.drain(..cut);
    v
}

/// One post, sanitised and held to the same sizes as a mention (each is one row in the pane).
fn post(handle: &str, text: &str) -> Post {
    let fit = |s: String, max| crate::ingest::clip(&s, max).unwrap_or(s);
    Post {
        handle: fit(
            sanitize_line(&format!("@{}", handle.trim_start_matches('@'))),
            crate::ingest::MAX_HANDLE,
        ),
        text: fit(sanitize_text(text), crate::ingest::MAX_TEXT),
    }
}

fn masto_post(s: &Status) -> Post {
    post(&s.account.acct, &html::to_text(&s.content))
}

/// A `threadViewPost`'s post; blocked or deleted posts (other `$type`s) give None.
fn sky_post(view: &Value) -> Option<Post> {
    let p = view.get("post")?;
    let handle = p.pointer("/author/handle")?.as_str()?;
    let rec: PostRecord = serde_json::from_value(p.get("record")?.clone()).ok()?;
    Some(post(handle, &facets::expand_links(&rec.text, &rec.facets)))
}

/// Parents up the chain (bounded), then the replies depth first in the order given.
pub fn sky_thread(view: &Value) -> Thread {
    let mut ancestors = Vec::new();
    let mut cur = view.get("parent");
    while let Some(p) = cur {
        if ancestors.len() >= MAX_POSTS {
            break;
        }
        match sky_post(p) {
            Some(post) => ancestors.push(post),
            None => break,
        }
        cur = p.get("parent");
    }
    ancestors.reverse();
    let mut descendants = Vec::new();
    let mut stack: Vec<&Value> = replies(view).iter().rev().collect();
    while let Some(v) = stack.pop() {
        if descendants.len() >= MAX_POSTS {
            break;
        }
        if let Some(p) = sky_post(v) {
            descendants.push(p);
            stack.extend(replies(v).iter().rev());
        }
    }
    Thread {
        ancestors,
        descendants,
    }
}

fn replies(v: &Value) -> &[Value] {
    v.get("replies")
        .and_then(Value::as_array)
        .map_or(&[], |a| a.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_thread_post_is_held_to_a_mention_size() {
        let view = serde_json::json!({
            "post": {"author": {"handle": "me.example"}, "record": {"text": "hi"}},
            "replies": [{
                "post": {
                    "author": {"handle": format!("h{}", "x".repeat(100_000))},
                    "record": {"text": "e\u{301}".repeat(100_000)}
                }
            }]
        });
        let t = sky_thread(&view);
        let p = &t.descendants[0];
        assert_eq!(p.text, "e\u{301}".repeat(crate::ingest::MAX_TEXT / 2));
        assert_eq!(p.handle.chars().count(), crate::ingest::MAX_HANDLE);
    }
}
