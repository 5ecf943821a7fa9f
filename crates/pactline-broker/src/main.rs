//! `pactline-broker`: flags and environment → configuration → serve.

mod args;

use anyhow::{bail, Context};
use clap::Parser;
use pactline_broker_http::{router, Broker};
use pactline_broker_store::Store;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let args::Command::Serve(serve) = cli.command;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&serve.log_level)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(run(serve)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(serve: args::Serve) -> anyhow::Result<()> {
    let config = serve.config()?;
    let bind = serve.bind;
    if config.enable_provider_states && !bind.ip().is_loopback() {
        bail!("--enable-provider-states wipes data on request, so it is refused on the non-loopback address {bind}; bind to 127.0.0.1");
    }
    let store = Store::open(&serve.database, serve.durability.into())
        .with_context(|| format!("opening the database `{}`", serve.database.display()))?;
    let broker = Arc::new(Broker::new(store, config).context("loading the database")?);
    broker
        .load_secrets(secrets_from_env())
        .context("storing the secrets given as PACTLINE_BROKER_SECRET_* variables")?;
    // Deliveries left pending by an earlier run resume here.
    pactline_broker_http::spawn_worker(broker.clone());
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding to {bind}"))?;
    let local = listener.local_addr().context("reading the bound address")?;
    let url = broker
        .config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    // The one line on stdout: scripts and tests read the URL from it.
    println!("pactline-broker listening on http://{local} (base URL {url})");
    tracing::info!(database = %serve.database.display(), "serving the Pact Broker API");
    axum::serve(listener, router(broker))
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(())
}

/// `PACTLINE_BROKER_SECRET_<NAME>=value` → the secret `NAME`, for webhooks' `${user.NAME}`.
fn secrets_from_env() -> Vec<(String, String)> {
    std::env::vars()
        .filter_map(|(k, v)| {
            k.strip_prefix("PACTLINE_BROKER_SECRET_")
                .map(|n| (n.to_string(), v))
        })
        .filter(|(n, _)| !n.is_empty())
        .collect()
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish and the database closes cleanly.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
