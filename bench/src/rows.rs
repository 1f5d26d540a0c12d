//! The rows one complete case leaves in the database, read back from a case
//! the API wrote (the template), and written again under fresh ids:
//!
//! * [`floor`]: the storage floor — the same rows, in the same transactions
//!   as the API writes them (one per transition: the case row, its six task
//!   rows, the transition's events and, with `ledger`, its leaves, nodes and
//!   the ledger size), by a bare loop of single-row statements on the same
//!   database with the same durability settings;
//! * [`preload`]: bulk copies of the template (multi-row INSERTs in large
//!   transactions) with a real, verifiable ledger, to grow a database to a
//!   million cases without driving each through HTTP.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{Connection, Executor, Row};
use yici_ledger::{CompactRange, Hash, leaf_hash};
use yici_store::ledger::EventRecord;

/// A column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// NULL (of a text column).
    Null,
    /// NULL of an integer column (PostgreSQL wants the type).
    NullInt,
    /// BIGINT.
    Int(i64),
    /// TEXT.
    Text(String),
}

/// A row: column names and values.
#[derive(Debug, Clone)]
pub struct Rec {
    /// Columns.
    pub cols: Vec<String>,
    /// Values.
    pub vals: Vec<Val>,
}

impl Rec {
    fn of(row: &AnyRow) -> Result<Rec, sqlx::Error> {
        let mut cols = Vec::new();
        let mut vals = Vec::new();
        for (i, c) in row.columns().iter().enumerate() {
            use sqlx::Column;
            use sqlx::TypeInfo;
            cols.push(c.name().to_owned());
            let int = c.type_info().name().to_ascii_uppercase().contains("INT");
            let v = match row.try_get::<Option<i64>, _>(i) {
                Ok(Some(n)) => Val::Int(n),
                Ok(None) if int => Val::NullInt,
                Ok(None) => Val::Null,
                Err(_) => match row.try_get::<Option<String>, _>(i)? {
                    Some(s) => Val::Text(s),
                    None => Val::Null,
                },
            };
            vals.push(v);
        }
        Ok(Rec { cols, vals })
    }

    /// The value of `col`.
    pub fn get(&self, col: &str) -> &Val {
        self.cols
            .iter()
            .position(|c| c == col)
            .map_or(&Val::Null, |i| &self.vals[i])
    }

    fn text(&self, col: &str) -> String {
        match self.get(col) {
            Val::Text(s) => s.clone(),
            Val::Int(n) => n.to_string(),
            Val::Null | Val::NullInt => String::new(),
        }
    }

    fn int(&self, col: &str) -> i64 {
        match self.get(col) {
            Val::Int(n) => *n,
            Val::Text(s) => s.parse().unwrap_or(0),
            Val::Null | Val::NullInt => 0,
        }
    }

    fn renamed(&self, from: &[(String, String)]) -> Rec {
        let vals = self
            .vals
            .iter()
            .map(|v| match v {
                Val::Text(s) if from.iter().any(|(a, _)| s.contains(a.as_str())) => {
                    let mut s = s.clone();
                    for (a, b) in from {
                        s = s.replace(a.as_str(), b);
                    }
                    Val::Text(s)
                }
                v => v.clone(),
            })
            .collect();
        Rec {
            cols: self.cols.clone(),
            vals,
        }
    }
}

/// The rows of one complete case.
#[derive(Debug, Clone)]
pub struct Template {
    /// Case id.
    pub case_id: String,
    /// Task ids.
    pub task_ids: Vec<String>,
    /// The `cases` row.
    pub case: Rec,
    /// `tasks` rows.
    pub tasks: Vec<Rec>,
    /// `case_events` rows, in order.
    pub events: Vec<Rec>,
    /// `idempotency` rows.
    pub idempotency: Vec<Rec>,
}

impl Template {
    /// Reads the most recently delivered case of the database at `url`.
    pub async fn read(url: &str) -> Result<Template, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect(url).await?;
        let case = sqlx::query(
            "SELECT * FROM cases WHERE state = 'delivered' ORDER BY created_ms DESC LIMIT 1",
        )
        .fetch_one(&mut conn)
        .await?;
        let case = Rec::of(&case)?;
        let case_id = case.text("id");
        let tasks = sqlx::query("SELECT * FROM tasks WHERE case_id = $1 ORDER BY id")
            .bind(&case_id)
            .fetch_all(&mut conn)
            .await?;
        let events = sqlx::query("SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq, idx")
            .bind(&case_id)
            .fetch_all(&mut conn)
            .await?;
        let idempotency = sqlx::query("SELECT * FROM idempotency WHERE case_id = $1")
            .bind(&case_id)
            .fetch_all(&mut conn)
            .await?;
        let tasks: Vec<Rec> = tasks.iter().map(Rec::of).collect::<Result<_, _>>()?;
        Ok(Template {
            task_ids: tasks.iter().map(|t| t.text("id")).collect(),
            case_id,
            case,
            tasks,
            events: events.iter().map(Rec::of).collect::<Result<_, _>>()?,
            idempotency: idempotency.iter().map(Rec::of).collect::<Result<_, _>>()?,
        })
    }

    /// The template under fresh ids (and a fresh idempotency key).
    pub fn fresh(&self) -> Template {
        let case_id = uuid::Uuid::now_v7().to_string();
        let task_ids: Vec<String> = self
            .task_ids
            .iter()
            .map(|_| uuid::Uuid::now_v7().to_string())
            .collect();
        let mut map = vec![(self.case_id.clone(), case_id.clone())];
        map.extend(self.task_ids.iter().cloned().zip(task_ids.iter().cloned()));
        let mut idempotency: Vec<Rec> = self.idempotency.iter().map(|r| r.renamed(&map)).collect();
        for r in &mut idempotency {
            if let Some(i) = r.cols.iter().position(|c| c == "idem_key") {
                r.vals[i] = Val::Text(format!("preload-{case_id}"));
            }
        }
        Template {
            case: self.case.renamed(&map),
            tasks: self.tasks.iter().map(|r| r.renamed(&map)).collect(),
            events: self.events.iter().map(|r| r.renamed(&map)).collect(),
            idempotency,
            case_id,
            task_ids,
        }
    }

    /// The events grouped by transition (`seq`).
    fn transitions(&self) -> Vec<Vec<&Rec>> {
        let mut out: Vec<Vec<&Rec>> = Vec::new();
        for e in &self.events {
            match out.last_mut() {
                Some(g) if g[0].int("seq") == e.int("seq") => g.push(e),
                _ => out.push(vec![e]),
            }
        }
        out
    }
}

/// The leaf hash of a stored event row, as `crates/store/src/ledger.rs`
/// computes it.
pub fn event_leaf(e: &Rec) -> Hash {
    let from_state = match e.get("from_state") {
        Val::Text(s) => Some(s.clone()),
        _ => None,
    };
    let record = EventRecord {
        case_id: e.text("case_id"),
        seq: e.int("seq"),
        event_idx: e.int("idx"),
        kind: e.text("kind"),
        actor: e.text("actor"),
        role: e.text("role"),
        at_ms: e.int("at_ms"),
        on: e.text("on_date"),
        from_state,
        to_state: e.text("to_state"),
        data: serde_json::from_str(&e.text("data")).unwrap_or(serde_json::Value::Null),
    };
    leaf_hash(&record.leaf_data())
}

fn bind_val<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    v: &'q Val,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match v {
        Val::Null => q.bind(None::<String>),
        Val::NullInt => q.bind(None::<i64>),
        Val::Int(n) => q.bind(*n),
        Val::Text(s) => q.bind(s.as_str()),
    }
}

async fn insert(conn: &mut AnyConnection, table: &str, r: &Rec) -> Result<(), sqlx::Error> {
    let ph: Vec<String> = (1..=r.cols.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        r.cols.join(", "),
        ph.join(", ")
    );
    r.vals
        .iter()
        .fold(sqlx::query(&sql), bind_val)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Inserts many rows of the same columns with multi-row INSERTs.
async fn insert_many(
    conn: &mut AnyConnection,
    table: &str,
    rows: &[Rec],
) -> Result<(), sqlx::Error> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    // sqlx-sqlite looks up each parameter by name (linear in their
    // number), so statements with many parameters cost quadratically.
    let per = (120 / first.cols.len()).max(1);
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", first.cols.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..first.cols.len() {
                if c > 0 {
                    sql.push(',');
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let q = chunk
            .iter()
            .flat_map(|r| r.vals.iter())
            .fold(sqlx::query(&sql), bind_val);
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The ledger's frontier as stored.
async fn frontier(conn: &mut AnyConnection) -> Result<CompactRange, sqlx::Error> {
    let size: i64 = sqlx::query("SELECT size FROM ledger_state WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let size = u64::try_from(size).unwrap_or(0);
    let mut hashes = Vec::new();
    for (l, i) in CompactRange::node_positions(size) {
        let h: String = sqlx::query("SELECT hash FROM ledger_nodes WHERE level = $1 AND idx = $2")
            .bind(i64::from(l))
            .bind(i64::try_from(i).unwrap_or(0))
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let h: Hash = hex::decode(h)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| sqlx::Error::Protocol("bad ledger node".into()))?;
        hashes.push(h);
    }
    CompactRange::from_parts(size, hashes)
        .ok_or_else(|| sqlx::Error::Protocol("bad ledger frontier".into()))
}

fn leaf_rec(idx: u64, hash: &Hash, e: &Rec) -> Rec {
    Rec {
        cols: ["idx", "leaf_hash", "case_id", "seq", "event_idx"]
            .map(String::from)
            .to_vec(),
        vals: vec![
            Val::Int(i64::try_from(idx).unwrap_or(0)),
            Val::Text(hex::encode(hash)),
            Val::Text(e.text("case_id")),
            Val::Int(e.int("seq")),
            Val::Int(e.int("idx")),
        ],
    }
}

fn node_rec(level: u8, idx: u64, hash: &Hash) -> Rec {
    Rec {
        cols: ["level", "idx", "hash"].map(String::from).to_vec(),
        vals: vec![
            Val::Int(i64::from(level)),
            Val::Int(i64::try_from(idx).unwrap_or(0)),
            Val::Text(hex::encode(hash)),
        ],
    }
}

/// What a floor run measured.
#[derive(Debug, Clone)]
pub struct FloorRun {
    /// Cases written.
    pub cases: usize,
    /// Transactions committed.
    pub transactions: usize,
    /// Rows written (inserted or updated).
    pub rows: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl FloorRun {
    /// Cases per second.
    pub fn per_second(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64()
    }
}

/// Writes `cases` copies of `template`, transition by transition, each in
/// its own transaction, on `connections` connections in parallel (use 1 on
/// SQLite: it has one writer). With `ledger`, each transaction also appends
/// its events' leaves and nodes and updates the ledger size, sequenced by
/// the ledger row's lock as the store does on PostgreSQL.
pub async fn floor(
    url: &str,
    template: &Template,
    cases: usize,
    connections: usize,
    ledger: bool,
) -> Result<FloorRun, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    let mut first = AnyConnection::connect(url).await?;
    let range = Arc::new(Mutex::new(frontier(&mut first).await?));
    drop(first);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..connections.max(1) {
        let url = url.to_owned();
        let template = template.clone();
        let range = Arc::clone(&range);
        let next = Arc::clone(&next);
        handles.push(tokio::spawn(async move {
            let mut conn = AnyConnection::connect(&url).await?;
            if sqlite {
                // The store's settings (crates/store/src/db.rs).
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
            }
            let mut txs = 0usize;
            let mut rows = 0usize;
            let mut done = 0usize;
            loop {
                if next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= cases {
                    break;
                }
                let t = template.fresh();
                let transitions = t.transitions();
                let final_version = t.case.int("version");
                for (k, events) in transitions.iter().enumerate() {
                    let mut tx = conn.begin().await?;
                    let seq = events[0].int("seq");
                    if k == 0 {
                        insert(&mut tx, "cases", &t.case).await?;
                        for task in &t.tasks {
                            insert(&mut tx, "tasks", task).await?;
                        }
                        for r in &t.idempotency {
                            insert(&mut tx, "idempotency", r).await?;
                        }
                        rows += 1 + t.tasks.len() + t.idempotency.len();
                    } else {
                        sqlx::query("UPDATE cases SET version = $1, state = $2, trips = $3, deadline = $4, snapshot = $5, updated_ms = $6, checked_on = NULL WHERE id = $7 AND version = $8")
                            .bind(seq.min(final_version))
                            .bind(events.last().map(|e| e.text("to_state")).unwrap_or_default())
                            .bind(t.case.int("trips"))
                            .bind(t.case.text("deadline"))
                            .bind(t.case.text("snapshot"))
                            .bind(events[0].int("at_ms"))
                            .bind(&t.case_id)
                            .bind(seq - 1)
                            .execute(&mut *tx)
                            .await?;
                        for task in &t.tasks {
                            sqlx::query("UPDATE tasks SET state = $1, flag = $2, opened_on = $3, deadline = $4, decided_on = $5, updated_ms = $6 WHERE id = $7")
                                .bind(task.text("state"))
                                .bind(task.text("flag"))
                                .bind(task.text("opened_on"))
                                .bind(task.text("deadline"))
                                .bind(task.text("decided_on"))
                                .bind(task.int("updated_ms"))
                                .bind(task.text("id"))
                                .execute(&mut *tx)
                                .await?;
                        }
                        rows += 1 + t.tasks.len();
                    }
                    for e in events {
                        insert(&mut tx, "case_events", e).await?;
                    }
                    rows += events.len();
                    if ledger {
                        let n = i64::try_from(events.len()).unwrap_or(0);
                        let size: i64 = sqlx::query(
                            "UPDATE ledger_state SET size = size + $1 WHERE id = 1 RETURNING size",
                        )
                        .bind(n)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get(0)?;
                        // The row lock taken above sequences the appends, so
                        // the in-memory frontier follows the stored order.
                        let mut leaves = Vec::new();
                        let mut nodes = Vec::new();
                        {
                            let mut r = range.lock().unwrap_or_else(|p| p.into_inner());
                            debug_assert_eq!(r.size() + events.len() as u64, size as u64);
                            for e in events {
                                let h = event_leaf(e);
                                leaves.push(leaf_rec(r.size(), &h, e));
                                r.append_with(h, |l, i, h| {
                                    nodes.push(node_rec(l, i, h));
                                    Ok::<_, std::convert::Infallible>(())
                                })
                                .unwrap_or_else(|never| match never {});
                            }
                        }
                        let _ = size;
                        for r in leaves.iter() {
                            insert(&mut tx, "ledger_leaves", r).await?;
                        }
                        for r in nodes.iter() {
                            insert(&mut tx, "ledger_nodes", r).await?;
                        }
                        rows += 1 + leaves.len() + nodes.len();
                    }
                    tx.commit().await?;
                    txs += 1;
                }
                done += 1;
            }
            Ok::<_, sqlx::Error>((done, txs, rows))
        }));
    }
    let mut run = FloorRun {
        cases: 0,
        transactions: 0,
        rows: 0,
        elapsed: Duration::ZERO,
    };
    for h in handles {
        let (c, t, r) = h
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("floor task: {e}")))??;
        run.cases += c;
        run.transactions += t;
        run.rows += r;
    }
    run.elapsed = start.elapsed();
    Ok(run)
}

/// What a preload did.
#[derive(Debug, Clone)]
pub struct Preloaded {
    /// Cases added.
    pub cases: usize,
    /// Events (and ledger leaves) added.
    pub events: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// Adds `cases` copies of `template` under fresh ids to the SQLite database
/// at `url` (no server may be running on it), `batch` cases per
/// transaction, with multi-row INSERTs, `synchronous = OFF` for the load
/// only. Each copy's events get real ledger leaves and nodes, appended to
/// the stored frontier, so that `yici ledger verify` checks them.
pub async fn preload(
    url: &str,
    template: &Template,
    cases: usize,
    batch: usize,
    progress: impl Fn(usize),
) -> Result<Preloaded, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(url).await?;
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA synchronous = OFF").await?;
    conn.execute("PRAGMA cache_size = -1000000").await?;
    let mut range = frontier(&mut conn).await?;
    // `yici ledger verify` wants events' times not to go back along the
    // log: every copy's events are stamped after the latest stored event,
    // four copies per millisecond.
    let base: i64 = sqlx::query("SELECT COALESCE(MAX(at_ms), 0) FROM case_events")
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
    let mut copy = 0i64;
    let start = Instant::now();
    let mut done = 0;
    let mut events = 0;
    while done < cases {
        let n = batch.min(cases - done);
        let mut c = Vec::with_capacity(n);
        let mut t = Vec::new();
        let mut ev = Vec::new();
        let mut idem = Vec::new();
        let mut leaves = Vec::new();
        let mut nodes = Vec::new();
        for _ in 0..n {
            let mut f = template.fresh();
            let at = base + 1 + copy / 4;
            copy += 1;
            for e in &mut f.events {
                if let Some(i) = e.cols.iter().position(|c| c == "at_ms") {
                    e.vals[i] = Val::Int(at);
                }
            }
            for e in &f.events {
                let h = event_leaf(e);
                leaves.push(leaf_rec(range.size(), &h, e));
                range
                    .append_with(h, |l, i, h| {
                        nodes.push(node_rec(l, i, h));
                        Ok::<_, std::convert::Infallible>(())
                    })
                    .unwrap_or_else(|never| match never {});
            }
            c.push(f.case);
            t.extend(f.tasks);
            ev.extend(f.events);
            idem.extend(f.idempotency);
        }
        events += ev.len();
        let mut tx = conn.begin().await?;
        insert_many(&mut tx, "cases", &c).await?;
        insert_many(&mut tx, "tasks", &t).await?;
        insert_many(&mut tx, "case_events", &ev).await?;
        insert_many(&mut tx, "idempotency", &idem).await?;
        insert_many(&mut tx, "ledger_leaves", &leaves).await?;
        insert_many(&mut tx, "ledger_nodes", &nodes).await?;
        sqlx::query("UPDATE ledger_state SET size = $1 WHERE id = 1")
            .bind(i64::try_from(range.size()).unwrap_or(0))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        done += n;
        progress(done);
    }
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    Ok(Preloaded {
        cases: done,
        events,
        elapsed: start.elapsed(),
    })
}
