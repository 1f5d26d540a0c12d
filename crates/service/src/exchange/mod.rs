//! The public data exchange as use cases: what the exchange holds for an
//! applicant (their plan and pre-filled form), consent for a case, the
//! purpose-bound reads of a department's task, who read my data, and the
//! departments filling their data sets. The rules are in `yici_exchange`.

mod consent;
mod reads;
mod records;

use yici_catalog::Plan;
use yici_core::case::Target;
use yici_exchange::prefill::{Records, datasets_read, personal_plan, prefill};

pub use consent::ConsentView;
pub use reads::ReadView;
pub use records::MAX_IMPORT;
pub use yici_exchange::consent::ScopeItem;

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::ApplicantDesk;

/// What an applicant fills in: the plan adjusted to what the exchange
/// holds for them, and the form values it pre-fills.
#[derive(Debug)]
pub struct PersonalForm {
    /// The applicant's own plan: what the exchange holds nothing of is brought.
    pub plan: Plan,
    /// Pre-filled values, by form field key.
    pub prefilled: serde_json::Map<String, serde_json::Value>,
}

impl Service {
    /// The records of `subject` in the data sets `plan` reads.
    pub(crate) async fn records_for(&self, plan: &Plan, subject: &str) -> Result<Records> {
        let wanted: Vec<String> = datasets_read(plan)
            .iter()
            .map(ToString::to_string)
            .collect();
        Ok(self.store().records_of(subject, &wanted).await?)
    }
}

impl ApplicantDesk<'_> {
    /// The plan and pre-filled form of `target` for this applicant.
    pub async fn personal_form(&self, target: &Target) -> Result<PersonalForm> {
        let plan = self
            .service()
            .plan_for(target)
            .map_err(|_| ServiceError::NotFound {
                what: "one-thing or matter",
                id: match target {
                    Target::OneThing(c) => c.to_string(),
                    Target::Matter(c) => c.to_string(),
                },
            })?;
        let records = self.service().records_for(&plan, self.subject()).await?;
        let prefilled = prefill(&plan, &records);
        Ok(PersonalForm {
            plan: personal_plan(plan, &records),
            prefilled,
        })
    }
}
