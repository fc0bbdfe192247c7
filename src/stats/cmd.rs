//! `modq stats` and `modq handover`: read a copy of the store (never the one a console is
//! using), compute, print.

use std::path::Path;

use super::{Records, Settings, Window};
use crate::export::Snapshot;
use crate::model::{AuditEntry, Mention, Reply};

/// Everything the figures are computed from, read from the store.
pub struct Loaded {
    pub mentions: Vec<Mention>,
    pub replies: Vec<Reply>,
    pub audit: Vec<AuditEntry>,
}

impl Loaded {
    pub fn read(snap: &Snapshot) -> Result<Self, String> {
        Ok(Self {
            mentions: snap.load("mentions")?,
            replies: snap.load("replies")?,
            audit: snap.load("audit")?,
        })
    }

    pub fn from_store(store: &dyn crate::store::Store) -> Result<Self, String> {
        let e = |e: crate::store::StoreError| e.to_string();
        Ok(Self {
            mentions: store.load_mentions().map_err(e)?,
            replies: store.load_replies().map_err(e)?,
            audit: store.load_audit().map_err(e)?,
        })
    }

    pub fn records(&self) -> Records<'_> {
        Records {
            mentions: &self.mentions,
            replies: &self.replies,
            audit: &self.audit,
        }
    }
}

/// `modq stats`: the table, or JSON with `json`.
pub fn stats(
    store_dir: &Path,
    settings: &Settings,
    window: Window,
    json: bool,
) -> anyhow::Result<i32> {
    let snap = Snapshot::open(store_dir).map_err(anyhow::Error::msg)?;
    let loaded = Loaded::read(&snap).map_err(anyhow::Error::msg)?;
    let s = super::compute(loaded.records(), window, settings);
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print!("{}", super::text::render(&s, &settings.tz));
    }
    Ok(0)
}
