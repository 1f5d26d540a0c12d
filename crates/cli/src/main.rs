//! `yici`: the one binary of the platform.

mod archive;
mod calendar;
mod catalog;
mod id;
mod ledger;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc instead of glibc's malloc: allocation and freeing were about
/// 13 % of the server's CPU under the case load (bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// yici (一次): government services in at most one trip.
#[derive(Parser)]
#[command(name = "yici", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How results are printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For programs.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Start the server (API and pages).
    Serve(Box<serve::Args>),
    /// Check, plan and search a catalog.
    #[command(subcommand)]
    Catalog(catalog::Command),
    /// Validate identifiers (resident ID, USCC).
    #[command(subcommand)]
    Id(id::Command),
    /// The official working-day calendar.
    Calendar(calendar::Args),
    /// Verify or export the tamper-evident ledger.
    #[command(subcommand)]
    Ledger(ledger::Command),
    /// Check a case file (电子档案) offline.
    #[command(subcommand)]
    Archive(archive::Command),
}

/// The demo catalog: `./catalog` when run from the repository, else the
/// one in the source tree this binary was built from.
pub fn default_catalog_dir() -> PathBuf {
    let here = PathBuf::from("catalog");
    if here.join("departments.toml").is_file() {
        return here;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Catalog(cmd) => catalog::run(cmd),
        Command::Id(cmd) => id::run(cmd),
        Command::Calendar(cmd) => calendar::run(cmd),
        Command::Ledger(cmd) => ledger::run(cmd),
        Command::Archive(cmd) => archive::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
