//! A deterministic driver for tests: the real app, the real store writer and the demo sink,
//! run synchronously on a fixed clock so nothing depends on timing.
#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::KeyEvent;
use modq::app::{update, App, Event};
use modq::config::Paths;
use modq::keymap::Key;
use modq::model::{Mention, Millis};
use modq::sources::{demo, RawMention};
use modq::store::writer::{self, StoreOp};
use modq::store::{SledStore, Store};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// 2026-11-22 20:00:00 UTC: every test sees the same clock.
pub const NOW: Millis = 1_795_464_000_000;
pub const SLA: Millis = 30 * 60_000;

pub struct Harness {
    pub app: App,
    pub store: Arc<SledStore>,
    pub now: Millis,
    pub paths: Paths,
    /// Effects for the world outside (links opened or copied), kept for the test to check.
    pub outside: Vec<modq::app::Effect>,
    _dir: tempfile::TempDir,
}

impl Harness {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
        Self::with_store(store, dir)
    }

    pub fn with_store(store: Arc<SledStore>, dir: tempfile::TempDir) -> Self {
        let paths = Paths::resolve(
            Some(dir.path().to_path_buf()),
            Some(dir.path().join("config")),
        );
        let opts = modq::runtime::Options {
            paths: paths.clone(),
            config: modq::config::Config {
                agent: Some("tester".into()),
                theme: Some("dark".into()),
                ..Default::default()
            },
            theme: None,
            keymap: None,
            rate: 0.0,
            notices: Vec::new(),
            test_panic: None,
        };
        let mut app = modq::runtime::build_app(store.as_ref(), &opts).unwrap();
        app.now = NOW;
        app.rebuild_visible();
        let mut h = Self {
            app,
            store,
            now: NOW,
            paths,
            outside: Vec::new(),
            _dir: dir,
        };
        h.event(Event::Resize(80, 24));
        h
    }

    /// Reopens the same data directory, as a restart would.
    pub fn restart(self) -> Self {
        let Harness {
            store, _dir, app, ..
        } = self;
        writer::apply(store.as_ref(), modq::runtime::save_place(&app));
        store.flush().unwrap();
        drop(store);
        // SledStore::open waits for sled to release the lock of the store just closed.
        let store = Arc::new(SledStore::open(&_dir.path().join("store")).unwrap());
        Self::with_store(store, _dir)
    }

    /// Reopens the data directory as after `kill -9`: nothing is saved at exit, only what
    /// the writer had already put in the store.
    pub fn crash(self) -> Self {
        let Harness { store, _dir, .. } = self;
        drop(store);
        let store = Arc::new(SledStore::open(&_dir.path().join("store")).unwrap());
        Self::with_store(store, _dir)
    }

    /// The first `n` demo mentions, each `i` minutes older than the last, through ingest.
    pub fn demo(&mut self, n: usize) {
        let lines = demo::lines();
        let raws: Vec<RawMention> = (0..n)
            .map(|i| {
                let created =
                    self.now - (lines[i % lines.len()].ago_min.unwrap_or(i as i64 % 50)) * 60_000;
                demo::raw_at(&lines, i as u64, created)
            })
            .collect();
        self.ingest(raws);
    }

    pub fn ingest(&mut self, raws: Vec<RawMention>) {
        let mentions: Vec<Mention> = raws
            .iter()
            .map(|r| modq::ingest::prepare(r, self.now))
            .collect();
        self.store_ops(vec![StoreOp::Ingest(mentions)]);
    }

    pub fn store_ops(&mut self, ops: Vec<StoreOp>) {
        let out = writer::apply(self.store.as_ref(), ops);
        // As the real writer does: events first, then the outbox gets the replies.
        for e in out.events {
            self.event(e);
        }
        for r in out.to_send {
            // The demo sink, synchronously.
            let sent = modq::outbox::demo_send(r, self.now);
            self.store_ops(vec![StoreOp::ReplyResult(Box::new(sent))]);
        }
    }

    pub fn event(&mut self, e: Event) {
        let fx = update(&mut self.app, self.now, e);
        for effect in fx {
            if modq::runtime::is_store_work(&effect) {
                self.store_ops(vec![StoreOp::Apply(effect)]);
            } else if let Some(ev) = modq::runtime::answer(&effect, &self.paths) {
                self.event(ev);
            } else {
                self.outside.push(effect);
            }
        }
    }

    /// Keys in keymap notation separated by spaces: "j j <Enter> r".
    pub fn keys(&mut self, script: &str) {
        for k in script.split_whitespace() {
            self.key(k);
        }
    }

    pub fn key(&mut self, notation: &str) {
        let k = Key::parse(notation).unwrap_or_else(|e| panic!("{e}"));
        self.event(Event::Key(KeyEvent::new(k.code, k.mods)));
    }

    /// Types text character by character, as a person would.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let k = if c == '\n' {
                Key::parse("<Enter>").unwrap()
            } else {
                Key::char(c)
            };
            self.event(Event::Key(KeyEvent::new(k.code, k.mods)));
        }
    }

    pub fn tick(&mut self, ms: Millis) {
        self.now += ms;
        self.event(Event::Tick);
    }

    pub fn render(&mut self, w: u16, h: u16) -> Terminal<TestBackend> {
        self.event(Event::Resize(w, h));
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| modq::ui::render(f, &self.app)).unwrap();
        t
    }

    pub fn screen(&mut self, w: u16, h: u16) -> String {
        let t = self.render(w, h);
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..h {
            let mut skip = 0;
            for x in 0..w {
                // A wide character's second cell is a filler the terminal never sees.
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                out.push_str(sym);
            }
            out.push('\n');
        }
        out
    }

    pub fn selected_text(&self) -> String {
        self.app
            .selected_mention()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }
}

/// A plain English Mastodon mention number `i`, posted at `created`.
pub fn raw(i: usize, text: &str, created: Millis) -> RawMention {
    RawMention {
        source: "demo".into(),
        network: modq::model::Network::Mastodon,
        remote_id: format!("s{i}"),
        author_name: format!("Author {i}"),
        author_handle: format!("@a{i}@x.example"),
        followers: 100,
        text: text.into(),
        lang: Some("en".into()),
        created,
        in_reply_to: None,
        url: None,
    }
}
