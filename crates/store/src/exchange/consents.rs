//! Consents and reads of shared data: a consent decision and every read
//! are also side events of the case (without changing its state),
//! appended to its history and the ledger in one transaction with them.

use sqlx::Row;
use sqlx::any::AnyRow;
use yici_core::case::CaseId;

use crate::Store;
use crate::error::StoreError;
use crate::vocabulary::SideEvent;

/// A consent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// Id.
    pub id: String,
    /// Case.
    pub case_id: String,
    /// Data subject (resident ID or USCC).
    pub subject: String,
    /// What it covers, JSON (which fields of which data sets, for which
    /// matters and departments).
    pub scope: String,
    /// `granted`, `refused` or `withdrawn`.
    pub status: String,
    /// When decided (ms).
    pub decided_ms: i64,
    /// When it lapses (ms).
    pub expires_ms: i64,
}

/// One read of shared data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRead {
    /// Id.
    pub id: String,
    /// Case.
    pub case_id: String,
    /// Whose data.
    pub subject: String,
    /// Data set.
    pub dataset: String,
    /// Fields read, JSON array.
    pub fields: String,
    /// For which matter.
    pub matter: String,
    /// By which department.
    pub department: String,
    /// Under which consent.
    pub consent_id: String,
    /// The reading user.
    pub actor: String,
    /// When (ms).
    pub at_ms: i64,
}

fn consent(r: &AnyRow) -> Result<Consent, StoreError> {
    Ok(Consent {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        subject: r.try_get("subject")?,
        scope: r.try_get("scope")?,
        status: r.try_get("status")?,
        decided_ms: r.try_get("decided_ms")?,
        expires_ms: r.try_get("expires_ms")?,
    })
}

fn data_read(r: &AnyRow) -> Result<DataRead, StoreError> {
    Ok(DataRead {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        subject: r.try_get("subject")?,
        dataset: r.try_get("dataset")?,
        fields: r.try_get("fields")?,
        matter: r.try_get("matter")?,
        department: r.try_get("department")?,
        consent_id: r.try_get("consent_id")?,
        actor: r.try_get("actor")?,
        at_ms: r.try_get("at_ms")?,
    })
}

impl Store {
    /// The newest consent decision of a case.
    pub async fn consent(&self, case_id: &CaseId) -> Result<Option<Consent>, StoreError> {
        let row = sqlx::query("SELECT id, case_id, subject, scope, status, decided_ms, expires_ms FROM consents WHERE case_id = $1 ORDER BY decided_ms DESC, id DESC LIMIT 1")
            .bind(case_id.to_string())
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(consent).transpose()
    }

    /// Records a consent decision with its event, in one transaction.
    pub async fn record_consent(&self, c: &Consent, event: SideEvent) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query("INSERT INTO consents (id, case_id, subject, scope, status, decided_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&c.id)
            .bind(&c.case_id)
            .bind(&c.subject)
            .bind(&c.scope)
            .bind(&c.status)
            .bind(c.decided_ms)
            .bind(c.expires_ms)
            .execute(&mut *tx)
            .await?;
        self.side_event(&mut tx, &c.case_id, event, c.decided_ms)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the reads of one request with their events, in one
    /// transaction: either every read is logged or none is (a request that
    /// fails half-way must not leave reads its caller never got).
    pub async fn record_reads(&self, reads: Vec<(DataRead, SideEvent)>) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        for (r, event) in reads {
            sqlx::query("INSERT INTO data_reads (id, case_id, subject, dataset, fields, matter, department, consent_id, actor, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(&r.id)
                .bind(&r.case_id)
                .bind(&r.subject)
                .bind(&r.dataset)
                .bind(&r.fields)
                .bind(&r.matter)
                .bind(&r.department)
                .bind(&r.consent_id)
                .bind(&r.actor)
                .bind(r.at_ms)
                .execute(&mut *tx)
                .await?;
            self.side_event(&mut tx, &r.case_id, event, r.at_ms).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every read of a subject's data, newest first.
    pub async fn reads_of(
        &self,
        subject: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<DataRead>, u64), StoreError> {
        let total: i64 = sqlx::query("SELECT COUNT(*) FROM data_reads WHERE subject = $1")
            .bind(subject)
            .fetch_one(&self.pools.read)
            .await?
            .try_get(0)?;
        let rows = sqlx::query(&format!("SELECT id, case_id, subject, dataset, fields, matter, department, consent_id, actor, at_ms FROM data_reads WHERE subject = $1 ORDER BY at_ms DESC, id LIMIT {limit} OFFSET {offset}"))
            .bind(subject)
            .fetch_all(&self.pools.read)
            .await?;
        Ok((
            rows.iter().map(data_read).collect::<Result<_, _>>()?,
            u64::try_from(total).unwrap_or(0),
        ))
    }
}
