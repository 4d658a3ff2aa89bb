use super::open;
use crate::cli::ServeArgs;
use crate::demo;
use anyhow::Context;
use bangdu_store::db::redact;
use bangdu_store::files::LocalFiles;
use bangdu_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub async fn run(url: &str, attachments: &Path, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let db = open(url).await?;
    if args.demo {
        if demo::load_if_empty(&db).await? {
            say("已载入演示数据：泉州市的组织机构、每个角色一个账号、晋江市的督导事项台账和项目，\
                 每个责任单位一个联络员账号 lx-<单位代码>。");
        } else {
            say("数据库中已有数据，未载入演示数据。");
        }
        say(&demo::accounts_text());
    }
    let listener =
        tokio::net::TcpListener::bind(&args.listen).await.with_context(|| format!("无法监听 {}", args.listen))?;
    let addr = listener.local_addr()?;
    let public_url = args.public_url.clone().map(|u| u.trim_end_matches('/').to_string());
    let config = WebConfig {
        secure_cookies: public_url.as_deref().is_some_and(|u| u.starts_with("https://")),
        trust_proxy: args.trust_proxy,
        public_url,
        board_fonts: args.board_font.clone(),
        listen_url: Some(format!("http://{addr}")),
        ..WebConfig::default()
    };
    let files = Arc::new(LocalFiles::new(attachments));
    let app = bangdu_web::app(AppState::with_files(db.clone(), config, files));
    let (stop_jobs, jobs_stop) = tokio::sync::watch::channel(false);
    let jobs = tokio::spawn(crate::jobs::run(db.clone(), jobs_stop));
    let shutdown = shutdown_signal();
    say(&format!(
        "Bangdu 帮督已启动：http://{addr}（数据库 {}，启动用时 {} 毫秒）",
        redact(url),
        started.elapsed().as_millis()
    ));
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await?;
    let _ = stop_jobs.send(true);
    let _ = jobs.await;
    db.close().await;
    say("Bangdu 帮督已停止。");
    Ok(ExitCode::SUCCESS)
}

/// Prints a line for the operator. A server must keep running (and stop cleanly) when whoever
/// started it has closed its standard output, so write errors are ignored, not panicked on.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Listens for SIGTERM and Ctrl-C from now on: the handlers are installed before the server says
/// it is listening, so a supervisor that stops it right after that line gets a clean shutdown.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        [signal(SignalKind::terminate()).ok(), signal(SignalKind::interrupt()).ok()]
    };
    async move {
        #[cfg(unix)]
        {
            let [term, int] = signals;
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(term) => {},
                () = wait(int) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
    }
}
