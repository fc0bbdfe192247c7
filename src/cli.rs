//! The command line: parse, set up paths and logging, hand over to the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Paths;
use crate::keymap::Mode;

#[derive(Debug, Parser)]
#[command(
    name = "modq",
    version,
    about = "A keyboard-driven console for live social-media customer care"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where mentions, drafts, the outbox and the log live (default: XDG data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where config.toml, keymap.toml and themes/ are read from (default: XDG config directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// The console's options, also accepted after `demo`.
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// Options of the console only: not global, so `modq SUBCOMMAND --help` lists only what
/// that subcommand reads.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConsoleArgs {
    /// Theme: dark, light, night, high-contrast, mono, or a path to a .toml file.
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// Keymap: default, vim, emacs, or a path to a .toml file.
    #[arg(long, value_name = "NAME|PATH")]
    pub keymap: Option<String>,
    /// Demo mentions per second (0: only the backlog).
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// Response-time target in minutes.
    #[arg(long, value_name = "MINUTES")]
    pub sla: Option<u32>,
    /// Also read mentions as JSON lines from a file (followed as it grows) or stdin (`-`).
    #[arg(long, value_name = "jsonl:PATH|jsonl:-")]
    pub source: Option<String>,
    /// For tests of the shipped binary: SIGUSR1 makes the console panic (ui: on its own
    /// thread; task: in a background task). Hidden: no one needs it at work.
    #[arg(long, hide = true, value_name = "ui|task")]
    pub test_panic: Option<crate::runtime::TestPanic>,
}

impl ConsoleArgs {
    /// Each option as given after `demo`, else as given before it.
    fn or(self, outer: ConsoleArgs) -> ConsoleArgs {
        ConsoleArgs {
            theme: self.theme.or(outer.theme),
            keymap: self.keymap.or(outer.keymap),
            rate: self.rate.or(outer.rate),
            sla: self.sla.or(outer.sla),
            source: self.source.or(outer.source),
            test_panic: self.test_panic.or(outer.test_panic),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console on the embedded demo stream (the default).
    Demo {
        #[command(flatten)]
        console: ConsoleArgs,
    },
    /// Print the keys of a keymap as a Markdown table.
    Keys {
        /// Keymap: default, vim, emacs, or a path to a .toml file.
        #[arg(long, value_name = "NAME|PATH")]
        keymap: Option<String>,
    },
    /// Manage the Mastodon and Bluesky accounts modq answers on.
    Account {
        #[command(subcommand)]
        cmd: crate::account_cmd::AccountCmd,
    },
    /// Run the accounts and the outbox without the console; --once: backfill, drain, exit.
    Sync {
        /// Backfill each account, drain the outbox, then exit.
        #[arg(long)]
        once: bool,
    },
    /// The replies not sent yet; settle one of unknown fate: resend, mark-sent, discard.
    Outbox {
        #[command(subcommand)]
        cmd: Option<crate::outbox_cmd::OutboxCmd>,
    },
    /// Score texts from stdin (one per line) as JSON lines: lang, score, label, priority, cues, reasons.
    Score {
        /// Read JSON objects with a `text` field (and optional `lang`, `followers`).
        #[arg(long)]
        jsonl: bool,
        /// Force the language (ISO 639-1), instead of detecting it.
        #[arg(long, value_name = "xx")]
        lang: Option<String>,
        /// The lexicon alone, without the model learnt in the data directory.
        #[arg(long)]
        no_model: bool,
        /// Response-time target in minutes (priority is measured against it).
        #[arg(long, value_name = "MINUTES")]
        sla: Option<u32>,
    },
    /// Train the learned triage model on labelled history (TSV `label<TAB>text`, or JSON
    /// lines with `text`, `label`, optional `lang`); prints held-out AUC, stores the model.
    Train {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// The learned triage model: show, reset, export FILE, import FILE.
    Model {
        #[command(subcommand)]
        cmd: crate::model_cmd::ModelCmd,
    },
    /// Check a reply read on stdin; exit 1 when something blocks it, 0 when clean.
    Check {
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, default_value = "mastodon", value_name = "mastodon|bluesky")]
        network: String,
        #[arg(long)]
        json: bool,
    },
    /// Check words read one a line: `{"word","ok","suggestions"}` a line with --json.
    Spell {
        #[arg(long)]
        lang: String,
        /// Input is one word a line (the only input form for now).
        #[arg(long)]
        words: bool,
        #[arg(long)]
        json: bool,
        /// Hunspell's own suggestion order instead of modq's, for comparison.
        #[arg(long)]
        raw: bool,
    },
    /// The store: check it, recover a damaged one, export replies and drafts.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// The shift in figures: response rate, first-response times, SLA, breakdowns.
    Stats {
        #[command(flatten)]
        window: WindowArgs,
        /// JSON instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// What the next shift must know: open by band, late, escalations waiting, spikes,
    /// notes, repeat complainers (default: since the hand-over was last read).
    Handover {
        #[command(flatten)]
        window: WindowArgs,
        #[arg(long)]
        json: bool,
    },
    /// Mentions, replies or the audit log as CSV (with a header) or JSON lines on stdout.
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: crate::export::Format,
        #[arg(long, value_enum, default_value = "mentions")]
        what: crate::export::What,
        #[command(flatten)]
        window: WindowArgs,
    },
    /// Reply templates: list, show ID, check.
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
}

/// The time the figures or the export cover.
#[derive(Debug, Clone, clap::Args)]
pub struct WindowArgs {
    /// The last 24h, 90m, 7d… (`modq stats`: 24h unless --from is given).
    #[arg(long, value_name = "DURATION")]
    pub since: Option<String>,
    /// From this time: 2026-12-07 22:00 (local), or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Up to this time (default: now).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
}

impl WindowArgs {
    fn given(&self) -> bool {
        self.since.is_some() || self.from.is_some() || self.to.is_some()
    }

    fn window(&self, tz: &jiff::tz::TimeZone) -> anyhow::Result<crate::stats::Window> {
        crate::stats::window::parse(
            self.since.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            crate::model::now_millis(),
            tz,
        )
        .map_err(anyhow::Error::msg)
    }
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Read every record of a copy of the store; report counts and what cannot be read
    /// (exit 0 sound, 1 damaged, 2 cannot be opened).
    Check,
    /// Copy every readable record into a new store; the old one is kept aside, renamed
    /// store.damaged-<time>. Quit modq first.
    Recover,
    /// Replies (every state) and drafts as JSON lines on stdout.
    Export {
        /// Mentions and the audit log too.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    List,
    Show {
        id: String,
    },
    /// Validate every template file; the bodies must pass the spelling gate.
    Check,
}

/// Runs modq; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            crate::term::report(&format!("modq: {e:#}"));
            2
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let paths = Paths::resolve(cli.data_dir.clone(), cli.config_dir.clone());
    if let Some(Command::Keys { keymap }) = &cli.command {
        let (map, notices) = crate::settings::keymap(keymap.as_deref(), &paths);
        for n in notices {
            eprintln!("modq: {n}");
        }
        print!("{}", key_table(&map));
        return Ok(0);
    }
    if let Some(code) = gate_command(&cli, &paths) {
        return Ok(code);
    }
    if let Some(Command::Score {
        jsonl,
        lang,
        no_model,
        sla,
    }) = &cli.command
    {
        let (config, notices) = crate::settings::config(&paths);
        for n in notices {
            eprintln!("modq: {n}");
        }
        // The model learnt in the data directory, when there is one.
        let model = if *no_model || !paths.store_dir().is_dir() {
            None
        } else {
            let store = crate::store::SledStore::open(&paths.store_dir())?;
            match crate::store::Store::model_get(&store)? {
                Some(b) => Some(crate::triage::model::Model::from_bytes(&b)?),
                None => None,
            }
        };
        let o = crate::score::Options {
            model,
            jsonl: *jsonl,
            lang: lang.clone(),
            sla: i64::from(sla.unwrap_or(config.sla_minutes).max(1)) * 60_000,
            weights: config.triage,
        };
        crate::score::run(std::io::stdin().lock(), std::io::stdout().lock(), &o)?;
        return Ok(0);
    }
    let cli = match cli.command {
        Some(Command::Demo { console }) => Cli {
            console: console.or(cli.console.clone()),
            command: Some(Command::Demo {
                console: ConsoleArgs::default(),
            }),
            ..cli
        },
        _ => cli,
    };
    let console = cli.console.clone();
    let jsonl = console
        .source
        .as_deref()
        .map(crate::sources::jsonl::Input::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let demo_only = matches!(cli.command, Some(Command::Demo { .. }));
    match cli.command {
        Some(Command::Account { cmd }) => return crate::account_cmd::run(cmd, &paths),
        Some(Command::Outbox { cmd }) => return crate::outbox_cmd::run(cmd, &paths),
        Some(Command::Store { command }) => return store_command(&command, &paths),
        Some(Command::Stats { window, json }) => {
            let (config, _) = crate::settings::config(&paths);
            let tz = jiff::tz::TimeZone::system();
            let settings = crate::stats::Settings::from_config(&config, tz.clone());
            let w = window.window(&tz)?;
            return crate::stats::cmd::stats(&paths.store_dir(), &settings, w, json);
        }
        Some(Command::Handover { window, json }) => {
            let (config, _) = crate::settings::config(&paths);
            let tz = jiff::tz::TimeZone::system();
            let settings = crate::stats::Settings::from_config(&config, tz.clone());
            let w = window.given().then(|| window.window(&tz)).transpose()?;
            let names: Vec<String> = config.brand.iter().cloned().collect();
            return crate::stats::cmd::handover(&paths.store_dir(), &settings, &names, w, json);
        }
        Some(Command::Export {
            format,
            what,
            window,
        }) => {
            let tz = jiff::tz::TimeZone::system();
            let w = window.given().then(|| window.window(&tz)).transpose()?;
            return crate::export::run(&paths.store_dir(), what, format, w);
        }
        Some(Command::Train { from }) => return crate::model_cmd::train(&paths.store_dir(), &from),
        Some(Command::Model { cmd }) => return crate::model_cmd::run(cmd, &paths.store_dir()),
        Some(Command::Sync { once }) => {
            let _log = crate::logging::init(&paths.log_dir)?;
            return crate::sync::run(&paths, once);
        }
        _ => {}
    }
    if let Some(r) = console.rate {
        if !r.is_finite() || r < 0.0 {
            anyhow::bail!("--rate must be 0 or more mentions per second");
        }
    }
    let _log = crate::logging::init(&paths.log_dir)?;
    let (mut config, notices) = crate::settings::config(&paths);
    if let Some(s) = console.sla {
        config.sla_minutes = s.max(1);
    }
    let rate = console.rate.unwrap_or(config.demo_rate);
    tracing::info!(data = %paths.data_dir.display(), "modq starting");
    let sources = crate::runtime::Sources { demo_only, jsonl };
    crate::runtime::run_console_with(
        crate::runtime::Options {
            keymap: console.keymap.or_else(|| config.keymap.clone()),
            theme: console.theme,
            paths,
            config,
            rate,
            notices,
            test_panic: console.test_panic,
        },
        sources,
    )
}

/// `modq store check|recover|export`.
fn store_command(command: &StoreCommand, paths: &Paths) -> anyhow::Result<i32> {
    use crate::store::recover;
    let dir = paths.store_dir();
    match command {
        StoreCommand::Check => Ok(recover::check(&dir, &mut std::io::stdout().lock())?),
        StoreCommand::Export { all } => {
            let n = recover::export(&dir, *all, &mut std::io::stdout().lock())
                .map_err(anyhow::Error::msg)?;
            eprintln!("modq: exported {n} records from {}", dir.display());
            Ok(0)
        }
        StoreCommand::Recover => {
            let _log = crate::logging::init(&paths.log_dir)?;
            let r =
                recover::recover(&dir, crate::model::now_millis()).map_err(anyhow::Error::msg)?;
            tracing::info!(aside = %r.aside.display(), copied = r.copied, "store recovered");
            println!(
                "recovered {} records into {} ({} replies not yet sent, {} drafts)",
                r.copied,
                dir.display(),
                r.report.replies_waiting,
                r.report.drafts
            );
            if !r.report.bad.is_empty() {
                println!(
                    "{} records could not be read; they are in {}",
                    r.report.bad.len(),
                    r.aside.join("unreadable.jsonl").display()
                );
            }
            for t in &r.report.broken_trees {
                println!("{t}");
            }
            println!("the damaged store is kept at {}", r.aside.display());
            Ok(0)
        }
    }
}

/// `check`, `spell`, `templates`: no console, no store.
fn gate_command(cli: &Cli, paths: &Paths) -> Option<i32> {
    use crate::compose::commands as c;
    let config = || {
        let (config, notices) = crate::settings::config(paths);
        for n in notices {
            eprintln!("modq: {n}");
        }
        config
    };
    Some(match cli.command.as_ref()? {
        Command::Check {
            lang,
            network,
            json,
        } => c::check(paths, &config(), lang.as_deref(), network, *json),
        Command::Spell {
            lang, json, raw, ..
        } => c::spell(paths, &config(), lang, *json, *raw),
        Command::Templates { command } => match command {
            TemplatesCommand::List => c::templates_list(paths, &config()),
            TemplatesCommand::Show { id } => c::templates_show(paths, &config(), id),
            TemplatesCommand::Check => c::templates_check(paths, &config()),
        },
        _ => return None,
    })
}

/// The keymap as Markdown, for the README and for people who print things.
pub fn key_table(map: &crate::keymap::Keymap) -> String {
    let mut out = String::new();
    for mode in Mode::ALL {
        let binds = map.bindings(mode);
        if binds.is_empty() {
            continue;
        }
        // Sections apart by a blank line, none before the first.
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "**{}**\n\n| key | action | what it does |\n|---|---|---|\n",
            mode.name()
        ));
        for (k, a) in binds {
            let key = k.to_string().replace('|', "\\|");
            out.push_str(&format!("| `{key}` | `{a}` | {} |\n", a.kind.description()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_table_starts_with_its_first_section() {
        let t = super::key_table(&crate::keymap::Keymap::default_keymap());
        assert!(t.starts_with("**queue**\n"), "{t:.40}");
        assert!(t.contains("|\n\n**detail**\n"));
    }
}
