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

