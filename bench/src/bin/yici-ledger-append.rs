//! The ledger's append alone (issue 4 §4), on real event rows: the CPU part
//! of `crates/store/src/ledger/append.rs::append` for each leaf (the event's
//! canonical JSON, SHA-256 leaf hash, frontier update with its node
//! writes collected), over the events of the most recently delivered case
//! of a data directory, repeated to N leaves. The storage part (the leaf,
//! node and size rows) is measured by `yici-case-load`'s storage floor
//! with and without ledger rows.
//!
//! Usage: `yici-ledger-append --data DIR [--leaves N]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use yici_bench::rows::{Template, event_leaf};
use yici_ledger::CompactRange;

/// The ledger's append, CPU part, over the events of a data directory's
/// most recently delivered case.
#[derive(clap::Parser)]
#[command(name = "yici-ledger-append")]
struct Options {
    /// A stopped SQLite data directory (its yici.db is opened read-only).
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Leaves appended, cycling through the case's events.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    leaves: usize,
}

fn main() -> ExitCode {
    yici_bench::command::exit(run)
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let leaves = o.leaves;
    let url = format!("sqlite://{}?mode=ro", o.data.join("yici.db").display());
    let template = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(Template::read(&url))?;
    let events = &template.events;
    let mut range = CompactRange::new();
    let mut nodes = 0usize;
    let start = Instant::now();
    for i in 0..leaves {
        let h = event_leaf(&events[i % events.len()]);
        range
            .append_with(h, |_, _, _| {
                nodes += 1;
                Ok::<_, std::convert::Infallible>(())
            })
            .unwrap_or_else(|never| match never {});
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "ledger append, CPU part (canonical JSON + SHA-256 + frontier) of {leaves} leaves of real events: {secs:.2} s = {:.0} leaves/s ({nodes} node rows to write, {:.2} per leaf); root {}",
        leaves as f64 / secs,
        nodes as f64 / leaves as f64,
        hex::encode(range.root())
    );
    Ok(())
}
