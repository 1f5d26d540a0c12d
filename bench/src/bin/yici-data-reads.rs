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

/// Consent-checked reads of the exchange through the real `yici serve`:
/// latency, reads/s and data sets read/s.
#[derive(clap::Parser)]
#[command(name = "yici-data-reads")]
struct Options {
    #[command(flatten)]
    backend: Backend,
    /// Cases made, each with its consent granted; the reads go round them.
    #[arg(long, value_name = "N", default_value_t = 50)]
    cases: usize,
    /// Reads in the measured run.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    requests: usize,
    /// Reads before the measured run, not measured; 0 for none.
    #[arg(long, value_name = "N", default_value_t = 200)]
    warmup: usize,
    /// Connections reading at the same time.
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// The one-thing whose cases are made; one of its matters must read
    /// the exchange.
    #[arg(long, value_name = "CODE", default_value = "ot-second-hand-home")]
    one_thing: String,
    /// Markdown file the figures are appended to.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
}

fn main() -> ExitCode {
    yici_bench::command::exit(run)
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Options;

    fn parse(args: &str) -> Options {
        let args = std::iter::once("yici-data-reads").chain(args.split_whitespace());
        Options::try_parse_from(args).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn defaults_and_option_names_are_kept() {
        let o = parse("");
        assert_eq!(
            (o.cases, o.requests, o.warmup, o.concurrency),
            (50, 5000, 200, 4)
        );
        assert_eq!(o.one_thing, "ot-second-hand-home");
        assert!(!o.backend.postgres && o.markdown.is_none());
        let o = parse(
            "--backend postgres --cases 5 --requests 6 --warmup 7 --concurrency 8 \
             --one-thing ot-y --markdown m.md",
        );
        assert!(o.backend.postgres && o.markdown.is_some());
        assert_eq!((o.cases, o.requests, o.warmup, o.concurrency), (5, 6, 7, 8));
        assert_eq!(o.one_thing, "ot-y");
    }
}
