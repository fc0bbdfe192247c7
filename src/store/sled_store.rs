use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use sled::transaction::{
    ConflictableTransactionError, TransactionError, TransactionalTree, UnabortableTransactionError,
};
use sled::Transactional;

use super::config::StoreConfig;
use super::rank::{self, Ranking};
use super::record::Record;
use super::{Result, Store, StoreError};
use crate::model::{AuditEntry, Mention, MentionId, MentionState, Reply, ReplyState};
use crate::triage::RankKey;

const MODEL_KEY: &[u8] = b"triage";
/// In `meta`: the ranking the `rank` tree was built for; absent while it is not valid.
pub const RANK_BASIS_KEY: &str = "rank.basis";

pub struct SledStore {
    db: sled::Db,
    mentions: sled::Tree,
    drafts: sled::Tree,
    replies: sled::Tree,
    audit: sled::Tree,
    meta: sled::Tree,
    /// The learned triage model: binary, so in a tree of its own rather than in `meta`.
    model: sled::Tree,
    /// The rank order (`rank::encode_key` → the mention's state), derived from `mentions`.
    rank: sled::Tree,
    /// The ranking `rank` holds, when it holds a valid one. Every write of a mention keeps
    /// the index in the same transaction while this is set; held while the index is read or
    /// rebuilt, so no write slips between.
    ranking: Mutex<Option<Ranking>>,
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
        let meta = db.open_tree("meta")?;
        let ranking = meta
            .get(RANK_BASIS_KEY)?
            .and_then(|v| Ranking::from_basis(&String::from_utf8_lossy(&v)));
        Ok(Self {
            rank: db.open_tree("rank")?,
            ranking: Mutex::new(ranking),
            mentions: db.open_tree("mentions")?,
            drafts: db.open_tree("drafts")?,
            replies: db.open_tree("replies")?,
            audit: db.open_tree("audit")?,
            meta,
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

impl SledStore {
    fn ranking(&self) -> MutexGuard<'_, Option<Ranking>> {
        // A panic elsewhere while holding it leaves nothing half-done that the lock guards:
        // each index change is one transaction.
        self.ranking.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Builds the rank index for `want` unless it is the one kept. The old mark goes first
    /// and durably, so an index cut short by a crash is never taken for a valid one.
    fn ensure_index(&self, held: &mut Option<Ranking>, want: &Ranking) -> Result<()> {
        if held.as_ref() == Some(want) {
            return Ok(());
        }
        *held = None;
        self.meta.remove(RANK_BASIS_KEY)?;
        self.db.flush()?;
        self.rank.clear()?;
        let mut batch = sled::Batch::default();
        let mut n = 0;
        for item in self.mentions.iter() {
            let (_, v) = item?;
            let Ok(m) = Mention::decode(&v) else {
                continue;
            };
            batch.insert(rank::encode_key(&want.key(&m)), rank::encode_state(m.state));
            n += 1;
            if n % 4096 == 0 {
                self.rank.apply_batch(std::mem::take(&mut batch))?;
            }
        }
        self.rank.apply_batch(batch)?;
        self.meta.insert(RANK_BASIS_KEY, want.basis().as_bytes())?;
        self.db.flush()?;
        *held = Some(want.clone());
        Ok(())
    }
}

/// Keeps the rank index in step with a mention written in the same transaction.
fn index(
    rank: &TransactionalTree,
    ranking: &Ranking,
    old: Option<&Mention>,
    new: &Mention,
) -> std::result::Result<(), UnabortableTransactionError> {
    let key = rank::encode_key(&ranking.key(new));
    if let Some(old) = old {
        let was = rank::encode_key(&ranking.key(old));
        if was != key {
            rank.remove(was)?;
        }
    }
    rank.insert(key, rank::encode_state(new.state))?;
    Ok(())
}

fn tx_error(e: TransactionError<()>) -> StoreError {
    match e {
        TransactionError::Storage(e) => StoreError::Db(e),
        TransactionError::Abort(()) => StoreError::Db(sled::Error::Unsupported(
            "a mention could not be written".into(),
        )),
    }
}

impl Store for SledStore {
    fn load_mentions(&self) -> Result<Vec<Mention>> {
        values(&self.mentions)
    }

    fn insert_mention_if_absent(&self, m: &Mention) -> Result<bool> {
        let bytes = m.encode();
        let held = self.ranking();
        let Some(ranking) = held.as_ref() else {
            let swapped = self.mentions.compare_and_swap(
                m.id.as_bytes(),
                None as Option<&[u8]>,
                Some(bytes),
            )?;
            return Ok(swapped.is_ok());
        };
        (&self.mentions, &self.rank)
            .transaction(|(mentions, rank)| {
                if mentions.get(m.id.as_bytes())?.is_some() {
                    return Ok(false);
                }
                mentions.insert(m.id.as_bytes(), bytes.as_slice())?;
                index(rank, ranking, None, m)?;
                Ok::<_, ConflictableTransactionError<()>>(true)
            })
            .map_err(tx_error)
    }

    fn insert_mentions_if_absent(&self, ms: &[Mention]) -> Result<Vec<bool>> {
        let held = self.ranking();
        let Some(ranking) = held.as_ref() else {
            drop(held);
            return ms
                .iter()
                .map(|m| self.insert_mention_if_absent(m))
                .collect();
        };
        // One transaction for the batch: per mention, sled's transaction costs far more
        // than the writes.
        let encoded: Vec<Vec<u8>> = ms.iter().map(Record::encode).collect();
        (&self.mentions, &self.rank)
            .transaction(|(mentions, rank)| {
                let mut out = Vec::with_capacity(ms.len());
                for (m, bytes) in ms.iter().zip(&encoded) {
                    let absent = mentions.get(m.id.as_bytes())?.is_none();
                    if absent {
                        mentions.insert(m.id.as_bytes(), bytes.as_slice())?;
                        index(rank, ranking, None, m)?;
                    }
                    out.push(absent);
                }
                Ok::<_, ConflictableTransactionError<()>>(out)
            })
            .map_err(tx_error)
    }

    fn put_mention(&self, m: &Mention) -> Result<()> {
        let bytes = m.encode();
        let held = self.ranking();
        let Some(ranking) = held.as_ref() else {
            self.mentions.insert(m.id.as_bytes(), bytes)?;
            return Ok(());
        };
        (&self.mentions, &self.rank)
            .transaction(|(mentions, rank)| {
                let old = mentions
                    .insert(m.id.as_bytes(), bytes.as_slice())?
                    .and_then(|v| Mention::decode(&v).ok());
                index(rank, ranking, old.as_ref(), m)?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)
    }

    fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    fn rank_range(
        &self,
        ranking: &Ranking,
        after: Option<&RankKey>,
        limit: usize,
        states: &[&str],
    ) -> Result<Vec<(RankKey, MentionState)>> {
        let mut held = self.ranking();
        self.ensure_index(&mut held, ranking)?;
        let range = match after {
            Some(k) => self.rank.range::<Vec<u8>, _>((
                std::ops::Bound::Excluded(rank::encode_key(k)),
                std::ops::Bound::Unbounded,
            )),
            None => self.rank.iter(),
        };
        let mut out = Vec::with_capacity(limit.min(4096));
        for item in range {
            if out.len() >= limit {
                break;
            }
            let (k, v) = item?;
            let (Some(key), Some(state)) = (rank::decode_key(&k), rank::decode_state(&v)) else {
                continue;
            };
            if rank::wanted(states, state) {
                out.push((key, state));
            }
        }
        Ok(out)
    }

    fn mentions_by_ids(&self, ids: &[MentionId]) -> Result<Vec<Option<Mention>>> {
        ids.iter()
            .map(|id| mention_at(&self.mentions, id.as_bytes()))
            .collect()
    }

    fn count_by_state(&self) -> Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        let mut add = |s: MentionState| {
            *counts.entry(super::record::state_tag(s)).or_insert(0) += 1;
        };
        let held = self.ranking();
        if held.is_some() {
            // The index holds every mention's state: no mention needs reading. The first
            // byte of a state says which one it is: count those, name each once.
            let mut by_kind: BTreeMap<u8, (MentionState, usize)> = BTreeMap::new();
            for item in self.rank.iter() {
                let (_, v) = item?;
                match (v.first(), by_kind.get_mut(v.first().unwrap_or(&0))) {
                    (Some(_), Some(seen)) => seen.1 += 1,
                    (Some(&kind), None) => {
                        if let Some(s) = rank::decode_state(&v) {
                            by_kind.insert(kind, (s, 1));
                        }
                    }
                    (None, _) => {}
                }
            }
            for (s, n) in by_kind.into_values() {
                *counts.entry(super::record::state_tag(s)).or_insert(0) += n;
            }
        } else {
            for item in self.mentions.iter() {
                if let Ok(m) = Mention::decode(&item?.1) {
                    add(m.state);
                }
            }
        }
        Ok(counts)
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
        let bytes = r.encode();
        let answers = answers(r);
        let held = self.ranking();
        let changed = (&self.replies, &self.mentions, &self.rank)
            .transaction(|(replies, mentions, rank)| {
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
                if let Some(ranking) = held.as_ref() {
                    // Only the state changed: the key stays, its value follows.
                    index(rank, ranking, None, &m)?;
                }
                Ok::<_, ConflictableTransactionError<()>>(Some(m))
            })
            .map_err(tx_error)?;
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
