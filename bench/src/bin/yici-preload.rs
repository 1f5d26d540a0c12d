//! Grows a stopped SQLite data directory to N cases by bulk copies of its
//! most recently delivered case (fresh case and task ids, the same rows in
//! every table, real ledger leaves and nodes appended to the stored log),
//! so that throughput can be measured on top of a million cases without
//! driving each through HTTP. See `bench/RESULTS.md`.
//!
//! Usage: `yici-preload --data DIR --to N [--batch CASES_PER_TX]`

use std::path::PathBuf;
use std::process::ExitCode;

use sqlx::Connection;
use yici_bench::latency::Human;
use yici_bench::rows::{self, Template};

/// Grows a stopped SQLite data directory by copies of its most recently
/// delivered case.
#[derive(clap::Parser)]
#[command(name = "yici-preload")]
struct Options {
    /// The stopped SQLite data directory to grow (its yici.db).
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Cases the directory holds afterwards; nothing is added if it holds
    /// as many already.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    to: usize,
    /// Cases copied per transaction.
    #[arg(long, value_name = "CASES_PER_TX", default_value_t = 2_000)]
    batch: usize,
}

fn main() -> ExitCode {
    yici_bench::command::exit(run)
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let (to, batch) = (o.to, o.batch);
    let url = format!("sqlite://{}?mode=rw", o.data.join("yici.db").display());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let p = rt.block_on(async {
        sqlx::any::install_default_drivers();
        let template = Template::read(&url).await?;
        let mut conn = sqlx::AnyConnection::connect(&url).await?;
        let (have,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
            .fetch_one(&mut conn)
            .await?;
        drop(conn);
        let have = usize::try_from(have).unwrap_or(0);
        let add = to.saturating_sub(have);
        println!(
            "template case {} ({} tasks, {} events); {have} cases stored, adding {add}",
            template.case_id,
            template.tasks.len(),
            template.events.len()
        );
        let step = (add / 20).max(1);
        let p = rows::preload(&url, &template, add, batch, |done| {
            if done % step < batch {
                println!("   {done} / {add}");
            }
        })
        .await?;
        Ok::<_, sqlx::Error>(p)
    })?;
    println!(
        "added {} cases, {} events (and leaves) in {} ({:.0} cases/s)",
        p.cases,
        p.events,
        Human(p.elapsed),
        p.cases as f64 / p.elapsed.as_secs_f64()
    );
    Ok(())
}
