//! `[store]` in config.toml: how the store is kept on this machine.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// sled's page cache, in MiB. sled's own default is 1 GiB; a night-shift laptop or a
    /// small shared host pays for every MiB of it, and the queue reads little of the store.
    pub cache_mb: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self { cache_mb: 8 }
    }
}

impl StoreConfig {
    /// At least 1 MiB: sled needs a cache to work with.
    pub fn cache_bytes(&self) -> u64 {
        u64::from(self.cache_mb.max(1)) * 1024 * 1024
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn the_cache_is_set_in_the_store_table_and_a_bad_value_keeps_the_default() {
        let (c, errors) = Config::parse("c.toml", "[store]\ncache_mb = 32\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.store.cache_bytes(), 32 << 20);
        assert_eq!(Config::default().store.cache_bytes(), 8 << 20);

        let (c, errors) = Config::parse("c.toml", "[store]\ncache_mb = \"lots\"\ncach_mb = 2\n");
        assert_eq!(c.store.cache_mb, 8);
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            said[0].starts_with("c.toml:2:12: store.cache_mb:"),
            "{said:?}"
        );
        assert!(said[1].contains("did you mean 'cache_mb'"), "{said:?}");

        let (c, _) = Config::parse("c.toml", "[store]\ncache_mb = 0\n");
        assert_eq!(c.store.cache_bytes(), 1 << 20, "sled gets at least 1 MiB");
    }
}
