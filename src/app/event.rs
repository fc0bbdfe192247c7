//! What reaches the app (keys, arrivals, answers from background work) and what the app asks
//! the edges to do (store, outbox, network, terminal). Data only: `update` turns one into
//! the other.

use crossterm::event::KeyEvent;

use crate::actions::Action;
use crate::keymap::Keymap;
use crate::model::{AuditEntry, Mention, Reply, SourceState, Thread};
use crate::theme::Theme;

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The clock moved (SLA timers, snoozes).
    Tick,
    /// Stored (durably) and new.
    MentionArrived(Box<Mention>),
    Source {
        name: String,
        state: SourceState,
    },
    /// The outbox has it on disk.
    ReplyQueued(Box<Reply>),
    /// The network (or the demo sink) took it.
    ReplySent(Box<Reply>),
    ReplyFailed(Box<Reply>),
    /// The outbox moved a reply along (sending) or cannot tell whether it went out (unknown).
    ReplyUpdated(Box<Reply>),
    ThemeLoaded(Result<Theme, String>),
    KeymapLoaded(Result<Keymap, String>),
    /// A background job failed; say so, keep going.
    Problem(String),
    /// Run an action directly (command line, scripts, tests).
    Action(Action),
    /// A dictionary, suggestions or a saved brand word came back.
    Gate(crate::compose::kit::Done),
    /// An account's post length limits, from its server.
    Limits {
        source: String,
        limits: crate::compose::gate::length::Limits,
    },
    /// The webhook outbox stored an escalation's delivery or moved it along.
    Webhook(Box<crate::escalate::webhook::Webhook>),
    /// The figures asked for by `Effect::Figures` number `seq`.
    Figures {
        seq: u64,
        content: super::figures::Content,
    },
    /// The network's answer to `Effect::Thread` number `seq`.
    Thread {
        seq: u64,
        result: Result<Thread, String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    PersistMention(Box<Mention>),
    SaveDraft {
        mention: String,
        text: String,
    },
    DeleteDraft(String),
    /// Write to the outbox (flushed), then hand to the source's sender.
    QueueReply(Box<Reply>),
    /// The moderator settled a reply of unknown fate: stored as it is now (sent, discarded),
    /// or queued again with its key.
    SettleReply(Box<Reply>),
    Audit(AuditEntry),
    /// Store the learned triage model (after a correction).
    SaveModel(Vec<u8>),
    LoadTheme(String),
    LoadKeymap(String),
    /// Slow compose work (dictionaries, suggestions, brand words): off the UI thread.
    Gate(crate::compose::kit::Job),
    /// A key and value for the store's meta (where the moderator is, `app::place`).
    Meta(String, String),
    /// Ring the terminal bell once (the driver writes BEL).
    Bell,
    Quit,
    /// Open a checked link in the browser (the driver spawns it, never through a shell).
    OpenLink(crate::links::Link),
    /// Put a checked link on the clipboard with OSC 52 (the driver writes it).
    CopyLink(crate::links::Link),
    /// Hand an escalation to the webhook outbox (it stores it, then delivers it).
    Escalate(Box<crate::escalate::webhook::Webhook>),
    /// Compute the stats pane's or the hand-over's figures from the store (off the UI thread).
    Figures(Box<super::figures::Request>),
    /// Fetch the thread around a mention from the account it came to.
    Thread {
        seq: u64,
        mention: String,
        source: String,
    },
}
