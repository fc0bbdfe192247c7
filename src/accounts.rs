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
    fn secrets_do_not_print() {
        let s = Secret("hunter2".into());
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(s.bearer().is_sensitive());
    }
}
