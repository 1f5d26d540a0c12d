//! Machine-checkable conditions for deciding a matter at once (秒批).
//!
//! Deliberately not a language: a list of comparisons of one form field with
//! a constant, all of which must hold. A catalog editor can read it, a
//! reviewer can audit it, and no catalog can run code on the server.

use serde::{Deserialize, Serialize};

use super::code::FieldKey;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less than (numbers).
    Lt,
    /// At most (numbers).
    Le,
    /// Greater than (numbers).
    Gt,
    /// At least (numbers).
    Ge,
    /// One of a list.
    In,
    /// Filled in at all.
    Present,
}

/// One condition: `field op value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// The form field.
    pub field: FieldKey,
    /// The comparison.
    pub op: Op,
    /// The constant (a list for `in`; ignored for `present`).
    #[serde(default)]
    pub value: serde_json::Value,
}

/// How one condition fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionResult {
    /// The condition.
    #[serde(flatten)]
    pub condition: Condition,
    /// The value found in the form.
    pub actual: serde_json::Value,
    /// Whether it held.
    pub held: bool,
}

impl Condition {
    /// Whether the condition holds for `form` (a JSON object of field values).
    pub fn evaluate(&self, form: &serde_json::Value) -> ConditionResult {
        let actual = form
            .get(self.field.as_str())
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let number = |v: &serde_json::Value| v.as_f64();
        let held = match self.op {
            Op::Present => !actual.is_null() && actual != serde_json::Value::String(String::new()),
            Op::Eq => actual == self.value,
            Op::Ne => !actual.is_null() && actual != self.value,
            Op::In => self
                .value
                .as_array()
                .is_some_and(|list| list.contains(&actual)),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => match (number(&actual), number(&self.value)) {
                (Some(a), Some(b)) => match self.op {
                    Op::Lt => a < b,
                    Op::Le => a <= b,
                    Op::Gt => a > b,
                    _ => a >= b,
                },
                _ => false,
            },
        };
        ConditionResult {
            condition: self.clone(),
            actual,
            held,
        }
    }
}

/// Evaluates every condition; the matter may be decided at once only when
/// there is at least one and all hold.
pub fn evaluate_all(
    conditions: &[Condition],
    form: &serde_json::Value,
) -> (bool, Vec<ConditionResult>) {
    let results: Vec<ConditionResult> = conditions.iter().map(|c| c.evaluate(form)).collect();
    let all = !results.is_empty() && results.iter().all(|r| r.held);
    (all, results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cond(field: &str, op: Op, value: serde_json::Value) -> Condition {
        Condition {
            field: FieldKey::parse(field).expect("key"),
            op,
            value,
        }
    }

    #[test]
    fn all_conditions_holding_approves() {
        let form = json!({"venue.area": 8, "sign.lit": false});
        let (ok, report) = evaluate_all(
            &[
                cond("venue.area", Op::Le, json!(10)),
                cond("sign.lit", Op::Eq, json!(false)),
            ],
            &form,
        );
        assert!(ok);
        assert!(report.iter().all(|r| r.held));
    }

    #[test]
    fn one_failing_condition_falls_back_to_a_reviewer() {
        let form = json!({"venue.area": 12});
        let (ok, report) = evaluate_all(&[cond("venue.area", Op::Le, json!(10))], &form);
        assert!(!ok);
        assert_eq!(report[0].actual, json!(12));
    }

    #[test]
    fn missing_field_never_satisfies_a_comparison() {
        let (ok, _) = evaluate_all(&[cond("venue.area", Op::Lt, json!(10))], &json!({}));
        assert!(!ok);
    }

    #[test]
    fn no_conditions_means_no_rule_decision() {
        assert!(!evaluate_all(&[], &json!({})).0);
    }

    #[test]
    fn in_checks_membership() {
        let c = cond("kind", Op::In, json!(["a", "b"]));
        assert!(c.evaluate(&json!({"kind": "b"})).held);
        assert!(!c.evaluate(&json!({"kind": "c"})).held);
    }
}
