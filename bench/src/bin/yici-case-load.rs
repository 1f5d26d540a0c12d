//! Case-handling load (issue 3 §8, issue 4 §4): starts the real `yici serve`
//! (release) as a child process on 127.0.0.1 with SQLite or a fresh
//! PostgreSQL database, drives complete karaoke-venue cases through the
//! HTTP API (submit, accept, six departments read their queue and decide,
//! issue, deliver) at a concurrency and optionally a rate, and prints
//! throughput, p50/p99 per request type, the server's peak memory
//! (VmHWM); then writes the same rows by a bare loop (the storage floor,
//! with and without the ledger's rows) and prints the ratio.
//!
//! Usage: `yici-case-load [--backend sqlite|postgres] [--pg URL]
//! [--cases N] [--warmup N] [--concurrency N] [--rate CASES_PER_S]
//! [--no-queue] [--floor N] [--floor-conns N] [--yici PATH]
//! [--catalog DIR] [--data DIR] [--keep] [--label TEXT] [--markdown FILE]`
//!
//! `--data DIR` uses (and keeps) that data directory, e.g. one grown by
//! `yici-preload`; otherwise a temporary one is made and removed. Every
//! loop is bounded. Exit status is non-zero only on an error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use yici_bench::case_load::{self, Config};
use yici_bench::latency::Human;
use yici_bench::report::Report;
use yici_bench::rows::{self, Template};
use yici_bench::server_proc::{self, PgDatabase, Server, ServerConfig};

const CASES_TARGET: f64 = 500.0;
const WRITE_P99_TARGET: Duration = Duration::from_millis(20);
const FLOOR_RATIO_TARGET: f64 = 3.0;

struct Options {
    postgres: bool,
    pg: String,
    cases: usize,
    warmup: usize,
    concurrency: usize,
    rate: Option<f64>,
    queue: bool,
    floor: usize,
    floor_conns: usize,
    yici: PathBuf,
    catalog: PathBuf,
    data: Option<PathBuf>,
    keep: bool,
    label: String,
    markdown: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        postgres: false,
        pg: "postgres://postgres@127.0.0.1:5432/test".into(),
        cases: 2000,
        warmup: 100,
        concurrency: 16,
        rate: None,
        queue: true,
        floor: 1000,
        floor_conns: 0,
        yici: server_proc::default_yici(),
        catalog: PathBuf::from("catalog"),
        data: None,
        keep: false,
        label: String::new(),
        markdown: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        let num = |v: String| v.parse::<usize>().map_err(|e| format!("{v}: {e}"));
        match a.as_str() {
            "--backend" => o.postgres = val()? == "postgres",
            "--pg" => o.pg = val()?,
            "--cases" => o.cases = num(val()?)?,
            "--warmup" => o.warmup = num(val()?)?,
            "--concurrency" => o.concurrency = num(val()?)?,
            "--rate" => o.rate = Some(val()?.parse().map_err(|e| format!("--rate: {e}"))?),
            "--no-queue" => o.queue = false,
            "--floor" => o.floor = num(val()?)?,
            "--floor-conns" => o.floor_conns = num(val()?)?,
            "--yici" => o.yici = val()?.into(),
            "--catalog" => o.catalog = val()?.into(),
            "--data" => o.data = Some(val()?.into()),
            "--keep" => o.keep = true,
            "--label" => o.label = val()?,
            "--markdown" => o.markdown = Some(val()?.into()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&o) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let data = o.data.clone().unwrap_or_else(|| temp.path().join("data"));
    std::fs::create_dir_all(&data)?;
    let pg = if o.postgres {
        Some(PgDatabase::create(&o.pg, "cases")?)
    } else {
        None
    };
    let db_url = match &pg {
        Some(db) => db.url.clone(),
        None => format!("sqlite://{}?mode=rw", data.join("yici.db").display()),
    };
    let backend = if o.postgres { "PostgreSQL" } else { "SQLite" };
    let tag = if o.label.is_empty() {
        backend.to_owned()
    } else {
        format!("{backend}, {}", o.label)
    };
    let result = (|| -> Result<Report, Box<dyn std::error::Error>> {
        let server = Server::start(&ServerConfig {
            yici: o.yici.clone(),
            data: data.clone(),
            database_url: pg.as_ref().map(|d| d.url.clone()),
            catalog: o.catalog.clone(),
            log: temp.path().join("server.log"),
        })?;
        println!(
            "== yici serve pid {} on {} ({backend}), load average {}",
            server.pid(),
            server.addr(),
            server_proc::load_average()
        );
        let setup = case_load::setup(server.addr(), &o.catalog)?;
        let prefix = format!("bench-{}-{}", std::process::id(), yici_store_now());
        let mut config = Config {
            cases: o.warmup,
            concurrency: o.concurrency,
            rate: None,
            queue_reads: o.queue,
            key_prefix: format!("{prefix}-warm"),
        };
        if o.warmup > 0 {
            let w = case_load::drive(server.addr(), &setup, &config)?;
            println!("   warm-up: {} cases in {}", w.cases, Human(w.elapsed));
        }
        config.cases = o.cases;
        config.rate = o.rate;
        config.key_prefix = prefix;
        let load_before = server_proc::load_average();
        let run = case_load::drive(server.addr(), &setup, &config)?;
        let load_after = server_proc::load_average();
        let peak = server.peak_rss_kb().unwrap_or(0);
        let rss = server.rss_kb().unwrap_or(0);
        server.stop()?;

        let mut r = Report::default();
        let mode = match o.rate {
            Some(rate) => format!("{} conns, rate {rate} cases/s", o.concurrency),
            None => format!("{} conns, unlimited", o.concurrency),
        };
        r.info(
            format!("[{tag}] run"),
            format!(
                "{} cases, {} requests, {mode}, load avg {load_before} → {load_after}",
                run.cases, run.requests
            ),
        );
        let cps = run.per_second();
        if o.postgres || o.rate.is_some() {
            r.info(format!("[{tag}] complete cases/s"), format!("{cps:.1}"));
        } else {
            r.target(
                format!("[{tag}] complete cases/s"),
                format!("{cps:.1}"),
                format!("≥ {CASES_TARGET}"),
                cps >= CASES_TARGET,
            );
        }
        r.info(
            format!("[{tag}] requests/s"),
            format!("{:.0}", run.requests as f64 / run.elapsed.as_secs_f64()),
        );
        for (k, s) in &run.per_kind {
            r.info(
                format!("[{tag}] {} p50 / p99 (n={})", k.label(), s.count),
                format!("{} / {}", Human(s.median), Human(s.p99)),
            );
        }
        let wp99 = run.writes.p99;
        let wlabel = format!("[{tag}] any write p50 / p99 (n={})", run.writes.count);
        let wval = format!("{} / {}", Human(run.writes.median), Human(wp99));
        if o.rate.is_some_and(|r| (r - 250.0).abs() < 1.0) && !o.postgres {
            r.target(wlabel, wval, "p99 < 20 ms", wp99 < WRITE_P99_TARGET);
        } else {
            r.info(wlabel, wval);
        }
        r.info(
            format!("[{tag}] whole case p50 / p99"),
            format!(
                "{} / {}",
                Human(run.case_latency.median),
                Human(run.case_latency.p99)
            ),
        );
        r.info(
            format!("[{tag}] server peak memory (VmHWM) / RSS at end"),
            format!(
                "{:.1} MB / {:.1} MB",
                peak as f64 / 1024.0,
                rss as f64 / 1024.0
            ),
        );

        if o.floor > 0 {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            let template = rt.block_on(Template::read(&db_url))?;
            let conns = if o.floor_conns > 0 {
                o.floor_conns
            } else if o.postgres {
                o.concurrency
            } else {
                1
            };
            for ledger in [true, false] {
                let f = rt.block_on(rows::floor(&db_url, &template, o.floor, conns, ledger))?;
                let what = if ledger {
                    "with ledger rows"
                } else {
                    "without ledger rows"
                };
                r.info(
                    format!("[{tag}] storage floor {what}: cases/s ({conns} conn)"),
                    format!(
                        "{:.1} ({} cases, {} tx, {} rows in {})",
                        f.per_second(),
                        f.cases,
                        f.transactions,
                        f.rows,
                        Human(f.elapsed)
                    ),
                );
                if ledger {
                    let ratio = f.per_second() / cps;
                    r.target(
                        format!("[{tag}] floor ÷ API throughput"),
                        format!("{ratio:.2}×"),
                        format!("≤ {FLOOR_RATIO_TARGET}×"),
                        ratio <= FLOOR_RATIO_TARGET,
                    );
                }
            }
        }
        Ok(r)
    })();
    if let Some(db) = pg {
        if o.keep {
            println!("   kept database {}", db.url);
        } else {
            db.drop_now()?;
        }
    }
    if o.data.is_none() && o.keep {
        let kept = std::env::temp_dir().join(format!("yici-case-load-{}", std::process::id()));
        std::fs::rename(&data, &kept)?;
        println!("   kept data directory {}", kept.display());
    }
    let report = result?;
    print!("{}", report.plain());
    if let Some(path) = &o.markdown {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(f, "{}", report.markdown())?;
    }
    Ok(())
}

fn yici_store_now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}
