//! The public ratings over a million (issue 18 §8): writes `--ratings`
//! ratings (default 10^6) spread over the demo catalog's departments and
//! window areas straight into a fresh database (SQLite, or a fresh
//! PostgreSQL database), a fifth of them 差评 with follow-ups (nine in ten
//! replied), and each unit's running figures as the server keeps them;
//! then starts the real `yici serve` (release) on it and times, from
//! `--threads` keep-alive connections, `--requests` requests of each:
//! the register's first page, one unit's first page, a page deep in the
//! register (by its cursor), the per-unit figures, and the public page.
//! Target: p99 < 50 ms for each.
//!
//! Usage: `yici-ratings [--backend sqlite|postgres] [--pg URL] [--ratings N]
//! [--requests N] [--threads N] [--yici PATH] [--catalog DIR]
//! [--markdown FILE]`. Exit status is non-zero only on an error.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use yici_bench::client::Client;
use yici_bench::latency::{Human, Summary};
use yici_bench::report::Report;
use yici_bench::server_proc::Backend;
use yici_store::{ConnectOptions, Store};

const P99_TARGET: Duration = Duration::from_millis(50);

/// The public ratings over a million through the real `yici serve`.
#[derive(clap::Parser)]
#[command(name = "yici-ratings")]
struct Options {
    #[command(flatten)]
    backend: Backend,
    /// Ratings written before the server starts.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    ratings: u64,
    /// Requests timed per endpoint.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    requests: usize,
    /// Connections at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    threads: usize,
    /// Markdown file the figures are appended to.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
}

fn main() -> std::process::ExitCode {
    yici_bench::command::exit(run)
}

/// Fills the register in bulk, in SQL of both backends (the numbers come
/// from a recursive CTE on SQLite, `generate_series` on PostgreSQL).
async fn fill(
    url: &str,
    n: u64,
    units: &[(String, &str)],
    postgres: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    // Migrations first, as the server would.
    Store::connect(url, &ConnectOptions::default())
        .await?
        .close()
        .await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "CREATE TABLE bench_units (k BIGINT PRIMARY KEY, unit TEXT NOT NULL, kind TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    for (k, (unit, kind)) in units.iter().enumerate() {
        sqlx::query("INSERT INTO bench_units (k, unit, kind) VALUES ($1, $2, $3)")
            .bind(i64::try_from(k)?)
            .bind(unit)
            .bind(*kind)
            .execute(&mut *tx)
            .await?;
    }
    let numbers = if postgres {
        format!("(SELECT i FROM generate_series(1, {n}) AS g(i)) n")
    } else {
        format!(
            "(WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) SELECT i FROM c) n"
        )
    };
    let count = units.len();
    // Scores 1 … 5 in turn: two in five are 差评 before the 1-in-2 thinning.
    let score = "(CASE WHEN n.i % 10 = 0 THEN 1 WHEN n.i % 10 = 5 THEN 2 ELSE 3 + n.i % 3 END)";
    let insert = format!(
        "INSERT INTO ratings (id, channel, case_id, ticket_id, unit, unit_kind, target, score, bad, comment, public_comment, rater, rated_ms, day) \
         SELECT 'bench-' || CAST(n.i AS TEXT), 'online', NULL, NULL, u.unit, u.kind, u.unit, {score}, CASE WHEN {score} <= 2 THEN 1 ELSE 0 END, \
         '办理很快，窗口人员耐心', '办理很快，窗口人员耐心', 'u-bench', 1780000000000 + n.i * 1000, '2026-11-30' \
         FROM {numbers} JOIN bench_units u ON u.k = n.i % {count}"
    );
    sqlx::query(&insert).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO follow_ups (rating_id, unit, unit_kind, opened_ms, contact_by, reply_by, contacted_ms, contacted_on, contacted_by, contact_note, replied_ms, replied_on, replied_by, reply, on_time) \
         SELECT id, unit, unit_kind, rated_ms, '2026-12-01', '2026-12-21', \
         CASE WHEN rated_ms % 10000 = 0 THEN NULL ELSE rated_ms + 3600000 END, '2026-11-30', 'u-bench-reviewer', '已回访', \
         CASE WHEN rated_ms % 10000 = 0 THEN NULL ELSE rated_ms + 86400000 END, '2026-12-05', 'u-bench-reviewer', '已整改并答复', \
         CASE WHEN rated_ms % 10000 = 0 THEN NULL ELSE 1 END \
         FROM ratings WHERE bad = 1",
    )
    .execute(&mut *tx)
    .await?;
    for (step, due, done) in [
        ("contact", "contact_by", "contacted_ms"),
        ("reply", "reply_by", "replied_ms"),
    ] {
        sqlx::query(&format!(
            "INSERT INTO follow_up_counts (unit, step, due, reply_by, open) \
             SELECT unit, '{step}', {due}, reply_by, SUM(CASE WHEN {done} IS NULL THEN 1 ELSE 0 END) \
             FROM follow_ups GROUP BY unit, {due}, reply_by"
        ))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO rating_units (unit, unit_kind, ratings, bad, score_sum, replied, replied_on_time) \
         SELECT r.unit, r.unit_kind, COUNT(*), SUM(r.bad), SUM(r.score), \
         SUM(CASE WHEN f.replied_ms IS NULL THEN 0 ELSE 1 END), SUM(CASE WHEN f.replied_ms IS NULL THEN 0 ELSE 1 END) \
         FROM ratings r LEFT JOIN follow_ups f ON f.rating_id = r.id GROUP BY r.unit, r.unit_kind",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("DROP TABLE bench_units")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Statistics for the planners of both, as a long-running server has.
    sqlx::query("ANALYZE").execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// Times `requests` GETs of `path` from `threads` connections.
fn time(
    addr: std::net::SocketAddr,
    path: &str,
    requests: usize,
    threads: usize,
) -> std::io::Result<Summary> {
    let per = requests.div_ceil(threads.max(1));
    let mut all: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(move || -> std::io::Result<Vec<Duration>> {
                    let mut client = Client::connect(addr)?;
                    let mut times = Vec::with_capacity(per);
                    for _ in 0..per {
                        let began = Instant::now();
                        let (status, body) = client.send("GET", path, None, &[], None)?;
                        times.push(began.elapsed());
                        if status != 200 {
                            return Err(std::io::Error::other(format!(
                                "GET {path}: {status}: {}",
                                String::from_utf8_lossy(body)
                            )));
                        }
                    }
                    Ok(times)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a thread panicked")))
            })
            .collect::<std::io::Result<Vec<_>>>()
    })?
    .into_iter()
    .flatten()
    .collect();
    Summary::of(&mut all).ok_or_else(|| std::io::Error::other("nothing timed"))
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let pg = o.backend.database("ratings")?;
    let url = pg
        .as_ref()
        .map_or_else(|| yici_store::sqlite_url(&data), |d| d.url.clone());
    let tag = o.backend.name();
    let catalog = yici_catalog::load_dir(&o.backend.catalog).map_err(|e| e.to_string())?;
    let mut units: Vec<(String, &str)> = catalog
        .departments
        .keys()
        .map(|d| (d.to_string(), "department"))
        .collect();
    units.extend(catalog.windows.keys().map(|w| (w.to_string(), "window")));
    let result = (|| -> Result<Report, Box<dyn std::error::Error>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let began = Instant::now();
        runtime.block_on(fill(&url, o.ratings, &units, o.backend.postgres))?;
        let filled = began.elapsed();
        let server = o
            .backend
            .serve(&data, pg.as_ref(), &temp.path().join("server.log"))?;
        let mut client = Client::connect(server.addr())?;
        // A cursor in the middle of the register: the last of a page there.
        let middle = 1_780_000_000_000 + (o.ratings / 2) as i64 * 1000;
        let deep = format!("/api/v1/ratings?before={middle}:bench-{}", o.ratings / 2);
        let page: serde_json::Value = client.parsed("GET", &deep, None, &[], None, 200)?;
        let items = page["items"].as_array().map_or(0, Vec::len);
        let unit = &units[0].0;
        let paths = [
            ("register, first page", "/api/v1/ratings".to_owned()),
            (
                "one unit's first page",
                format!("/api/v1/ratings?unit={unit}"),
            ),
            ("register, a page at the middle", deep.clone()),
            ("each unit's figures", "/api/v1/ratings/figures".to_owned()),
            ("public page /ratings (HTML)", "/ratings".to_owned()),
        ];
        let mut r = Report::default();
        r.info(
            format!("[{tag}] register"),
            format!(
                "{} ratings over {} units written in {:.1} s; a middle page has {items} items",
                o.ratings,
                units.len(),
                filled.as_secs_f64()
            ),
        );
        for (what, path) in &paths {
            time(server.addr(), path, o.requests / 10, o.threads)?; // warm-up
            let s = time(server.addr(), path, o.requests, o.threads)?;
            r.target(
                format!("[{tag}] {what} p50 / p99"),
                format!("{} / {}", Human(s.median), Human(s.p99)),
                "p99 < 50 ms",
                s.p99 < P99_TARGET,
            );
        }
        server.stop()?;
        Ok(r)
    })();
    if let Some(db) = pg {
        db.drop_now()?;
    }
    let report = result?;
    print!("{}", report.plain());
    if let Some(path) = &o.markdown {
        report.append_markdown(path)?;
    }
    Ok(())
}
