use std::path::Path;

use super::{Result, Store, StoreError};
use crate::model::{AuditEntry, Mention, MentionId, MentionState, Reply, ReplyState};

const MODEL_KEY: &[u8] = b"triage";

/// sled defaults to a 1 GiB page cache; a night-shift laptop does not need that.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

pub struct SledStore {
    db: sled::Db,
    mentions: sled::Tree,
    drafts: sled::Tree,
    replies: sled::Tree,
    audit: sled::Tree,
    meta: sled::Tree,
    /// The learned triage model: binary, so in a tree of its own rather than in `meta`.
    model: sled::Tree,
}

impl SledStore {
    pub fn open(dir: &Path) -> Result<Self> {
        let open_err = |reason: String| StoreError::Open {
            path: dir.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        // sled releases its file lock from a background thread a moment after the last
        // handle is dropped: a reopen right after a close (a restart) waits for it briefly.
        let mut tries = 0;
        let db = loop {
            match sled::Config::new()
                .path(dir)
                .cache_capacity(CACHE_BYTES)
                .open()
            {
                Ok(db) => break db,
                Err(e) => {
                    let text = e.to_string();
                    if matches!(
                        e,
                        sled::Error::Corruption { .. }
                            | sled::Error::Unsupported(_)
                            | sled::Error::ReportableBug(_)
                    ) {
                        return Err(open_err(format!(
                            "{} ({text})",
                            super::recover::damaged_hint()
                        )));
                    }
                    if !(text.contains("WouldBlock") || text.contains("lock")) {
                        return Err(open_err(text));
                    }
                    tries += 1;
                    if tries >= 40 {
                        return Err(open_err("it is in use by another modq".into()));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            }
        };
        let store = Self::from_db(db)?;
        let settled = store.settle_replied()?;
        if !settled.is_empty() {
            tracing::info!(
                "{} answered mentions were still open: marked replied",
                settled.len()
            );
            store.flush()?;
        }
        Ok(store)
    }

    /// A store that lives in memory and on a temporary path; for tests and benchmarks.
    pub fn temporary() -> Result<Self> {
        let db = sled::Config::new()
            .temporary(true)
            .cache_capacity(CACHE_BYTES)
            .open()?;
        Self::from_db(db)
    }

    fn from_db(db: sled::Db) -> Result<Self> {
        Ok(Self {
            mentions: db.open_tree("mentions")?,
            drafts: db.open_tree("drafts")?,
            replies: db.open_tree("replies")?,
            audit: db.open_tree("audit")?,
            meta: db.open_tree("meta")?,
            model: db.open_tree("model")?,
            db,
        })
    }
}

/// A reply that answers its mention: sent, and not a like.
fn answers(r: &Reply) -> bool {
    r.state == ReplyState::Sent && !crate::outbox::is_like(r)
}

/// The mention as answered, if it was still waiting for an answer.
fn replied(mut m: Mention) -> Option<Mention> {
    m.state.awaits_reply().then(|| {
        m.state = MentionState::Replied;
        m
    })
}

fn values<T: serde::de::DeserializeOwned>(tree: &sled::Tree) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(tree.len());
    for item in tree.iter() {
        let (_, v) = item?;
        match serde_json::from_slice(&v) {
            Ok(t) => out.push(t),
            // One bad record must not hide the rest of the queue.
            Err(e) => tracing::error!("skipping unreadable record: {e}"),
        }
    }
    Ok(out)
}

impl Store for SledStore {
    fn load_mentions(&self) -> Result<Vec<Mention>> {
        values(&self.mentions)
    }

    fn insert_mention_if_absent(&self, m: &Mention) -> Result<bool> {
        let bytes = serde_json::to_vec(m)?;
        let swapped =
            self.mentions
                .compare_and_swap(m.id.as_bytes(), None as Option<&[u8]>, Some(bytes))?;
        Ok(swapped.is_ok())
    }

    fn put_mention(&self, m: &Mention) -> Result<()> {
        self.mentions
            .insert(m.id.as_bytes(), serde_json::to_vec(m)?)?;
        Ok(())
    }

    fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    fn load_drafts(&self) -> Result<Vec<(MentionId, String)>> {
        let mut out = Vec::new();
        for item in self.drafts.iter() {
            let (k, v) = item?;
            out.push((
                String::from_utf8_lossy(&k).into_owned(),
                String::from_utf8_lossy(&v).into_owned(),
            ));
        }
        Ok(out)
    }

    fn put_draft(&self, mention: &str, text: &str) -> Result<()> {
        self.drafts.insert(mention.as_bytes(), text.as_bytes())?;
        Ok(())
    }

    fn delete_draft(&self, mention: &str) -> Result<()> {
        self.drafts.remove(mention.as_bytes())?;
        Ok(())
    }

    fn load_replies(&self) -> Result<Vec<Reply>> {
        values(&self.replies)
    }

    fn put_reply(&self, r: &Reply) -> Result<Option<Mention>> {
        use sled::transaction::{ConflictableTransactionError, TransactionError};
        use sled::Transactional;
        let bytes = serde_json::to_vec(r)?;
        let answers = answers(r);
        let changed = (&self.replies, &self.mentions)
            .transaction(|(replies, mentions)| {
                replies.insert(r.id.as_bytes(), bytes.as_slice())?;
                if !answers {
                    return Ok(None);
                }
                let Some(m) = mentions
                    .get(r.mention_id.as_bytes())?
                    .and_then(|v| serde_json::from_slice::<Mention>(&v).ok())
                    .and_then(replied)
                else {
                    return Ok(None);
                };
                let v =
                    serde_json::to_vec(&m).map_err(|_| ConflictableTransactionError::Abort(()))?;
                mentions.insert(m.id.as_bytes(), v)?;
                Ok(Some(m))
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Db(e),
                TransactionError::Abort(()) => StoreError::Db(sled::Error::Unsupported(
                    "a mention could not be written".into(),
                )),
            })?;
        Ok(changed)
    }

    fn settle_replied(&self) -> Result<Vec<MentionId>> {
        let mut done = Vec::new();
        for r in values::<Reply>(&self.replies)?
            .iter()
            .filter(|r| answers(r))
        {
            // Most are settled: read before writing, so a start costs no writes.
            let waiting = self
                .mentions
                .get(r.mention_id.as_bytes())?
                .and_then(|v| serde_json::from_slice::<Mention>(&v).ok())
                .is_some_and(|m| m.state.awaits_reply());
            if waiting {
                if let Some(m) = self.put_reply(r)? {
                    done.push(m.id);
                }
            }
        }
        Ok(done)
    }

    fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        // Big-endian ids keep the log in the order it was written.
        let id = self.db.generate_id()?;
        self.audit
            .insert(id.to_be_bytes(), serde_json::to_vec(e)?)?;
        Ok(())
    }

    fn load_audit(&self) -> Result<Vec<AuditEntry>> {
        values(&self.audit)
    }

    fn meta_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .meta
            .get(key.as_bytes())?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    fn meta_put(&self, key: &str, value: &str) -> Result<()> {
        self.meta.insert(key.as_bytes(), value.as_bytes())?;
        Ok(())
    }

    fn model_get(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.model.get(MODEL_KEY)?.map(|v| v.to_vec()))
    }

    fn model_put(&self, bytes: &[u8]) -> Result<()> {
        self.model.insert(MODEL_KEY, bytes)?;
        Ok(())
    }

    fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }
}
