//! A case's consent: what it covers, shown to whoever may see the case;
//! granted, refused or withdrawn by the applicant, each an event of the
//! case in the ledger.

use uuid::Uuid;
use yici_core::case::{Case, CaseId, EventKind, Role};
use yici_exchange::consent::{CONSENT_MS, ScopeItem, scope, status_at};
use yici_exchange::prefill::personal_plan;
use yici_store::StoredCase;
use yici_store::exchange::{Consent, SideEvent};

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, CaseDesk};

/// A case's consent: what it covers and its status.
#[derive(Debug, Clone)]
pub struct ConsentView {
    /// Exactly which fields of which data sets, for which matters, read by
    /// which departments.
    pub scope: Vec<ScopeItem>,
    /// `none` (not asked yet), `granted`, `refused`, `withdrawn`, or
    /// `expired` when a grant lapsed.
    pub status: String,
    /// When a grant lapses (ms).
    pub expires_ms: Option<i64>,
}

impl Service {
    /// What the consent of `case` would cover now, for its data subject.
    pub(crate) async fn consent_scope(&self, case: &Case, subject: &str) -> Result<Vec<ScopeItem>> {
        let plan = self.plan_for(&case.target)?;
        let records = self.records_for(&plan, subject).await?;
        let plan = personal_plan(plan, &records);
        Ok(scope(self.catalog(), &plan, &records))
    }
}

impl CaseDesk<'_> {
    /// What the consent of case `id` covers and its status.
    pub async fn consent(&self, id: &CaseId) -> Result<ConsentView> {
        let stored = self.case(id).await?;
        let service = self.service();
        let current = service.store().consent(&stored.case.id).await?;
        Ok(ConsentView {
            scope: service.consent_scope(&stored.case, &stored.owner).await?,
            status: status_at(
                current.as_ref().map(|c| c.status.as_str()),
                current.as_ref().map_or(0, |c| c.expires_ms),
                service.clock().now_ms(),
            ),
            expires_ms: current
                .filter(|c| c.status == "granted")
                .map(|c| c.expires_ms),
        })
    }
}

impl ApplicantDesk<'_> {
    /// The applicant's own case `id`; another's is not found.
    pub(crate) async fn own_case(&self, id: &CaseId) -> Result<StoredCase> {
        let stored = self.service().store().case(id).await?;
        stored
            .filter(|s| s.owner == self.subject())
            .ok_or_else(|| ServiceError::NotFound {
                what: "case",
                id: id.to_string(),
            })
    }

    /// Grants (`true`) or refuses the reads of case `id`.
    pub async fn decide_consent(&self, id: &CaseId, grant: bool) -> Result<ConsentView> {
        let (status, kind) = if grant {
            ("granted", EventKind::ConsentGranted)
        } else {
            ("refused", EventKind::ConsentRefused)
        };
        let stored = self.own_case(id).await?;
        self.record(&stored, status, kind).await
    }

    /// Withdraws a granted consent before any read used it.
    pub async fn withdraw_consent(&self, id: &CaseId) -> Result<ConsentView> {
        let stored = self.own_case(id).await?;
        let store = self.service().store();
        let current = store.consent(&stored.case.id).await?;
        let Some(current) = current.filter(|c| c.status == "granted") else {
            return Err(ServiceError::StateConflict(
                "there is no granted consent to withdraw".into(),
            ));
        };
        let (reads, _) = store.reads_of(&stored.owner, 1000, 0).await?;
        if reads.iter().any(|r| r.consent_id == current.id) {
            return Err(ServiceError::StateConflict(
                "the consent was already used for a read and can no longer be withdrawn".into(),
            ));
        }
        self.record(&stored, "withdrawn", EventKind::ConsentWithdrawn)
            .await
    }

    async fn record(
        &self,
        stored: &StoredCase,
        status: &str,
        kind: EventKind,
    ) -> Result<ConsentView> {
        let service = self.service();
        let items = service.consent_scope(&stored.case, &stored.owner).await?;
        let now = service.clock().now_ms();
        let consent = Consent {
            id: Uuid::now_v7().to_string(),
            case_id: stored.case.id.to_string(),
            subject: stored.owner.clone(),
            scope: serde_json::to_string(&items).map_err(ServiceError::internal)?,
            status: status.to_owned(),
            decided_ms: now,
            expires_ms: now + CONSENT_MS,
        };
        let event = SideEvent {
            kind,
            actor: self.caller().user().id.clone(),
            role: Role::Applicant,
            on: service.clock().today(),
            data: serde_json::json!({"consent": consent.id, "scope": items}),
        };
        service.store().record_consent(&consent, event).await?;
        Ok(ConsentView {
            status: consent.status.clone(),
            expires_ms: (status == "granted").then_some(consent.expires_ms),
            scope: items,
        })
    }
}
