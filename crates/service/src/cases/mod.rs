//! Cases (办件): submitting online or at a window, reading and listing
//! within the caller's scope, and every later action with what follows
//! from it — rule decisions (秒批), messages to departments' own systems,
//! and the e-certificates of the result — written in one transaction.

mod act;
mod input;
mod read;
mod submit;

use yici_catalog::Plan;
use yici_core::case::Target;
use yici_core::catalog::{MatterCode, OneThingCode};

pub use act::Acted;
pub(crate) use act::opened_messages;
pub use input::{
    ActionInput, ApplicantInput, KeyFrom, action, applicant, decision_outcome, idempotency_key,
    own_applicant, target,
};
pub use read::CaseWithHistory;
pub use submit::{Application, Submitted};
pub use yici_store::{CaseFilter, IdempotencyKey, StoredCase, StoredEvent, TaskFilter, TaskRow};

use crate::context::Service;
use crate::error::{Result, ServiceError};

impl Service {
    /// The plan a case of `target` follows.
    pub fn plan_for(&self, target: &Target) -> Result<Plan> {
        match target {
            Target::OneThing(code) => self.one_thing_plan(code).cloned().ok_or_else(|| {
                ServiceError::invalid(
                    "one_thing",
                    "unknown_one_thing",
                    format!("one-thing {code} does not exist"),
                )
            }),
            Target::Matter(code) => {
                yici_catalog::plan(self.catalog(), code.as_str()).map_err(|_| {
                    ServiceError::invalid(
                        "matter",
                        "unknown_matter",
                        format!("matter {code} does not exist"),
                    )
                })
            }
        }
    }

    /// What `code` names in the catalog: a one-thing, else a matter.
    pub fn target_of(&self, code: &str) -> Option<Target> {
        if let Ok(o) = OneThingCode::parse(code)
            && self.catalog().one_things.contains_key(&o)
        {
            return Some(Target::OneThing(o));
        }
        MatterCode::parse(code)
            .ok()
            .filter(|m| self.catalog().matters.contains_key(m))
            .map(Target::Matter)
    }
}
