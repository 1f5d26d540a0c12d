//! Consent-checked reads of shared data through the real server (issue 5
//! §5): cases are submitted at the window and accepted, the applicant
//! grants consent through the API, and then the reviewer of the reading
//! department calls `GET /api/v1/tasks/{id}/data` again and again. Each
//! call checks the consent (granted, not lapsed), the purpose (the task's
//! matter) and the fields (the catalog's grants), reads every data set the
//! matter may read, and records each as a `data_read` event with its
//! ledger leaf, in one transaction per data set.

use std::io;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::client::Client;
use crate::hall::Setup;
use crate::latency::Summary;

/// The matters whose tasks read in a case whose consent covers `scope`
/// (the `scope` array of `POST /cases/{id}/consent`), so that `reads` data
/// sets are read: the first matter (by code) that reads exactly `reads`
/// data sets, or else the matters reading most, until `reads` is reached.
pub fn reading_matters(scope: &Value, reads: usize) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for item in scope.as_array().into_iter().flatten() {
        for m in item["matters"].as_array().into_iter().flatten() {
            let Some(m) = m.as_str() else { continue };
            match counts.iter_mut().find(|(c, _)| c == m) {
                Some((_, n)) => *n += 1,
                None => counts.push((m.to_owned(), 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if let Some((m, _)) = counts.iter().find(|(_, n)| *n == reads) {
        return vec![m.clone()];
    }
    let mut chosen = Vec::new();
    let mut total = 0;
    for (m, n) in counts {
        if total >= reads {
            break;
        }
        total += n;
        chosen.push(m);
    }
    chosen
}

/// What the reads go to: an open task of the reading matter in each case.
#[derive(Debug, Clone)]
pub struct Targets {
    /// The matter whose tasks read.
    pub matter: String,
    /// Its department (whose reviewer reads).
    pub department: String,
    /// One task of it per case.
    pub tasks: Vec<String>,
}

fn id_of(v: &Value, what: &str) -> io::Result<String> {
    v["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| io::Error::other(format!("{what} has no id")))
}

/// Submits and accepts `cases` cases at the window, grants each one's
/// consent as the applicant, and finds in each the task of the matter that
/// reads most data sets (see [`reading_matters`]).
pub fn prepare(
    addr: SocketAddr,
    setup: &Setup,
    cases: usize,
    key_prefix: &str,
) -> io::Result<Targets> {
    let mut client = Client::connect(addr)?;
    let mut matter = None::<String>;
    let mut targets = Targets {
        matter: String::new(),
        department: String::new(),
        tasks: Vec::with_capacity(cases),
    };
    for i in 0..cases {
        let key = format!("{key_prefix}-{i}");
        let case = client.parsed::<Value>(
            "POST",
            "/api/v1/cases",
            Some(&setup.clerk),
            &[("Idempotency-Key", &key)],
            Some(&setup.submission),
            201,
        )?;
        let id = id_of(&case, "the submitted case")?;
        let case = client.parsed::<Value>(
            "POST",
            &format!("/api/v1/cases/{id}/accept"),
            Some(&setup.clerk),
            &[("If-Match", "\"1\"")],
            Some("{}"),
            200,
        )?;
        let consent = client.parsed::<Value>(
            "POST",
            &format!("/api/v1/cases/{id}/consent"),
            Some(&setup.applicant),
            &[],
            Some(r#"{"grant":true}"#),
            200,
        )?;
        let m = match &matter {
            Some(m) => m.clone(),
            None => {
                let m = reading_matters(&consent["scope"], usize::MAX)
                    .into_iter()
                    .next()
                    .ok_or_else(|| io::Error::other("the consent covers no read"))?;
                matter = Some(m.clone());
                m
            }
        };
        let task = case["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["matter"] == m.as_str() && t["state"] == "open")
            .ok_or_else(|| io::Error::other(format!("case {id} has no open task of {m}")))?;
        targets.department = task["department"].as_str().unwrap_or_default().to_owned();
        targets.tasks.push(id_of(task, "the task")?);
    }
    targets.matter = matter.unwrap_or_default();
    Ok(targets)
}

/// What a read load measured.
#[derive(Debug, Clone)]
pub struct ReadRun {
    /// Latency of one `GET /tasks/{id}/data`.
    pub latency: Summary,
    /// Wall time.
    pub elapsed: Duration,
    /// Data sets read in all (each recorded).
    pub data_sets: usize,
}

impl ReadRun {
    /// Read requests per second.
    pub fn per_second(&self) -> f64 {
        self.latency.count as f64 / self.elapsed.as_secs_f64()
    }
}

/// `requests` reads by the reviewer's token, spread over the targets'
/// tasks, from `concurrency` keep-alive connections.
pub fn drive(
    addr: SocketAddr,
    reviewer: &str,
    targets: &Targets,
    requests: usize,
    concurrency: usize,
) -> io::Result<ReadRun> {
    let next = AtomicUsize::new(0);
    let data_sets = AtomicUsize::new(0);
    let failed = Mutex::new(None::<io::Error>);
    let start = Instant::now();
    let samples: Vec<Duration> = thread::scope(|scope| {
        let workers: Vec<_> = (0..concurrency.max(1))
            .map(|_| {
                let (next, data_sets, failed) = (&next, &data_sets, &failed);
                scope.spawn(move || {
                    let mut own = Vec::new();
                    let result = (|| -> io::Result<()> {
                        let mut client = Client::connect(addr)?;
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= requests || failed.lock().map(|f| f.is_some()).unwrap_or(true) {
                                return Ok(());
                            }
                            let task = &targets.tasks[i % targets.tasks.len()];
                            let path = format!("/api/v1/tasks/{task}/data");
                            let begin = Instant::now();
                            let v = client.parsed::<Value>(
                                "GET",
                                &path,
                                Some(reviewer),
                                &[],
                                None,
                                200,
                            )?;
                            own.push(begin.elapsed());
                            let n = v["datasets"].as_object().map_or(0, |d| d.len());
                            data_sets.fetch_add(n, Ordering::Relaxed);
                        }
                    })();
                    if let Err(e) = result {
                        *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    }
                    own
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let elapsed = start.elapsed();
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    let mut samples = samples;
    Ok(ReadRun {
        latency: Summary::of(&mut samples).ok_or_else(|| io::Error::other("no reads"))?,
        elapsed,
        data_sets: data_sets.into_inner(),
    })
}
