use std::path::Path;

use super::config::StoreConfig;
use super::record::Record;
use super::{Result, Store, StoreError};
use crate::model::{AuditEntry, Mention, MentionId, MentionState, Reply, ReplyState};

const MODEL_KEY: &[u8] = b"triage";

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
    /// Opens (or creates) the store with the default settings.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, &StoreConfig::default())
    }

    /// Opens (or creates) the store; an older one is brought to the current record format
    /// first (see `migrate`).
    pub fn open_with(dir: &Path, config: &StoreConfig) -> Result<Self> {
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
                .cache_capacity(config.cache_bytes())
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
        let rewritten = super::migrate::run(&db)?;
        if rewritten > 0 {
            tracing::info!("store: {rewritten} records rewritten in the compact format");
        }
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
            .cache_capacity(StoreConfig::default().cache_bytes())
            .open()?;
        super::migrate::run(&db)?;
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

/// The mention stored under `id`, if it reads.
fn mention_at(tree: &sled::Tree, id: &[u8]) -> Result<Option<Mention>> {
    Ok(tree.get(id)?.and_then(|v| Mention::decode(&v).ok()))
}

fn values<T: Record>(tree: &sled::Tree) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(tree.len());
    for item in tree.iter() {
        let (_, v) = item?;
        match T::decode(&v) {
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
        let bytes = m.encode();
        let swapped =
            self.mentions
                .compare_and_swap(m.id.as_bytes(), None as Option<&[u8]>, Some(bytes))?;
        Ok(swapped.is_ok())
    }

    fn put_mention(&self, m: &Mention) -> Result<()> {
        self.mentions.insert(m.id.as_bytes(), m.encode())?;
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
        let bytes = r.encode();
        let answers = answers(r);
        let changed = (&self.replies, &self.mentions)
            .transaction(|(replies, mentions)| {
                replies.insert(r.id.as_bytes(), bytes.as_slice())?;
                if !answers {
                    return Ok(None);
                }
                let Some(m) = mentions
                    .get(r.mention_id.as_bytes())?
                    .and_then(|v| Mention::decode(&v).ok())
                    .and_then(replied)
                else {
                    return Ok(None);
                };
                mentions.insert(m.id.as_bytes(), m.encode())?;
                Ok::<_, ConflictableTransactionError<()>>(Some(m))
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
            let waiting = mention_at(&self.mentions, r.mention_id.as_bytes())?
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
        self.audit.insert(id.to_be_bytes(), e.encode())?;
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
