//! `yici serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use yici_catalog::load_dir;
use yici_server::AppState;

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
    let state = AppState::new(catalog)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(yici_server::serve(state, args.listen))?;
    Ok(ExitCode::SUCCESS)
}
