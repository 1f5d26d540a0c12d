//! What a case's e-certificate says: one per approved matter whose result
//! is an e-certificate, its claims taken from the matter, the holder and
//! the form the matter asked.

use serde_json::{Map, Value, json};
use time::{OffsetDateTime, UtcOffset};
use yici_core::case::{Applicant, Case, TaskState};
use yici_core::catalog::{Catalog, Matter, ResultKind};
use yici_core::identifier::Identifier;

/// How long a certificate is valid unless the matter says otherwise.
pub const VALIDITY_MS: i64 = 5 * 365 * 24 * 60 * 60 * 1000;

/// The holder of a case's certificates: the applicant's identifier and name.
pub fn holder_of(case: &Case) -> (Identifier, String) {
    match &case.subject {
        Applicant::Person {
            resident_id, name, ..
        } => (Identifier::ResidentId(*resident_id), name.clone()),
        Applicant::Enterprise { uscc, name, .. } => (Identifier::Uscc(*uscc), name.clone()),
    }
}

/// The matters of a case whose result is an e-certificate and that were
/// approved, with the certificate type of each.
pub fn certified<'a>(catalog: &'a Catalog, case: &Case) -> Vec<(&'a Matter, &'a str)> {
    case.tasks
        .iter()
        .filter(|t| t.state == TaskState::Approved)
        .filter_map(|t| catalog.matters.get(&t.matter))
        .filter_map(|m| match &m.result {
            ResultKind::Certificate { certificate_type } => Some((m, certificate_type.as_str())),
            _ => None,
        })
        .collect()
}

/// The credential type (`vct`) of a certificate type.
pub fn vct(certificate_type: &str) -> String {
    format!("urn:yici:certificate:{certificate_type}")
}

/// The claims of the certificate of `matter` in `case`, issued at `now_ms`:
/// what it is, who holds it, who issued it, until when, and the values of
/// the form fields the matter asked.
pub fn claims(
    catalog: &Catalog,
    case: &Case,
    matter: &Matter,
    certificate_type: &str,
    now_ms: i64,
) -> Map<String, Value> {
    let (_, holder_name) = holder_of(case);
    let department_name = catalog
        .departments
        .get(&matter.department)
        .map_or_else(|| matter.department.to_string(), |d| d.name.zh.to_string());
    let mut claims = Map::new();
    claims.insert("certificate_type".into(), json!(certificate_type));
    claims.insert("title".into(), json!(matter.name.zh));
    claims.insert("holder_name".into(), json!(holder_name));
    claims.insert("issuing_department".into(), json!(department_name));
    claims.insert("matter".into(), json!(matter.code.as_str()));
    claims.insert("case".into(), json!(case.id.to_string()));
    claims.insert("licensed".into(), json!(true));
    claims.insert(
        "valid_until".into(),
        json!(china_date(now_ms + VALIDITY_MS)),
    );
    for field in &matter.fields {
        if let Some(v) = case.form.get(field.key.as_str()).filter(|v| !v.is_null()) {
            claims.insert(field.key.to_string(), v.clone());
        }
    }
    claims
}

/// The date in China (UTC+8) of an instant, like every date of a case.
fn china_date(ms: i64) -> String {
    let cst = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| t.to_offset(cst).date().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_ends_on_the_china_date() {
        // 2026-12-06T16:00:00Z is already 2026-12-07 in China.
        assert_eq!(china_date(1_796_572_800_000), "2026-12-07");
        assert_eq!(vct("licence"), "urn:yici:certificate:licence");
    }
}
