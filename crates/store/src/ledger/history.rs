//! A case's events appended to its history (`case_events`) and to the
//! ledger together: the event rows of a writer's batch, and a side event —
//! a consent, a read of shared data, a certificate's new status — written
//! in the transaction of what it records. Here, with the ledger, because an
//! event and its leaf go together; the cases, the exchange and the
//! certificates all append through it.

use sqlx::Row;
use yici_core::case::Event;

use crate::Store;
use crate::error::StoreError;
use crate::ledger::append::append;
use crate::sql::backend::Backend;
use crate::sql::script::Script;
use crate::sql::value::Value;
use crate::vocabulary::{Prepared, SideEvent};

/// Adds the inserts of event rows, from their prepared records, to a script.
pub(crate) fn insert_event_records(script: &mut Script, records: &[&Prepared]) {
    let rows: Vec<Vec<Value>> = records
        .iter()
        .map(|p| {
            let r = &p.record;
            vec![
                r.case_id.as_str().into(),
                r.seq.into(),
                r.event_idx.into(),
                r.kind.as_str().into(),
                r.actor.as_str().into(),
                r.role.as_str().into(),
                r.at_ms.into(),
                r.on.as_str().into(),
                r.from_state.clone().into(),
                r.to_state.as_str().into(),
                p.data.as_str().into(),
            ]
        })
        .collect();
    script.insert_rows(
        "case_events (case_id, seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data)",
        rows,
    );
}

impl Store {
    /// Appends a side event at the case's current version, after the
    /// events already there, and to the ledger.
    pub(crate) async fn side_event(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        case_id: &str,
        e: SideEvent,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        let lock = match self.pools.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let row = sqlx::query(&format!(
            "SELECT version, state FROM cases WHERE id = $1{lock}"
        ))
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await?;
        let version: i64 = row.try_get("version")?;
        let state: String = row.try_get("state")?;
        let next: i64 = sqlx::query(
            "SELECT COALESCE(MAX(idx), -1) + 1 FROM case_events WHERE case_id = $1 AND seq = $2",
        )
        .bind(case_id)
        .bind(version)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        let event: Event = serde_json::from_value(serde_json::json!({
            "case_id": case_id,
            "seq": version,
            "index": next,
            "kind": e.kind.as_str(),
            "actor": e.actor,
            "role": e.role.as_str(),
            "on": e.on.to_string(),
            "from_state": state,
            "to_state": state,
            "data": e.data,
        }))?;
        let prepared = Prepared::of(&event, at_ms);
        let records = [&prepared];
        let mut script = Script::default();
        insert_event_records(&mut script, &records);
        append(tx, self.pools.backend, script, &records).await?;
        Ok(())
    }
}
