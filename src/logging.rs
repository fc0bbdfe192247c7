//! Logs go to a file, never to the screen under the console. Level from MODQ_LOG.

use std::path::Path;

use anyhow::Context;
use tracing_appender::non_blocking::WorkerGuard;

/// Keep the guard alive for the life of the process, or the last lines are lost.
pub fn init(dir: &Path) -> anyhow::Result<WorkerGuard> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the log directory {}", dir.display()))?;
    let file = tracing_appender::rolling::RollingFileAppender::builder()
        .filename_prefix("modq.log")
        .max_log_files(2)
        .build(dir)
        .with_context(|| format!("cannot write the log in {}", dir.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("MODQ_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    Ok(guard)
}
