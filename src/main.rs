//! `bangdu`: the one binary. See `bangdu --help`.

#[cfg(feature = "bench")]
mod bench;
mod cli;
mod cmd;
mod database;
mod demo;
mod jobs;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: under load many threads (the runtime's workers and
/// SQLite's connection threads) allocate at once, and glibc's arena locks then cost more than the
/// queries (measured with `bangdu bench`, see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BANGDU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}
