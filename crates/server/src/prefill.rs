//! What the exchange already holds for an applicant: the plan adjusted to
//! it, and the form values it pre-fills.

use std::collections::BTreeMap;

use yici_catalog::Plan;

use crate::problem::ApiError;
use crate::state::AppState;

/// The applicant's records, by data set, for the data sets `plan` uses.
pub async fn records_for(
    state: &AppState,
    plan: &Plan,
    subject: &str,
) -> Result<BTreeMap<String, serde_json::Value>, ApiError> {
    let mut wanted: Vec<String> = plan
        .materials
        .fetched
        .iter()
        .filter_map(|m| match &m.source {
            yici_core::catalog::MaterialSource::Exchange { dataset, .. } => {
                Some(dataset.to_string())
            }
            _ => None,
        })
        .chain(plan.form.fields.iter().filter_map(|f| {
            f.field
                .prefill
                .as_deref()?
                .split_once('.')
                .map(|(d, _)| d.to_owned())
        }))
        .collect();
    wanted.sort();
    wanted.dedup();
    Ok(state.store().records_of(subject, &wanted).await?)
}

/// The value of `dataset.field` in the applicant's records, when the
/// exchange holds one (a null counts as not held).
pub fn held(
    records: &BTreeMap<String, serde_json::Value>,
    dataset: &str,
    field: &str,
) -> Option<serde_json::Value> {
    records
        .get(dataset)
        .and_then(|r| r.get(field))
        .filter(|v| !v.is_null())
        .cloned()
}

/// The plan for this applicant: what the exchange does not hold is brought.
pub fn personal_plan(plan: Plan, records: &BTreeMap<String, serde_json::Value>) -> Plan {
    plan.with_availability(|dataset, field| held(records, dataset, field).is_some())
}

/// Form values the exchange pre-fills, by field key.
pub fn prefill(
    plan: &Plan,
    records: &BTreeMap<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    plan.form
        .fields
        .iter()
        .filter_map(|f| {
            let (dataset, field) = f.field.prefill.as_deref()?.split_once('.')?;
            Some((f.field.key.to_string(), held(records, dataset, field)?))
        })
        .collect()
}

/// Where the submitted form differs from what the exchange pre-filled: the
/// applicant's corrections, kept with the submission.
pub fn corrections(
    prefilled: &serde_json::Map<String, serde_json::Value>,
    form: &serde_json::Value,
) -> Vec<serde_json::Value> {
    prefilled
        .iter()
        .filter_map(|(key, held)| {
            let given = form.get(key)?;
            (given != held)
                .then(|| serde_json::json!({"field": key, "exchange": held, "submitted": given}))
        })
        .collect()
}
