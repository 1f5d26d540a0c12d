//! What a consent covers: for a case, every shared field the exchange would
//! read instead of asking the applicant, with the matters and departments
//! that read it. The applicant sees exactly this before granting.
//!
//! Only what the exchange actually holds for the applicant is listed: a
//! field with no record (or an empty value) cannot be read, so asking
//! consent for it would overstate the read; its material is brought
//! instead, as the applicant's own plan says (`Plan::with_availability`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yici_core::case::Case;
use yici_core::catalog::MaterialSource;

use crate::casework;
use crate::prefill::{held, personal_plan, records_for};
use crate::problem::ApiError;
use crate::state::AppState;

/// One data set's part of a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeItem {
    /// Data set code.
    pub dataset: String,
    /// Data set name (Chinese).
    pub dataset_name: String,
    /// Department that holds it.
    pub owner: String,
    /// Fields read.
    pub fields: Vec<String>,
    /// For which matters.
    pub matters: Vec<String>,
    /// By which departments.
    pub departments: Vec<String>,
}

/// The reads a case of `subject` (the data subject, the case's owner)
/// needs, grouped by data set: only fields the exchange holds a value of.
pub async fn scope(
    state: &AppState,
    case: &Case,
    subject: &str,
) -> Result<Vec<ScopeItem>, ApiError> {
    let plan = casework::plan_for(state, &case.target)?;
    let records = records_for(state, &plan, subject).await?;
    let plan = personal_plan(plan, &records);
    let mut by_dataset: BTreeMap<String, ScopeItem> = BTreeMap::new();
    let mut add = |dataset: &str, field: &str, matters: &[String]| {
        let Some(ds) = state
            .catalog()
            .datasets
            .values()
            .find(|d| d.code.as_str() == dataset)
        else {
            return;
        };
        let item = by_dataset
            .entry(dataset.to_owned())
            .or_insert_with(|| ScopeItem {
                dataset: dataset.to_owned(),
                dataset_name: ds.name.zh.to_string(),
                owner: ds.owner.to_string(),
                fields: Vec::new(),
                matters: Vec::new(),
                departments: Vec::new(),
            });
        if !item.fields.iter().any(|f| f == field) {
            item.fields.push(field.to_owned());
        }
        for m in matters {
            if !item.matters.contains(m) {
                item.matters.push(m.clone());
            }
            let dept = state
                .catalog()
                .matters
                .values()
                .find(|x| x.code.as_str() == m)
                .map(|x| x.department.to_string());
            if let Some(d) = dept
                && !item.departments.contains(&d)
            {
                item.departments.push(d);
            }
        }
    };
    for m in &plan.materials.fetched {
        if let MaterialSource::Exchange { dataset, field } = &m.source {
            let matters: Vec<String> = m.matters.iter().map(ToString::to_string).collect();
            add(dataset.as_str(), field, &matters);
        }
    }
    for f in &plan.form.fields {
        if let Some((dataset, field)) = f.field.prefill.as_deref().and_then(|p| p.split_once('.'))
            && held(&records, dataset, field).is_some()
        {
            let matters: Vec<String> = f.matters.iter().map(ToString::to_string).collect();
            add(dataset, field, &matters);
        }
    }
    Ok(by_dataset.into_values().collect())
}

/// The fields of `dataset` that `matter` may read under a consent of
/// `scope`: those the consent lists for that matter and the catalog grants.
pub fn readable(state: &AppState, scope: &[ScopeItem], dataset: &str, matter: &str) -> Vec<String> {
    let Some(item) = scope
        .iter()
        .find(|i| i.dataset == dataset && i.matters.iter().any(|m| m == matter))
    else {
        return Vec::new();
    };
    let Some(ds) = state
        .catalog()
        .datasets
        .values()
        .find(|d| d.code.as_str() == dataset)
    else {
        return Vec::new();
    };
    let Some(granted) = ds
        .grants
        .iter()
        .find(|(m, _)| m.as_str() == matter)
        .map(|(_, f)| f)
    else {
        return Vec::new();
    };
    item.fields
        .iter()
        .filter(|f| granted.contains(f))
        .cloned()
        .collect()
}
