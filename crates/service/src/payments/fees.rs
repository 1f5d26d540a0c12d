//! A case's fees and paying them: what the case owes and what is paid,
//! paying online through the provider, an applicant's payments and the
//! window's, and the rule that an unpaid fee stops acceptance or issue.

use uuid::Uuid;
use yici_core::case::{Action, CaseState};
use yici_payment::{FeeLine, Gate, lines, outstanding};
use yici_store::StoredCase;
use yici_store::payments::{NewOrder, OrderItem, PaymentOrder};

use super::receipt::yuan;
use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, CaseDesk, WindowDesk, region_prefix, within};

/// One fee of a case and whether it is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeStatus {
    /// The fee.
    pub line: FeeLine,
    /// Paid (and not refunded).
    pub paid: bool,
}

/// A case's fees as its applicant or a clerk sees them.
#[derive(Debug, Clone)]
pub struct CaseFees {
    /// Every fee of the case's matters.
    pub lines: Vec<FeeStatus>,
    /// What is still to pay (fen).
    pub owed_fen: u64,
    /// The case's orders, newest first.
    pub orders: Vec<PaymentOrder>,
    /// Whether the case can still be paid for (not rejected or withdrawn).
    pub open: bool,
}

/// An order opened at the provider: where to send the payer.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// The order.
    pub order: PaymentOrder,
    /// The provider's checkout page.
    pub checkout_url: String,
}

fn not_found(what: &'static str, id: &str) -> ServiceError {
    ServiceError::NotFound {
        what,
        id: id.to_owned(),
    }
}

/// Money as people write it: `¥80.00`.
pub fn money(fen: u64) -> String {
    format!("¥{}", yuan(i64::try_from(fen).unwrap_or(i64::MAX)))
}

/// The fees of an open case still to pay, at least one; refused for a
/// closed case or when everything is paid.
pub(super) fn owed_lines(fees: &CaseFees) -> Result<Vec<&FeeLine>> {
    if !fees.open {
        return Err(ServiceError::invalid(
            "case",
            "case_closed",
            "this case was rejected or withdrawn: there is nothing to pay",
        ));
    }
    let due: Vec<&FeeLine> = fees
        .lines
        .iter()
        .filter(|f| !f.paid)
        .map(|f| &f.line)
        .collect();
    if due.is_empty() {
        return Err(ServiceError::invalid(
            "case",
            "nothing_to_pay",
            "every fee of this case is paid",
        ));
    }
    Ok(due)
}

/// A new order, pending, for the `due` fees of `stored` (the first names
/// the collecting department).
pub(super) fn new_order(
    service: &Service,
    stored: &StoredCase,
    due: &[&FeeLine],
    payer: &str,
    subject: &str,
    provider: &str,
) -> Result<NewOrder> {
    let first = due
        .first()
        .ok_or_else(|| ServiceError::Internal("an order of no fee".into()))?;
    let department = service
        .catalog()
        .matters
        .get(&first.matter)
        .map(|m| m.department.to_string())
        .ok_or_else(|| ServiceError::Internal(format!("matter {} is gone", first.matter)))?;
    Ok(NewOrder {
        id: format!("pay{}", Uuid::now_v7().simple()),
        case_id: stored.case.id.to_string(),
        department,
        region: stored.case.subject.region().to_string(),
        payer: payer.to_owned(),
        subject: subject.to_owned(),
        provider: provider.to_owned(),
        items: due
            .iter()
            .map(|l| OrderItem {
                fee: l.key(),
                name_zh: l.name.zh.to_string(),
                name_en: l.name.en.to_string(),
                units: i64::try_from(l.units).unwrap_or(i64::MAX),
                amount_fen: i64::try_from(l.amount_fen).unwrap_or(i64::MAX),
            })
            .collect(),
        created_ms: service.clock().now_ms(),
    })
}

impl Service {
    pub(super) async fn case_fees(&self, stored: &StoredCase) -> Result<CaseFees> {
        let id = stored.case.id.to_string();
        let paid = self.store().paid_fees(&id).await?;
        let all = lines(self.catalog(), &stored.case);
        let owed_fen = outstanding(&all, &paid, Gate::Issue)
            .iter()
            .map(|l| l.amount_fen)
            .sum();
        Ok(CaseFees {
            lines: all
                .into_iter()
                .map(|line| FeeStatus {
                    paid: paid.contains(&line.key()),
                    line,
                })
                .collect(),
            owed_fen,
            orders: self.store().orders_of_case(&id).await?,
            open: !matches!(
                stored.case.state,
                CaseState::Rejected | CaseState::Withdrawn
            ),
        })
    }

    /// Refuses accepting a case whose fees due before acceptance are
    /// unpaid, and issuing one with any fee unpaid.
    pub(crate) async fn check_fees(&self, stored: &StoredCase, action: &Action) -> Result<()> {
        let gate = match action {
            Action::Accept | Action::AcceptWithDeficiency { .. } => Gate::Acceptance,
            Action::IssueResult => Gate::Issue,
            _ => return Ok(()),
        };
        let all = lines(self.catalog(), &stored.case);
        if all.is_empty() {
            return Ok(());
        }
        let paid = self.store().paid_fees(&stored.case.id.to_string()).await?;
        let unpaid = outstanding(&all, &paid, gate);
        if unpaid.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = unpaid
            .iter()
            .map(|l| format!("{} {}", l.name.zh, money(l.amount_fen)))
            .collect();
        let step = match gate {
            Gate::Acceptance => "accepted",
            Gate::Issue => "issued",
        };
        Err(ServiceError::invalid(
            "fees",
            "fee_unpaid",
            format!(
                "the case cannot be {step} before these fees are paid: {}",
                names.join(", ")
            ),
        ))
    }
}

impl CaseDesk<'_> {
    /// The fees of a case the caller may see.
    pub async fn fees(&self, case_id: &str) -> Result<CaseFees> {
        let parsed = case_id.parse().map_err(|_| not_found("case", case_id))?;
        let stored = self.service().store().case(&parsed).await?;
        let stored = self.scope().viewable(stored, case_id)?;
        self.service().case_fees(&stored).await
    }
}

impl ApplicantDesk<'_> {
    /// Opens an order for everything a case of the applicant's still owes
    /// and answers where to pay it.
    pub async fn pay(&self, case_id: &str) -> Result<Checkout> {
        let service = self.service();
        let parsed = case_id.parse().map_err(|_| not_found("case", case_id))?;
        let stored = service
            .store()
            .case(&parsed)
            .await?
            .filter(|s| s.owner == self.subject())
            .ok_or_else(|| not_found("case", case_id))?;
        let fees = service.case_fees(&stored).await?;
        let due = owed_lines(&fees)?;
        let new = new_order(
            service,
            &stored,
            &due,
            &self.caller().user().id,
            self.subject(),
            service.payments().name(),
        )?;
        let now = new.created_ms;
        service.store().create_order(&new).await?;
        let order = service
            .store()
            .payment_order(&new.id)
            .await?
            .ok_or_else(|| ServiceError::Internal(format!("order {} vanished", new.id)))?;
        let description: Vec<&str> = due.iter().map(|l| &*l.name.zh).collect();
        let base = service.public_url();
        let checkout_url = service
            .payments()
            .open(
                service.store(),
                &order,
                &description.join("、"),
                &format!("{base}/my/payments/{}", order.id),
                base,
                now,
            )
            .await?;
        Ok(Checkout {
            order,
            checkout_url,
        })
    }

    /// The applicant's payments, newest first, and how many in all.
    pub async fn my_payments(&self, limit: u32, offset: u64) -> Result<(Vec<PaymentOrder>, u64)> {
        Ok(self
            .service()
            .store()
            .orders_of_subject(self.subject(), limit.clamp(1, 100), offset)
            .await?)
    }

    /// One payment of the applicant's.
    pub async fn my_payment(&self, id: &str) -> Result<PaymentOrder> {
        self.service()
            .store()
            .payment_order(id)
            .await?
            .filter(|o| o.subject == self.subject())
            .ok_or_else(|| not_found("payment", id))
    }
}

impl WindowDesk<'_> {
    /// The payments of the city's cases, newest first, and how many in all.
    pub async fn window_payments(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<PaymentOrder>, u64)> {
        let prefix = region_prefix(self.city()).to_owned();
        Ok(self
            .service()
            .store()
            .orders_in_region(&prefix, limit.clamp(1, 100), offset)
            .await?)
    }

    /// One payment of a case of the clerk's city.
    pub async fn payment(&self, id: &str) -> Result<PaymentOrder> {
        let city = self.city().to_owned();
        self.service()
            .store()
            .payment_order(id)
            .await?
            .filter(|o| within(&o.region, &city))
            .ok_or_else(|| not_found("payment", id))
    }
}

impl Service {
    /// One payment as the caller may see it: an applicant their own, a
    /// clerk their city's; anybody else is refused.
    pub async fn payment_for(&self, caller: &crate::Caller, id: &str) -> Result<PaymentOrder> {
        match caller.role() {
            yici_core::case::Role::Applicant => self.applicant(caller)?.my_payment(id).await,
            _ => self.window(caller)?.payment(id).await,
        }
    }

    /// One payment as the caller may see it, with its refund if any.
    pub async fn payment_with_refund(
        &self,
        caller: &crate::Caller,
        id: &str,
    ) -> Result<(PaymentOrder, Option<yici_store::payments::Refund>)> {
        let order = self.payment_for(caller, id).await?;
        let refund = self.store().refund_of(&order.id).await?;
        Ok((order, refund))
    }
}

impl crate::gate::SupervisionDesk<'_> {
    /// The log of the provider's notices and the reconciler's queries,
    /// refused ones included, newest first, and how many in all.
    pub async fn payment_notices(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<yici_store::payments::NoticeLine>, u64)> {
        Ok(self
            .service()
            .store()
            .notice_log(limit.clamp(1, 100), offset)
            .await?)
    }
}
