//! Checking the type and validation options of a form field.

use std::collections::HashMap;

use yici_core::catalog::FieldType;

use crate::file::RawField;

/// Builds the field type from its raw options, refusing options that do not
/// fit the type: a form that silently ignores `max_length` on a number would
/// let the catalog editor believe a rule holds that does not.
///
/// `patterns` remembers each distinct pattern's verdict: a catalog of
/// thousands of matters repeats a handful of patterns, and compiling a
/// regular expression is the dearest step of checking a field.
pub(crate) fn field_type(
    raw: &RawField,
    patterns: &mut HashMap<String, Result<(), String>>,
) -> Result<FieldType, String> {
    let name = raw.field_type.get_ref().as_str();
    let only = |allowed: &[&str]| -> Result<(), String> {
        let given = [
            ("max_length", raw.max_length.is_some()),
            ("pattern", raw.pattern.is_some()),
            ("min", raw.min.is_some()),
            ("max", raw.max.is_some()),
            ("options", raw.options.is_some()),
        ];
        match given
            .iter()
            .find(|(opt, set)| *set && !allowed.contains(opt))
        {
            Some((opt, _)) => Err(format!("{opt} does not apply to type {name}")),
            None => Ok(()),
        }
    };
    match name {
        "text" => {
            only(&["max_length", "pattern"])?;
            if raw.max_length == Some(0) {
                return Err("max_length must be at least 1".into());
            }
            if let Some(p) = &raw.pattern {
                patterns
                    .entry(p.clone())
                    .or_insert_with(|| {
                        regex::Regex::new(p)
                            .map(|_| ())
                            .map_err(|e| format!("pattern does not compile: {e}"))
                    })
                    .clone()?;
            }
            Ok(FieldType::Text {
                max_length: raw.max_length,
                pattern: raw.pattern.clone(),
            })
        }
        "number" => {
            only(&["min", "max"])?;
            if let (Some(min), Some(max)) = (raw.min, raw.max)
                && min > max
            {
                return Err(format!("min {min} is above max {max}"));
            }
            Ok(FieldType::Number {
                min: raw.min,
                max: raw.max,
            })
        }
        "choice" => {
            only(&["options"])?;
            let options = raw.options.clone().unwrap_or_default();
            if options.is_empty() {
                return Err("a choice needs at least one option".into());
            }
            let mut sorted = options.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != options.len() {
                return Err("choice options repeat".into());
            }
            Ok(FieldType::Choice { options })
        }
        "date" | "resident_id" | "uscc" | "phone" | "region" | "bool" => {
            only(&[])?;
            Ok(match name {
                "date" => FieldType::Date,
                "resident_id" => FieldType::ResidentId,
                "uscc" => FieldType::Uscc,
                "phone" => FieldType::Phone,
                "region" => FieldType::Region,
                _ => FieldType::Bool,
            })
        }
        other => Err(format!(
            "unknown type {other:?}; use text, number, date, resident_id, uscc, phone, region, bool or choice"
        )),
    }
}
