//! A store on disk with its real writer thread, for tests that crash and restart it.
#![allow(dead_code)]

use std::sync::mpsc as std_mpsc;
use std::sync::Arc;

use modq::model::Reply;
use modq::store::writer::{self, StoreOp};
use modq::store::{SledStore, Store};

/// A store on disk with its real writer thread, as the console runs it.
pub struct Disk {
    pub store: Arc<dyn Store>,
    pub writer: std_mpsc::Sender<StoreOp>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Disk {
    pub fn open(dir: &std::path::Path) -> Self {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(dir).unwrap());
        let (tx, rx) = std_mpsc::channel();
        let (ev, _) = tokio::sync::mpsc::unbounded_channel();
        let (ob, _) = tokio::sync::mpsc::unbounded_channel();
        let thread = writer::spawn(store.clone(), rx, ev, ob);
        Disk {
            store,
            writer: tx,
            thread: Some(thread),
        }
    }

    /// Stops the writer (it ends when the last sender is gone) so the store can reopen.
    pub fn close(mut self) {
        let thread = self.thread.take().unwrap();
        drop(self);
        thread.join().unwrap();
    }

    pub fn reply(&self, id: &str) -> Reply {
        self.store
            .load_replies()
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
    }
}
