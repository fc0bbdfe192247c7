//! `modq account add|list|remove|test`: thin commands over `accounts`.

use clap::{Subcommand, ValueEnum};

use crate::accounts::{default_name, server_url, Account, Accounts, DEFAULT_BLUESKY_SERVICE};
use crate::config::Paths;
use crate::model::Network;
use crate::sources::net::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkArg {
    Mastodon,
    Bluesky,
}

#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Add an account. The token (Mastodon) or app password (Bluesky) is read from the
    /// terminal without echo, or from the environment variable named by --token-env.
    Add {
        network: NetworkArg,
        /// Mastodon: the instance, e.g. https://mastodon.social
        #[arg(long, value_name = "URL")]
        instance: Option<String>,
        /// Bluesky: the handle to sign in with, e.g. brand.bsky.social
        #[arg(long)]
        handle: Option<String>,
        /// Bluesky: the PDS, when it is not bsky.social
        #[arg(long, value_name = "URL")]
        service: Option<String>,
        /// The name modq shows for it (default: the instance host or the handle).
        #[arg(long)]
        name: Option<String>,
        /// Read the token from this environment variable instead of the terminal.
        #[arg(long, value_name = "NAME")]
        token_env: Option<String>,
        /// Allow plain http:// to a host other than this machine (the token travels in clear).
        #[arg(long)]
        insecure: bool,
    },
    /// List the accounts (never their tokens).
    List,
    /// Remove an account and its token.
    Remove { name: String },
    /// Sign in to each account (or the one named) and say what works.
    Test { name: Option<String> },
}

pub fn run(cmd: AccountCmd, paths: &Paths) -> anyhow::Result<i32> {
    let accounts = Accounts::new(&paths.config_dir);
    match cmd {
        AccountCmd::Add {
            network,
            instance,
            handle,
            service,
            name,
            token_env,
            insecure,
        } => {
            let account = describe(network, instance, handle, service, name, insecure)?;
            let secret = read_secret(network, token_env.as_deref())?;
            accounts
                .add(account.clone(), &secret)
                .map_err(anyhow::Error::msg)?;
            println!(
                "added {} ({}); try it with: modq account test {}",
                account.name,
                account.network.name(),
                account.name
            );
            Ok(0)
        }
        AccountCmd::List => {
            let all = accounts.load().map_err(anyhow::Error::msg)?;
            if all.is_empty() {
                println!("no accounts; add one with: modq account add mastodon --instance URL");
            }
            for a in all {
                let who = if a.handle.is_empty() {
                    String::new()
                } else {
                    format!(" @{}", a.handle)
                };
                println!("{}\t{}\t{}{who}", a.name, a.network.name(), a.server);
            }
            Ok(0)
        }
        AccountCmd::Remove { name } => {
            accounts.remove(&name).map_err(anyhow::Error::msg)?;
            println!("removed {name}");
            Ok(0)
        }
        AccountCmd::Test { name } => {
            let all = accounts.load().map_err(anyhow::Error::msg)?;
            let chosen: Vec<_> = all
                .into_iter()
                .filter(|a| name.as_deref().is_none_or(|n| n == a.name))
                .collect();
            if chosen.is_empty() {
                anyhow::bail!("no such account; see: modq account list");
            }
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let mut failed = 0;
            for a in chosen {
                let line = match accounts.connect(&a) {
                    Err(e) => Err(e),
                    Ok(c) => rt.block_on(c.whoami()).map_err(|e| e.to_string()),
                };
                match line {
                    Ok(who) => println!("{}: ok, signed in as {who}", a.name),
                    Err(e) => {
                        failed += 1;
                        println!("{}: {e}", a.name);
                    }
                }
            }
            Ok(i32::from(failed > 0))
        }
    }
}

fn describe(
    network: NetworkArg,
    instance: Option<String>,
    handle: Option<String>,
    service: Option<String>,
    name: Option<String>,
    insecure: bool,
) -> anyhow::Result<Account> {
    let (network, server, handle) = match network {
        NetworkArg::Mastodon => {
            let Some(i) = instance else {
                anyhow::bail!("Mastodon needs --instance https://your.instance");
            };
            (
                Network::Mastodon,
                server_url(&i, insecure).map_err(anyhow::Error::msg)?,
                String::new(),
            )
        }
        NetworkArg::Bluesky => {
            let Some(h) = handle else {
                anyhow::bail!("Bluesky needs --handle you.bsky.social");
            };
            let s = service.unwrap_or_else(|| DEFAULT_BLUESKY_SERVICE.into());
            (
                Network::Bluesky,
                server_url(&s, insecure).map_err(anyhow::Error::msg)?,
                h.trim_start_matches('@').to_string(),
            )
        }
    };
    let name = name.unwrap_or_else(|| default_name(network, &server, &handle));
    // Written down only when it was needed, so the file says which accounts are exposed.
    let insecure = insecure && server.starts_with("http://");
    Ok(Account {
        name,
        network,
        server,
        handle,
        insecure,
    })
}

fn read_secret(network: NetworkArg, env: Option<&str>) -> anyhow::Result<Secret> {
    let what = match network {
        NetworkArg::Mastodon => "access token",
        NetworkArg::Bluesky => "app password",
    };
    let s = match env {
        Some(var) => std::env::var(var)
            .map_err(|_| anyhow::anyhow!("the environment variable {var} is not set"))?,
        None => rpassword::prompt_password(format!("{what} (not shown): "))?,
    };
    if s.trim().is_empty() {
        anyhow::bail!("an empty {what} will not work");
    }
    Ok(Secret(s.trim().to_string()))
}
