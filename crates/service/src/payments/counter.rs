//! 窗口收费: a fee paid at the window's counter — cash, a bank card, the
//! counter's own terminal — recorded by the clerk, and a refund handed back
//! there. Such a payment is an order like an online one (provider
//! [`COUNTER`]), paid the moment it is recorded, with the same SD-JWT
//! receipt, the same claim on the case's fees (a fee paid online meanwhile
//! makes it a double payment, refunded) and the same log line, so the
//! rules that gate acceptance and issue see no difference.
//!
//! No provider is asked about a counter order: the reconciler never sees
//! it pending, and its refund is not submitted anywhere; the window hands
//! the money back and says so here.

use serde_json::json;
use uuid::Uuid;
use yici_store::payments::{Applied, COUNTER, PaymentOrder, Refund, Transition};

use super::fees::{new_order, owed_lines};
use super::notices::log_line;
use crate::error::{Result, ServiceError};
use crate::gate::{WindowDesk, owner_of};

/// How a fee was paid at the counter.
pub const COUNTER_METHODS: [&str; 3] = ["cash", "card", "terminal"];

/// The longest reference (a card slip's or terminal's number) kept.
const MAX_REFERENCE: usize = 64;

impl WindowDesk<'_> {
    /// Records that everything case `case_id` owes was paid at the counter
    /// by `method` (one of [`COUNTER_METHODS`]), with the slip's reference
    /// if any; an online case that waited only for the fee is accepted.
    pub async fn record_counter_payment(
        &self,
        case_id: &str,
        method: &str,
        reference: Option<&str>,
    ) -> Result<(PaymentOrder, Option<Refund>)> {
        if !COUNTER_METHODS.contains(&method) {
            return Err(ServiceError::invalid(
                "method",
                "one_of",
                format!("method must be one of {}", COUNTER_METHODS.join(", ")),
            ));
        }
        let reference = reference.map(str::trim).filter(|r| !r.is_empty());
        if reference.is_some_and(|r| r.chars().count() > MAX_REFERENCE) {
            return Err(ServiceError::invalid(
                "reference",
                "max_length",
                format!("reference must be at most {MAX_REFERENCE} characters"),
            ));
        }
        let service = self.service();
        let stored = self.city_case(case_id).await?;
        let fees = service.case_fees(&stored).await?;
        let due = owed_lines(&fees)?;
        let clerk = self.caller().user().id.clone();
        let new = new_order(
            service,
            &stored,
            &due,
            &clerk,
            &owner_of(&stored.case),
            COUNTER,
        )?;
        service.store().create_order(&new).await?;
        let order = self.payment(&new.id).await?;
        let now = service.clock().now_ms();
        let transaction = format!("{COUNTER}-{method}-{}", Uuid::now_v7().simple());
        let receipt = service.payment_receipt(&order, &transaction, now).await?;
        let detail = json!({"method": method, "reference": reference, "clerk": clerk, "window": self.window()});
        let log = log_line(COUNTER, Some(&order.id), detail.to_string(), now);
        let t = Transition {
            order: order.id.clone(),
            from: order.state.clone(),
            to: "paid".into(),
            transaction_id: Some(transaction),
            paid_ms: Some(now),
            receipt: Some(receipt),
            nonce: None,
            now_ms: now,
        };
        match service.store().apply_transition(&t, &log).await? {
            Applied::Moved { refund } => {
                if !refund {
                    service.accept_when_paid(&order.case_id).await;
                }
            }
            // Only this request knows the new order: nothing else moves it.
            Applied::Raced | Applied::Replayed => {
                return Err(ServiceError::StateConflict(format!(
                    "order {} changed while it was recorded",
                    order.id
                )));
            }
        }
        self.payment_and_refund(&order.id).await
    }

    /// Records that the refund of counter payment `order_id` was handed
    /// back at the counter: the order is refunded and its fees owed again.
    pub async fn hand_back_refund(&self, order_id: &str) -> Result<(PaymentOrder, Option<Refund>)> {
        let service = self.service();
        let order = self.payment(order_id).await?;
        if order.provider != COUNTER {
            return Err(ServiceError::invalid(
                "payment",
                "not_counter",
                "an online payment is refunded through its provider, not at the counter",
            ));
        }
        let refund = service.store().refund_of(&order.id).await?;
        if order.state != "paid" || refund.as_ref().is_none_or(|r| r.state != "requested") {
            return Err(ServiceError::invalid(
                "payment",
                "no_refund_due",
                "no refund of this payment is waiting to be handed back",
            ));
        }
        let now = service.clock().now_ms();
        let detail = json!({"refund": "handed_back", "clerk": self.caller().user().id, "window": self.window()});
        let log = log_line(COUNTER, Some(&order.id), detail.to_string(), now);
        let t = Transition {
            order: order.id.clone(),
            from: "paid".into(),
            to: "refunded".into(),
            transaction_id: None,
            paid_ms: None,
            receipt: None,
            nonce: None,
            now_ms: now,
        };
        match service.store().apply_transition(&t, &log).await? {
            Applied::Moved { .. } => self.payment_and_refund(&order.id).await,
            Applied::Raced | Applied::Replayed => Err(ServiceError::StateConflict(format!(
                "payment {} changed meanwhile; look again",
                order.id
            ))),
        }
    }

    /// A payment of the clerk's city with its refund, if any.
    async fn payment_and_refund(&self, id: &str) -> Result<(PaymentOrder, Option<Refund>)> {
        let order = self.payment(id).await?;
        let refund = self.service().store().refund_of(&order.id).await?;
        Ok((order, refund))
    }
}
