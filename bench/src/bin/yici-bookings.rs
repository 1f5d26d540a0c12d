//! Booking under contention (issue 18 §8): starts the real `yici serve`
//! (release) on 127.0.0.1 with SQLite or a fresh PostgreSQL database,
//! makes `--applicants` applicant accounts with sessions, and lets them all
//! book at once, on `--threads` keep-alive connections, the first `--slots`
//! bookable slots of a window area (demo catalog: `w-commerce`, 6 places a
//! slot). Each applicant picks a slot at random and, when it is full, another
//! it has not seen full, until it holds one or every slot is full. Prints
//! p50/p99 of every booking request (won or refused) against the target
//! (p99 < 20 ms) and the overbooking found in the database afterwards
//! (target: none): bookings held per slot against its capacity, and the
//! slot's count against the bookings.
//!
//! Usage: `yici-bookings [--backend sqlite|postgres] [--pg URL]
//! [--applicants N] [--slots N] [--threads N] [--window CODE] [--yici PATH]
//! [--catalog DIR] [--markdown FILE]`. Exit status is non-zero only on an
//! error.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use yici_bench::client::Client;
use yici_bench::latency::{Human, Summary};
use yici_bench::report::Report;
use yici_bench::server_proc::Backend;
use yici_store::{ConnectOptions, Store, User};

const P99_TARGET: Duration = Duration::from_millis(20);

/// A slot: day, start, places.
type SlotRef = (String, String, u64);
/// Numbers per slot `(day, start)`.
type PerSlot = BTreeMap<(String, String), i64>;
type Failure = Box<dyn std::error::Error>;

/// Booking under contention through the real `yici serve`.
#[derive(clap::Parser)]
#[command(name = "yici-bookings")]
struct Options {
    #[command(flatten)]
    backend: Backend,
    /// Applicants booking at once.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    applicants: usize,
    /// Slots they contend for.
    #[arg(long, value_name = "N", default_value_t = 50)]
    slots: usize,
    /// Connections booking at once.
    #[arg(long, value_name = "N", default_value_t = 50)]
    threads: usize,
    /// The window area.
    #[arg(long, value_name = "CODE", default_value = "w-commerce")]
    window: String,
    /// Markdown file the figures are appended to.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
}

fn main() -> std::process::ExitCode {
    yici_bench::command::exit(run)
}

/// A resident ID of Ningbo's Haishu district with its check character.
fn resident_id(n: usize) -> String {
    let first17 = format!("330203198001{:05}", n % 100_000);
    let check = yici_core::identifier::resident_id_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Makes the applicants and their sessions behind the server, in its
/// database; returns their bearer tokens.
async fn applicants(url: &str, n: usize) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let store = Store::connect(url, &ConnectOptions::default()).await?;
    let hash = yici_service::session::hash_password("bench")?;
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis(),
    )?;
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let u = User {
            id: format!("u-bench-{i}"),
            username: format!("bench-{i}"),
            password_hash: hash.clone(),
            role: "applicant".into(),
            display_name: format!("申请人{i}"),
            subject: Some(resident_id(i)),
            window: None,
            department: None,
            region: Some("330203".into()),
        };
        store.create_user(&u, now).await?;
        let token = yici_service::session::new_token()?;
        let hash = yici_service::session::token_hash(&token);
        store
            .create_session(&hash, &u.id, now, now + yici_service::session::SESSION_MS)
            .await?;
        tokens.push(token);
    }
    store.close().await;
    Ok(tokens)
}

/// The first `n` bookable slots of the window area: `(day, start, capacity)`.
fn slots(client: &mut Client, window: &str, n: usize) -> Result<Vec<SlotRef>, Failure> {
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(8, 0, 0)?)
        .date();
    let mut out = Vec::new();
    for d in 1..60 {
        let day = today + time::Duration::days(d);
        let path = format!("/api/v1/windows/{window}/slots?day={day}");
        let list: Value = client.parsed("GET", &path, None, &[], None, 200)?;
        for s in list.as_array().into_iter().flatten() {
            if out.len() < n {
                let start = s["start"].as_str().unwrap_or_default().to_owned();
                out.push((day.to_string(), start, s["left"].as_u64().unwrap_or(0)));
            }
        }
        if out.len() >= n {
            break;
        }
    }
    if out.len() < n {
        return Err(format!(
            "only {} bookable slots (the calendar covers the days ahead?)",
            out.len()
        )
        .into());
    }
    Ok(out)
}

/// What one connection's applicants did: each request's time, wins, refusals.
#[derive(Default)]
struct Tally {
    times: Vec<Duration>,
    won: usize,
    full: usize,
    gave_up: usize,
}

fn book_all(
    addr: std::net::SocketAddr,
    tokens: &[String],
    slots: &[SlotRef],
    window: &str,
    matter: &str,
    seed: u64,
) -> std::io::Result<Tally> {
    let mut client = Client::connect(addr)?;
    let mut t = Tally::default();
    let mut x = seed | 1;
    for token in tokens {
        let mut open: Vec<usize> = (0..slots.len()).collect();
        loop {
            if open.is_empty() {
                t.gave_up += 1;
                break;
            }
            // xorshift64: a different slot order for each applicant.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let pick = (x % open.len() as u64) as usize;
            let (day, start, _) = &slots[open[pick]];
            let body =
                json!({"window": window, "day": day, "slot": start, "matter": matter}).to_string();
            let began = Instant::now();
            let (status, answer) =
                client.send("POST", "/api/v1/bookings", Some(token), &[], Some(&body))?;
            t.times.push(began.elapsed());
            match status {
                201 => {
                    t.won += 1;
                    break;
                }
                422 if String::from_utf8_lossy(answer).contains("slot_full") => {
                    t.full += 1;
                    open.swap_remove(pick);
                }
                _ => {
                    return Err(std::io::Error::other(format!(
                        "POST /api/v1/bookings: {status}: {}",
                        String::from_utf8_lossy(answer)
                    )));
                }
            }
        }
    }
    Ok(t)
}

/// Bookings held per slot, and the slots' counts, read from the database.
async fn held(
    url: &str,
    window: &str,
) -> Result<
    (
        BTreeMap<(String, String), i64>,
        BTreeMap<(String, String), i64>,
    ),
    Box<dyn std::error::Error>,
> {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await?;
    let mut booked = BTreeMap::new();
    let rows = sqlx::query("SELECT day, slot, COUNT(*) FROM bookings WHERE window_code = $1 AND state = 'booked' GROUP BY day, slot")
        .bind(window)
        .fetch_all(&pool)
        .await?;
    for r in rows {
        booked.insert((r.try_get(0)?, r.try_get(1)?), r.try_get::<i64, _>(2)?);
    }
    let mut counts = BTreeMap::new();
    let rows = sqlx::query("SELECT day, slot, taken FROM slot_counts WHERE window_code = $1")
        .bind(window)
        .fetch_all(&pool)
        .await?;
    for r in rows {
        counts.insert((r.try_get(0)?, r.try_get(1)?), r.try_get::<i64, _>(2)?);
    }
    pool.close().await;
    Ok((booked, counts))
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let pg = o.backend.database("bookings")?;
    let url = pg
        .as_ref()
        .map_or_else(|| yici_store::sqlite_url(&data), |d| d.url.clone());
    let tag = o.backend.name();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = (|| -> Result<Report, Box<dyn std::error::Error>> {
        let server = o
            .backend
            .serve(&data, pg.as_ref(), &temp.path().join("server.log"))?;
        let tokens = runtime.block_on(applicants(&url, o.applicants))?;
        let catalog = yici_catalog::load_dir(&o.backend.catalog).map_err(|e| e.to_string())?;
        let matter = catalog
            .matters
            .keys()
            .next()
            .ok_or("no matter")?
            .to_string();
        let mut client = Client::connect(server.addr())?;
        let slots = slots(&mut client, &o.window, o.slots)?;
        let places: u64 = slots.iter().map(|s| s.2).sum();
        let per = o.applicants.div_ceil(o.threads.max(1));
        let started = Instant::now();
        let tallies = std::thread::scope(|scope| {
            let handles: Vec<_> = tokens
                .chunks(per.max(1))
                .enumerate()
                .map(|(i, chunk)| {
                    let (slots, window, matter) = (&slots, &o.window, &matter);
                    let addr = server.addr();
                    scope.spawn(move || {
                        book_all(
                            addr,
                            chunk,
                            slots,
                            window,
                            matter,
                            0x9E37_79B9_7F4A_7C15 ^ i as u64,
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| "a booking thread panicked"))
                .collect::<Result<Vec<_>, _>>()
        })?;
        let elapsed = started.elapsed();
        server.stop()?;
        let mut all = Tally::default();
        for t in tallies {
            let t = t?;
            all.times.extend(t.times);
            all.won += t.won;
            all.full += t.full;
            all.gave_up += t.gave_up;
        }
        let (booked, counts) = runtime.block_on(held(&url, &o.window))?;
        let capacity: PerSlot = slots
            .iter()
            .map(|(d, s, left)| ((d.clone(), s.clone()), i64::try_from(*left).unwrap_or(0)))
            .collect();
        let over = booked
            .iter()
            .filter(|(k, n)| **n > capacity.get(*k).copied().unwrap_or(0))
            .count();
        let drift = booked
            .iter()
            .filter(|(k, n)| counts.get(*k) != Some(n))
            .count();
        let s = Summary::of(&mut all.times).ok_or("no booking measured")?;
        let mut r = Report::default();
        r.info(
            format!("[{tag}] run"),
            format!(
                "{} applicants, {} slots ({places} places) of {}, {} connections, {} requests in {:.1} s",
                o.applicants, o.slots, o.window, o.threads, s.count, elapsed.as_secs_f64()
            ),
        );
        r.info(
            format!("[{tag}] won / refused full / found every slot full"),
            format!("{} / {} / {}", all.won, all.full, all.gave_up),
        );
        r.target(
            format!("[{tag}] booking p50 / p99"),
            format!("{} / {}", Human(s.median), Human(s.p99)),
            "p99 < 20 ms",
            s.p99 < P99_TARGET,
        );
        r.target(
            format!("[{tag}] overbooked slots / counts off"),
            format!(
                "{over} / {drift} (held {} of {places})",
                booked.values().sum::<i64>()
            ),
            "0 / 0, every place taken",
            over == 0
                && drift == 0
                && booked.values().sum::<i64>() == i64::try_from(places).unwrap_or(-1),
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
