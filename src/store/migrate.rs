//! Rewrites older records in the current version when a store opens (JSON stores from before
//! the binary format, and later any older record version).
//!
//! Crash-safe without a journal: each record is rewritten on its own (batches of them in one
//! atomic sled batch per tree), and every version stays readable, so a store killed halfway
//! holds some old and some new records, opens, reads them all, and the next start goes on
//! where it stopped. Only when every tree has been walked and flushed does the store's format
//! mark say so; until then each start walks the trees again (skipping what is done).

use super::record::{self, Record};
use super::{Result, StoreError};
use crate::model::{AuditEntry, Mention, Reply};

/// The store's format: 1 = versioned binary records. Stores without the mark are older
/// (JSON). Raise it when a record gains a version (see `record`), so the rewrite runs again.
pub const FORMAT: u32 = 1;
/// In the `meta` tree.
pub const FORMAT_KEY: &str = "store.format";
/// Records rewritten in one atomic batch.
pub const BATCH: usize = 512;

/// A tree and how its records are rewritten.
struct Tree {
    name: &'static str,
    current: fn(&[u8]) -> bool,
    reencode: fn(&[u8]) -> std::result::Result<Vec<u8>, record::RecordError>,
}

fn reencode<T: Record>(bytes: &[u8]) -> std::result::Result<Vec<u8>, record::RecordError> {
    T::decode(bytes).map(|r| r.encode())
}

const TREES: [Tree; 3] = [
    Tree {
        name: "mentions",
        current: record::is_current::<Mention>,
        reencode: reencode::<Mention>,
    },
    Tree {
        name: "replies",
        current: record::is_current::<Reply>,
        reencode: reencode::<Reply>,
    },
    Tree {
        name: "audit",
        current: record::is_current::<AuditEntry>,
        reencode: reencode::<AuditEntry>,
    },
];

/// The format the store's mark names (0: no mark, a JSON store).
pub fn format(db: &sled::Db) -> Result<u32> {
    let meta = db.open_tree("meta")?;
    Ok(match meta.get(FORMAT_KEY)? {
        None => 0,
        Some(v) => std::str::from_utf8(&v)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| {
                StoreError::Format(format!(
                    "the store's format mark is unreadable ({:?})",
                    String::from_utf8_lossy(&v)
                ))
            })?,
    })
}

/// A migration under way: which tree, and the last key done.
pub struct Migration<'a> {
    db: &'a sled::Db,
    tree: usize,
    after: Option<sled::IVec>,
    /// Records rewritten so far.
    pub rewritten: usize,
    /// Records that no version reads: left as they are, for `modq store check` to report.
    pub unreadable: usize,
}

impl<'a> Migration<'a> {
    /// `None` when the store is already in the current format. A store written by a newer
    /// modq is refused: this one would misread or drop what it does not know.
    pub fn start(db: &'a sled::Db) -> Result<Option<Self>> {
        let have = format(db)?;
        if have > FORMAT {
            return Err(StoreError::Format(format!(
                "this store was written by a newer modq (store format {have}; this one knows up \
                 to {FORMAT}); run that version, or export it with it: modq store export --all"
            )));
        }
        Ok((have < FORMAT).then_some(Self {
            db,
            tree: 0,
            after: None,
            rewritten: 0,
            unreadable: 0,
        }))
    }

    /// Rewrites up to `BATCH` records in one atomic batch; false once every tree is walked.
    pub fn step(&mut self) -> Result<bool> {
        let Some(spec) = TREES.get(self.tree) else {
            return Ok(false);
        };
        let tree = self.db.open_tree(spec.name)?;
        let range = match &self.after {
            Some(k) => tree.range::<&[u8], _>((
                std::ops::Bound::Excluded(k.as_ref()),
                std::ops::Bound::Unbounded,
            )),
            None => tree.iter(),
        };
        let mut batch = sled::Batch::default();
        let mut seen = 0;
        let mut last = None;
        for item in range {
            let (k, v) = item?;
            seen += 1;
            if !(spec.current)(&v) {
                match (spec.reencode)(&v) {
                    Ok(new) => {
                        batch.insert(k.clone(), new);
                        self.rewritten += 1;
                    }
                    Err(e) => {
                        self.unreadable += 1;
                        tracing::warn!("store migration: {} record left as it is: {e}", spec.name);
                    }
                }
            }
            last = Some(k);
            if seen == BATCH {
                break;
            }
        }
        tree.apply_batch(batch)?;
        if seen < BATCH {
            self.tree += 1;
            self.after = None;
        } else {
            self.after = last;
        }
        Ok(self.tree < TREES.len())
    }

    /// Makes the rewrite durable, then marks the store as being in the current format.
    pub fn finish(self) -> Result<usize> {
        self.db.flush()?;
        self.db
            .open_tree("meta")?
            .insert(FORMAT_KEY, FORMAT.to_string().as_bytes())?;
        self.db.flush()?;
        Ok(self.rewritten)
    }
}

/// Brings the store to the current format; returns how many records were rewritten.
pub fn run(db: &sled::Db) -> Result<usize> {
    let Some(mut m) = Migration::start(db)? else {
        return Ok(0);
    };
    while m.step()? {}
    if m.unreadable > 0 {
        tracing::warn!(
            "store migration: {} unreadable records left as they were (modq store check lists them)",
            m.unreadable
        );
    }
    m.finish()
}
