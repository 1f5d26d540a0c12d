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

fn main() -> ExitCode {
    let mut data = None;
    let mut to = 1_000_000usize;
    let mut batch = 2_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next();
        match (a.as_str(), v) {
            ("--data", Some(v)) => data = Some(PathBuf::from(v)),
            ("--to", Some(v)) => to = v.parse().unwrap_or(to),
            ("--batch", Some(v)) => batch = v.parse().unwrap_or(batch),
            _ => {
                eprintln!("usage: yici-preload --data DIR --to N [--batch N]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(data) = data else {
        eprintln!("usage: yici-preload --data DIR --to N [--batch N]");
        return ExitCode::from(2);
    };
    let url = format!("sqlite://{}?mode=rw", data.join("yici.db").display());
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let r = rt.block_on(async {
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
    });
    match r {
        Ok(p) => {
            println!(
                "added {} cases, {} events (and leaves) in {} ({:.0} cases/s)",
                p.cases,
                p.events,
                Human(p.elapsed),
                p.cases as f64 / p.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
