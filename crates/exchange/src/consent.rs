//! What a case's consent (授权) covers and what a matter may read under it.
//!
//! The scope lists, for a case, every shared field the exchange would read
//! instead of asking the applicant, with the matters and departments that
//! read it; the applicant sees exactly this before granting. Only what the
//! exchange actually holds for the applicant is listed: a field with no
//! record (or an empty value) cannot be read, so asking consent for it would
//! overstate the read; its material is brought instead, as the applicant's
//! own plan says ([`crate::prefill::personal_plan`]).
//!
//! The purpose filter ([`reads_for`]): a department reads, for one task,
//! only fields that the consent lists for the task's matter *and* that the
//! catalog's sharing list grants that matter (DESIGN invariant 4).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yici_catalog::Plan;
use yici_core::catalog::{Catalog, DatasetField, MatterCode};

use crate::prefill::{Records, held};

/// How long a consent lasts: a case is decided well within it.
pub const CONSENT_MS: i64 = 30 * 24 * 60 * 60 * 1000;

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

/// The reads a case needs, grouped by data set: only fields the exchange
/// holds a value of in `records` (the data subject's). `plan` is the
/// applicant's own plan ([`crate::prefill::personal_plan`]).
pub fn scope(catalog: &Catalog, plan: &Plan, records: &Records) -> Vec<ScopeItem> {
    let mut by_dataset: BTreeMap<String, ScopeItem> = BTreeMap::new();
    let mut add = |source: &DatasetField, matters: &[MatterCode]| {
        let Some(ds) = catalog.datasets.get(&source.dataset) else {
            return;
        };
        let item = by_dataset
            .entry(source.dataset.to_string())
            .or_insert_with(|| ScopeItem {
                dataset: source.dataset.to_string(),
                dataset_name: ds.name.zh.to_string(),
                owner: ds.owner.to_string(),
                fields: Vec::new(),
                matters: Vec::new(),
                departments: Vec::new(),
            });
        if !item.fields.contains(&source.field) {
            item.fields.push(source.field.clone());
        }
        for m in matters {
            if !item.matters.iter().any(|x| x == m.as_str()) {
                item.matters.push(m.to_string());
            }
            if let Some(d) = catalog.matters.get(m).map(|x| x.department.to_string())
                && !item.departments.contains(&d)
            {
                item.departments.push(d);
            }
        }
    };
    for m in &plan.materials.fetched {
        if let Some(source) = m.source.shared_field() {
            add(&source, &m.matters);
        }
    }
    for f in &plan.form.fields {
        if let Some(source) = &f.field.prefill
            && held(records, source).is_some()
        {
            add(source, &f.matters);
        }
    }
    by_dataset.into_values().collect()
}

/// The fields of `dataset` that `matter` may read under a consent of
/// `scope`: those the consent lists for that matter and the catalog grants.
pub fn readable(
    catalog: &Catalog,
    scope: &[ScopeItem],
    dataset: &str,
    matter: &str,
) -> Vec<String> {
    let Some(item) = scope
        .iter()
        .find(|i| i.dataset == dataset && i.matters.iter().any(|m| m == matter))
    else {
        return Vec::new();
    };
    let Some(granted) = catalog
        .datasets
        .values()
        .find(|d| d.code.as_str() == dataset)
        .and_then(|ds| ds.grants.iter().find(|(m, _)| m.as_str() == matter))
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

/// Why a purpose-bound read is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadRefused {
    /// A field asked for is not readable by the matter under this consent.
    #[error("matter {matter} may not read {field} under this case's consent")]
    NotReadable {
        /// The task's matter.
        matter: String,
        /// The field asked for.
        field: DatasetField,
    },
    /// Nothing at all is readable by the matter.
    #[error("matter {matter} may read no shared data of this case")]
    Nothing {
        /// The task's matter.
        matter: String,
    },
}

/// What a task of `matter` reads under a consent of `scope`: per data set,
/// the fields, either all it may read or only those `asked` (every one of
/// which must be readable, else nothing is read).
pub fn reads_for(
    catalog: &Catalog,
    scope: &[ScopeItem],
    matter: &str,
    asked: Option<&[DatasetField]>,
) -> Result<Vec<(String, Vec<String>)>, ReadRefused> {
    if let Some(asked) = asked {
        for f in asked {
            if !readable(catalog, scope, f.dataset.as_str(), matter).contains(&f.field) {
                return Err(ReadRefused::NotReadable {
                    matter: matter.to_owned(),
                    field: f.clone(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for item in scope {
        let mut fields = readable(catalog, scope, &item.dataset, matter);
        if let Some(asked) = asked {
            fields.retain(|f| {
                asked
                    .iter()
                    .any(|a| a.dataset.as_str() == item.dataset && &a.field == f)
            });
        }
        if !fields.is_empty() {
            out.push((item.dataset.clone(), fields));
        }
    }
    if out.is_empty() {
        return Err(ReadRefused::Nothing {
            matter: matter.to_owned(),
        });
    }
    Ok(out)
}

/// A consent's status as the applicant sees it now: a grant past its end
/// is `expired`; no consent yet is `none`.
pub fn status_at(status: Option<&str>, expires_ms: i64, now_ms: i64) -> String {
    match status {
        None => "none".into(),
        Some("granted") if expires_ms <= now_ms => "expired".into(),
        Some(s) => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lapsed_grant_is_expired_and_others_keep_their_status() {
        assert_eq!(status_at(None, 0, 5), "none");
        assert_eq!(status_at(Some("granted"), 5, 5), "expired");
        assert_eq!(status_at(Some("granted"), 6, 5), "granted");
        assert_eq!(status_at(Some("refused"), 0, 5), "refused");
    }
}
