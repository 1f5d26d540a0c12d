//! What the exchange already holds for an applicant: the data sets a plan
//! reads, the plan adjusted to what is held (DESIGN invariant 3: nothing
//! the exchange can provide is asked for; nothing it cannot is promised),
//! and the form values it pre-fills.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use yici_catalog::Plan;
use yici_core::catalog::{DatasetCode, DatasetField};

/// An applicant's records, by data set code: each a JSON object of fields.
pub type Records = BTreeMap<String, Value>;

/// The data sets `plan` reads: those of the materials the exchange fetches
/// and those the form pre-fills from, each once, in code order.
pub fn datasets_read(plan: &Plan) -> Vec<DatasetCode> {
    let mut wanted: Vec<DatasetCode> = plan
        .materials
        .fetched
        .iter()
        .filter_map(|m| m.source.shared_field())
        .chain(
            plan.form
                .fields
                .iter()
                .filter_map(|f| f.field.prefill.clone()),
        )
        .map(|f| f.dataset)
        .collect();
    wanted.sort();
    wanted.dedup();
    wanted
}

/// The value of `field` in the applicant's records, when the exchange holds
/// one: a null counts as not held.
pub fn held(records: &Records, field: &DatasetField) -> Option<Value> {
    records
        .get(field.dataset.as_str())
        .and_then(|r| r.get(&field.field))
        .filter(|v| !v.is_null())
        .cloned()
}

/// The plan for this applicant: what the exchange does not hold is brought.
pub fn personal_plan(plan: Plan, records: &Records) -> Plan {
    plan.with_availability(|dataset, field| {
        records
            .get(dataset)
            .and_then(|r| r.get(field))
            .is_some_and(|v| !v.is_null())
    })
}

/// Form values the exchange pre-fills, by form field key.
pub fn prefill(plan: &Plan, records: &Records) -> Map<String, Value> {
    plan.form
        .fields
        .iter()
        .filter_map(|f| {
            let source = f.field.prefill.as_ref()?;
            Some((f.field.key.to_string(), held(records, source)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn records() -> Records {
        let mut r = Records::new();
        r.insert(
            "household".into(),
            json!({"address": "宁穿路1号", "gender": null}),
        );
        r
    }

    #[test]
    fn a_null_value_is_not_held() {
        let r = records();
        let address = DatasetField::parse("household.address").expect("ref");
        let gender = DatasetField::parse("household.gender").expect("ref");
        let missing = DatasetField::parse("tax.arrears").expect("ref");
        assert_eq!(held(&r, &address), Some(json!("宁穿路1号")));
        assert_eq!(held(&r, &gender), None);
        assert_eq!(held(&r, &missing), None);
    }
}
