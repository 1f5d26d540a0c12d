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

mod floor;
mod preload;

pub use floor::{FloorRun, floor};
pub use preload::{Preloaded, preload};

use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{Connection, Row};
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

/// The leaf hash of a stored event row, as `crates/store/src/vocabulary/event.rs`
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
        let h: String =
            sqlx::query("SELECT hash FROM ledger_nodes WHERE leaf_end = $1 AND level = $2")
                .bind(yici_store::ledger::leaf_end(l, i).unwrap_or(i64::MAX))
                .bind(i64::from(l))
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
        cols: ["leaf_end", "level", "hash"].map(String::from).to_vec(),
        vals: vec![
            Val::Int(yici_store::ledger::leaf_end(level, idx).unwrap_or(i64::MAX)),
            Val::Int(i64::from(level)),
            Val::Text(hex::encode(hash)),
        ],
    }
}
