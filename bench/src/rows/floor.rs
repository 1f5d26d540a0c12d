//! The storage floor: the rows of a case written by a bare loop of
//! single-row statements, as the API writes them.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection, Executor, Row};

use super::{Template, event_leaf, frontier, insert, leaf_rec, node_rec};

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
                // The store's settings (crates/store/src/sql/pragmas.rs).
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
