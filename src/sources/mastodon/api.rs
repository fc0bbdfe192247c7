//! The Mastodon REST endpoints modq uses, behind the `Adapter` trait.

use std::time::Duration;

use serde::Deserialize;
use tokio::sync::OnceCell;

use super::{id_order, to_raw, Account, Notification, Status};
use crate::sources::adapter::{Adapter, Outgoing, Page};
use crate::sources::net::{Http, NetError, Secret};

/// Mastodon keeps an `Idempotency-Key` for an hour from the first post; ten minutes of
/// margin for clocks and slow answers. Within it an ambiguous reply is sent again with its
/// key, after it looked up.
pub const KEY_WINDOW: Duration = Duration::from_secs(50 * 60);

/// Pages of 40 own posts a look-up reads at most (a busy account posts a lot in an hour).
const LOOKUP_PAGES: usize = 5;

/// How much earlier than the reply's queueing the server's clock may date its post.
const CLOCK_SLACK_MS: i64 = 10 * 60_000;

/// A status text as it can be compared with what we sent: mentions left out (the server
/// shortens them), whitespace collapsed.
pub fn comparable(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.starts_with('@'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pages per backfill: 80 mentions each; a week away from a busy account fits.
const MAX_PAGES: usize = 100;

#[derive(Debug)]
pub struct Mastodon {
    pub source: String,
    /// `https://instance.example`, no trailing slash.
    pub base: String,
    token: Secret,
    pub http: Http,
    me: OnceCell<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Limits {
    #[serde(default = "default_max")]
    pub max_characters: usize,
    #[serde(default = "default_url")]
    pub characters_reserved_per_url: usize,
}

fn default_max() -> usize {
    500
}
fn default_url() -> usize {
    23
}

#[derive(Debug, Default, Deserialize)]
struct Instance {
    #[serde(default)]
    configuration: Configuration,
}

#[derive(Debug, Default, Deserialize)]
struct Configuration {
    #[serde(default)]
    urls: Urls,
    #[serde(default)]
    statuses: Option<Limits>,
}

#[derive(Debug, Default, Deserialize)]
struct Urls {
    #[serde(default)]
    streaming: Option<String>,
}

/// What the instance says about itself: where to stream from, how long a post may be.
#[derive(Debug, Clone)]
pub struct InstanceInfo {
    pub streaming: String,
    pub limits: Limits,
}

impl Mastodon {
    pub fn new(source: &str, base: &str, token: Secret) -> Self {
        Self {
            source: source.to_string(),
            base: base.trim_end_matches('/').to_string(),
            token,
            http: Http::new(Duration::from_secs(30)),
            me: OnceCell::new(),
        }
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .client
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::AUTHORIZATION, self.token.bearer())
    }

    fn post_to(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .client
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::AUTHORIZATION, self.token.bearer())
    }

    pub fn stream_request(&self, streaming_base: &str) -> reqwest::RequestBuilder {
        self.http
            .client
            .get(format!(
                "{}/api/v1/streaming/user/notification",
                streaming_base.trim_end_matches('/')
            ))
            .header(reqwest::header::AUTHORIZATION, self.token.bearer())
            .header(reqwest::header::ACCEPT, "text/event-stream")
    }

    /// The streaming host (often not the instance's own) and the post length limits.
    pub async fn instance(&self) -> Result<InstanceInfo, NetError> {
        let (i, _): (Instance, _) = self.http.json(self.get("/api/v2/instance")).await?;
        let streaming = i
            .configuration
            .urls
            .streaming
            .map(|s| {
                s.replacen("wss://", "https://", 1)
                    .replacen("ws://", "http://", 1)
            })
            .unwrap_or_else(|| self.base.clone());
        // The token goes to the streaming host too: never in clear when the instance uses TLS.
        let streaming = match streaming.strip_prefix("http://") {
            Some(rest) if self.base.starts_with("https://") => format!("https://{rest}"),
            _ => streaming,
        };
        Ok(InstanceInfo {
            streaming,
            limits: i.configuration.statuses.unwrap_or(Limits {
                max_characters: default_max(),
                characters_reserved_per_url: default_url(),
            }),
        })
    }

    async fn my_id(&self) -> Result<String, NetError> {
        self.me
            .get_or_try_init(|| async {
                let (a, _): (Account, _) = self
                    .http
                    .json(self.get("/api/v1/accounts/verify_credentials"))
                    .await?;
                Ok(a.id)
            })
            .await
            .cloned()
    }

    /// The thread around a status, for the detail pane: (ancestors, descendants).
    pub async fn context(&self, status_id: &str) -> Result<(Vec<Status>, Vec<Status>), NetError> {
        #[derive(Deserialize)]
        struct Context {
            ancestors: Vec<Status>,
            descendants: Vec<Status>,
        }
        let (c, _): (Context, _) = self
            .http
            .json(self.get(&format!("/api/v1/statuses/{}/context", enc(status_id))))
            .await?;
        Ok((c.ancestors, c.descendants))
    }
}

/// A private reply is direct; otherwise as open as the mention, never more (answering a
/// followers-only post in public would show it to everyone).
pub fn reply_visibility(private: bool, mention: Option<&str>) -> &'static str {
    match (private, mention) {
        (true, _) | (_, Some("direct")) => "direct",
        (_, Some("private")) => "private",
        (_, Some("unlisted")) => "unlisted",
        _ => "public",
    }
}

/// Ids come from the network: keep them to the characters an id has.
fn enc(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

impl Adapter for Mastodon {
    async fn backfill(&self, cursor: Option<String>) -> Result<Page, NetError> {
        let mut page = Page {
            cursor: cursor.clone(),
            ..Default::default()
        };
        let mut all: Vec<Notification> = Vec::new();
        for _ in 0..MAX_PAGES {
            let mut req = self
                .get("/api/v1/notifications")
                .query(&[("types[]", "mention"), ("limit", "80")]);
            if let Some(c) = &page.cursor {
                // min_id pages forward from the cursor (since_id would jump to the newest page).
                req = req.query(&[("min_id", c.as_str())]);
            }
            let batch: Vec<Notification> = match self.http.json(req).await {
                Ok((b, _)) => b,
                Err(e) if all.is_empty() => return Err(e),
                // Pages already read are kept and the cursor moves past them (min_id pages
                // are contiguous); the rest comes with the next backfill, after the wait.
                Err(e) => {
                    tracing::info!(source = %self.source, "backfill stopped after {} notifications: {e}", all.len());
                    break;
                }
            };
            let Some(newest) = batch
                .iter()
                .map(|n| n.id.clone())
                .max_by(|a, b| id_order(a, b))
            else {
                break;
            };
            // A server that pages backwards would loop: stop when nothing is newer.
            let moved = page
                .cursor
                .as_deref()
                .is_none_or(|c| id_order(&newest, c).is_gt());
            all.extend(batch);
            if !moved {
                break;
            }
            let first_run = page.cursor.is_none();
            page.cursor = Some(newest);
            if first_run {
                // No cursor yet: start from the latest page rather than years of history.
                break;
            }
        }
        all.sort_by(|a, b| id_order(&a.id, &b.id));
        all.dedup_by(|a, b| a.id == b.id);
        page.mentions = all.iter().filter_map(|n| to_raw(&self.source, n)).collect();
        Ok(page)
    }

    async fn post(&self, out: &Outgoing) -> Result<String, NetError> {
        #[derive(Deserialize)]
        struct Posted {
            id: String,
        }
        let req = if out.like {
            self.post_to(&format!(
                "/api/v1/statuses/{}/favourite",
                enc(&out.to.remote_id)
            ))
        } else {
            let visibility = reply_visibility(out.reply.private, out.to.visibility.as_deref());
            let mut form = vec![
                ("status", out.text()),
                ("in_reply_to_id", out.to.remote_id.clone()),
                ("visibility", visibility.to_string()),
            ];
            if let Some(l) = &out.to.lang {
                form.push(("language", l.clone()));
            }
            self.post_to("/api/v1/statuses")
                .header("Idempotency-Key", &out.key)
                .form(&form)
        };
        let (p, _): (Posted, _) = self.http.json(req).await?;
        Ok(p.id)
    }

    async fn find_posted(&self, out: &Outgoing) -> Result<Option<String>, NetError> {
        if out.like {
            let (s, _): (serde_json::Value, _) = self
                .http
                .json(self.get(&format!("/api/v1/statuses/{}", enc(&out.to.remote_id))))
                .await?;
            let done = s.get("favourited").and_then(|f| f.as_bool()) == Some(true);
            return Ok(done.then(|| out.to.remote_id.clone()));
        }
        // Our own posts, newest first, back to shortly before the reply was queued: the one
        // answering the same status with the same text (mentions aside: Mastodon shows a
        // remote `@user@host` as `@user`), not one of our other replies.
        let me = self.my_id().await?;
        let want = comparable(&out.text());
        let since = out.reply.created - CLOCK_SLACK_MS;
        let mut max_id: Option<String> = None;
        for _ in 0..LOOKUP_PAGES {
            let mut req = self
                .get(&format!("/api/v1/accounts/{}/statuses", enc(&me)))
                .query(&[("limit", "40"), ("exclude_reblogs", "true")]);
            if let Some(m) = &max_id {
                req = req.query(&[("max_id", m.as_str())]);
            }
            let (mine, _): (Vec<Status>, _) = self.http.json(req).await?;
            let posted_at = |s: &Status| crate::sources::net::parse_time(&s.created_at);
            if let Some(s) = mine.iter().find(|s| {
                s.in_reply_to_id.as_deref() == Some(out.to.remote_id.as_str())
                    && !out.claimed.contains(&s.id)
                    && posted_at(s).is_none_or(|t| t >= since)
                    && comparable(&super::html::to_text(&s.content)) == want
            }) {
                return Ok(Some(s.id.clone()));
            }
            match mine.iter().min_by(|a, b| id_order(&a.id, &b.id)) {
                Some(oldest) if posted_at(oldest).is_some_and(|t| t >= since) => {
                    max_id = Some(oldest.id.clone())
                }
                _ => break,
            }
        }
        Ok(None)
    }

    fn replay_window(&self) -> Option<Duration> {
        Some(KEY_WINDOW)
    }

    async fn whoami(&self) -> Result<String, NetError> {
        let (a, _): (Account, _) = self
            .http
            .json(self.get("/api/v1/accounts/verify_credentials"))
            .await?;
        Ok(format!("@{}", a.acct))
    }
}

#[cfg(test)]
mod tests {
    use super::{comparable, reply_visibility};

    #[test]
    fn statuses_compare_without_mentions_and_spacing() {
        // What we sent, and the same status as Mastodon shows it (remote mentions shortened).
        assert_eq!(
            comparable("@kim@shop.example, sorry!\n\nWe  refund it."),
            comparable("@kim, sorry! We refund it.")
        );
        assert_ne!(comparable("@kim sorry"), comparable("@kim sorry again"));
    }

    #[test]
    fn replies_are_never_more_public_than_the_mention() {
        assert_eq!(reply_visibility(true, Some("public")), "direct");
        assert_eq!(reply_visibility(false, Some("direct")), "direct");
        assert_eq!(reply_visibility(false, Some("private")), "private");
        assert_eq!(reply_visibility(false, Some("unlisted")), "unlisted");
        assert_eq!(reply_visibility(false, Some("public")), "public");
        assert_eq!(reply_visibility(false, None), "public");
    }
}
