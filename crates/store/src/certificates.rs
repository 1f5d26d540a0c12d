//! Departments' sealing keys and the certificates they issued.

use std::collections::{BTreeMap, HashMap};

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::db::Backend;
use crate::error::StoreError;
use crate::script::{Script, Value};

/// A department's sealing key. Retired keys keep only their public half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealKey {
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// Hex seed of the private key; `None` once retired.
    pub seed: Option<String>,
    /// Hex public key.
    pub public_key: String,
    /// Whether it signs new certificates.
    pub current: bool,
}

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

const COLUMNS: &str = "id, department, matter, case_id, holder, vct, status_idx, status_value, issued_ms, expires_ms, sd_jwt";

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
    /// A department's keys, current first.
    pub async fn seal_keys(&self, department: &str) -> Result<Vec<SealKey>, StoreError> {
        let rows = sqlx::query("SELECT kid, seed, public_key, is_current FROM seal_keys WHERE department = $1 ORDER BY is_current DESC, created_ms DESC")
            .bind(department)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SealKey {
                    kid: r.try_get("kid")?,
                    seed: r.try_get("seed")?,
                    public_key: r.try_get("public_key")?,
                    current: r.try_get::<i64, _>("is_current")? == 1,
                })
            })
            .collect()
    }

    /// Makes `key` the department's current key; the previous current key is
    /// retired and its private half erased. Of two rotations of one
    /// department at the same moment (on PostgreSQL, from two servers) one
    /// wins and the other is [`StoreError::Duplicate`]: a department never
    /// has two current keys.
    pub async fn rotate_seal_key(
        &self,
        department: &str,
        key: &SealKey,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.write.begin().await?;
        sqlx::query("UPDATE seal_keys SET is_current = 0, seed = NULL WHERE department = $1 AND is_current = 1")
            .bind(department)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO seal_keys (department, kid, seed, public_key, is_current, created_ms) VALUES ($1, $2, $3, $4, 1, $5)")
            .bind(department)
            .bind(&key.kid)
            .bind(&key.seed)
            .bind(&key.public_key)
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if crate::error::is_unique_violation(&e) {
                    StoreError::Duplicate {
                        what: "current seal key of department",
                        value: department.to_owned(),
                    }
                } else {
                    e.into()
                }
            })?;
        tx.commit().await?;
        Ok(())
    }

    /// Reserves `count` consecutive indexes of `department`'s status list
    /// and returns the first. See [`Store::reserve_status_indexes_of`].
    pub async fn reserve_status_indexes(
        &self,
        department: &str,
        count: u64,
    ) -> Result<u64, StoreError> {
        let first = self
            .reserve_status_indexes_of(&[(department, count)])
            .await?;
        first
            .get(department)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("no status index for {department}")))
    }

    /// Reserves, for each `(department, count)`, `count` consecutive indexes
    /// of the department's status list, and returns the first of each, in
    /// one statement. Reserved before the certificates are signed (the index
    /// is inside what is signed), outside the case's write so that signing
    /// happens beside the request; an index reserved for a write that then
    /// fails stays unused, which a status list allows.
    pub async fn reserve_status_indexes_of(
        &self,
        wanted: &[(&str, u64)],
    ) -> Result<HashMap<String, u64>, StoreError> {
        // One row per department: an upsert may not touch a row twice.
        let mut counts: Vec<(&str, i64)> = Vec::new();
        for (department, count) in wanted {
            let count = i64::try_from(*count).unwrap_or(i64::MAX);
            match counts.iter_mut().find(|(d, _)| d == department) {
                Some((_, n)) => *n += count,
                None => counts.push((department, count)),
            }
        }
        if counts.is_empty() {
            return Ok(HashMap::new());
        }
        // The first reservation of a department starts after the indexes
        // its certificates already use (databases older than the counter).
        let rows = (0..counts.len())
            .map(|i| {
                let (d, n) = (2 * i + 1, 2 * i + 2);
                format!("(${d}, (SELECT COALESCE(MAX(status_idx), -1) + 1 FROM certificates WHERE department = ${d}) + ${n})")
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO status_counters (department, next_idx) VALUES {rows}
             ON CONFLICT (department) DO UPDATE SET next_idx = status_counters.next_idx + excluded.next_idx
                 - (SELECT COALESCE(MAX(status_idx), -1) + 1 FROM certificates WHERE department = excluded.department)
             RETURNING department, next_idx"
        );
        let q = counts
            .iter()
            .fold(sqlx::query(&sql), |q, (d, n)| q.bind(*d).bind(*n));
        let mut first = HashMap::new();
        for r in q.fetch_all(&self.pools.write).await? {
            let department: String = r.try_get("department")?;
            let next: i64 = r.try_get("next_idx")?;
            let count = counts
                .iter()
                .find(|(d, _)| *d == department)
                .map_or(0, |(_, n)| *n);
            first.insert(department, u64::try_from(next - count).unwrap_or(0));
        }
        Ok(first)
    }

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

    /// The status of every certificate of a department, by index.
    pub async fn status_values(&self, department: &str) -> Result<Vec<(u64, u8)>, StoreError> {
        let rows = sqlx::query("SELECT status_idx, status_value FROM certificates WHERE department = $1 ORDER BY status_idx")
            .bind(department)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    u64::try_from(r.try_get::<i64, _>(0)?).unwrap_or(0),
                    u8::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0),
                ))
            })
            .collect()
    }

    /// The status value of the certificate at `idx` of a department's status
    /// list, read from its row (the `(department, status_idx)` unique index):
    /// what verification needs, without the department's whole list.
    pub async fn certificate_status(
        &self,
        department: &str,
        idx: u64,
    ) -> Result<Option<u8>, StoreError> {
        let Ok(idx) = i64::try_from(idx) else {
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT status_value FROM certificates WHERE department = $1 AND status_idx = $2",
        )
        .bind(department)
        .bind(idx)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(|r| Ok(u8::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u8::MAX)))
            .transpose()
    }

    /// Changes a certificate's status, with its event in the case's history
    /// and the ledger, in one transaction.
    pub async fn set_certificate_status(
        &self,
        id: &str,
        value: u8,
        event: crate::exchange::SideEvent,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.write.begin().await?;
        let case_id: String = sqlx::query("SELECT case_id FROM certificates WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        sqlx::query("UPDATE certificates SET status_value = $1 WHERE id = $2")
            .bind(i64::from(value))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.side_event(&mut tx, &case_id, event, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A certificate to issue within a case's transition, signed, with the
/// status index reserved for it ([`Store::reserve_status_indexes`]).
pub struct NewCertificate {
    /// Id.
    pub id: String,
    /// Issuing department.
    pub department: String,
    /// Matter.
    pub matter: String,
    /// Holder.
    pub holder: String,
    /// Credential type.
    pub vct: String,
    /// Issued (ms).
    pub issued_ms: i64,
    /// Expires (ms).
    pub expires_ms: i64,
    /// Its index in the department's status list.
    pub status_idx: u64,
    /// The SD-JWT with all disclosures.
    pub sd_jwt: String,
    /// The data-set fields that name the holder's certificate of this
    /// matter (`(data set, field)`): written with the certificate, so that
    /// the holder's next case fetches it instead of asking for it.
    pub library: Vec<(String, String)>,
}

/// Who the library's writes to data-set records are recorded as.
pub const LIBRARY_WRITER: &str = "certificate-library";

/// Adds the inserts of certificates issued with a case transition to its
/// batch's script, and their filing in the holders' data-set records.
pub(crate) fn insert(
    script: &mut Script,
    backend: Backend,
    case_id: &str,
    certs: &[NewCertificate],
    now_ms: i64,
) {
    insert_rows(script, case_id, certs);
    file_in_records(script, backend, certs, now_ms);
}

/// Sets, in each holder's record of each data set, the fields naming the
/// new certificates, leaving the record's other fields as they are; a
/// record that does not exist yet is made. One statement per record: an
/// upsert may touch a row only once.
fn file_in_records(script: &mut Script, backend: Backend, certs: &[NewCertificate], now_ms: i64) {
    let mut records: BTreeMap<(&str, &str), serde_json::Map<String, serde_json::Value>> =
        BTreeMap::new();
    for c in certs {
        for (dataset, field) in &c.library {
            records
                .entry((dataset.as_str(), c.holder.as_str()))
                .or_default()
                .insert(field.clone(), serde_json::Value::String(c.id.clone()));
        }
    }
    // The new fields over the stored ones: a JSON merge patch (RFC 7396) on
    // SQLite, jsonb concatenation on PostgreSQL; both keep other fields.
    let (fields, merged) = match backend {
        Backend::Sqlite => (
            "json($3)",
            "json_patch(dataset_records.fields, excluded.fields)",
        ),
        Backend::Postgres => (
            "$3",
            "(dataset_records.fields::jsonb || excluded.fields::jsonb)::text",
        ),
    };
    for ((dataset, holder), fields_set) in records {
        script.push(
            format!(
                "INSERT INTO dataset_records (dataset, subject, fields, updated_by, updated_ms) VALUES ($1, $2, {fields}, $4, $5)
                 ON CONFLICT (dataset, subject) DO UPDATE SET fields = {merged}, updated_by = excluded.updated_by, updated_ms = excluded.updated_ms"
            ),
            vec![
                dataset.into(),
                holder.into(),
                serde_json::Value::Object(fields_set).to_string().into(),
                LIBRARY_WRITER.into(),
                now_ms.into(),
            ],
            1,
        );
    }
}

fn insert_rows(script: &mut Script, case_id: &str, certs: &[NewCertificate]) {
    let rows: Vec<Vec<Value>> = certs
        .iter()
        .map(|c| {
            vec![
                c.id.as_str().into(),
                c.department.as_str().into(),
                c.matter.as_str().into(),
                case_id.into(),
                c.holder.as_str().into(),
                c.vct.as_str().into(),
                i64::try_from(c.status_idx).unwrap_or(i64::MAX).into(),
                0.into(),
                c.issued_ms.into(),
                c.expires_ms.into(),
                c.sd_jwt.as_str().into(),
            ]
        })
        .collect();
    script.insert_rows(&format!("certificates ({COLUMNS})"), rows);
}
