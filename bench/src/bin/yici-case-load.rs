//! Case-handling load (issue 3 §8, issue 4 §4): starts the real `yici serve`
//! (release) as a child process on 127.0.0.1 with SQLite or a fresh
//! PostgreSQL database, drives complete cases (karaoke venues unless
//! `--one-thing` says otherwise) through the HTTP API (submit, accept,
//! the departments read their queue and decide, issue with certificates,
//! deliver) at a concurrency and optionally a rate, and prints
//! throughput, p50/p99 per request type, the server's peak memory
//! (VmHWM); then writes the same rows by a bare loop (the storage floor,
//! with and without the ledger's rows) and prints the ratio.
//!
//! With `--reads N` (issue 5 §5) the applicant also grants consent through
//! the API after acceptance, and reviewers read N data sets of the exchange
//! per case (`GET /tasks/{id}/data`) before deciding.
//!
//! With `--uploads N` (issue 17 §6) the clerk also gives N scans of
//! `--upload-kb` KB each per case (the brought materials in turn) between
//! submitting and accepting it.
//!
//! With `--two-way` (issue 18 §8) each case also pays a fee online and
//! has its result sent by express (see `yici_bench::two_way`).
//!
//! Usage: `yici-case-load [--backend sqlite|postgres] [--pg URL] [--two-way]
//! [--one-thing CODE] [--reads N] [--uploads N] [--upload-kb KB] [--cases N] [--warmup N]
//! [--concurrency N] [--rate CASES_PER_S] [--no-queue] [--floor N] [--floor-conns N] [--yici PATH]
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
use yici_bench::server_proc::{self, Backend};

const CASES_TARGET: f64 = 500.0;
const WRITE_P99_TARGET: Duration = Duration::from_millis(20);
const FLOOR_RATIO_TARGET: f64 = 3.0;

/// Complete cases through the real `yici serve`: throughput, latency per
/// request type, server memory, and the storage floor.
#[derive(clap::Parser)]
#[command(name = "yici-case-load")]
struct Options {
    #[command(flatten)]
    backend: Backend,
    /// The one-thing whose cases are driven.
    #[arg(long, value_name = "CODE", default_value = "ot-karaoke")]
    one_thing: String,
    /// Data sets of the exchange each case's reviewers read with consent
    /// (GET /tasks/{id}/data) before deciding; 0 for no consent and no read.
    #[arg(long, value_name = "N", default_value_t = 0)]
    reads: usize,
    /// Files the clerk gives per case after submitting it (scans of the
    /// brought materials in turn, each its own content); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 0)]
    uploads: usize,
    /// Size of each file, in KB.
    #[arg(long, value_name = "KB", default_value_t = 200)]
    upload_kb: usize,
    /// Each case also pays a fee online (a catalog copy gives the karaoke
    /// licence one, before issue) and has its result sent by express, the
    /// carrier's signed callbacks delivering it (issue 18 §8).
    #[arg(long)]
    two_way: bool,
    /// Cases in the measured run.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    cases: usize,
    /// Cases driven before the measured run, not measured; 0 for none.
    #[arg(long, value_name = "N", default_value_t = 100)]
    warmup: usize,
    /// Cases driven at the same time, each on its own connection.
    #[arg(long, value_name = "N", default_value_t = 16)]
    concurrency: usize,
    /// Cases started per second, at most (default: as fast as they go).
    #[arg(long, value_name = "CASES_PER_S")]
    rate: Option<f64>,
    /// Reviewers do not read their task queue before deciding.
    #[arg(long = "no-queue", action = clap::ArgAction::SetFalse)]
    queue: bool,
    /// Cases written by the bare storage loop (the floor); 0 to skip it.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    floor: usize,
    /// Connections of the storage floor; 0 for one on SQLite and
    /// --concurrency on PostgreSQL.
    #[arg(long, value_name = "N", default_value_t = 0)]
    floor_conns: usize,
    /// Data directory to use and keep, e.g. one grown by yici-preload
    /// (default: a temporary one, removed afterwards).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Keep the PostgreSQL database, or the temporary data directory.
    #[arg(long)]
    keep: bool,
    /// Text added to the backend's name in each figure's label.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "",
        hide_default_value = true
    )]
    label: String,
    /// Markdown file the figures are appended to.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
}

fn main() -> ExitCode {
    yici_bench::command::exit(run)
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let data = o.data.clone().unwrap_or_else(|| temp.path().join("data"));
    std::fs::create_dir_all(&data)?;
    let pg = o.backend.database("cases")?;
    let db_url = match &pg {
        Some(db) => db.url.clone(),
        None => format!("sqlite://{}?mode=rw", data.join("yici.db").display()),
    };
    let backend = o.backend.name();
    let tag = if o.label.is_empty() {
        backend.to_owned()
    } else {
        format!("{backend}, {}", o.label)
    };
    let result = (|| -> Result<Report, Box<dyn std::error::Error>> {
        let mut backend = o.backend.clone();
        if o.two_way {
            let copy = temp.path().join("catalog");
            yici_bench::two_way::fee_catalog(&o.backend.catalog, &copy)?;
            backend.catalog = copy;
        }
        let server = backend.serve(&data, pg.as_ref(), &server_log(o, temp.path()))?;
        let setup = case_load::setup(server.addr(), &backend.catalog, &o.one_thing)?;
        let two_way = if o.two_way {
            Some(std::sync::Arc::new(yici_bench::two_way::setup(
                server.addr(),
                &setup.applicant,
                &data,
            )?))
        } else {
            None
        };
        let prefix = format!("bench-{}-{}", std::process::id(), yici_store_now());
        let mut config = Config {
            cases: o.warmup,
            concurrency: o.concurrency,
            rate: None,
            queue_reads: o.queue,
            reads: o.reads,
            key_prefix: format!("{prefix}-warm"),
            uploads: o.uploads,
            upload_bytes: o.upload_kb * 1024,
            two_way,
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
                "{} cases of {}, {} requests, {mode}, load avg {load_before} → {load_after}",
                run.cases, o.one_thing, run.requests
            ),
        );
        if o.two_way {
            r.info(
                format!("[{tag}] with payment and express"),
                "a fee paid online and the result sent by express per case".to_owned(),
            );
        }
        if o.uploads > 0 {
            r.info(
                format!("[{tag}] files given per case"),
                format!("{} of {} KB", o.uploads, o.upload_kb),
            );
        }
        if o.reads > 0 {
            r.info(
                format!("[{tag}] data sets read with consent per case"),
                format!("{:.1}", run.data_reads as f64 / run.cases.max(1) as f64),
            );
        }
        let cps = run.per_second();
        // The target is for the karaoke case alone on SQLite, unlimited.
        let karaoke = o.one_thing == "ot-karaoke" && o.reads == 0 && o.uploads == 0 && !o.two_way;
        if o.backend.postgres || o.rate.is_some() || !karaoke {
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
        if o.rate.is_some_and(|r| (r - 250.0).abs() < 1.0) && !o.backend.postgres {
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
            } else if o.backend.postgres {
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
        report.append_markdown(path)?;
    }
    Ok(())
}

/// Where the server's output goes: beside a given data directory (kept
/// with it, to read after a failed run), else in the temporary one.
fn server_log(o: &Options, temp: &std::path::Path) -> PathBuf {
    match &o.data {
        Some(dir) => dir.with_extension("server.log"),
        None => temp.join("server.log"),
    }
}

fn yici_store_now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Options;

    fn parse(args: &str) -> Options {
        let args = std::iter::once("yici-case-load").chain(args.split_whitespace());
        Options::try_parse_from(args).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn defaults_are_the_recorded_karaoke_run_on_sqlite() {
        let o = parse("");
        assert!(!o.backend.postgres);
        assert_eq!(o.backend.pg, "postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(o.backend.catalog.to_str(), Some("catalog"));
        assert_eq!(o.one_thing, "ot-karaoke");
        assert_eq!(
            (o.reads, o.cases, o.warmup, o.concurrency),
            (0, 2000, 100, 16)
        );
        assert_eq!((o.floor, o.floor_conns), (1000, 0));
        assert_eq!(
            (o.uploads, o.upload_kb),
            (0, 200),
            "no uploads unless asked"
        );
        assert!(o.queue && !o.keep && o.rate.is_none() && o.data.is_none());
        assert!(!o.two_way, "no payment or express unless asked");
        assert!(o.label.is_empty() && o.markdown.is_none());
    }

    #[test]
    fn options_of_bench_run_and_the_scripts_keep_their_names() {
        let o = parse(
            "--yici bin/yici --catalog cat --backend postgres --pg postgres://u@h/db \
             --one-thing ot-x --reads 3 --uploads 12 --upload-kb 100 --cases 1500 --warmup 0 --concurrency 8 --rate 250 \
             --no-queue --floor 0 --floor-conns 4 --data grown --keep --label base-1 \
             --markdown out.md",
        );
        assert!(o.backend.postgres && !o.queue && o.keep);
        assert_eq!(o.backend.yici.to_str(), Some("bin/yici"));
        assert_eq!(o.backend.pg, "postgres://u@h/db");
        assert_eq!((o.reads, o.cases, o.warmup, o.concurrency), (3, 1500, 0, 8));
        assert_eq!((o.uploads, o.upload_kb), (12, 100));
        assert_eq!((o.floor, o.floor_conns, o.rate), (0, 4, Some(250.0)));
        assert_eq!((o.one_thing.as_str(), o.label.as_str()), ("ot-x", "base-1"));
        assert_eq!(o.data.as_deref().and_then(|d| d.to_str()), Some("grown"));
        assert!(o.markdown.is_some());
    }

    #[test]
    fn a_backend_other_than_sqlite_or_postgres_is_refused() {
        let args = ["yici-case-load", "--backend", "mysql"];
        assert!(Options::try_parse_from(args).is_err());
    }
}
