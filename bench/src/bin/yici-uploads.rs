//! Large uploads (issue 17 §6): starts the real `yici serve` (release) on
//! 127.0.0.1 with SQLite or a fresh PostgreSQL database, submits karaoke
//! cases at the window, and gives `--files` PDFs of `--mb` MB each (each its
//! own content) one after another on one keep-alive connection, as the
//! clerk scanning for an applicant. Prints p50/p99 of the upload against
//! the target (10 MB: p99 < 300 ms on loopback) and the server's memory:
//! its resident size before the measured run, and its peak during it
//! (VmHWM, reset through /proc/PID/clear_refs after the warm-up), against
//! the target that memory stays flat: the peak grows by less than 16 MB
//! whatever the file's size (bench/RESULTS.md has 1, 10 and 19 MB runs:
//! the growth is the same, the database's and the server's own, not the
//! files').
//!
//! Usage: `yici-uploads [--backend sqlite|postgres] [--pg URL] [--files N]
//! [--mb MB] [--warmup N] [--per-case N] [--yici PATH] [--catalog DIR]
//! [--markdown FILE]`. Exit status is non-zero only on an error.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use yici_bench::case_load::{Client, setup};
use yici_bench::latency::{Human, Summary};
use yici_bench::report::Report;
use yici_bench::scans::Scans;
use yici_bench::server_proc::Backend;

const P99_TARGET: Duration = Duration::from_millis(300);
/// Most the server's peak may grow during the run, in MB.
const FLAT_MB: f64 = 16.0;

/// Large uploads through the real `yici serve`: latency and memory.
#[derive(clap::Parser)]
#[command(name = "yici-uploads")]
struct Options {
    #[command(flatten)]
    backend: Backend,
    /// Uploads measured.
    #[arg(long, value_name = "N", default_value_t = 100)]
    files: usize,
    /// Size of each file, in MB.
    #[arg(long, value_name = "MB", default_value_t = 10)]
    mb: usize,
    /// Uploads before measuring, not measured.
    #[arg(long, value_name = "N", default_value_t = 5)]
    warmup: usize,
    /// Files given to one case before the next case is submitted (the
    /// server's default limits: 20 files a material, 200 MB a case).
    #[arg(long, value_name = "N", default_value_t = 12)]
    per_case: usize,
    /// Markdown file the figures are appended to.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
}

fn main() -> ExitCode {
    yici_bench::command::exit(run)
}

/// Gives `n` files, each to the next brought material of the current case,
/// submitting a new case every `per_case` files; returns each upload's time.
fn give(
    client: &mut Client,
    hall: &yici_bench::hall::Setup,
    scans: &mut Scans,
    first: u64,
    n: usize,
    per_case: usize,
) -> io::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(n);
    let mut case = String::new();
    for i in 0..n {
        if i % per_case.max(1) == 0 {
            let key = format!("uploads-{}-{first}-{i}", std::process::id());
            let v: serde_json::Value = client.parsed(
                "POST",
                "/api/v1/cases",
                Some(&hall.clerk),
                &[("Idempotency-Key", &key)],
                Some(&hall.submission),
                201,
            )?;
            case = v["id"].as_str().unwrap_or_default().to_owned();
        }
        let material = &hall.brought[i % hall.brought.len().max(1)];
        let path = format!("/api/v1/cases/{case}/materials/{material}/files?name=scan.pdf");
        let body = scans.nth(first + i as u64);
        let start = Instant::now();
        let (status, answer) =
            client.send_bytes("POST", &path, Some(&hall.clerk), "application/pdf", body)?;
        times.push(start.elapsed());
        if status != 201 {
            return Err(io::Error::other(format!(
                "POST {path}: status {status}: {}",
                String::from_utf8_lossy(answer)
            )));
        }
    }
    Ok(times)
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let pg = o.backend.database("uploads")?;
    let tag = o.backend.name();
    let result = (|| -> Result<Report, Box<dyn std::error::Error>> {
        let server = o
            .backend
            .serve(&data, pg.as_ref(), &temp.path().join("server.log"))?;
        let hall = setup(server.addr(), &o.backend.catalog, "ot-karaoke")?;
        let mut scans = Scans::new(o.mb * 1024 * 1024);
        let mut client = Client::connect(server.addr())?;
        give(&mut client, &hall, &mut scans, 0, o.warmup, o.per_case)?;
        // The peak of the measured run alone: the kernel resets VmHWM to
        // the current size on "5" (see proc(5), clear_refs).
        std::fs::write(format!("/proc/{}/clear_refs", server.pid()), "5")?;
        let before = server.rss_kb().unwrap_or(0);
        let started = Instant::now();
        let mut times = give(
            &mut client,
            &hall,
            &mut scans,
            o.warmup as u64,
            o.files,
            o.per_case,
        )?;
        let elapsed = started.elapsed();
        let peak = server.peak_rss_kb().unwrap_or(0);
        let after = server.rss_kb().unwrap_or(0);
        server.stop()?;

        let s = Summary::of(&mut times).ok_or("no upload measured")?;
        let mut r = Report::default();
        let size = scans.size() as f64 / (1024.0 * 1024.0);
        r.info(
            format!("[{tag}] run"),
            format!(
                "{} uploads of {size:.1} MB, one connection, {} per case",
                s.count, o.per_case
            ),
        );
        let p99 = format!("{} / {}", Human(s.median), Human(s.p99));
        let label = format!("[{tag}] upload p50 / p99");
        if o.mb == 10 {
            r.target(label, p99, "p99 < 300 ms", s.p99 < P99_TARGET);
        } else {
            r.info(label, p99);
        }
        r.info(
            format!("[{tag}] throughput"),
            format!("{:.0} MB/s", size * s.count as f64 / elapsed.as_secs_f64()),
        );
        let growth = peak.saturating_sub(before);
        r.target(
            format!("[{tag}] server memory: before / peak (VmHWM) / after"),
            format!(
                "{:.1} / {:.1} / {:.1} MB (peak − before {:.1} MB)",
                before as f64 / 1024.0,
                peak as f64 / 1024.0,
                after as f64 / 1024.0,
                growth as f64 / 1024.0
            ),
            format!("peak − before < {FLAT_MB} MB"),
            (growth as f64 / 1024.0) < FLAT_MB,
        );
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
