//! Complete cases of a one-thing (the karaoke venue unless told otherwise)
//! driven through the HTTP API, as `crates/server/tests/cases.rs` drives
//! one: the clerk submits at the window and accepts (If-Match), each
//! department's reviewer reads their open queue and approves, the clerk
//! issues (certificates included) and delivers.
//!
//! With `reads` > 0 the case also lets data travel: after acceptance the
//! applicant grants consent through the API, and before deciding, the
//! reviewers of the matters chosen by [`crate::data_reads::reading_matters`]
//! read their task's data (`GET /tasks/{id}/data`: consent, purpose and
//! fields checked, every data set read recorded as an event and a ledger
//! leaf) until `reads` data sets were read.
//!
//! `concurrency` client threads each hold one keep-alive connection and
//! drive one case at a time, so `concurrency` cases are in flight. With a
//! `rate`, case `i` starts no earlier than `start + i / rate` (an open
//! schedule: a late case starts at once, and its lateness is visible in the
//! case latency, which counts from the scheduled start).

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

pub use crate::client::Client;
pub use crate::hall::{Setup, login, setup};
use crate::latency::Summary;
use crate::scans::Scans;
pub use crate::timer::Kind;
use crate::timer::{Samples, Timer};

/// How to drive.
#[derive(Debug, Clone)]
pub struct Config {
    /// Complete cases to drive.
    pub cases: usize,
    /// Client threads (cases in flight).
    pub concurrency: usize,
    /// Cases started per second, if limited.
    pub rate: Option<f64>,
    /// Read the reviewer's queue before each decision.
    pub queue_reads: bool,
    /// Data sets read with consent per case (0: no consent, no reads).
    pub reads: usize,
    /// Prefix of the idempotency keys (unique per run).
    pub key_prefix: String,
    /// Files the clerk gives per case after submitting it (scans of the
    /// brought materials, in turn); 0 for none.
    pub uploads: usize,
    /// Bytes of each file.
    pub upload_bytes: usize,
    /// Pay a fee online and send the result by express (issue 18 §8).
    pub two_way: Option<std::sync::Arc<crate::two_way::TwoWay>>,
}

/// Numbers the scans of a process, so that no two uploads are the same
/// content (a kept content is not stored twice, which would flatter the
/// figure).
static SCAN: AtomicU64 = AtomicU64::new(0);

/// What a run measured.
#[derive(Debug, Clone)]
pub struct CaseRun {
    /// Complete (delivered) cases.
    pub cases: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Latency per request type.
    pub per_kind: Vec<(Kind, Summary)>,
    /// Latency of every writing request together.
    pub writes: Summary,
    /// Latency of a whole case (from its scheduled start when rate-limited).
    pub case_latency: Summary,
    /// Requests sent.
    pub requests: usize,
    /// Data sets read (each a recorded, consent-checked read).
    pub data_reads: usize,
}

impl CaseRun {
    /// Complete cases per second.
    pub fn per_second(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64()
    }
}

/// What a case's answers carry that the load follows; the rest of each
/// answer is skipped unparsed.
#[derive(Debug, Deserialize)]
struct CaseReply {
    id: String,
    status: String,
    version: u64,
    #[serde(default)]
    tasks: Vec<TaskReply>,
}

#[derive(Debug, Deserialize)]
struct TaskReply {
    id: String,
    state: String,
    department: String,
    matter: String,
}

/// A data read's answer: the data sets read.
#[derive(Debug, Deserialize)]
struct DataReply {
    #[serde(default)]
    datasets: HashMap<String, IgnoredAny>,
}

/// Sends a case's requests, timing each.
/// Drives one complete case; pushes each request's latency.
fn one_case(
    client: &mut Client,
    setup: &Setup,
    config: &Config,
    i: usize,
    samples: &mut Samples,
    data_reads: &AtomicUsize,
    scans: Option<&mut Scans>,
) -> io::Result<usize> {
    let mut timer = Timer {
        samples,
        requests: 0,
    };
    let key = format!("{}-{i}", config.key_prefix);
    let clerk = setup.clerk.as_str();
    let case: CaseReply = timer.send(
        Kind::Submit,
        client,
        "POST",
        "/api/v1/cases",
        clerk,
        &[("Idempotency-Key", &key)],
        Some(&setup.submission),
    )?;
    let id = case.id;
    if let Some(scans) = scans {
        for j in 0..config.uploads {
            let material = &setup.brought[j % setup.brought.len().max(1)];
            let path = format!("/api/v1/cases/{id}/materials/{material}/files?name=scan.pdf");
            let n = SCAN.fetch_add(1, Ordering::Relaxed);
            timer.upload(client, &path, clerk, scans.nth(n))?;
        }
    }
    let mut case: CaseReply = timer.send(
        Kind::Accept,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/accept"),
        clerk,
        &[("If-Match", &format!("\"{}\"", case.version))],
        Some("{}"),
    )?;
    if let Some(tw) = &config.two_way {
        crate::two_way::pay_and_choose(&mut timer, client, &setup.applicant, tw, &id)?;
    }
    let mut readers = Vec::new();
    if config.reads > 0 {
        let consent: Value = timer.send(
            Kind::Consent,
            client,
            "POST",
            &format!("/api/v1/cases/{id}/consent"),
            &setup.applicant,
            &[],
            Some(r#"{"grant":true}"#),
        )?;
        readers = crate::data_reads::reading_matters(&consent["scope"], config.reads);
    }
    let mut read = 0;
    let decision = json!({"outcome": "approve", "comment": "符合条件"}).to_string();
    // Stages open one after the other; a few rounds decide them all.
    for _round in 0..16 {
        if case.status != "accepted" && case.status != "in_review" {
            break;
        }
        let open: Vec<TaskReply> = std::mem::take(&mut case.tasks)
            .into_iter()
            .filter(|t| t.state == "open")
            .collect();
        if open.is_empty() {
            break;
        }
        for task in open {
            let token = setup
                .reviewers
                .get(&task.department)
                .ok_or_else(|| io::Error::other(format!("no reviewer for {}", task.department)))?;
            if config.queue_reads {
                timer.send::<IgnoredAny>(
                    Kind::Queue,
                    client,
                    "GET",
                    "/api/v1/tasks?state=open",
                    token,
                    &[],
                    None,
                )?;
            }
            if let Some(at) = readers.iter().position(|m| *m == task.matter) {
                readers.swap_remove(at);
                let data: DataReply = timer.send(
                    Kind::Read,
                    client,
                    "GET",
                    &format!("/api/v1/tasks/{}/data", task.id),
                    token,
                    &[],
                    None,
                )?;
                read += data.datasets.len();
            }
            case = timer.send(
                Kind::Decide,
                client,
                "POST",
                &format!("/api/v1/tasks/{}/decision", task.id),
                token,
                &[],
                Some(&decision),
            )?;
        }
    }
    if read < config.reads {
        return Err(io::Error::other(format!(
            "case {id} read {read} data sets, not {}: the one-thing's matters read too little of what the exchange holds",
            config.reads
        )));
    }
    data_reads.fetch_add(read, Ordering::Relaxed);
    if case.status != "decided" {
        return Err(io::Error::other(format!(
            "case {id} is {} after the decisions",
            case.status
        )));
    }
    let case: CaseReply = timer.send(
        Kind::Issue,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/issue"),
        clerk,
        &[],
        Some(&json!({"version": case.version}).to_string()),
    )?;
    let status = match &config.two_way {
        Some(tw) => crate::two_way::ship(&mut timer, client, clerk, tw, &id)?,
        None => deliver_at_window(&mut timer, client, clerk, &id, case.version)?,
    };
    if status != "delivered" {
        return Err(io::Error::other(format!(
            "case {id} is {status} after delivery"
        )));
    }
    Ok(timer.requests)
}

/// The clerk hands the result over at the window; the case's status.
fn deliver_at_window(
    timer: &mut Timer<'_>,
    client: &mut Client,
    clerk: &str,
    id: &str,
    version: u64,
) -> io::Result<String> {
    let case: CaseReply = timer.send(
        Kind::Deliver,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/deliver"),
        clerk,
        &[],
        Some(&json!({"version": version, "mode": "window", "window": "w-commerce"}).to_string()),
    )?;
    Ok(case.status)
}

/// Drives `config.cases` complete cases against `addr`.
pub fn drive(addr: SocketAddr, setup: &Setup, config: &Config) -> io::Result<CaseRun> {
    let next = AtomicUsize::new(0);
    let data_reads = AtomicUsize::new(0);
    let failed = Mutex::new(None::<io::Error>);
    let start = Instant::now();
    let results: Vec<(Samples, Vec<Duration>, usize)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..config.concurrency.max(1))
            .map(|_| {
                let next = &next;
                let data_reads = &data_reads;
                let failed = &failed;
                scope.spawn(move || {
                    let mut samples = Samples::new();
                    let mut cases = Vec::new();
                    let mut requests = 0;
                    let mut scans = (config.uploads > 0).then(|| Scans::new(config.upload_bytes));
                    let mut client = match Client::connect(addr) {
                        Ok(c) => c,
                        Err(e) => {
                            *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                            return (samples, cases, requests);
                        }
                    };
                    loop {
                        if failed.lock().map(|f| f.is_some()).unwrap_or(true) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= config.cases {
                            break;
                        }
                        let begin = match config.rate {
                            Some(rate) => {
                                let due = start + Duration::from_secs_f64(i as f64 / rate);
                                let now = Instant::now();
                                if due > now {
                                    thread::sleep(due - now);
                                }
                                due
                            }
                            None => Instant::now(),
                        };
                        let scans = scans.as_mut();
                        match one_case(
                            &mut client,
                            setup,
                            config,
                            i,
                            &mut samples,
                            data_reads,
                            scans,
                        ) {
                            Ok(n) => {
                                requests += n;
                                cases.push(begin.elapsed());
                            }
                            Err(e) => {
                                *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                                break;
                            }
                        }
                    }
                    (samples, cases, requests)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let elapsed = start.elapsed();
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    let mut all = Samples::new();
    let mut cases = Vec::new();
    let mut requests = 0;
    for (s, c, n) in results {
        for (k, v) in s {
            all.entry(k).or_default().extend(v);
        }
        cases.extend(c);
        requests += n;
    }
    let mut writes: Vec<Duration> = all
        .iter()
        .filter(|(k, _)| k.writes())
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    let per_kind = Kind::ALL
        .iter()
        .filter_map(|k| all.get_mut(k).and_then(|v| Summary::of(v)).map(|s| (*k, s)))
        .collect();
    let none = || io::Error::other("no cases completed");
    Ok(CaseRun {
        cases: cases.len(),
        elapsed,
        per_kind,
        writes: Summary::of(&mut writes).ok_or_else(none)?,
        case_latency: Summary::of(&mut cases).ok_or_else(none)?,
        requests,
        data_reads: data_reads.into_inner(),
    })
}
