//! The driver: opens the store, starts the sources, the writer and the outbox, runs the
//! terminal loop, and executes the app's effects. All I/O lives here and below.

use std::sync::mpsc as std_mpsc;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::app::queue::{Filter, View};
use crate::app::{update, App, Effect, Event};
use crate::config::{Config, Paths};
use crate::model::now_millis;
use crate::sources::{demo, SourceMsg};
use crate::store::kind::{self, Kind};
use crate::store::writer::{self, StoreOp};
use crate::store::{SledStore, Store, StoreError};

pub struct Options {
    pub paths: Paths,
    pub config: Config,
    pub theme: Option<String>,
    pub keymap: Option<String>,
    pub rate: f64,
    /// Notices from start-up (a broken config file) to show in the console.
    pub notices: Vec<String>,
    /// The hidden `--test-panic`: where SIGUSR1 makes modq panic, for tests of the shipped
    /// binary that prove the terminal is put back and nothing is lost.
    pub test_panic: Option<TestPanic>,
}

/// Where `--test-panic` panics: on the console's own thread or in a background task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestPanic {
    Ui,
    Task,
}

/// The exit code when the terminal hangs up (SIGHUP, or the tty fails): 128 + SIGHUP, as a
/// shell reports a process that hang-up ended.
pub const HANGUP_EXIT: i32 = 129;

/// Builds the app from what the store holds, with the chosen keymap and theme.
pub fn build_app(store: &dyn Store, opts: &Options) -> Result<App, StoreError> {
    let (keymap, mut notices) = crate::settings::keymap(opts.keymap.as_deref(), &opts.paths);
    let (theme, theme_notices) = crate::settings::theme(
        opts.theme.as_deref(),
        opts.config.theme.as_deref(),
        crate::settings::no_color_env(),
        &opts.paths,
    );
    notices.extend(theme_notices);
    let sla = i64::from(opts.config.sla_minutes.max(1)) * 60_000;
    let mut app = App::new(now_millis(), sla, keymap, theme);
    app.snooze_default = i64::from(opts.config.snooze_minutes.max(1)) * 60_000;
    app.actor = opts.config.agent_name();
    app.weights = opts.config.triage.clone();
    app.osc52 = opts.config.osc52;
    app.tags_known = crate::app::workflow::parse_tags(&opts.config.tags.known.join(" "));
    app.author_rules = opts.config.advocates.clone();
    app.escalate.departments = opts.config.departments.clone();
    for w in crate::escalate::webhook::load(store) {
        app.escalate.upsert(w);
    }
    let (policy, sla_errors) = opts.config.sla.resolve();
    app.sla_policy = policy;
    let mut all = opts.notices.clone();
    all.extend(sla_errors.iter().map(|e| format!("config: {e}")));
    all.extend(notices);
    app.kit = crate::compose::kit::Kit::for_paths(&opts.paths, &opts.config);
    // The brand is never the topic of a spike.
    if let Some(brand) = &opts.config.brand {
        app.spikes.add_name(brand);
    }
    all.extend(
        app.kit
            .template_errors
            .iter()
            .map(|e| format!("template not loaded: {e}")),
    );
    all.extend(
        app.kit
            .brand_error
            .iter()
            .map(|e| format!("brand words not loaded: {e}")),
    );
    for n in &all {
        tracing::warn!("{n}");
    }
    app.notices = all;
    app.load(
        store.load_mentions()?,
        store.load_drafts()?,
        store.load_replies()?,
    );
    let mut audit = store.load_audit()?;
    audit.sort_by_key(|e| e.at);
    app.pauses = crate::sla::Pauses::from_audit(&audit);
    // Counted again with the pauses; what was late before modq started does not ring.
    app.recount();
    restore_place(&mut app, store)?;
    show_handover_if_due(&mut app, store, &audit)?;
    if let Some(bytes) = store.model_get()? {
        match crate::triage::model::Model::from_bytes(&bytes) {
            Ok(m) => app.model = m,
            // Triage falls back to the lexicon; the stored model stays for `modq model`.
            Err(e) => app
                .notices
                .push(format!("learned triage model not loaded: {e}")),
        }
    }
    Ok(app)
}

/// The hand-over, once a shift, when the next moderator starts (see `handover_due`).
fn show_handover_if_due(
    app: &mut App,
    store: &dyn Store,
    audit: &[crate::model::AuditEntry],
) -> Result<(), StoreError> {
    use crate::stats::cmd;
    app.handover_read = store.meta_get(cmd::DISMISSED)?;
    if !cmd::handover_due(app.handover_read.as_deref(), &app.actor, app.now, audit) {
        return Ok(());
    }
    let mut fx = Vec::new();
    let action = crate::actions::Action::new(crate::app::ActionKind::HandoverShow);
    crate::app::figures::handover_show(app, &action, 1, &mut fx);
    for e in fx {
        if let crate::app::Effect::Figures(req) = e {
            let crate::app::Event::Figures { seq, content } =
                crate::app::figures::answer(&req, store, jiff::tz::TimeZone::system())
            else {
                continue;
            };
            crate::app::figures::arrived(app, seq, content);
        }
    }
    Ok(())
}

use crate::app::place::{
    COMPOSE as UI_COMPOSE, FILTER as UI_FILTER, SELECTED as UI_SELECTED, VIEW as UI_VIEW,
};

/// Where the moderator was (`app::place`), saved at exit too.
pub fn save_place(app: &App) -> Vec<StoreOp> {
    crate::app::place::entries(app)
        .into_iter()
        .map(|(k, v)| StoreOp::Meta(k.into(), v))
        .collect()
}

fn restore_place(app: &mut App, store: &dyn Store) -> Result<(), StoreError> {
    if let Some(v) = store
        .meta_get(UI_VIEW)?
        .as_deref()
        .and_then(View::from_name)
    {
        app.view = v;
    }
    if let Some(f) = store.meta_get(UI_FILTER)? {
        if let Ok(f) = Filter::parse(&f) {
            app.filter = f;
        }
    }
    app.rebuild_visible();
    if let Some(id) = store.meta_get(UI_SELECTED)? {
        if app.mentions.get(&id).is_some_and(|m| app.admits(m)) {
            app.selected = Some(id);
            app.touched = true;
            app.ensure_visible();
        }
    }
    crate::app::place::restored(app, store.meta_get(UI_COMPOSE)?.filter(|c| !c.is_empty()));
    Ok(())
}

/// Sanitise + triage what the sources send, in batches, and hand it to the writer.
async fn ingest(
    mut rx: mpsc::Receiver<SourceMsg>,
    store: std_mpsc::Sender<StoreOp>,
    events: mpsc::UnboundedSender<Event>,
) {
    while let Some(first) = rx.recv().await {
        let mut msgs = vec![first];
        while msgs.len() < 512 {
            match rx.try_recv() {
                Ok(m) => msgs.push(m),
                Err(_) => break,
            }
        }
        let now = now_millis();
        let mut batch = Vec::new();
        for msg in msgs {
            match msg {
                SourceMsg::Mention(raw) => batch.push(crate::ingest::prepare(&raw, now)),
                SourceMsg::Status { source, state } => {
                    let _ = events.send(Event::Source {
                        name: source,
                        state,
                    });
                }
                SourceMsg::Limits { source, limits } => {
                    let _ = events.send(Event::Limits { source, limits });
                }
                SourceMsg::Cursor { key, value } => {
                    // The cursor only moves after the mentions before it are written.
                    if !batch.is_empty() {
                        let _ = store.send(StoreOp::Ingest(std::mem::take(&mut batch)));
                    }
                    let _ = store.send(StoreOp::Meta(key, value));
                }
            }
        }
        if !batch.is_empty() && store.send(StoreOp::Ingest(batch)).is_err() {
            return;
        }
    }
}

/// What the engine runs besides the store: the demo, accounts, a JSON-lines input.
#[derive(Debug, Default)]
pub struct Plan {
    pub rate: f64,
    pub demo: bool,
    pub accounts: Vec<crate::accounts::Client>,
    pub jsonl: Option<crate::sources::jsonl::Input>,
    /// Where escalations are delivered (`[[departments]]`).
    pub departments: Vec<crate::escalate::department::Department>,
}

/// Everything that runs behind the console; dropped at exit.
pub struct Engine {
    pub store: Arc<dyn Store>,
    pub store_tx: std_mpsc::Sender<StoreOp>,
    pub events_rx: mpsc::UnboundedReceiver<Event>,
    /// For work the console runs on threads of its own (the figures).
    pub events_tx: mpsc::UnboundedSender<Event>,
    pub gate_tx: std_mpsc::Sender<Effect>,
    /// Network lookups for the console (the thread around a mention).
    pub net_tx: mpsc::UnboundedSender<Effect>,
    /// The webhook outbox (escalations to departments).
    pub webhook_tx: mpsc::UnboundedSender<crate::escalate::webhook::Webhook>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Engine {
    /// Starts the writer, the outbox worker and the demo source on the current runtime.
    pub fn start(store: Arc<dyn Store>, rate: f64) -> Result<Self, StoreError> {
        Self::start_with(
            store,
            Plan {
                rate,
                demo: true,
                ..Default::default()
            },
        )
    }

    /// Starts the writer, the outbox router, one source and one outbox worker per account,
    /// the JSON-lines reader and the demo source, as the plan says.
    pub fn start_with(store: Arc<dyn Store>, plan: Plan) -> Result<Self, StoreError> {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let (store_tx, store_rx) = std_mpsc::channel();
        let (outbox_tx, outbox_rx) = mpsc::unbounded_channel();
        let unfinished = crate::outbox::unfinished(&store.load_replies()?);
        let writer = writer::spawn(
            store.clone(),
            store_rx,
            events_tx.clone(),
            outbox_tx.clone(),
        );
        let (src_tx, src_rx) = mpsc::channel(1024);
        let outboxes =
            crate::sources::launch::launch(&plan.accounts, plan.jsonl, &store, &store_tx, &src_tx);
        let net_tx =
            crate::sources::thread::spawn(&plan.accounts, store.clone(), events_tx.clone());
        tokio::spawn(crate::outbox::run(outbox_rx, store_tx.clone(), outboxes));
        for r in unfinished {
            let _ = outbox_tx.send(r);
        }
        tokio::spawn(ingest(src_rx, store_tx.clone(), events_tx.clone()));
        let (webhook_tx, webhook_rx) = mpsc::unbounded_channel();
        let webhooks = crate::escalate::worker::Worker::new(
            store.clone(),
            store_tx.clone(),
            Some(events_tx.clone()),
            plan.departments,
        );
        tokio::spawn(webhooks.run(webhook_rx));
        if plan.demo {
            let cursor = store.meta_get(demo::CURSOR)?;
            let cfg = demo::DemoConfig {
                rate: plan.rate,
                ..Default::default()
            };
            tokio::spawn(demo::run(cfg, cursor, src_tx));
        }
        Ok(Self {
            gate_tx: spawn_gate_worker(events_tx.clone()),
            events_tx,
            net_tx,
            webhook_tx,
            store,
            store_tx,
            events_rx,
            writer: Some(writer),
        })
    }

    /// Blocks until everything sent so far is on disk (bounded, so exit never hangs).
    pub fn flush(&self) {
        let (tx, rx) = std_mpsc::channel();
        if self.store_tx.send(StoreOp::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(3));
        }
        let _ = self.store.flush();
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.flush();
        let _ = self.writer.take();
    }
}

/// Effects the driver answers itself (loading files) become events; store work and
/// quitting give None.
pub fn answer(effect: &Effect, paths: &Paths) -> Option<Event> {
    match effect {
        // Chosen while working: a theme with a bad part is refused with every reason, and the
        // theme on screen stays.
        Effect::LoadTheme(name) => Some(Event::ThemeLoaded(
            match crate::settings::load_theme(name, paths) {
                Ok((t, skipped)) if skipped.is_empty() => Ok(t),
                Ok((_, skipped)) => Err(skipped
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")),
                Err(e) => Err(e.to_string()),
            },
        )),
        Effect::LoadKeymap(name) => {
            let (k, notices) = crate::settings::keymap(Some(name), paths);
            Some(Event::KeymapLoaded(if notices.is_empty() {
                Ok(k)
            } else {
                Err(notices.join("; "))
            }))
        }
        // Inline here (tests, scripts); the console hands these to its worker thread.
        Effect::Gate(job) => Some(Event::Gate(crate::compose::kit::run(job.clone()))),
        _ => None,
    }
}

/// Runs compose jobs (dictionaries, suggestions) one after another off the UI thread. A
/// dictionary waiting to load goes before suggestions asked for earlier: a reply cannot be sent
/// while its dictionary loads, and typing queues suggestions for every unfinished word.
pub fn spawn_gate_worker(events: mpsc::UnboundedSender<Event>) -> std_mpsc::Sender<Effect> {
    let (tx, rx) = std_mpsc::channel::<Effect>();
    let _ = std::thread::Builder::new()
        .name("gate".into())
        .spawn(move || {
            let mut queue = std::collections::VecDeque::new();
            loop {
                if queue.is_empty() {
                    match rx.recv() {
                        Ok(e) => queue.push_back(e),
                        Err(_) => break,
                    }
                }
                queue.extend(rx.try_iter());
                let next = queue
                    .iter()
                    .position(|e| {
                        matches!(
                            e,
                            Effect::Gate(crate::compose::kit::Job::LoadDictionary { .. })
                        )
                    })
                    .unwrap_or(0);
                let Some(Effect::Gate(job)) = queue.remove(next) else {
                    break;
                };
                if events
                    .send(Event::Gate(crate::compose::kit::run(job)))
                    .is_err()
                {
                    break;
                }
            }
        });
    tx
}

/// Is this effect work for the store writer?
pub fn is_store_work(effect: &Effect) -> bool {
    !matches!(
        effect,
        Effect::LoadTheme(_)
            | Effect::LoadKeymap(_)
            | Effect::Gate(_)
            | Effect::Bell
            | Effect::Quit
            | Effect::OpenLink(_)
            | Effect::CopyLink(_)
            | Effect::Escalate(_)
            | Effect::Thread { .. }
            | Effect::Figures(_)
    )
}

/// Executes effects: store work goes to the writer, the rest comes back as events.
pub fn run_effects(app: &mut App, effects: Vec<Effect>, engine: &Engine, paths: &Paths) {
    let (store_tx, gate_tx) = (&engine.store_tx, &engine.gate_tx);
    let mut pending = std::collections::VecDeque::from(effects);
    while let Some(e) = pending.pop_front() {
        if matches!(e, Effect::Bell) {
            ring_bell();
            continue;
        }
        let follow = if matches!(e, Effect::Thread { .. }) {
            engine
                .net_tx
                .send(e)
                .is_err()
                .then(|| Event::Problem("the network worker has stopped".into()))
        } else if let Effect::Escalate(w) = e {
            engine
                .webhook_tx
                .send(*w)
                .is_err()
                .then(|| Event::Problem("the webhook outbox has stopped".into()))
        } else if matches!(e, Effect::Gate(_)) {
            gate_tx
                .send(e)
                .is_err()
                .then(|| Event::Problem("the spelling worker has stopped".into()))
        } else if let Effect::Figures(req) = &e {
            figures(req, engine);
            None
        } else if let Effect::OpenLink(l) | Effect::CopyLink(l) = &e {
            link_out(&e, l)
        } else if is_store_work(&e) {
            store_tx
                .send(StoreOp::Apply(e))
                .is_err()
                .then(|| Event::Problem("the store has stopped; changes are not saved".into()))
        } else {
            answer(&e, paths)
        };
        if let Some(ev) = follow {
            pending.extend(update(app, now_millis(), ev));
        }
    }
}

/// Computes the stats pane's or hand-over's figures on a thread of their own: reading the
/// whole store must not hold up the console.
fn figures(req: &crate::app::figures::Request, engine: &Engine) {
    let (req, store, tx) = (req.clone(), engine.store.clone(), engine.events_tx.clone());
    let _ = std::thread::Builder::new()
        .name("figures".into())
        .spawn(move || {
            let tz = jiff::tz::TimeZone::system();
            let _ = tx.send(crate::app::figures::answer(&req, store.as_ref(), tz));
        });
}

/// Opens or copies a checked link; what went wrong comes back as a notice.
fn link_out(effect: &Effect, link: &crate::links::Link) -> Option<Event> {
    use std::io::Write;
    let problem = if matches!(effect, Effect::CopyLink(_)) {
        // Outside ratatui's buffer: the terminal acts on it and draws nothing.
        let mut out = std::io::stdout();
        out.write_all(crate::links::osc52(link).as_bytes())
            .and_then(|()| out.flush())
            .err()
            .map(|e| format!("could not copy the link: {e}"))
    } else {
        let browser = std::env::var("BROWSER").ok();
        let argv = crate::links::browser_argv(browser.as_deref(), link);
        // Nothing it prints may land on the console's screen.
        let spawned = std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                // Reaped off the UI thread, so no zombie is left behind.
                let name = argv[0].clone();
                let _ =
                    std::thread::Builder::new()
                        .name("browser".into())
                        .spawn(move || match child.wait() {
                            Ok(s) if !s.success() => tracing::warn!("{name} exited with {s}"),
                            _ => {}
                        });
                None
            }
            Err(e) => Some(format!(
                "could not open the browser ({}): {e}; set $BROWSER",
                argv[0]
            )),
        }
    };
    problem.map(|p| {
        tracing::warn!("{p}");
        Event::Problem(p)
    })
}

/// BEL to the terminal: the spike alert's one ring.
fn ring_bell() {
    crate::term::write_raw(b"\x07");
}

/// Where mentions come from besides the configured accounts.
#[derive(Debug, Default)]
pub struct Sources {
    /// `modq demo`: the demo stream even when accounts are configured.
    pub demo_only: bool,
    pub jsonl: Option<crate::sources::jsonl::Input>,
}

/// Runs the console until the user quits or a signal arrives. Returns the exit code.
pub fn run_console(opts: Options) -> anyhow::Result<i32> {
    run_console_with(opts, Sources::default())
}

/// The accounts to run; a broken account is a notice, never a reason not to start. The demo
/// runs only where no account is configured at all: broken accounts are real accounts
/// waiting to be fixed, and their store must not fill with made-up mentions.
pub fn plan(paths: &Paths, sources: Sources, rate: f64, notices: &mut Vec<String>) -> Plan {
    let mut accounts = Vec::new();
    let mut configured = false;
    if !sources.demo_only {
        let all = crate::accounts::Accounts::new(&paths.config_dir);
        match all.load() {
            Ok(list) => {
                configured = !list.is_empty();
                for a in list {
                    match all.connect(&a) {
                        Ok(c) => accounts.push(c),
                        Err(e) => notices.push(format!(
                            "account {} does not run until this is fixed: {e}",
                            a.name
                        )),
                    }
                }
            }
            Err(e) => {
                configured = true;
                notices.push(format!(
                    "no account runs (and no demo) until this is fixed: {e}"
                ));
            }
        }
    }
    Plan {
        rate,
        demo: !configured && sources.jsonl.is_none(),
        accounts,
        jsonl: sources.jsonl,
        departments: Vec::new(),
    }
}

/// Runs the console until the user quits or a signal arrives. Returns the exit code.
pub fn run_console_with(mut opts: Options, sources: Sources) -> anyhow::Result<i32> {
    let store_dir = opts.paths.store_dir();
    let store: Arc<dyn Store> = Arc::new(SledStore::open_with(&store_dir, &opts.config.store)?);
    let demo_only = sources.demo_only;
    let mut plan = plan(&opts.paths, sources, opts.rate, &mut opts.notices);
    plan.departments = opts.config.departments.clone();
    // Demo and real mentions never share a store.
    if plan.demo {
        if let Err(e) = kind::claim(store.as_ref(), Kind::Demo, &store_dir) {
            if demo_only {
                anyhow::bail!(e);
            }
            plan.demo = false;
            opts.notices.push(e);
        }
    }
    if !plan.accounts.is_empty() || plan.jsonl.is_some() {
        kind::claim(store.as_ref(), Kind::Real, &store_dir).map_err(anyhow::Error::msg)?;
    }
    // Before the demo or the accounts write to the store.
    if !rustix::termios::isatty(std::io::stdout()) {
        anyhow::bail!(
            "the console needs a terminal, and standard output is not one; \
             without a console: modq sync"
        );
    }
    let mut app = build_app(store.as_ref(), &opts)?;
    // The accounts' own names ("acme.social" → "acme") are never the topic of a spike.
    for account in &plan.accounts {
        app.spikes.add_name(account.name());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let mut engine = Engine::start_with(store.clone(), plan)?;
        let saver_store = store.clone();
        crate::term::install_panic_hook(
            Arc::new(move || {
                let _ = saver_store.flush();
            }),
            opts.paths.log_file().display().to_string(),
        );
        let (mut term, guard) = crate::term::init()?;
        if let Ok((w, h)) = crossterm::terminal::size() {
            // The first event also reopens an editor left open at the last exit: its
            // effects (loading the reply's dictionary) must run, or the gate waits forever.
            let fx = update(&mut app, now_millis(), Event::Resize(w, h));
            run_effects(&mut app, fx, &engine, &opts.paths);
        }
        let code = event_loop(&mut app, &mut engine, &mut term, &opts).await;
        for op in save_place(&app) {
            let _ = engine.store_tx.send(op);
        }
        // Drafts and queued replies first, then the terminal (left alone if it hung up).
        engine.flush();
        crate::term::close(term, guard);
        code
    })
}

async fn event_loop(
    app: &mut App,
    engine: &mut Engine,
    term: &mut crate::term::Term,
    opts: &Options,
) -> anyhow::Result<i32> {
    let paths = &opts.paths;
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigusr1 = signal(SignalKind::user_defined1())?;
    loop {
        if app.dirty {
            if let Err(e) = term.draw(|f| crate::ui::render(f, app)) {
                // A write that fails because the terminal hung up is an exit, not an error.
                if !crate::term::alive() {
                    tracing::info!("terminal hung up while drawing ({e}); saving and leaving");
                    return Ok(HANGUP_EXIT);
                }
                return Err(e.into());
            }
            app.dirty = false;
        }
        let event = tokio::select! {
            k = keys.next() => match k {
                Some(Ok(TermEvent::Key(k))) => Event::Key(k),
                Some(Ok(TermEvent::Paste(p))) => Event::Paste(p),
                Some(Ok(TermEvent::Resize(w, h))) => Event::Resize(w, h),
                Some(Ok(_)) => continue,
                // The terminal is gone (closed pty, dropped SSH): save and leave.
                Some(Err(e)) => {
                    tracing::info!("terminal input failed ({e}); saving and leaving");
                    return Ok(HANGUP_EXIT);
                }
                None => return Ok(HANGUP_EXIT),
            },
            Some(e) = engine.events_rx.recv() => e,
            _ = tick.tick() => Event::Tick,
            _ = sigterm.recv() => return Ok(143),
            _ = sighup.recv() => {
                tracing::info!("hang-up signal; saving and leaving");
                return Ok(HANGUP_EXIT);
            }
            _ = sigusr1.recv(), if opts.test_panic.is_some() => {
                if opts.test_panic == Some(TestPanic::Task) {
                    tokio::spawn(async { panic!("--test-panic task: SIGUSR1 received") });
                    continue;
                }
                panic!("--test-panic ui: SIGUSR1 received");
            }
            _ = sigint.recv() => return Ok(130),
        };
        let fx = update(app, now_millis(), event);
        run_effects(app, fx, engine, paths);
        // Take what else is waiting before drawing, so a burst costs one frame.
        for _ in 0..256 {
            match engine.events_rx.try_recv() {
                Ok(e) => {
                    let fx = update(app, now_millis(), e);
                    run_effects(app, fx, engine, paths);
                }
                Err(_) => break,
            }
        }
        if app.quit {
            return Ok(0);
        }
    }
}
