//! What a case owes: one line per fee of its matters, the amount of a
//! per-unit fee counted from the form, and which unpaid lines block the
//! next step.

use std::collections::BTreeSet;

use serde::Serialize;
use yici_core::case::Case;
use yici_core::catalog::{Catalog, FeeDue, MatterCode, Text};

/// One fee a case owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeLine {
    /// The matter that charges it.
    pub matter: MatterCode,
    /// The fee item's code within the matter.
    pub code: String,
    /// What it is for.
    pub name: Text,
    /// Units counted (1 for a fixed fee).
    pub units: u64,
    /// What it comes to, in fen.
    pub amount_fen: u64,
    /// When it must be paid.
    pub due: FeeDue,
    /// Legal basis.
    pub basis: String,
    /// Who pays it.
    pub payer: Text,
}

impl FeeLine {
    /// The key a payment names: `matter/code`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.matter, self.code)
    }
}

/// The fees of `case`'s matters, once per matter, in the tasks' order. A
/// per-unit fee whose count is missing or not a whole number ≥ 0 counts
/// nothing: the form was validated against the plan on submission, so
/// this is a catalog changed since, and charging a guess would be worse.
pub fn lines(catalog: &Catalog, case: &Case) -> Vec<FeeLine> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for task in &case.tasks {
        if !seen.insert(task.matter.clone()) {
            continue;
        }
        let Some(matter) = catalog.matters.get(&task.matter) else {
            continue;
        };
        for fee in &matter.fees {
            let units = match &fee.per {
                None => 1,
                Some(key) => case
                    .form
                    .get(key.as_str())
                    .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
                    .unwrap_or(0),
            };
            if units == 0 {
                continue;
            }
            out.push(FeeLine {
                matter: matter.code.clone(),
                code: fee.code.clone(),
                name: fee.name.clone(),
                units,
                amount_fen: fee.amount_fen.saturating_mul(units),
                due: fee.due,
                basis: fee.basis.clone(),
                payer: fee.payer.clone(),
            });
        }
    }
    out
}

/// The step an unpaid fee may block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Accepting the case: fees due before acceptance.
    Acceptance,
    /// Issuing the result: every fee.
    Issue,
}

/// The lines not yet paid (`paid` holds [`FeeLine::key`]s) that block
/// `gate`.
pub fn outstanding<'a>(
    lines: &'a [FeeLine],
    paid: &BTreeSet<String>,
    gate: Gate,
) -> Vec<&'a FeeLine> {
    lines
        .iter()
        .filter(|l| !paid.contains(&l.key()))
        .filter(|l| gate == Gate::Issue || l.due == FeeDue::BeforeAcceptance)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(code: &str, due: FeeDue) -> FeeLine {
        FeeLine {
            matter: MatterCode::parse("330200-ZRZY-002").expect("code"),
            code: code.into(),
            name: Text {
                zh: "费".into(),
                en: "fee".into(),
            },
            units: 1,
            amount_fen: 8000,
            due,
            basis: String::new(),
            payer: Text {
                zh: "申请人".into(),
                en: "The applicant".into(),
            },
        }
    }

    #[test]
    fn acceptance_waits_only_for_fees_due_before_it() {
        let lines = vec![
            line("a", FeeDue::BeforeAcceptance),
            line("b", FeeDue::BeforeIssue),
        ];
        let none = BTreeSet::new();
        let codes = |v: Vec<&FeeLine>| v.iter().map(|l| l.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(outstanding(&lines, &none, Gate::Acceptance)), ["a"]);
        assert_eq!(codes(outstanding(&lines, &none, Gate::Issue)), ["a", "b"]);
        let paid: BTreeSet<String> = [lines[0].key()].into();
        assert!(outstanding(&lines, &paid, Gate::Acceptance).is_empty());
        assert_eq!(codes(outstanding(&lines, &paid, Gate::Issue)), ["b"]);
    }
}
