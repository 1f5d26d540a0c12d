//! The catalog benchmarks: writes the synthetic 10,000-matter catalog,
//! checks it, and measures loading, planning, search and the guide pages
//! through the real server on a loopback socket; then the guide pages of
//! the demo catalog. Prints each figure against its target.
//!
//! Usage: `yici-bench [--demo DIR] [--out DIR] [--requests N]
//! [--connections N] [--plan-runs N] [--queries N] [--load-runs N]
//! [--matters N] [--one-things N] [--markdown FILE] [--only SECTION]`
//!
//! Every loop is bounded; the run stops by itself. The exit status is
//! non-zero only on an error (a catalog problem, a failed request), never
//! on a missed target.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

use yici_bench::http_load;
use yici_bench::latency::{Human, Summary, sample};
use yici_bench::loopback::{self, Loopback};
use yici_bench::report::Report;
use yici_bench::synthetic::{self, LARGEST_CODE, Shape, search_queries};
use yici_catalog::{SearchIndex, check_dir, load_dir, plan_one_thing};
use yici_core::catalog::Catalog;
use yici_server::AppState;

const LOAD_TARGET: Duration = Duration::from_secs(1);
const PLAN_TARGET: Duration = Duration::from_micros(200);
const SEARCH_TARGET: Duration = Duration::from_millis(5);

/// The catalog benchmarks: the synthetic catalog's load, plan and search,
/// and the guide pages of it and of the demo catalog over a loopback socket.
#[derive(clap::Parser)]
#[command(name = "yici-bench")]
struct Options {
    /// The demo catalog, whose guide pages are measured after the
    /// synthetic one's.
    #[arg(long, value_name = "DIR", default_value_os_t = default_demo())]
    demo: PathBuf,
    /// Where the synthetic catalog is written and kept (default: a
    /// temporary directory, removed afterwards).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Requests per socket load of guide pages (a tenth of them, at least
    /// one, for each in-process run).
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    requests: usize,
    /// Keep-alive connections of the socket loads.
    #[arg(long, value_name = "N", default_value_t = 8)]
    connections: usize,
    /// Timed plans of the largest one-thing (after a tenth as many
    /// untimed).
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    plan_runs: usize,
    /// Timed search queries.
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    queries: usize,
    /// Timed loads (with checks) of the synthetic catalog.
    #[arg(long, value_name = "N", default_value_t = 5)]
    load_runs: usize,
    /// Matters of the synthetic catalog.
    #[arg(long, value_name = "N", default_value_t = Shape::default().matters)]
    matters: usize,
    /// One-things of the synthetic catalog, the largest included.
    #[arg(long, value_name = "N", default_value_t = Shape::default().one_things)]
    one_things: usize,
    /// Markdown file the figures are written to.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Run only this section, for a profiler (the synthetic catalog is
    /// still written, checked and loaded).
    #[arg(long, value_name = "SECTION", value_parser = ["load", "plan", "search", "pages"])]
    only: Option<String>,
}

/// The demo catalog of this source tree.
fn default_demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog")
}

impl Options {
    fn wants(&self, section: &str) -> bool {
        self.only.as_deref().is_none_or(|s| s == section)
    }

    fn shape(&self) -> Shape {
        Shape {
            matters: self.matters,
            one_things: self.one_things,
            ..Shape::default()
        }
    }
}

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let options = Options::parse();
    let mut report = Report::default();
    match run(&options, &mut report) {
        Ok(()) => {
            println!("\n== figures ==\n{}", report.plain());
            println!("{} target(s) missed", report.missed());
            if let Some(path) = &options.markdown
                && let Err(e) = std::fs::write(path, report.markdown())
            {
                eprintln!("yici-bench: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if !report.rows.is_empty() {
                println!("\n== figures so far ==\n{}", report.plain());
            }
            eprintln!("yici-bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(o: &Options, report: &mut Report) -> Result<(), Error> {
    let temp;
    let dir = match &o.out {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_owned()
        }
    };
    let start = Instant::now();
    let written = synthetic::write(&dir, &o.shape())?;
    println!(
        "synthetic catalog: {} matters, {} one-things, {} departments, {} data sets, {} grants; {} files, {:.1} MB, written in {}",
        written.matters,
        written.one_things,
        written.departments,
        written.datasets,
        written.grants,
        written.files,
        written.bytes as f64 / 1e6,
        Human(start.elapsed())
    );
    let catalog = load_and_check(&dir, o, report)?;
    if o.wants("plan") {
        plan_largest(&catalog, o, report)?;
    }
    if o.wants("search") {
        search(&catalog, o, report)?;
    }
    if !o.wants("pages") {
        return Ok(());
    }
    let start = Instant::now();
    let state = app_state(catalog)?;
    report.info(
        "server state (index + plan all one-things)",
        Human(start.elapsed()).to_string(),
    );
    guide_pages("synthetic", state, o, report)?;
    let demo = load_dir(&o.demo)?;
    println!(
        "\ndemo catalog {}: {} matters, {} one-things",
        o.demo.display(),
        demo.matters.len(),
        demo.one_things.len()
    );
    guide_pages("demo", app_state(demo)?, o, report)?;
    Ok(())
}

fn load_and_check(dir: &Path, o: &Options, report: &mut Report) -> Result<Catalog, Error> {
    let start = Instant::now();
    let problems = check_dir(dir)?;
    let first_check = start.elapsed();
    println!(
        "check_dir: {} problem(s) in {}",
        problems.len(),
        Human(first_check)
    );
    for p in problems.iter().take(20) {
        println!("  {p}");
    }
    report.target(
        "catalog problems (check_dir)",
        problems.len().to_string(),
        "0",
        problems.is_empty(),
    );
    if !problems.is_empty() {
        return Err(format!("the synthetic catalog has {} problem(s)", problems.len()).into());
    }
    // Keep every loaded catalog so that dropping one is not timed.
    let mut loaded = Vec::new();
    let runs = if o.wants("load") {
        o.load_runs.max(1)
    } else {
        1
    };
    let mut samples = sample(runs, |_| loaded.push(load_dir(dir)));
    let catalog = loaded.pop().ok_or("no load run")??;
    drop(loaded);
    let s = Summary::of(&mut samples).ok_or("no load run")?;
    println!(
        "load_dir ×{}: median {}, max {} ({} matters, {} one-things)",
        s.count,
        Human(s.median),
        Human(s.max),
        catalog.matters.len(),
        catalog.one_things.len()
    );
    report.target(
        format!("catalog load + check (load_dir), median of {}", s.count),
        Human(s.median).to_string(),
        "< 1 s",
        s.median < LOAD_TARGET,
    );
    report.info(
        "catalog load + check, slowest run",
        Human(s.max).to_string(),
    );
    Ok(catalog)
}

fn plan_largest(catalog: &Catalog, o: &Options, report: &mut Report) -> Result<(), Error> {
    let largest = catalog
        .one_things
        .values()
        .max_by_key(|t| t.matters.len())
        .ok_or("no one-thing")?;
    if largest.code.as_str() != LARGEST_CODE {
        println!(
            "note: the largest one-thing is {}, not {LARGEST_CODE}",
            largest.code
        );
    }
    let plan = plan_one_thing(catalog, largest);
    println!(
        "largest one-thing {}: {} matters, {} departments, {} stages, {} form fields, materials {} bring / {} fetched / {} internal, {} promised working days, {} trips",
        largest.code,
        largest.matters.len(),
        plan.departments.len(),
        plan.stages.len(),
        plan.form.fields.len(),
        plan.materials.bring.len(),
        plan.materials.fetched.len(),
        plan.materials.internal.len(),
        plan.promised_working_days,
        plan.trips
    );
    let _warm = sample(o.plan_runs / 10, |_| plan_one_thing(catalog, largest));
    let mut samples = sample(o.plan_runs.max(1), |_| plan_one_thing(catalog, largest));
    let s = Summary::of(&mut samples).ok_or("no plan run")?;
    println!(
        "plan ×{}: median {}, p99 {}, max {}",
        s.count,
        Human(s.median),
        Human(s.p99),
        Human(s.max)
    );
    let what = format!(
        "plan of the largest one-thing ({} matters)",
        largest.matters.len()
    );
    report.target(
        format!("{what}, median"),
        Human(s.median).to_string(),
        "< 200 µs",
        s.median < PLAN_TARGET,
    );
    report.target(
        format!("{what}, p99"),
        Human(s.p99).to_string(),
        "< 200 µs",
        s.p99 < PLAN_TARGET,
    );
    Ok(())
}

fn search(catalog: &Catalog, o: &Options, report: &mut Report) -> Result<(), Error> {
    let start = Instant::now();
    let index = SearchIndex::build(catalog)?;
    let built = start.elapsed();
    println!("search index built in {}", Human(built));
    report.info("search index build", Human(built).to_string());
    let hits = index.search("开饭店", 3)?;
    let top: Vec<String> = hits
        .iter()
        .map(|h| format!("{} {}", h.code, h.name.zh))
        .collect();
    println!("开饭店 → {}", top.join(" | "));
    if hits.is_empty() {
        return Err("a search for 开饭店 found nothing".into());
    }
    let queries = search_queries(catalog, o.queries.max(1));
    for q in queries.iter().take(50) {
        index.search(q, 10)?;
    }
    let mut found = 0usize;
    let mut error = None;
    let mut samples = sample(queries.len(), |i| match index.search(&queries[i], 10) {
        Ok(h) => found += usize::from(!h.is_empty()),
        Err(e) => error = Some(e),
    });
    if let Some(e) = error {
        return Err(e.into());
    }
    let mut slowest: Vec<(Duration, &str)> = samples
        .iter()
        .copied()
        .zip(queries.iter().map(String::as_str))
        .collect();
    slowest.sort_unstable_by_key(|x| std::cmp::Reverse(x.0));
    let slowest: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(d, q)| format!("{q} ({})", Human(*d)))
        .collect();
    println!("slowest queries: {}", slowest.join(", "));
    let s = Summary::of(&mut samples).ok_or("no query")?;
    println!(
        "search ×{} (limit 10): median {}, p99 {}, max {}; {} queries found something",
        s.count,
        Human(s.median),
        Human(s.p99),
        Human(s.max),
        found
    );
    report.info(
        format!("search latency ×{}, median", s.count),
        Human(s.median).to_string(),
    );
    report.target(
        format!("search latency ×{}, p99", s.count),
        Human(s.p99).to_string(),
        "< 5 ms",
        s.p99 < SEARCH_TARGET,
    );
    Ok(())
}

fn guide_pages(
    label: &str,
    state: AppState,
    o: &Options,
    report: &mut Report,
) -> Result<(), Error> {
    let catalog = state.catalog();
    let one_things: Vec<String> = catalog
        .one_things
        .keys()
        .map(|c| format!("/one-things/{c}"))
        .collect();
    let matters: Vec<String> = catalog
        .matters
        .keys()
        .map(|c| format!("/matters/{c}"))
        .collect();
    let largest = catalog
        .one_things
        .values()
        .max_by_key(|t| t.matters.len())
        .map(|t| vec![format!("/one-things/{}", t.code)])
        .ok_or("no one-thing")?;
    let oneshot_runs = (o.requests / 10).max(1);
    for (what, paths) in [
        ("one-thing pages", &one_things),
        ("matter pages", &matters),
        ("largest one-thing page", &largest),
    ] {
        let (s, bytes) = loopback::in_process(state.clone(), paths, oneshot_runs)?;
        println!(
            "[{label}] in-process {what} ×{}: median {}, p99 {}, {:.1} kB/page",
            s.count,
            Human(s.median),
            Human(s.p99),
            bytes as f64 / s.count as f64 / 1e3
        );
        report.info(
            format!("[{label}] {what}, in-process (oneshot), median / p99"),
            format!("{} / {}", Human(s.median), Human(s.p99)),
        );
    }
    let server = Loopback::start(state, 2)?;
    let addr = server.addr();
    let runs: Result<Vec<_>, std::io::Error> =
        [("one-thing pages", &one_things), ("matter pages", &matters)]
            .into_iter()
            .map(|(what, paths)| {
                http_load::run(addr, paths, o.requests, o.connections).map(|r| (what, r))
            })
            .collect();
    server.stop();
    for (what, r) in runs? {
        println!(
            "[{label}] socket {what}: {} requests over {} connections in {}: {:.0} req/s, latency median {}, p99 {}, {:.1} kB/page",
            r.requests,
            o.connections,
            Human(r.elapsed),
            r.per_second(),
            Human(r.latency.median),
            Human(r.latency.p99),
            r.body_bytes as f64 / r.requests as f64 / 1e3
        );
        report.info(
            format!(
                "[{label}] GET {what} on 127.0.0.1, {} keep-alive conns",
                o.connections
            ),
            format!("{:.0} req/s", r.per_second()),
        );
        report.info(
            format!("[{label}] GET {what}, client latency median / p99"),
            format!("{} / {}", Human(r.latency.median), Human(r.latency.p99)),
        );
    }
    Ok(())
}

/// Server state on a throw-away SQLite store: the guide pages read only the
/// catalog, but the application needs a store to exist.
fn app_state(catalog: Catalog) -> Result<AppState, Error> {
    let dir = std::env::temp_dir().join(format!("yici-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = yici_store::sqlite_url(&dir);
    let store = tokio::runtime::Runtime::new()?.block_on(yici_store::Store::connect(
        &url,
        &yici_store::ConnectOptions::default(),
    ))?;
    let service = yici_service::Service::new(
        catalog,
        store,
        yici_service::Clock::System,
        yici_service::Settings::default(),
    )?;
    Ok(AppState::new(service))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Options, Shape};

    fn parse(args: &str) -> Options {
        let args = std::iter::once("yici-bench").chain(args.split_whitespace());
        Options::try_parse_from(args).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn defaults_are_those_of_the_recorded_run() {
        let o = parse("");
        assert_eq!((o.requests, o.connections, o.plan_runs), (20_000, 8, 2_000));
        assert_eq!((o.queries, o.load_runs), (1_000, 5));
        let (shape, default) = (o.shape(), Shape::default());
        assert_eq!((shape.matters, shape.one_things), (10_000, 1_000));
        assert_eq!((shape.largest, shape.seed), (default.largest, default.seed));
        assert!(o.demo.ends_with("../catalog"));
        assert!(o.out.is_none() && o.markdown.is_none() && o.only.is_none());
    }

    #[test]
    fn every_option_keeps_its_name() {
        let o = parse(
            "--demo d --out o --requests 200 --connections 2 --plan-runs 3 --queries 4 \
             --load-runs 1 --matters 100 --one-things 10 --markdown m.md --only search",
        );
        assert_eq!((o.requests, o.connections, o.plan_runs), (200, 2, 3));
        assert_eq!((o.queries, o.load_runs), (4, 1));
        assert_eq!((o.shape().matters, o.shape().one_things), (100, 10));
        assert!(o.wants("search") && !o.wants("pages"));
        assert!(o.out.is_some() && o.markdown.is_some());
    }
}
