//! `yici serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use yici_catalog::load_dir;
use yici_server::{AppState, Clock};
use yici_store::{ConnectOptions, Store};

use crate::default_catalog_dir;

#[derive(clap::Args)]
pub struct Args {
    /// Load the demo catalog (and, once case handling lands, demo users).
    #[arg(long)]
    demo: bool,
    /// Data directory, created on first start.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Catalog directory (default: the demo catalog).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…) for the scale-out store; default is
    /// SQLite in the data directory.
    #[arg(long, env = "YICI_DATABASE_URL")]
    database_url: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let dir = match (&args.catalog, args.demo) {
        (Some(dir), _) => dir.clone(),
        (None, true) => default_catalog_dir(),
        (None, false) => anyhow::bail!("give --catalog DIR, or --demo for the demo catalog"),
    };
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create data directory {}", args.data.display()))?;
    let catalog = load_dir(&dir).with_context(|| format!("catalog {}", dir.display()))?;
    tracing::info!(
        catalog = %dir.display(),
        matters = catalog.matters.len(),
        one_things = catalog.one_things.len(),
        "catalog loaded"
    );
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| yici_store::sqlite_url(&args.data));
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .with_context(|| format!("database {}", redact(&url)))?;
        tracing::info!(backend = ?store.backend(), "store ready");
        let state = AppState::new(catalog, store, Clock::System)?;
        if args.demo {
            let names = yici_server::demo::seed(&state)
                .await
                .map_err(|e| anyhow::anyhow!("seeding demo users: {e}"))?;
            println!(
                "demo users (password \"{}\"): {}",
                yici_server::demo::PASSWORD,
                names.join(", ")
            );
        }
        println!("yici serving on http://{}/", args.listen);
        yici_server::serve(state, args.listen).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
