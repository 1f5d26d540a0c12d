//! The merged form of a plan: each semantic key asked once, whichever
//! matters ask it, and how definitions that differ are reconciled.

use std::collections::BTreeMap;

use serde::Serialize;
use yici_core::catalog::{Field, FieldKey, Matter, MatterCode};

/// The merged form: each semantic key asked once.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    /// Fields in first-asked order.
    pub fields: Vec<PlannedField>,
    /// Keys defined differently by different matters, and how they were merged.
    pub conflicts: Vec<FormConflict>,
}

/// A field of the merged form.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedField {
    /// The field.
    #[serde(flatten)]
    pub field: Field,
    /// Matters that ask it (empty when only the one-thing asks it).
    pub matters: Vec<MatterCode>,
}

/// A key that matters define differently but that can still be asked once.
#[derive(Debug, Clone, Serialize)]
pub struct FormConflict {
    /// The key.
    pub key: FieldKey,
    /// What differs.
    pub difference: String,
    /// How the merged form resolves it.
    pub resolution: String,
}

/// The one form of `matters` and the one-thing's own `extra` fields.
pub(crate) fn merged_form(matters: &[&Matter], extra: &[Field]) -> Form {
    let mut fields: Vec<PlannedField> = Vec::new();
    let mut position: BTreeMap<&str, usize> = BTreeMap::new();
    let mut conflicts = Vec::new();
    let asked = matters
        .iter()
        .flat_map(|m| m.fields.iter().map(move |f| (f, Some(&m.code))))
        .chain(extra.iter().map(|f| (f, None)));
    for (field, matter) in asked {
        match position.get(field.key.as_str()).map(|&i| &mut fields[i]) {
            None => {
                position.insert(field.key.as_str(), fields.len());
                fields.push(PlannedField {
                    field: field.clone(),
                    matters: matter.into_iter().cloned().collect(),
                });
            }
            Some(planned) => {
                if let Some(diff) = field_difference(&planned.field, field) {
                    // Required by any matter means required in the one form.
                    planned.field.required |= field.required;
                    conflicts.push(FormConflict {
                        key: field.key.clone(),
                        difference: diff,
                        resolution: format!(
                            "asked once as {:?}, {}",
                            planned.field.label.zh,
                            if planned.field.required {
                                "required"
                            } else {
                                "optional"
                            }
                        ),
                    });
                }
                if planned.field.prefill.is_none() {
                    planned.field.prefill = field.prefill.clone();
                }
                if let Some(m) = matter
                    && !planned.matters.contains(m)
                {
                    planned.matters.push(m.clone());
                }
            }
        }
    }
    Form { fields, conflicts }
}

/// How two definitions of one key differ, if they do. A different type or
/// validation cannot be asked once (the catalog check refuses it, see
/// [`incompatible`]); a different label or required flag can, and the
/// planner reports it as a conflict with its resolution.
pub(crate) fn field_difference(a: &Field, b: &Field) -> Option<String> {
    if a.field_type != b.field_type {
        return Some(format!("type {:?} vs {:?}", a.field_type, b.field_type));
    }
    let mut diffs = Vec::new();
    if a.label != b.label {
        diffs.push(format!("label {:?} vs {:?}", a.label.zh, b.label.zh));
    }
    if a.required != b.required {
        diffs.push(format!("required {} vs {}", a.required, b.required));
    }
    (!diffs.is_empty()).then(|| diffs.join(", "))
}

/// Whether a difference found by [`field_difference`] makes the key
/// impossible to ask once.
pub(crate) fn incompatible(a: &Field, b: &Field) -> bool {
    a.field_type != b.field_type
}
