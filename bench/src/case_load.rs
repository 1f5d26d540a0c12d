//! Complete karaoke-venue cases driven through the HTTP API, as
//! `crates/server/tests/cases.rs` drives one: the clerk submits at the
//! window and accepts (If-Match), each of the six departments' reviewers
//! reads their open queue and approves, the clerk issues and delivers.
//!
//! `concurrency` client threads each hold one keep-alive connection and
//! drive one case at a time, so `concurrency` cases are in flight. With a
//! `rate`, case `i` starts no earlier than `start + i / rate` (an open
//! schedule: a late case starts at once, and its lateness is visible in the
//! case latency, which counts from the scheduled start).

use std::collections::HashMap;
use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http_load::read_response;
use crate::latency::Summary;

/// A keep-alive HTTP/1.1 connection sending JSON requests.
pub struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
    body: Vec<u8>,
    out: Vec<u8>,
}

impl Client {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(120)))?;
        Ok(Client {
            writer: stream.try_clone()?,
            reader: BufReader::with_capacity(64 * 1024, stream),
            body: Vec::new(),
            out: Vec::with_capacity(16 * 1024),
        })
    }

    /// Sends one request; returns the status and the body.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> io::Result<(u16, &[u8])> {
        self.out.clear();
        write!(
            self.out,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        )?;
        if let Some(t) = token {
            write!(self.out, "Authorization: Bearer {t}\r\n")?;
        }
        for (k, v) in headers {
            write!(self.out, "{k}: {v}\r\n")?;
        }
        match body {
            Some(b) => write!(
                self.out,
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
                b.len()
            )?,
            None => self.out.extend_from_slice(b"\r\n"),
        }
        self.writer.write_all(&self.out)?;
        let status = read_response(&mut self.reader, &mut self.body)?;
        Ok((status, &self.body))
    }

    /// Sends a request that must answer `expect`; returns the body as JSON.
    pub fn json(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&str>,
        expect: u16,
    ) -> io::Result<Value> {
        let (status, bytes) = self.send(method, path, token, headers, body)?;
        if status != expect {
            return Err(io::Error::other(format!(
                "{method} {path}: status {status}, expected {expect}: {}",
                String::from_utf8_lossy(bytes)
            )));
        }
        serde_json::from_slice(bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{path}: {e}")))
    }
}

/// The request types of a case, in the order a case sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// POST /api/v1/cases (window submission).
    Submit,
    /// POST /api/v1/cases/{id}/accept.
    Accept,
    /// GET /api/v1/tasks?state=open (a reviewer's queue).
    Queue,
    /// POST /api/v1/tasks/{id}/decision.
    Decide,
    /// POST /api/v1/cases/{id}/issue.
    Issue,
    /// POST /api/v1/cases/{id}/deliver.
    Deliver,
}

impl Kind {
    /// All kinds, in case order.
    pub const ALL: [Kind; 6] = [
        Kind::Submit,
        Kind::Accept,
        Kind::Queue,
        Kind::Decide,
        Kind::Issue,
        Kind::Deliver,
    ];

    /// The request, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Submit => "POST /cases (submit)",
            Kind::Accept => "POST /cases/{id}/accept",
            Kind::Queue => "GET /tasks?state=open",
            Kind::Decide => "POST /tasks/{id}/decision",
            Kind::Issue => "POST /cases/{id}/issue",
            Kind::Deliver => "POST /cases/{id}/deliver",
        }
    }

    /// Whether the request writes (one database transaction).
    pub fn writes(self) -> bool {
        self != Kind::Queue
    }
}

/// What every case needs: tokens and the submission body.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The window clerk's bearer token.
    pub clerk: String,
    /// Each department's reviewer token.
    pub reviewers: HashMap<String, String>,
    /// The body of POST /api/v1/cases.
    pub submission: String,
}

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
    /// Prefix of the idempotency keys (unique per run).
    pub key_prefix: String,
}

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
}

impl CaseRun {
    /// Complete cases per second.
    pub fn per_second(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64()
    }
}

/// Signs in a demo user; returns the token.
pub fn login(client: &mut Client, username: &str) -> io::Result<String> {
    let body = json!({"username": username, "password": "demo"}).to_string();
    let v = client.json("POST", "/api/v1/sessions", None, &[], Some(&body), 201)?;
    v["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| io::Error::other(format!("login {username}: no token")))
}

/// Builds the setup: signs in the clerk and the six reviewers, and the
/// karaoke submission with a valid value for every field of its merged form
/// (the same values as `crates/server/tests/support::form_for`).
pub fn setup(addr: SocketAddr, catalog_dir: &Path) -> io::Result<Setup> {
    let catalog =
        yici_catalog::load_dir(catalog_dir).map_err(|e| io::Error::other(e.to_string()))?;
    let plan = yici_catalog::plan(&catalog, "ot-karaoke")
        .map_err(|e| io::Error::other(format!("plan ot-karaoke: {e}")))?;
    let form = form_for(&plan.form);
    let submission = json!({
        "one_thing": "ot-karaoke",
        "channel": "window",
        "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
        "form": form,
    })
    .to_string();
    let mut departments: Vec<String> = plan
        .stages
        .iter()
        .flat_map(|s| s.tasks.iter().map(|t| t.department.to_string()))
        .collect();
    departments.sort();
    departments.dedup();
    let mut client = Client::connect(addr)?;
    let clerk = login(&mut client, "clerk")?;
    let mut reviewers = HashMap::new();
    for d in departments {
        let token = login(&mut client, &format!("reviewer-{d}"))?;
        reviewers.insert(d, token);
    }
    Ok(Setup {
        clerk,
        reviewers,
        submission,
    })
}

fn zhang_san() -> String {
    yici_server::demo::resident_id("33021219900307001")
}

/// A valid value for every field of a merged form.
fn form_for(form: &yici_catalog::plan::Form) -> Value {
    use yici_core::catalog::FieldType;
    let mut map = serde_json::Map::new();
    for f in &form.fields {
        let v = match &f.field.field_type {
            FieldType::Text {
                pattern: Some(_), ..
            } => json!("6222021234567890123"),
            FieldType::Text { .. } => json!("宁波欢唱KTV"),
            FieldType::Number { min, .. } => json!(min.unwrap_or(0).max(1)),
            FieldType::Date => json!("2026-10-01"),
            FieldType::ResidentId => json!(zhang_san()),
            FieldType::Uscc => json!(yici_server::demo::uscc("330212", "MA2H7K3L")),
            FieldType::Phone => json!("13812345678"),
            FieldType::Region => json!("330212"),
            FieldType::Bool => json!(true),
            FieldType::Choice { options } => json!(options[0]),
        };
        map.insert(f.field.key.to_string(), v);
    }
    Value::Object(map)
}

type Samples = HashMap<Kind, Vec<Duration>>;

/// Drives one complete case; pushes each request's latency.
fn one_case(
    client: &mut Client,
    setup: &Setup,
    config: &Config,
    i: usize,
    samples: &mut Samples,
) -> io::Result<usize> {
    let mut requests = 0;
    let mut timed = |kind: Kind,
                     client: &mut Client,
                     method: &str,
                     path: &str,
                     token: &str,
                     headers: &[(&str, &str)],
                     body: Option<&str>|
     -> io::Result<Value> {
        let start = Instant::now();
        let expect = if kind == Kind::Submit { 201 } else { 200 };
        let v = client.json(method, path, Some(token), headers, body, expect)?;
        samples.entry(kind).or_default().push(start.elapsed());
        requests += 1;
        Ok(v)
    };
    let key = format!("{}-{i}", config.key_prefix);
    let clerk = setup.clerk.as_str();
    let case = timed(
        Kind::Submit,
        client,
        "POST",
        "/api/v1/cases",
        clerk,
        &[("Idempotency-Key", &key)],
        Some(&setup.submission),
    )?;
    let id = case["id"]
        .as_str()
        .ok_or_else(|| io::Error::other("submitted case has no id"))?
        .to_owned();
    let version = case["version"].as_u64().unwrap_or(1);
    let mut case = timed(
        Kind::Accept,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/accept"),
        clerk,
        &[("If-Match", &format!("\"{version}\""))],
        Some("{}"),
    )?;
    let decision = json!({"outcome": "approve", "comment": "符合条件"}).to_string();
    // Stages open one after the other; a few rounds decide them all.
    for _round in 0..16 {
        if case["status"] != "accepted" && case["status"] != "in_review" {
            break;
        }
        let open: Vec<(String, String)> = case["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["state"] == "open")
            .filter_map(|t| {
                Some((
                    t["id"].as_str()?.to_owned(),
                    t["department"].as_str()?.to_owned(),
                ))
            })
            .collect();
        if open.is_empty() {
            break;
        }
        for (task, department) in open {
            let token = setup
                .reviewers
                .get(&department)
                .ok_or_else(|| io::Error::other(format!("no reviewer for {department}")))?;
            if config.queue_reads {
                timed(
                    Kind::Queue,
                    client,
                    "GET",
                    "/api/v1/tasks?state=open",
                    token,
                    &[],
                    None,
                )?;
            }
            case = timed(
                Kind::Decide,
                client,
                "POST",
                &format!("/api/v1/tasks/{task}/decision"),
                token,
                &[],
                Some(&decision),
            )?;
        }
    }
    if case["status"] != "decided" {
        return Err(io::Error::other(format!(
            "case {id} is {} after the decisions",
            case["status"]
        )));
    }
    let v = case["version"].as_u64().unwrap_or(0);
    let case = timed(
        Kind::Issue,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/issue"),
        clerk,
        &[],
        Some(&json!({"version": v}).to_string()),
    )?;
    let v = case["version"].as_u64().unwrap_or(0);
    let case = timed(
        Kind::Deliver,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/deliver"),
        clerk,
        &[],
        Some(&json!({"version": v, "mode": "window", "window": "w-commerce"}).to_string()),
    )?;
    if case["status"] != "delivered" {
        return Err(io::Error::other(format!(
            "case {id} is {} after delivery",
            case["status"]
        )));
    }
    Ok(requests)
}

/// Drives `config.cases` complete cases against `addr`.
pub fn drive(addr: SocketAddr, setup: &Setup, config: &Config) -> io::Result<CaseRun> {
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(None::<io::Error>);
    let start = Instant::now();
    let results: Vec<(Samples, Vec<Duration>, usize)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..config.concurrency.max(1))
            .map(|_| {
                let next = &next;
                let failed = &failed;
                scope.spawn(move || {
                    let mut samples = Samples::new();
                    let mut cases = Vec::new();
                    let mut requests = 0;
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
                        match one_case(&mut client, setup, config, i, &mut samples) {
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
    })
}
