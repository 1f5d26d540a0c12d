//! Bulk copies of a template case, with a real ledger, to grow a
//! database to a million cases.

use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection, Executor, Row};

use super::{Template, Val, event_leaf, frontier, insert_many, leaf_rec, node_rec};

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
