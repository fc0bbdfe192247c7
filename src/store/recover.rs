//! A damaged store: `modq store check` (what can be read), `modq store recover` (copy what
//! can be read into a new store, keep the old one aside) and `modq store export` (JSON lines
//! of replies and drafts).
//!
//! All three work on a copy of the store folder, so the damaged original is never changed
//! by looking at it: sled rewrites files when it opens them. A copy that sled will not open
//! is retried without its snapshot files (sled rebuilds them from the log; a corrupt one
//! otherwise blocks an intact log) and without `conf` (recreated with the defaults modq
//! uses), least invasive first.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::record::Record;
use crate::model::{AuditEntry, Mention, Reply, ReplyState};

/// What had to be set aside before sled would open the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    None,
    Snapshots,
    Conf,
    SnapshotsAndConf,
}

impl Repair {
    const ALL: [Repair; 4] = [
        Repair::None,
        Repair::Snapshots,
        Repair::Conf,
        Repair::SnapshotsAndConf,
    ];

    fn describe(self) -> &'static str {
        match self {
            Repair::None => "it opens as it is",
            Repair::Snapshots => {
                "it opens only without its snapshot files (snap.*), which are damaged; sled rebuilds them from the log"
            }
            Repair::Conf => "it opens only without its damaged conf file, which modq writes anew",
            Repair::SnapshotsAndConf => {
                "it opens only without its damaged snapshot files (snap.*) and conf file"
            }
        }
    }

    fn drops(self, name: &str) -> bool {
        let snap = name.starts_with("snap.");
        match self {
            Repair::None => false,
            Repair::Snapshots => snap,
            Repair::Conf => name == "conf",
            Repair::SnapshotsAndConf => snap || name == "conf",
        }
    }
}

/// One record that could not be read.
#[derive(Debug, Clone)]
pub struct Bad {
    pub tree: String,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub reason: String,
}

#[derive(Debug, Default, Clone)]
pub struct TreeCount {
    pub name: String,
    pub readable: usize,
}

/// What a walk over every tree found.
#[derive(Debug)]
pub struct Report {
    pub repair: Repair,
    pub trees: Vec<TreeCount>,
    pub bad: Vec<Bad>,
    /// Trees whose walk stopped at a read error: the records after it are out of reach.
    pub broken_trees: Vec<String>,
    pub replies_waiting: usize,
    pub drafts: usize,
}

impl Report {
    pub fn clean(&self) -> bool {
        self.repair == Repair::None && self.bad.is_empty() && self.broken_trees.is_empty()
    }
}

/// A readable copy of a store, opened by sled; the copy goes when this is dropped.
pub struct Opened {
    pub db: sled::Db,
    pub repair: Repair,
    _copy: WorkDir,
}

/// A working folder removed on drop.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new(parent: &Path, n: usize) -> std::io::Result<Self> {
        let path = parent.join(format!(".modq-store-copy-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Is a modq (or anything) holding the store's lock?
pub fn in_use(store_dir: &Path) -> bool {
    let Ok(f) = std::fs::File::open(store_dir.join("db")) else {
        return false;
    };
    match rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockShared) {
        Ok(()) => {
            let _ = rustix::fs::flock(&f, rustix::fs::FlockOperation::Unlock);
            false
        }
        Err(_) => true,
    }
}

fn copy_dir(from: &Path, to: &Path, skip: &dyn Fn(&str) -> bool) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if skip(&name) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target, &|_| false)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Opens a copy of the store, with the least repair that sled accepts.
pub fn open_copy(store_dir: &Path) -> Result<Opened, String> {
    if !store_dir.join("db").exists() {
        return Err(format!("there is no store in {}", store_dir.display()));
    }
    if in_use(store_dir) {
        return Err(format!(
            "{} is in use by a running modq; quit it first",
            store_dir.display()
        ));
    }
    // Next to the store: the same disk, and no copy of customers' data in /tmp.
    let parent = store_dir.parent().unwrap_or(Path::new("."));
    let mut last = String::new();
    for (n, repair) in Repair::ALL.into_iter().enumerate() {
        let copy = WorkDir::new(parent, n)
            .map_err(|e| format!("cannot make a working copy in {}: {e}", parent.display()))?;
        let path = copy.0.join("store");
        copy_dir(store_dir, &path, &|n| repair.drops(n))
            .map_err(|e| format!("cannot copy {}: {e}", store_dir.display()))?;
        match sled::Config::new()
            .path(&path)
            .cache_capacity(super::StoreConfig::default().cache_bytes())
            .open()
        {
            Ok(db) => {
                return Ok(Opened {
                    db,
                    repair,
                    _copy: copy,
                });
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!(
        "sled cannot open {} even without its snapshot and conf files ({last})",
        store_dir.display()
    ))
}

fn decode<T: Record>(v: &[u8]) -> Result<T, String> {
    T::decode(v).map_err(|e| e.0)
}

/// Whether a record of `tree` reads as what modq wrote there.
fn check_record(tree: &str, value: &[u8]) -> Result<(), String> {
    match tree {
        "mentions" => decode::<Mention>(value).map(|_| ()),
        "replies" => decode::<Reply>(value).map(|_| ()),
        "audit" => decode::<AuditEntry>(value).map(|_| ()),
        "drafts" | "meta" => std::str::from_utf8(value)
            .map(|_| ())
            .map_err(|e| format!("not UTF-8 text: {e}")),
        _ => Ok(()),
    }
}

fn tree_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// Walks every tree and every record; `each` sees the readable ones.
fn walk(
    db: &sled::Db,
    repair: Repair,
    mut each: impl FnMut(&str, &[u8], &[u8]) -> Result<(), String>,
) -> Result<Report, String> {
    let mut report = Report {
        repair,
        trees: Vec::new(),
        bad: Vec::new(),
        broken_trees: Vec::new(),
        replies_waiting: 0,
        drafts: 0,
    };
    let mut names = db.tree_names();
    names.sort();
    for raw in names {
        let name = tree_name(&raw);
        let tree = db.open_tree(&raw).map_err(|e| e.to_string())?;
        let mut count = TreeCount {
            name: name.clone(),
            readable: 0,
        };
        for item in tree.iter() {
            let (k, v) = match item {
                Ok(kv) => kv,
                Err(e) => {
                    report
                        .broken_trees
                        .push(format!("{name}: reading stopped: {e}"));
                    break;
                }
            };
            match check_record(&name, &v) {
                Ok(()) => {
                    count.readable += 1;
                    if name == "replies" {
                        if let Ok(r) = decode::<Reply>(&v) {
                            if r.state != ReplyState::Sent {
                                report.replies_waiting += 1;
                            }
                        }
                    }
                    if name == "drafts" {
                        report.drafts += 1;
                    }
                    each(&name, &k, &v)?;
                }
                Err(reason) => report.bad.push(Bad {
                    tree: name.clone(),
                    key: k.to_vec(),
                    value: v.to_vec(),
                    reason,
                }),
            }
        }
        if count.readable > 0 || name != "__sled__default" {
            report.trees.push(count);
        }
    }
    Ok(report)
}

fn printable_key(k: &[u8]) -> String {
    match std::str::from_utf8(k) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => s.to_string(),
        _ => k.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// `modq store check`: 0 when the store is sound, 1 when something could not be read, 2
/// when nothing could be opened.
pub fn check(store_dir: &Path, out: &mut dyn Write) -> std::io::Result<i32> {
    let opened = match open_copy(store_dir) {
        Ok(o) => o,
        Err(e) => {
            writeln!(out, "store {}: {e}", store_dir.display())?;
            return Ok(2);
        }
    };
    let report = match walk(&opened.db, opened.repair, |_, _, _| Ok(())) {
        Ok(r) => r,
        Err(e) => {
            writeln!(out, "store {}: {e}", store_dir.display())?;
            return Ok(2);
        }
    };
    writeln!(
        out,
        "store {}: {}",
        store_dir.display(),
        report.repair.describe()
    )?;
    for t in &report.trees {
        let bad = report.bad.iter().filter(|b| b.tree == t.name).count();
        writeln!(
            out,
            "  {:<10} {:>7} readable, {bad} unreadable",
            t.name, t.readable
        )?;
    }
    writeln!(
        out,
        "  replies not yet sent: {}, drafts: {}",
        report.replies_waiting, report.drafts
    )?;
    for b in &report.bad {
        writeln!(
            out,
            "  unreadable {} record {}: {}",
            b.tree,
            printable_key(&b.key),
            b.reason
        )?;
    }
    for t in &report.broken_trees {
        writeln!(out, "  {t}")?;
    }
    if report.clean() {
        writeln!(out, "no damage found")?;
        Ok(0)
    } else {
        writeln!(
            out,
            "to copy what can be read into a new store (this one is kept aside): modq store recover"
        )?;
        Ok(1)
    }
}

/// `modq store export`: every reply and draft as a JSON line (`--all`: mentions and the
/// audit log too), read from a copy of the store.
pub fn export(store_dir: &Path, all: bool, out: &mut dyn Write) -> Result<usize, String> {
    let opened = open_copy(store_dir)?;
    let mut lines = 0;
    let mut io_err = None;
    let report = walk(&opened.db, opened.repair, |tree, k, v| {
        let line = match tree {
            "replies" => tagged("reply", decode::<Reply>(v).ok()),
            "drafts" => Some(serde_json::json!({
                "type": "draft",
                "mention": String::from_utf8_lossy(k),
                "text": String::from_utf8_lossy(v),
            })),
            "mentions" if all => tagged("mention", decode::<Mention>(v).ok()),
            "audit" if all => tagged("audit", decode::<AuditEntry>(v).ok()),
            _ => None,
        };
        if let Some(line) = line {
            if let Err(e) = writeln!(out, "{line}") {
                io_err = Some(e.to_string());
                return Err("cannot write the export".into());
            }
            lines += 1;
        }
        Ok(())
    });
    if let Some(e) = io_err {
        return Err(e);
    }
    let report = report?;
    if !report.bad.is_empty() {
        tracing::warn!("export: {} unreadable records left out", report.bad.len());
    }
    Ok(lines)
}

/// A record as a JSON object (whatever its version on disk), with its `type`.
fn tagged<T: serde::Serialize>(kind: &str, record: Option<T>) -> Option<serde_json::Value> {
    let mut value = serde_json::to_value(record?).ok()?;
    value
        .as_object_mut()?
        .insert("type".into(), serde_json::Value::String(kind.into()));
    Some(value)
}

/// What `recover` did.
#[derive(Debug)]
pub struct Recovered {
    pub report: Report,
    /// Where the damaged store now is.
    pub aside: PathBuf,
    pub copied: usize,
}

/// `modq store recover`: copies every readable record into a new store in place of the old
/// one; the old one is renamed `store.damaged-<time>` (with `unreadable.jsonl`, the records
/// that could not be read, in hex).
pub fn recover(store_dir: &Path, now: crate::model::Millis) -> Result<Recovered, String> {
    let opened = open_copy(store_dir)?;
    let stamp = stamp(now);
    let fresh = store_dir.with_file_name(format!(".store.recovering-{stamp}"));
    let aside = store_dir.with_file_name(format!("store.damaged-{stamp}"));
    let _ = std::fs::remove_dir_all(&fresh);
    let new = sled::Config::new()
        .path(&fresh)
        .cache_capacity(super::StoreConfig::default().cache_bytes())
        .open()
        .map_err(|e| format!("cannot create the new store {}: {e}", fresh.display()))?;
    let mut copied = 0;
    let report = walk(&opened.db, opened.repair, |tree, k, v| {
        // The rank index is derived from the mentions, some of which may not have been
        // readable: the new store builds it again when it is first asked.
        if tree == "rank" || (tree == "meta" && k == super::sled_store::RANK_BASIS_KEY.as_bytes()) {
            return Ok(());
        }
        let t = new.open_tree(tree).map_err(|e| e.to_string())?;
        if tree == "audit" {
            // The log's keys come from the store's id counter: the new store's counter
            // starts again, so entries get new ids in the same order.
            let id = new.generate_id().map_err(|e| e.to_string())?;
            t.insert(id.to_be_bytes(), v).map_err(|e| e.to_string())?;
        } else {
            t.insert(k, v).map_err(|e| e.to_string())?;
        }
        copied += 1;
        Ok(())
    })?;
    new.flush()
        .map_err(|e| format!("cannot write the new store: {e}"))?;
    drop(new);
    drop(opened);
    std::fs::rename(store_dir, &aside).map_err(|e| {
        format!(
            "cannot move {} aside to {}: {e}",
            store_dir.display(),
            aside.display()
        )
    })?;
    std::fs::rename(&fresh, store_dir).map_err(|e| {
        format!(
            "the damaged store is at {}, but the new one could not take its place ({e}); it is at {}",
            aside.display(),
            fresh.display()
        )
    })?;
    if !report.bad.is_empty() {
        let mut text = String::new();
        for b in &report.bad {
            let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
            text.push_str(
                &serde_json::json!({
                    "tree": b.tree,
                    "key_hex": hex(&b.key),
                    "value_hex": hex(&b.value),
                    "reason": b.reason,
                })
                .to_string(),
            );
            text.push('\n');
        }
        std::fs::write(aside.join("unreadable.jsonl"), text).map_err(|e| {
            format!(
                "cannot write {}: {e}",
                aside.join("unreadable.jsonl").display()
            )
        })?;
    }
    Ok(Recovered {
        report,
        aside,
        copied,
    })
}

/// UTC `YYYYMMDD-HHMMSS`, for the name of the store set aside.
fn stamp(ms: crate::model::Millis) -> String {
    // 2026-11-22T20:00:00.000Z → 20261122-200000
    let t = crate::sources::net::format_time(ms);
    let digits: String = t[..19].chars().filter(char::is_ascii_digit).collect();
    format!("{}-{}", &digits[..8], &digits[8..])
}

/// The next step to print when sled refuses to open a store.
pub fn damaged_hint() -> &'static str {
    "it looks damaged, and nothing was changed. See what can be read: modq store check; \
     copy that into a new store, keeping this one aside: modq store recover; \
     replies and drafts as JSON lines: modq store export"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_dates() {
        assert_eq!(stamp(0), "19700101-000000");
        assert_eq!(stamp(1_795_464_000_000), "20261123-200000");
        assert_eq!(stamp(951_782_400_000 + 3_661_000), "20000229-010101");
    }
}
