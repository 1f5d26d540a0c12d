//! Consent-checked read latency (issue 5 §5): starts the real `yici serve
//! --demo` (release) on 127.0.0.1 with SQLite or a fresh PostgreSQL
//! database, makes `--cases` cases of a one-thing whose matters read the
//! exchange (default: selling a second-hand home, whose real-estate and tax
//! matters read 张三's household, marriage and property records), has the
//! applicant grant each consent through the API, then has the reviewer of
//! the reading department call `GET /api/v1/tasks/{id}/data` `--requests`
//! times from `--concurrency` connections, and prints p50/p99 latency,
//! reads/s and data sets read/s.
//!
//! Usage: `yici-data-reads [--backend sqlite|postgres] [--pg URL]
//! [--cases N] [--requests N] [--warmup N] [--concurrency N]
//! [--one-thing CODE] [--yici PATH] [--catalog DIR] [--markdown FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

use yici_bench::data_reads;
use yici_bench::hall;
use yici_bench::latency::Human;
use yici_bench::report::Report;
use yici_bench::server_proc::{self, Backend};

struct Options {
    backend: Backend,
    cases: usize,
    requests: usize,
    warmup: usize,
    concurrency: usize,
    one_thing: String,
    markdown: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        backend: Backend::default(),
        cases: 50,
        requests: 5000,
        warmup: 200,
        concurrency: 4,
        one_thing: "ot-second-hand-home".into(),
        markdown: None,
    };
    let mut args = yici_bench::command::Args::new();
    while let Some(a) = args.next_option() {
        match a.as_str() {
            "--cases" => o.cases = args.number()?,
            "--requests" => o.requests = args.number()?,
            "--warmup" => o.warmup = args.number()?,
            "--concurrency" => o.concurrency = args.number()?,
            "--one-thing" => o.one_thing = args.value()?,
            "--markdown" => o.markdown = Some(args.value()?.into()),
            other => {
                if !o.backend.option(other, || args.value())? {
                    return Err(format!("unknown option {other}"));
                }
            }
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    yici_bench::command::exit(options(), run)
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let pg = o.backend.database("reads")?;
    let server = o
        .backend
        .serve(&data, pg.as_ref(), &temp.path().join("server.log"))?;
    let tag = o.backend.name();
    let result = (|| -> Result<Report, Box<dyn std::error::Error>> {
        let setup = hall::setup(server.addr(), &o.backend.catalog, &o.one_thing)?;
        let prefix = format!("reads-{}", std::process::id());
        let targets = data_reads::prepare(server.addr(), &setup, o.cases, &prefix)?;
        let reviewer = setup
            .reviewers
            .get(&targets.department)
            .ok_or_else(|| format!("no reviewer for {}", targets.department))?;
        if o.warmup > 0 {
            data_reads::drive(server.addr(), reviewer, &targets, o.warmup, o.concurrency)?;
        }
        let load_before = server_proc::load_average();
        let run = data_reads::drive(server.addr(), reviewer, &targets, o.requests, o.concurrency)?;
        let load_after = server_proc::load_average();
        let peak = server.peak_rss_kb().unwrap_or(0);

        let mut r = Report::default();
        r.info(
            format!("[{tag}] run"),
            format!(
                "{} reads by reviewer-{} for {} over {} cases of {}, {} conns, load avg {load_before} → {load_after}",
                run.latency.count,
                targets.department,
                targets.matter,
                targets.tasks.len(),
                o.one_thing,
                o.concurrency
            ),
        );
        r.info(
            format!("[{tag}] GET /tasks/{{id}}/data p50 / p99 (max)"),
            format!(
                "{} / {} ({})",
                Human(run.latency.median),
                Human(run.latency.p99),
                Human(run.latency.max)
            ),
        );
        r.info(
            format!("[{tag}] consent-checked reads/s"),
            format!("{:.1}", run.per_second()),
        );
        r.info(
            format!("[{tag}] data sets read (recorded) /s"),
            format!(
                "{:.1} ({} per read)",
                run.data_sets as f64 / run.elapsed.as_secs_f64(),
                run.data_sets / run.latency.count.max(1)
            ),
        );
        r.info(
            format!("[{tag}] server peak memory (VmHWM)"),
            format!("{:.1} MB", peak as f64 / 1024.0),
        );
        Ok(r)
    })();
    server.stop()?;
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
