//! The XRPC endpoints modq uses, behind the `Adapter` trait.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::Mutex;

use tokio::time::Instant;

use super::facets::{for_reply, graphemes, MAX_GRAPHEMES};
use super::profiles::BATCH;
use super::{to_raw, Notifications, StrongRef, REASONS};
use crate::sources::adapter::{Adapter, Outgoing, Page, ReplyRef};
use crate::sources::net::{format_time, parse_time, Http, NetError, Secret};
use crate::sources::RawMention;

const MAX_PAGES: usize = 20;

#[derive(Clone, Deserialize, Serialize)]
struct Session {
    #[serde(rename = "accessJwt")]
    access: String,
    #[serde(rename = "refreshJwt")]
    refresh: String,
    did: String,
    handle: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session({}, tokens hidden)", self.handle)
    }
}

#[derive(Debug)]
pub struct Bluesky {
    pub source: String,
    /// The PDS, e.g. `https://bsky.social`.
    pub service: String,
    identifier: String,
    password: Secret,
    pub http: Http,
    session: Mutex<Option<Session>>,
    /// Where the session (with its refresh token) is kept between runs, mode 0600.
    session_file: Option<std::path::PathBuf>,
    /// Authors' follower counts (reach), see `profiles`.
    profiles: std::sync::Mutex<super::profiles::Cache>,
}

fn expired(e: &NetError) -> bool {
    match e {
        NetError::Auth(m) | NetError::Rejected(m) => {
            m.contains("ExpiredToken") || m.contains("InvalidToken")
        }
        NetError::Retry { .. } => false,
    }
}

impl Bluesky {
    pub fn new(source: &str, service: &str, identifier: &str, password: Secret) -> Self {
        Self {
            source: source.to_string(),
            service: service.trim_end_matches('/').to_string(),
            identifier: identifier.trim_start_matches('@').to_string(),
            password,
            http: Http::new(Duration::from_secs(30)),
            session: Mutex::new(None),
            session_file: None,
            profiles: Default::default(),
        }
    }

    /// Keeps the session in `path` so a restart refreshes instead of logging in again
    /// (logins are rate-limited). A file others can read is ignored.
    pub fn with_session_file(mut self, path: std::path::PathBuf) -> Self {
        let saved = crate::private_file::check_private(&path, 0o600)
            .ok()
            .and_then(|_| std::fs::read_to_string(&path).ok())
            .and_then(|j| serde_json::from_str::<Session>(&j).ok());
        self.session = Mutex::new(saved);
        self.session_file = Some(path);
        self
    }

    fn keep(&self, s: &Session) {
        let Some(path) = &self.session_file else {
            return;
        };
        let json = serde_json::to_vec(s).unwrap_or_default();
        if let Err(e) = crate::private_file::write_private(path, &json) {
            tracing::warn!(source = %self.source, "cannot keep the session: {e}");
        }
    }

    fn url(&self, method: &str) -> String {
        format!("{}/xrpc/{method}", self.service)
    }

    async fn login(&self) -> Result<Session, NetError> {
        let req = self
            .http
            .client
            .post(self.url("com.atproto.server.createSession"))
            .json(&json!({"identifier": self.identifier, "password": self.password.0}));
        Ok(self.http.json::<Session>(req).await?.0)
    }

    async fn refresh(&self, s: &Session) -> Result<Session, NetError> {
        let req = self
            .http
            .client
            .post(self.url("com.atproto.server.refreshSession"))
            .header(
                reqwest::header::AUTHORIZATION,
                Secret(s.refresh.clone()).bearer(),
            );
        Ok(self.http.json::<Session>(req).await?.0)
    }

    /// The current session: logs in once, refreshes when the access token has expired, and
    /// logs in again only when the refresh token is refused too.
    async fn session(&self, stale: bool) -> Result<Session, NetError> {
        let mut guard = self.session.lock().await;
        let next = match (guard.as_ref(), stale) {
            (Some(s), false) => return Ok(s.clone()),
            (Some(s), true) => match self.refresh(s).await {
                Ok(n) => n,
                Err(e) if expired(&e) || matches!(e, NetError::Auth(_)) => self.login().await?,
                Err(e) => return Err(e),
            },
            (None, _) => self.login().await?,
        };
        self.keep(&next);
        *guard = Some(next.clone());
        Ok(next)
    }

    /// Runs an authenticated call, refreshing the session once if its token expired.
    async fn call<T, F>(&self, build: F) -> Result<T, NetError>
    where
        T: serde::de::DeserializeOwned,
        F: Fn(&Session) -> reqwest::RequestBuilder,
    {
        let s = self.session(false).await?;
        match self
            .http
            .json::<T>(build(&s).header(
                reqwest::header::AUTHORIZATION,
                Secret(s.access.clone()).bearer(),
            ))
            .await
        {
            Err(e) if expired(&e) => {
                let s = self.session(true).await?;
                let req = build(&s).header(
                    reqwest::header::AUTHORIZATION,
                    Secret(s.access.clone()).bearer(),
                );
                Ok(self.http.json::<T>(req).await?.0)
            }
            other => other.map(|(t, _)| t),
        }
    }

    /// `app.bsky.feed.getPostThread`: the thread view around a post, for the detail pane.
    pub async fn post_thread(&self, uri: &str) -> Result<serde_json::Value, NetError> {
        #[derive(Deserialize)]
        struct Got {
            thread: serde_json::Value,
        }
        let got: Got = self
            .call(|_| {
                self.http
                    .client
                    .get(self.url("app.bsky.feed.getPostThread"))
                    .query(&[("uri", uri), ("depth", "6"), ("parentHeight", "20")])
            })
            .await?;
        Ok(got.thread)
    }

    /// Fills in the authors' follower counts from the cache and `getProfiles`, 25 at a time.
    /// A failed lookup leaves the count at 0 (no reach credit) and is only logged: mentions
    /// never wait for it.
    async fn add_followers(&self, found: &mut [(RawMention, ReplyRef)]) {
        let did_of = |to: &ReplyRef| to.did.clone().unwrap_or_default();
        let missing = {
            let cache = self.profiles.lock().unwrap_or_else(|e| e.into_inner());
            let dids: Vec<String> = found.iter().map(|(_, to)| did_of(to)).collect();
            cache.missing(
                dids.iter().map(String::as_str).filter(|d| !d.is_empty()),
                Instant::now(),
            )
        };
        #[derive(Deserialize)]
        struct Profile {
            did: String,
            #[serde(default, rename = "followersCount")]
            followers: u64,
        }
        #[derive(Deserialize)]
        struct Profiles {
            profiles: Vec<Profile>,
        }
        for chunk in missing.chunks(BATCH) {
            let got: Result<Profiles, NetError> = self
                .call(|_| {
                    let q: Vec<(&str, &str)> =
                        chunk.iter().map(|d| ("actors", d.as_str())).collect();
                    self.http
                        .client
                        .get(self.url("app.bsky.actor.getProfiles"))
                        .query(&q)
                })
                .await;
            match got {
                Ok(p) => {
                    let mut cache = self.profiles.lock().unwrap_or_else(|e| e.into_inner());
                    for prof in p.profiles {
                        cache.put(&prof.did, prof.followers, Instant::now());
                    }
                }
                Err(e) => {
                    tracing::warn!(source = %self.source, "follower counts unavailable: {e}");
                    break;
                }
            }
        }
        let cache = self.profiles.lock().unwrap_or_else(|e| e.into_inner());
        for (raw, to) in found.iter_mut() {
            if let Some(n) = cache.get(&did_of(to), Instant::now()) {
                raw.followers = n;
            }
        }
    }

    fn collection(out: &Outgoing) -> &'static str {
        if out.like {
            "app.bsky.feed.like"
        } else {
            "app.bsky.feed.post"
        }
    }

    fn record(&self, out: &Outgoing) -> Result<serde_json::Value, NetError> {
        let missing =
            || NetError::Rejected("this mention has no Bluesky reference to answer".into());
        let parent = StrongRef {
            uri: out.to.remote_id.clone(),
            cid: out.to.cid.clone().ok_or_else(missing)?,
        };
        let created = format_time(out.reply.created);
        if out.like {
            return Ok(
                json!({"$type": "app.bsky.feed.like", "subject": parent, "createdAt": created}),
            );
        }
        let text = out.text();
        if graphemes(&text) > MAX_GRAPHEMES {
            return Err(NetError::Rejected(format!(
                "too long for Bluesky: {} of {MAX_GRAPHEMES} characters",
                graphemes(&text)
            )));
        }
        let root = StrongRef {
            uri: out
                .to
                .root_uri
                .clone()
                .unwrap_or_else(|| parent.uri.clone()),
            cid: out
                .to
                .root_cid
                .clone()
                .unwrap_or_else(|| parent.cid.clone()),
        };
        let facets = for_reply(&text, &out.to.handle, out.to.did.as_deref().unwrap_or(""));
        let mut rec = json!({
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": created,
            "reply": {"root": root, "parent": parent},
        });
        if !facets.is_empty() {
            rec["facets"] = serde_json::to_value(facets).unwrap_or_default();
        }
        if let Some(l) = &out.to.lang {
            rec["langs"] = json!([l]);
        }
        Ok(rec)
    }

    async fn create(&self, out: &Outgoing) -> Result<String, NetError> {
        #[derive(Deserialize)]
        struct Created {
            uri: String,
        }
        let record = self.record(out)?;
        let c: Created = self
            .call(|s| {
                self.http
                    .client
                    .post(self.url("com.atproto.repo.createRecord"))
                    .json(&json!({
                        "repo": s.did,
                        "collection": Self::collection(out),
                        "rkey": out.key,
                        "record": record,
                    }))
            })
            .await?;
        Ok(c.uri)
    }
}

/// Whether a stored record is the one `out` would write: a like of the same post, or a post
/// with the same text answering the same post.
fn same_record(value: &serde_json::Value, out: &Outgoing) -> bool {
    let uri = |v: &serde_json::Value| v.get("uri").and_then(|u| u.as_str()).map(str::to_string);
    if out.like {
        return value.get("subject").and_then(uri).as_ref() == Some(&out.to.remote_id);
    }
    let parent = value
        .get("reply")
        .and_then(|r| r.get("parent"))
        .and_then(uri);
    value.get("text").and_then(|t| t.as_str()) == Some(out.text().as_str())
        && parent.as_ref() == Some(&out.to.remote_id)
}

impl Adapter for Bluesky {
    async fn backfill(&self, cursor: Option<String>) -> Result<Page, NetError> {
        let since = cursor.as_deref().and_then(parse_time);
        let mut found = Vec::new();
        let mut newest: Option<String> = None;
        let mut page_cursor: Option<String> = None;
        'pages: for _ in 0..MAX_PAGES {
            let pc = page_cursor.clone();
            let list: Notifications = self
                .call(|_| {
                    let mut q: Vec<(&str, &str)> = vec![("limit", "50")];
                    q.extend(REASONS.iter().map(|r| ("reasons", *r)));
                    if let Some(c) = &pc {
                        q.push(("cursor", c.as_str()));
                    }
                    self.http
                        .client
                        .get(self.url("app.bsky.notification.listNotifications"))
                        .query(&q)
                })
                .await?;
            for n in &list.notifications {
                let at = parse_time(&n.indexed_at);
                if newest.as_deref().and_then(parse_time) < at {
                    newest = Some(n.indexed_at.clone());
                }
                // Page back only to what the last run saw; equal times are re-read, the store
                // drops duplicates.
                if let (Some(since), Some(at)) = (since, at) {
                    if at < since {
                        break 'pages;
                    }
                }
                if let Some(m) = to_raw(&self.source, n) {
                    found.push(m);
                }
            }
            // Without a cursor, the latest page is where we start.
            if since.is_none() || list.notifications.is_empty() {
                break;
            }
            match list.cursor {
                Some(c) => page_cursor = Some(c),
                None => break,
            }
        }
        found.reverse();
        self.add_followers(&mut found).await;
        Ok(Page {
            mentions: found,
            cursor: newest.or(cursor),
        })
    }

    async fn post(&self, out: &Outgoing) -> Result<String, NetError> {
        match self.create(out).await {
            Ok(uri) => Ok(uri),
            // A duplicate record key has been answered with a 500 or a 400: look before
            // calling it a failure.
            Err(
                e @ (NetError::Retry {
                    ambiguous: true, ..
                }
                | NetError::Rejected(_)),
            ) => match self.find_posted(out).await {
                Ok(Some(uri)) => Ok(uri),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    async fn find_posted(&self, out: &Outgoing) -> Result<Option<String>, NetError> {
        #[derive(Deserialize)]
        struct Got {
            uri: String,
            #[serde(default)]
            value: serde_json::Value,
        }
        let got: Result<Got, NetError> = self
            .call(|s| {
                self.http
                    .client
                    .get(self.url("com.atproto.repo.getRecord"))
                    .query(&[
                        ("repo", s.did.as_str()),
                        ("collection", Self::collection(out)),
                        ("rkey", out.key.as_str()),
                    ])
            })
            .await;
        match got {
            // The key is ours alone, but a record under it that is not this reply must not
            // settle it as sent: the moderator decides.
            Ok(g) if !same_record(&g.value, out) => Err(NetError::Rejected(format!(
                "{} holds another record than this reply; check it on Bluesky",
                g.uri
            ))),
            Ok(g) => Ok(Some(g.uri)),
            Err(NetError::Rejected(m)) if m.contains("RecordNotFound") || m.starts_with("404") => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    async fn whoami(&self) -> Result<String, NetError> {
        Ok(format!("@{}", self.session(false).await?.handle))
    }
}
