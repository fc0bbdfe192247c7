//! `modq outbox`: the replies not yet sent, and the moderator's choice for a reply of unknown
//! fate from a shell (`resend`, `mark-sent`, `discard`), audited as in the console.

use clap::Subcommand;

use crate::app::Effect;
use crate::config::{Config, Paths};
use crate::model::{now_millis, AuditEntry, ReplyState};
use crate::outbox::settle::Settle;
use crate::store::writer::{self, StoreOp};
use crate::store::{SledStore, Store};

#[derive(Debug, Subcommand)]
pub enum OutboxCmd {
    /// List the replies not sent yet: queued, sending, unknown (the default).
    List,
    /// Send a reply of unknown fate again, with the same key (by the next `modq sync` or console).
    Resend { id: String },
    /// Mark a reply of unknown fate sent (it is on the network); its mention is then replied.
    MarkSent { id: String },
    /// Discard a reply of unknown fate: it is not sent.
    Discard { id: String },
}

pub fn run(cmd: Option<OutboxCmd>, paths: &Paths) -> anyhow::Result<i32> {
    let store = SledStore::open(&paths.store_dir())?;
    let (how, id) = match cmd.unwrap_or(OutboxCmd::List) {
        OutboxCmd::List => return list(&store),
        OutboxCmd::Resend { id } => (Settle::Resend, id),
        OutboxCmd::MarkSent { id } => (Settle::MarkSent, id),
        OutboxCmd::Discard { id } => (Settle::Discard, id),
    };
    let Some(r) = store.load_replies()?.into_iter().find(|r| r.id == id) else {
        println!("outbox: no reply {id} (modq outbox lists them)");
        return Ok(1);
    };
    if r.state != ReplyState::Unknown {
        println!(
            "outbox: reply {id} is {}: only a reply of unknown fate is settled by hand",
            state_name(&r.state)
        );
        return Ok(1);
    }
    let (config, _) = Config::load(&paths.config_file());
    let actor = config.agent_name();
    let now = now_millis();
    let done = how.apply(r, &actor, now);
    let audit = AuditEntry {
        at: now,
        actor,
        action: how.name().into(),
        mention: Some(done.mention_id.clone()),
        detail: done.id.clone(),
    };
    let out = writer::apply(
        &store,
        vec![
            StoreOp::Apply(Effect::Audit(audit)),
            StoreOp::Apply(Effect::SettleReply(Box::new(done))),
        ],
    );
    if let Some(crate::app::Event::Problem(p)) = out.events.first() {
        anyhow::bail!("{p}");
    }
    println!(
        "outbox: {id} {}",
        match how {
            Settle::Resend => "queued again with the same key: modq sync or the console sends it",
            Settle::MarkSent => "marked sent; its mention is replied",
            Settle::Discard => "discarded: it will not be sent",
        }
    );
    Ok(0)
}

fn state_name(s: &ReplyState) -> &'static str {
    match s {
        ReplyState::Queued => "queued",
        ReplyState::Sending => "sending",
        ReplyState::Sent => "sent",
        ReplyState::Failed(_) => "failed",
        ReplyState::Unknown => "unknown",
    }
}

/// One line a reply: id, state, the start of its text; why, for an unknown one.
fn list(store: &dyn Store) -> anyhow::Result<i32> {
    let open = crate::outbox::unfinished(&store.load_replies()?);
    if open.is_empty() {
        println!("outbox: every reply is sent, failed or discarded");
    }
    for r in open {
        let text: String = crate::sanitize::sanitize_line(&r.text)
            .chars()
            .take(60)
            .collect();
        print!("{}  {}  {text}", r.id, state_name(&r.state));
        match &r.delivery.note {
            Some(why) if r.state == ReplyState::Unknown => println!("  ({why})"),
            _ => println!(),
        }
    }
    Ok(0)
}
