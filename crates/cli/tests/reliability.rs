//! Crash safety of case handling (DESIGN invariant 1), with the real
//! `yici serve` process: SIGKILL it while clerks submit and accept cases
//! with idempotency keys, restart it on the same data, retry every key.
//! Every acknowledged case exists exactly once with its whole history, and
//! no retry creates a second case. On SQLite and on PostgreSQL.
//!
//! The client is a few lines of HTTP/1.1 over `TcpStream` (one request per
//! connection), so that a killed server shows up as a plain I/O error.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod http_client;
mod serve_process;
use http_client::http;
use serve_process::{PgDatabase, Server, form_for};

/// Cases acknowledged between a start and its kill.
const ACKNOWLEDGED_BEFORE_KILL: usize = 30;
/// Client threads submitting at once.
const CLIENTS: usize = 8;
/// Times the server is killed before the final restart.
const KILLS: usize = 3;
/// Bound on each client's submissions, whatever happens.
const MAX_PER_CLIENT: usize = 100;

/// What the clients saw before the kill, per idempotency key.
#[derive(Default)]
struct Seen {
    /// The body sent with each key (a retry must send the same bytes).
    bodies: BTreeMap<String, String>,
    /// Keys answered 201, with the case id.
    acknowledged: BTreeMap<String, String>,
    /// Cases whose acceptance was answered 200.
    accepted: BTreeSet<String>,
    /// Answers that are neither success nor a lost connection.
    unexpected: Vec<String>,
}

/// Clerks submit window applications, each with its own key, and accept
/// each one acknowledged, until `stop`.
fn submit_until_stopped(
    server: &Server,
    token: &str,
    form: &Value,
    seen: &Arc<Mutex<Seen>>,
    acked: &Arc<AtomicUsize>,
    stop: &Arc<AtomicBool>,
) -> Vec<thread::JoinHandle<()>> {
    (0..CLIENTS)
        .map(|client| {
            let (addr, token, seen) = (server.addr, token.to_owned(), Arc::clone(seen));
            let (acked, stop, form) = (Arc::clone(acked), Arc::clone(stop), form.clone());
            thread::spawn(move || {
                for i in 0..MAX_PER_CLIENT {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let key = format!("crash-{client}-{i}-{}", uuid::Uuid::new_v4());
                    let body = json!({
                        "one_thing": "ot-karaoke",
                        "channel": "window",
                        "applicant": {"kind": "person", "resident_id": yici_service::demo::resident_id("33021219900307001"), "name": format!("申请人{client}-{i}"), "region": "330212"},
                        "form": form,
                    })
                    .to_string();
                    seen.lock().expect("seen").bodies.insert(key.clone(), body.clone());
                    let answer = http(addr, "POST", "/api/v1/cases", Some(&token), &[("Idempotency-Key", &key)], Some(&body));
                    let id = match answer {
                        Ok(a) if a.status == 201 => a.json()["id"].as_str().expect("id").to_owned(),
                        Ok(a) => {
                            seen.lock().expect("seen").unexpected.push(format!("submit {key}: {} {}", a.status, a.body));
                            continue;
                        }
                        Err(_) => continue,
                    };
                    seen.lock().expect("seen").acknowledged.insert(key, id.clone());
                    acked.fetch_add(1, Ordering::SeqCst);
                    let path = format!("/api/v1/cases/{id}/accept");
                    match http(addr, "POST", &path, Some(&token), &[("If-Match", "\"1\"")], Some("{}")) {
                        Ok(a) if a.status == 200 => {
                            seen.lock().expect("seen").accepted.insert(id);
                        }
                        Ok(a) => seen.lock().expect("seen").unexpected.push(format!("accept {id}: {} {}", a.status, a.body)),
                        Err(_) => {}
                    }
                }
            })
        })
        .collect()
}

/// The whole scenario on one store: `database_url` None means SQLite in
/// the data directory.
fn kill_restart_and_retry(database_url: Option<&str>) {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let log = dir.path().join("server.log");

    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut kills = Vec::new();
    for _ in 0..KILLS {
        let server = Server::start(&data, database_url, &log);
        let clerk = server.login("clerk");
        let form = form_for(&server.get("/api/v1/one-things/ot-karaoke/plan", &clerk));
        let acked = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let clients = submit_until_stopped(&server, &clerk, &form, &seen, &acked, &stop);
        let deadline = Instant::now() + Duration::from_secs(180);
        while acked.load(Ordering::SeqCst) < ACKNOWLEDGED_BEFORE_KILL
            && clients.iter().any(|c| !c.is_finished())
        {
            let n = acked.load(Ordering::SeqCst);
            assert!(
                Instant::now() < deadline,
                "too slow: {n} acknowledged in 3 minutes"
            );
            thread::sleep(Duration::from_millis(5));
        }
        stop.store(true, Ordering::SeqCst);
        server.kill();
        for c in clients {
            c.join().expect("client thread");
        }
        kills.push(started.elapsed());
    }
    let seen = Arc::try_unwrap(seen)
        .ok()
        .expect("clients done")
        .into_inner()
        .expect("seen");
    assert!(
        seen.unexpected.is_empty(),
        "unexpected answers: {:#?}",
        seen.unexpected
    );
    let expected = KILLS * ACKNOWLEDGED_BEFORE_KILL;
    assert!(
        seen.acknowledged.len() >= expected,
        "{} acknowledged",
        seen.acknowledged.len()
    );

    let server = Server::start(&data, database_url, &log);
    let clerk = server.login("clerk");
    let mut case_of: BTreeMap<&str, String> = BTreeMap::new();
    let mut committed_unanswered = 0;
    for round in 0..2 {
        for (key, body) in &seen.bodies {
            let a = http(
                server.addr,
                "POST",
                "/api/v1/cases",
                Some(&clerk),
                &[("Idempotency-Key", key)],
                Some(body),
            )
            .unwrap_or_else(|e| panic!("retry {key}: {e}\n{}", server.log_tail()));
            let id = a.json()["id"].as_str().map(str::to_owned);
            let id = id.unwrap_or_else(|| panic!("retry {key}: {} {}", a.status, a.body));
            match (seen.acknowledged.get(key), case_of.get(key.as_str())) {
                (Some(original), _) => {
                    assert_eq!(a.status, 200, "acknowledged {key} replays: {}", a.body);
                    assert_eq!(&id, original, "acknowledged {key} keeps its case");
                }
                (None, Some(first)) => {
                    assert_eq!(a.status, 200, "round {round}: {key}");
                    assert_eq!(&id, first, "a second retry of {key} keeps its case");
                }
                (None, None) => {
                    assert!(
                        matches!(a.status, 200 | 201),
                        "{key}: {} {}",
                        a.status,
                        a.body
                    );
                    committed_unanswered += usize::from(a.status == 200);
                }
            }
            case_of.insert(key, id);
        }
    }
    let distinct: BTreeSet<&String> = case_of.values().collect();
    assert_eq!(
        distinct.len(),
        seen.bodies.len(),
        "each key has its own case"
    );

    let supervisor = server.login("supervisor");
    let mut listed = BTreeSet::new();
    for page in 1..=100 {
        let p = server.get(
            &format!("/api/v1/cases?per_page=100&page={page}"),
            &supervisor,
        );
        assert_eq!(
            p["total"].as_u64(),
            Some(seen.bodies.len() as u64),
            "one case per key, no more"
        );
        let items = p["items"].as_array().expect("items");
        listed.extend(
            items
                .iter()
                .map(|c| c["id"].as_str().expect("id").to_owned()),
        );
        if items.is_empty() || listed.len() >= seen.bodies.len() {
            break;
        }
    }
    assert_eq!(
        listed.iter().collect::<BTreeSet<_>>(),
        distinct,
        "the listed cases are the keys' cases"
    );

    for id in &listed {
        let case = server.get(&format!("/api/v1/cases/{id}"), &supervisor);
        let version = case["version"].as_u64().expect("version");
        let events = case["events"].as_array().expect("events");
        assert_eq!(
            events.first().map(|e| &e["kind"]),
            Some(&json!("submitted")),
            "{id} starts with its submission"
        );
        let seqs: BTreeSet<u64> = events.iter().filter_map(|e| e["seq"].as_u64()).collect();
        assert_eq!(
            seqs,
            (1..=version).collect(),
            "{id}: one transition per version, none missing"
        );
        assert_eq!(
            events.last().map(|e| &e["seq"]),
            Some(&json!(version)),
            "{id}"
        );
        let accepted = events.iter().any(|e| e["kind"] == "accepted");
        assert_eq!(
            accepted,
            version >= 2,
            "{id}: version {version} and its acceptance agree"
        );
        if seen.accepted.contains(id) {
            assert_eq!(
                case["status"], "accepted",
                "{id}: an acknowledged acceptance survives"
            );
        }
    }
    eprintln!(
        "{}: {} keys, {} acknowledged, {} unanswered but committed, {} acceptances acknowledged; killed at {:.1?}, whole test {:.1?}",
        if database_url.is_some() {
            "postgres"
        } else {
            "sqlite"
        },
        seen.bodies.len(),
        seen.acknowledged.len(),
        committed_unanswered,
        seen.accepted.len(),
        kills,
        started.elapsed()
    );
}

#[test]
fn sigkill_during_submissions_loses_and_duplicates_nothing_on_sqlite() {
    kill_restart_and_retry(None);
}

#[test]
fn sigkill_during_submissions_loses_and_duplicates_nothing_on_postgres() {
    let db = PgDatabase::create();
    kill_restart_and_retry(Some(&db.url));
}
