//! Accounts modq answers on. The list and the tokens live in `<config>/accounts/` (mode
//! 0700): `accounts.toml` and one `<name>.secret` per account (mode 0600). modq refuses to
//! use them when anyone else could read them. Tokens never go into argv, logs or the store.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::Network;
use crate::private_file::{check_private, write_private};
use crate::sources::bluesky::api::Bluesky;
use crate::sources::mastodon::api::Mastodon;
use crate::sources::net::Secret;

pub const DEFAULT_BLUESKY_SERVICE: &str = "https://bsky.social";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The source name: shown in the queue, used in mention ids.
    pub name: String,
    pub network: Network,
    /// Mastodon: `https://instance.example`; Bluesky: the PDS (default bsky.social).
    pub server: String,
    /// Bluesky: the handle to log in with. Mastodon: empty (the token says who).
    #[serde(default)]
    pub handle: String,
    /// Plain `http://` to a host that is not this machine was asked for (`--insecure`): the
    /// token travels readable by anyone on the way.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    #[serde(default)]
    account: Vec<Account>,
}

/// A connected account: the network client, ready to stream and post.
#[derive(Debug, Clone)]
pub enum Client {
    Mastodon(Arc<Mastodon>),
    Bluesky(Arc<Bluesky>),
}

pub struct Accounts {
    dir: PathBuf,
}

impl Accounts {
    pub fn new(config_dir: &Path) -> Self {
        Self {
            dir: config_dir.join("accounts"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn list_file(&self) -> PathBuf {
        self.dir.join("accounts.toml")
    }

    fn secret_file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.secret"))
    }

    /// The configured accounts; none when the directory does not exist yet.
    pub fn load(&self) -> Result<Vec<Account>, String> {
        if !self.dir.exists() {
            return Ok(Vec::new());
        }
        check_private(&self.dir, 0o700)?;
        let path = self.list_file();
        let src = match crate::config::read_text(&path) {
            Ok(Some(src)) => src,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => return Err(e.to_string()),
        };
        check_private(&path, 0o600)?;
        let file = path.display().to_string();
        toml::from_str::<ListFile>(&src)
            .map(|l| l.account)
            .map_err(|e| crate::config::DataError::toml(&file, &src, &e).to_string())
    }

    pub fn secret(&self, name: &str) -> Result<Secret, String> {
        check_private(&self.dir, 0o700)?;
        let path = self.secret_file(name);
        check_private(&path, 0o600)?;
        std::fs::read_to_string(&path)
            .map(|s| Secret(s.trim().to_string()))
            .map_err(|e| format!("cannot read the token of '{name}': {e}"))
    }

    pub fn add(&self, account: Account, secret: &Secret) -> Result<(), String> {
        valid_name(&account.name)?;
        let mut all = self.load()?;
        if all.iter().any(|a| a.name == account.name) {
            return Err(format!(
                "an account named '{}' exists; remove it first or pick --name",
                account.name
            ));
        }
        self.ensure_dir()?;
        write_private(&self.secret_file(&account.name), secret.0.as_bytes())?;
        all.push(account);
        self.save(all)
    }

    pub fn remove(&self, name: &str) -> Result<(), String> {
        let mut all = self.load()?;
        let before = all.len();
        all.retain(|a| a.name != name);
        if all.len() == before {
            return Err(format!("no account named '{name}'"));
        }
        self.save(all)?;
        for f in [
            self.secret_file(name),
            self.dir.join(format!("{name}.session")),
        ] {
            match std::fs::remove_file(f) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.to_string()),
                _ => {}
            }
        }
        Ok(())
    }

    fn save(&self, all: Vec<Account>) -> Result<(), String> {
        let text = toml::to_string(&ListFile { account: all }).map_err(|e| e.to_string())?;
        write_private(&self.list_file(), text.as_bytes())
    }

    fn ensure_dir(&self) -> Result<(), String> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        check_private(&self.dir, 0o700)
    }

    /// The network client for an account, with its token loaded.
    pub fn connect(&self, a: &Account) -> Result<Client, String> {
        // accounts.toml may have been edited by hand: the same rule as `account add`.
        server_url(&a.server, a.insecure).map_err(|e| format!("{}: {e}", a.name))?;
        let secret = self.secret(&a.name)?;
        Ok(match a.network {
            Network::Mastodon => {
                Client::Mastodon(Arc::new(Mastodon::new(&a.name, &a.server, secret)))
            }
            Network::Bluesky => Client::Bluesky(Arc::new(
                Bluesky::new(&a.name, &a.server, &a.handle, secret)
                    .with_session_file(self.dir.join(format!("{}.session", a.name))),
            )),
            Network::Jsonl => return Err("jsonl is a source, not an account".into()),
        })
    }
}

/// Names go into file names and mention ids: keep them plain.
pub fn valid_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if ok && name != crate::model::DEMO_SOURCE && name != crate::model::JSONL_SOURCE {
        Ok(())
    } else {
        Err(format!(
            "'{name}' cannot name an account: use letters, digits and . _ - @ (not demo or jsonl)"
        ))
    }
}

/// A server address as given on the command line or in accounts.toml, checked: `https://`
/// (added when no scheme is given), or `http://` to this machine (a test server); plain
/// `http://` elsewhere would send the token in clear, so only with `insecure`.
pub fn server_url(input: &str, insecure: bool) -> Result<String, String> {
    let given = input.trim();
    let full = if given.contains("://") {
        given.to_string()
    } else {
        format!("https://{given}")
    };
    let url =
        reqwest::Url::parse(&full).map_err(|e| format!("'{given}' is not an address: {e}"))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("'{given}' names no host"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "'{given}' carries a user name or password: give the token at the prompt or with --token-env"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{given}': give the server's address without ? or #"
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) || insecure => {}
        "http" => {
            return Err(format!(
                "refusing plain http:// to {host}: the token would cross the network readable by anyone on the way; use https://, or add --insecure if you really mean it"
            ))
        }
        other => return Err(format!("'{given}': {other}:// is not a web address; use https://")),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// This machine: where plain HTTP reaches no network (test servers).
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The default name: the instance's host, or the Bluesky handle.
pub fn default_name(network: Network, server: &str, handle: &str) -> String {
    let raw = match network {
        Network::Bluesky => handle.trim_start_matches('@').to_string(),
        _ => server
            .split("://")
            .nth(1)
            .unwrap_or(server)
            .split(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-@".contains(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn masto(name: &str) -> Account {
        Account {
            name: name.into(),
            network: Network::Mastodon,
            server: "https://social.example".into(),
            handle: String::new(),
            insecure: false,
        }
    }

    #[test]
    fn add_list_remove_with_private_files() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::new(dir.path());
        assert_eq!(acc.load().unwrap(), vec![]);
        acc.add(masto("social.example"), &Secret("tok-123".into()))
            .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(acc.dir()), 0o700);
        assert_eq!(mode(&acc.secret_file("social.example")), 0o600);
        assert_eq!(mode(&acc.list_file()), 0o600);
        assert_eq!(acc.load().unwrap(), vec![masto("social.example")]);
        assert_eq!(
            acc.secret("social.example").unwrap(),
            Secret("tok-123".into())
        );
        let listed = std::fs::read_to_string(acc.list_file()).unwrap();
        assert!(
            !listed.contains("tok-123"),
            "the token stays out of the list"
        );
        assert!(acc
            .add(masto("social.example"), &Secret("x".into()))
            .is_err());
        acc.remove("social.example").unwrap();
        assert!(acc.load().unwrap().is_empty());
        assert!(!acc.secret_file("social.example").exists());
        assert!(acc.remove("social.example").is_err());
    }

    #[test]
    fn refuses_files_others_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::new(dir.path());
        acc.add(masto("a"), &Secret("t".into())).unwrap();
        std::fs::set_permissions(acc.secret_file("a"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let e = acc.secret("a").unwrap_err();
        assert!(e.contains("chmod 600"), "{e}");
        std::fs::set_permissions(acc.dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let e = acc.load().unwrap_err();
        assert!(e.contains("chmod 700"), "{e}");
    }

    #[test]
    fn names() {
        assert_eq!(
            default_name(Network::Mastodon, "https://social.example:443/x", ""),
            "social.example"
        );
        assert_eq!(
            default_name(Network::Bluesky, "", "@kim.bsky.social"),
            "kim.bsky.social"
        );
        assert!(valid_name("../x").is_err());
        assert!(valid_name("demo").is_err());
        assert!(valid_name("brand.social").is_ok());
    }

    #[test]
    fn plain_http_only_to_this_machine_unless_insecure() {
        let ok = |s: &str| server_url(s, false);
        assert_eq!(ok("mastodon.example").unwrap(), "https://mastodon.example");
        assert_eq!(
            ok("https://mastodon.example/").unwrap(),
            "https://mastodon.example"
        );
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:4000",
            "http://127.3.0.1",
        ] {
            assert!(ok(local).is_ok(), "{local}");
        }
        for remote in [
            "http://mastodon.example",
            "http://10.0.0.5",
            "http://localhost.evil.example",
            "HTTP://Mastodon.Example",
        ] {
            let e = ok(remote).unwrap_err();
            assert!(e.contains("--insecure"), "{remote}: {e}");
            assert_eq!(
                server_url(remote, true).unwrap(),
                remote.to_lowercase().trim_end_matches('/')
            );
        }
        for bad in [
            "ftp://mastodon.example",
            "ws://mastodon.example",
            "https://user:pw@mastodon.example",
            "https://mastodon.example/?token=x",
            "https://",
            "",
        ] {
            assert!(ok(bad).is_err(), "{bad}");
            assert!(server_url(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_hand_edited_plain_http_account_is_refused_at_connect() {
        let dir = tempfile::tempdir().unwrap();
        let acc = Accounts::new(dir.path());
        let mut a = masto("plain");
        a.server = "http://mastodon.example".into();
        acc.add(a.clone(), &Secret("t".into())).unwrap();
        let e = acc.connect(&a).unwrap_err();
        assert!(e.starts_with("plain: refusing plain http://"), "{e}");
        a.insecure = true;
        assert!(acc.connect(&a).is_ok());
        // The choice is written down only when made.
        acc.add(masto("safe"), &Secret("t".into())).unwrap();
        let list = std::fs::read_to_string(acc.list_file()).unwrap();
        assert!(!list.contains("insecure"), "{list}");
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret("hunter2".into());
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(s.bearer().is_sensitive());
    }
}
