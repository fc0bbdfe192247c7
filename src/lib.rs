//! modq: a keyboard-driven terminal console for live social-media customer care.
//!
//! A pure core (`app`, `triage`, `sanitize`, `compose`, `keymap`, `theme`, `layout`) with
//! I/O at the edges (`sources`, `store`, `outbox`, `runtime`, `term`).

pub mod account_cmd;
pub mod accounts;
pub mod actions;
pub mod app;
pub mod cli;
pub mod compose;
pub mod config;
pub mod escalate;
pub mod export;
pub mod ingest;
pub mod keymap;
pub mod layout;
pub mod links;
pub mod logging;
pub mod model;
pub mod model_cmd;
pub mod outbox;
pub mod outbox_cmd;
pub mod private_file;
pub mod runtime;
pub mod sanitize;
pub mod score;
pub mod settings;
pub mod sgr;
pub mod sla;
pub mod sources;
pub mod stats;
pub mod store;
pub mod sync;
pub mod term;
pub mod theme;
pub mod triage;
pub mod ui;
