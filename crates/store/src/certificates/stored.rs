//! The certificates issued, as stored and read: one, or a holder's.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreError;

/// An issued certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    /// Id.
    pub id: String,
    /// Issuing department.
    pub department: String,
    /// Matter whose result it is.
    pub matter: String,
    /// The case.
    pub case_id: String,
    /// Resident ID or USCC of the holder.
    pub holder: String,
    /// Credential type.
    pub vct: String,
    /// Index in the department's status list.
    pub status_idx: u64,
    /// 0 valid, 1 revoked, 2 suspended.
    pub status_value: u8,
    /// Issued (ms).
    pub issued_ms: i64,
    /// Expires (ms).
    pub expires_ms: i64,
    /// The SD-JWT with all disclosures: the holder's copy.
    pub sd_jwt: String,
}

pub(crate) const COLUMNS: &str = "id, department, matter, case_id, holder, vct, status_idx, status_value, issued_ms, expires_ms, sd_jwt";

fn row(r: &AnyRow) -> Result<CertificateRow, StoreError> {
    Ok(CertificateRow {
        id: r.try_get("id")?,
        department: r.try_get("department")?,
        matter: r.try_get("matter")?,
        case_id: r.try_get("case_id")?,
        holder: r.try_get("holder")?,
        vct: r.try_get("vct")?,
        status_idx: u64::try_from(r.try_get::<i64, _>("status_idx")?).unwrap_or(0),
        status_value: u8::try_from(r.try_get::<i64, _>("status_value")?).unwrap_or(0),
        issued_ms: r.try_get("issued_ms")?,
        expires_ms: r.try_get("expires_ms")?,
        sd_jwt: r.try_get("sd_jwt")?,
    })
}

impl Store {
    /// A certificate.
    pub async fn certificate(&self, id: &str) -> Result<Option<CertificateRow>, StoreError> {
        let r = sqlx::query(&format!("SELECT {COLUMNS} FROM certificates WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(row).transpose()
    }

    /// A holder's certificates, newest first.
    pub async fn certificates_of(&self, holder: &str) -> Result<Vec<CertificateRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM certificates WHERE holder = $1 ORDER BY issued_ms DESC, id"
        ))
        .bind(holder)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(row).collect()
    }
}
