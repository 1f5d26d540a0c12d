//! The sandbox provider's own pages and API, served by yici: its checkout
//! (the order a payer is about to pay, and paying it) and its query. They
//! stand for a payment company's site, so they need no yici session.

use uuid::Uuid;
use yici_payment::ProviderView;
use yici_payment::notice::ProviderState;
use yici_store::payments::{SandboxMove, SandboxOrder};

use super::provider::Provider;
use super::sandbox::{Sandbox, notice_body};
use crate::context::Service;
use crate::error::{Result, ServiceError};

impl Service {
    fn sandbox(&self) -> Result<&Sandbox> {
        match self.payments() {
            Provider::Sandbox(s) => Ok(s),
        }
    }

    /// The sandbox's checkout: the order a payer is about to pay.
    pub async fn sandbox_checkout(&self, transaction: &str) -> Result<SandboxOrder> {
        self.sandbox()?;
        self.store()
            .sandbox_order(transaction)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: "sandbox order",
                id: transaction.to_owned(),
            })
    }

    /// The payer confirms at the sandbox's checkout: the order is paid and
    /// its notice queued; answers the order (its `return_url` is where the
    /// payer goes next). Paying twice is refused.
    pub async fn sandbox_pay(&self, transaction: &str) -> Result<SandboxOrder> {
        let o = self.sandbox_checkout(transaction).await?;
        let snapshot = o.clone();
        let notice_id = Uuid::now_v7().to_string();
        let m = SandboxMove {
            transaction,
            from: "pending",
            to: "paid",
            refund_id: None,
            notice_id: &notice_id,
            now_ms: self.clock().now_ms(),
        };
        let moved = self
            .store()
            .sandbox_move(&m, |paid_ms| {
                notice_body(&snapshot, ProviderState::Paid, paid_ms, None)
            })
            .await?;
        if !moved {
            return Err(ServiceError::StateConflict(format!(
                "this order is {} at the sandbox and cannot be paid",
                o.state
            )));
        }
        self.sandbox_checkout(transaction).await
    }

    /// The sandbox's answer to "where is order `order`?", as its query API
    /// gives it.
    pub async fn sandbox_query(&self, order: &str) -> Result<ProviderView> {
        self.sandbox()?
            .query(self.store(), order)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: "sandbox order",
                id: order.to_owned(),
            })
    }
}
