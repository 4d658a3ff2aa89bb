//! `bangdu bench`: see `crate::bench`.

use crate::cli::BenchArgs;
use std::path::Path;
use std::process::ExitCode;

pub async fn run(url: &str, attachments: &Path, args: BenchArgs) -> anyhow::Result<ExitCode> {
    crate::bench::run(url, attachments, args).await
}
