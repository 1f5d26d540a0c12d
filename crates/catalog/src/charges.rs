//! What a plan will cost: every fee of its matters and the total of the
//! fixed ones, so that the guide shows the money before the applicant
//! starts (一次告知).

use serde::Serialize;
use yici_core::catalog::{Fee, Matter, MatterCode};

/// A fee of one of the plan's matters.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedFee {
    /// The matter that charges it.
    pub matter: MatterCode,
    /// The fee item.
    #[serde(flatten)]
    pub fee: Fee,
}

/// What the plan's fees come to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Charges {
    /// Every fee item, in the matters' order.
    pub items: Vec<PlannedFee>,
    /// The sum of the fixed amounts, in fen; a per-unit fee adds its
    /// amount once (one unit), and `per_unit` says so.
    pub total_fen: u64,
    /// Whether some fee depends on a count in the form.
    pub per_unit: bool,
}

/// The charges of `matters`.
pub(crate) fn charges(matters: &[&Matter]) -> Charges {
    let items: Vec<PlannedFee> = matters
        .iter()
        .flat_map(|m| {
            m.fees.iter().map(|f| PlannedFee {
                matter: m.code.clone(),
                fee: f.clone(),
            })
        })
        .collect();
    Charges {
        total_fen: items.iter().map(|i| i.fee.amount_fen).sum(),
        per_unit: items.iter().any(|i| i.fee.per.is_some()),
        items,
    }
}
