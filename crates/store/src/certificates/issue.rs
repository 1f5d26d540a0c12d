//! Issuing certificates within a case's transition: the rows the
//! transition's batch writes for them, and their filing in the holders'
//! data-set records, so that the holder's next case fetches them. Called by
//! the cases' writer (`cases/apply.rs`) with the transition's other rows.

use std::collections::BTreeMap;

use crate::certificates::stored::COLUMNS;
use crate::sql::backend::Backend;
use crate::sql::script::Script;
use crate::sql::value::Value;

/// A certificate to issue within a case's transition, signed, with the
/// status index reserved for it ([`Store::reserve_status_indexes`](crate::Store::reserve_status_indexes)).
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
