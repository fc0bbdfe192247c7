//! The single source of truth on disk. Callers flush before they tell the user "saved".

pub mod config;
pub mod kind;
pub mod migrate;
pub mod rank;
pub mod record;
pub mod recover;
pub(crate) mod sled_store;
pub mod writer;

pub use config::StoreConfig;
pub use rank::Ranking;
pub use sled_store::SledStore;

use std::collections::BTreeMap;

use crate::model::{AuditEntry, Mention, MentionId, MentionState, Reply};
use crate::triage::RankKey;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the data directory {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("store: {0}")]
    Db(#[from] sled::Error),
    #[error("store record is corrupt: {0}")]
    Corrupt(String),
    /// A store this modq cannot use as it is (written by a newer one).
    #[error("{0}")]
    Format(String),
}

impl From<record::RecordError> for StoreError {
    fn from(e: record::RecordError) -> Self {
        StoreError::Corrupt(e.0)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything modq keeps. Behind a trait so a shared engine can serve a team later.
pub trait Store: Send + Sync {
    fn load_mentions(&self) -> Result<Vec<Mention>>;
    /// Returns false (and writes nothing) when the id is already stored: ingest is idempotent.
    fn insert_mention_if_absent(&self, m: &Mention) -> Result<bool>;
    /// The same for a batch, in one write where the engine can: which were new.
    fn insert_mentions_if_absent(&self, ms: &[Mention]) -> Result<Vec<bool>> {
        ms.iter()
            .map(|m| self.insert_mention_if_absent(m))
            .collect()
    }
    fn put_mention(&self, m: &Mention) -> Result<()>;
    fn mention_count(&self) -> usize;

    /// Up to `limit` mentions in rank order under `ranking` (as `triage::priority::rank_key`
    /// orders them), starting after `after` (from the top when `None`), with their states;
    /// only those whose state tag (`record::state_tag`: `new`, `snoozed`…) is in `states`,
    /// or all when it is empty. Paging: pass the last key of a page as the next `after`.
    fn rank_range(
        &self,
        ranking: &Ranking,
        after: Option<&RankKey>,
        limit: usize,
        states: &[&str],
    ) -> Result<Vec<(RankKey, MentionState)>>;
    /// The mentions with these ids, in the same order; `None` for an id the store does not
    /// hold (or cannot read).
    fn mentions_by_ids(&self, ids: &[MentionId]) -> Result<Vec<Option<Mention>>>;
    /// How many mentions are in each state, by state tag.
    fn count_by_state(&self) -> Result<BTreeMap<String, usize>>;

    fn load_drafts(&self) -> Result<Vec<(MentionId, String)>>;
    fn put_draft(&self, mention: &str, text: &str) -> Result<()>;
    fn delete_draft(&self, mention: &str) -> Result<()>;

    fn load_replies(&self) -> Result<Vec<Reply>>;
    /// Stores a reply. A sent answer (not a like) also marks its mention replied, in the same
    /// write, whoever sent it: the queue never offers an answered mention again. Returns the
    /// mention when its state changed.
    fn put_reply(&self, r: &Reply) -> Result<Option<Mention>>;
    /// Marks replied every mention still waiting although an answer to it was sent (a store
    /// written before the two changed together). Run when the store opens; returns the ids.
    fn settle_replied(&self) -> Result<Vec<MentionId>>;

    fn append_audit(&self, e: &AuditEntry) -> Result<()>;
    fn load_audit(&self) -> Result<Vec<AuditEntry>>;

    fn meta_get(&self, key: &str) -> Result<Option<String>>;
    fn meta_put(&self, key: &str, value: &str) -> Result<()>;

    /// The learned triage model, as `triage::model::Model::to_bytes` stores it.
    fn model_get(&self) -> Result<Option<Vec<u8>>>;
    fn model_put(&self, bytes: &[u8]) -> Result<()>;

    /// Blocks until everything written so far is on disk.
    fn flush(&self) -> Result<()>;
}
