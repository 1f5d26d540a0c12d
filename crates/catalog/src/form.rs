//! Checking an application form against a plan's merged form: every field
//! is known, required ones are filled, each value fits its type and rules.

use serde::Serialize;
use yici_core::catalog::FieldType;
use yici_core::identifier::{RegionCode, ResidentId, Uscc};

use crate::plan::Form;

/// One field that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field key, as in the form (`form.` is the caller's to add).
    pub field: String,
    /// Stable rule name.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(field: &str, rule: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        rule,
        message: message.into(),
    }
}

/// Longest text value accepted when a field sets no limit of its own.
pub const DEFAULT_MAX_TEXT: usize = 2000;

/// Checks `value` (a JSON object of field values) against `form`; returns
/// every problem, not only the first.
pub fn validate(form: &Form, value: &serde_json::Value) -> Result<(), Vec<FieldError>> {
    let Some(map) = value.as_object() else {
        return Err(vec![err(
            "form",
            "type",
            "the form must be an object of field values",
        )]);
    };
    let mut errors = Vec::new();
    for key in map.keys() {
        if !form.fields.iter().any(|f| f.field.key.as_str() == key) {
            errors.push(err(
                key,
                "unknown_field",
                format!("{key} is not a field of this application"),
            ));
        }
    }
    for planned in &form.fields {
        let f = &planned.field;
        let key = f.key.as_str();
        let v = map
            .get(key)
            .filter(|v| !v.is_null() && v.as_str() != Some(""));
        match v {
            None if f.required => errors.push(err(key, "required", format!("{key} is required"))),
            None => {}
            Some(v) => {
                if let Err(e) = check_value(key, &f.field_type, v) {
                    errors.push(e);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn text<'a>(key: &str, v: &'a serde_json::Value) -> Result<&'a str, FieldError> {
    v.as_str()
        .ok_or_else(|| err(key, "type", format!("{key} must be text")))
}

fn check_value(key: &str, t: &FieldType, v: &serde_json::Value) -> Result<(), FieldError> {
    match t {
        FieldType::Text {
            max_length,
            pattern,
        } => {
            let s = text(key, v)?;
            let max = max_length.map_or(DEFAULT_MAX_TEXT, |m| m as usize);
            if s.chars().count() > max {
                return Err(err(
                    key,
                    "max_length",
                    format!("{key} must be at most {max} characters"),
                ));
            }
            if let Some(p) = pattern {
                // Patterns were compiled when the catalog was checked.
                let whole = format!("^(?:{p})$");
                let matches = regex::Regex::new(&whole)
                    .map(|r| r.is_match(s))
                    .unwrap_or(false);
                if !matches {
                    return Err(err(
                        key,
                        "pattern",
                        format!("{key} does not have the required form"),
                    ));
                }
            }
            Ok(())
        }
        FieldType::Number { min, max } => {
            let n = v
                .as_f64()
                .ok_or_else(|| err(key, "type", format!("{key} must be a number")))?;
            if let Some(min) = min
                && n < *min as f64
            {
                return Err(err(key, "min", format!("{key} must be at least {min}")));
            }
            if let Some(max) = max
                && n > *max as f64
            {
                return Err(err(key, "max", format!("{key} must be at most {max}")));
            }
            Ok(())
        }
        FieldType::Date => {
            let s = text(key, v)?;
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(s, format)
                .map(|_| ())
                .map_err(|_| err(key, "date", format!("{key} must be a real date YYYY-MM-DD")))
        }
        FieldType::ResidentId => ResidentId::parse(text(key, v)?)
            .map(|_| ())
            .map_err(|e| err(key, e.rule(), format!("{key}: {e}"))),
        FieldType::Uscc => Uscc::parse(text(key, v)?)
            .map(|_| ())
            .map_err(|e| err(key, e.rule(), format!("{key}: {e}"))),
        FieldType::Region => RegionCode::parse(text(key, v)?)
            .map(|_| ())
            .map_err(|e| err(key, e.rule(), format!("{key}: {e}"))),
        FieldType::Phone => {
            let s = text(key, v)?;
            if is_phone(s) {
                Ok(())
            } else {
                Err(err(
                    key,
                    "phone",
                    format!("{key} must be a mainland mobile (11 digits) or fixed number"),
                ))
            }
        }
        FieldType::Bool => v
            .as_bool()
            .map(|_| ())
            .ok_or_else(|| err(key, "type", format!("{key} must be true or false"))),
        FieldType::Choice { options } => {
            let s = text(key, v)?;
            if options.iter().any(|o| o == s) {
                Ok(())
            } else {
                Err(err(
                    key,
                    "choice",
                    format!("{key} must be one of: {}", options.join(", ")),
                ))
            }
        }
    }
}

/// A mainland mobile number (1[3-9] and 9 digits) or a fixed-line number
/// with area code (0 + 2–3 digits, optional hyphen, 7–8 digits).
fn is_phone(s: &str) -> bool {
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let b = s.as_bytes();
    if s.len() == 11 && digits(s) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return true;
    }
    let plain: String = s.chars().filter(|&c| c != '-').collect();
    s.matches('-').count() <= 1
        && digits(&plain)
        && plain.starts_with('0')
        && (10..=12).contains(&plain.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_and_fixed_numbers_are_phones() {
        assert!(is_phone("13812345678"));
        assert!(is_phone("0574-87654321"));
        assert!(!is_phone("12345"));
        assert!(!is_phone("23812345678"));
    }
}
