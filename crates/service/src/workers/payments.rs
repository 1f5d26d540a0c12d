//! The payment workers. The reconciler asks the provider about orders
//! whose notice never came and applies the answer as a notice would; it
//! closes orders the payer abandoned. The refund pass asks for refunds of
//! payments on cases rejected or withdrawn, and submits every refund asked
//! for to the provider. The sandbox's courier delivers the sandbox
//! provider's notices to yici's notify URL, as a payment company's would.
//! All are safe on several servers: every write is guarded by the state
//! it was read in, and the provider's refund is idempotent by its id.

use yici_payment::notice::{
    NONCE_HEADER, Notice, ProviderState, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};

use super::delivery::{Courier, retry_delay};
use super::error::WorkerError;
use crate::context::Service;
use crate::payments::Provider;

/// An order still pending after this long is asked about (ms).
pub const RECONCILE_AFTER_MS: i64 = 5 * 60 * 1000;
/// An order still unpaid after this long is closed (ms).
pub const ORDER_EXPIRY_MS: i64 = 2 * 60 * 60 * 1000;
/// The path the provider notifies.
pub const NOTIFY_PATH: &str = "/api/v1/payments/notify";

/// What a payments pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaymentsReport {
    /// Pending orders asked about.
    pub queried: u64,
    /// Of those, orders the answer moved (paid, closed …).
    pub reconciled: u64,
    /// Refunds asked for on closed cases.
    pub refunds_requested: u64,
    /// Refunds submitted to the provider.
    pub refunds_submitted: u64,
}

/// One pass of the reconciler and the refunds.
pub async fn payments_pass(service: &Service, batch: u32) -> Result<PaymentsReport, WorkerError> {
    let store = service.store();
    let now = service.clock().now_ms();
    let mut report = PaymentsReport::default();
    for order in store
        .pending_orders_before(now - RECONCILE_AFTER_MS, batch)
        .await?
    {
        report.queried += 1;
        let view = service
            .payments()
            .query(store, &order.id)
            .await
            .map_err(WorkerError::Service)?;
        let expired = order.created_ms < now - ORDER_EXPIRY_MS;
        let notice = match view {
            Some(v) if v.state != ProviderState::Pending => Notice {
                order: order.id.clone(),
                transaction: v.transaction,
                state: v.state,
                amount_fen: v.amount_fen,
                paid_ms: v.paid_ms,
                refund: None,
            },
            // The payer left the checkout, or the provider never heard of
            // the order (the server stopped between writing and opening
            // it): after the expiry it is closed; a late payment still
            // wins (the order's states only move forward).
            Some(v) if expired => Notice {
                order: order.id.clone(),
                transaction: v.transaction,
                state: ProviderState::Closed,
                amount_fen: v.amount_fen,
                paid_ms: None,
                refund: None,
            },
            None if expired => Notice {
                order: order.id.clone(),
                transaction: String::new(),
                state: ProviderState::Closed,
                amount_fen: u64::try_from(order.amount_fen).unwrap_or(0),
                paid_ms: None,
                refund: None,
            },
            _ => continue,
        };
        match service.hear(&notice, None, "query").await {
            Ok(h) if h.changed => report.reconciled += 1,
            Ok(_) => {}
            Err(e) => tracing::warn!(order = %order.id, error = %e, "reconciling an order failed"),
        }
    }
    report.refunds_requested = store.request_refunds_for_closed_cases(now, batch).await?;
    for refund in store.refunds_to_submit(batch).await? {
        match service
            .payments()
            .refund(store, &refund.order_id, &refund.id, now)
            .await
        {
            Ok(()) => {
                store.refund_submitted(&refund.id, now).await?;
                report.refunds_submitted += 1;
            }
            Err(e) => tracing::warn!(refund = %refund.id, error = %e, "submitting a refund failed"),
        }
    }
    Ok(report)
}

/// Delivers the sandbox provider's due notices to this yici's notify URL;
/// how many were answered 2xx. A notice that fails is tried again after a
/// growing delay, signed afresh, and never given up: the provider's word
/// must arrive.
pub async fn sandbox_notice_pass(
    service: &Service,
    courier: &Courier,
    batch: u32,
) -> Result<u64, WorkerError> {
    let Provider::Sandbox(sandbox) = service.payments();
    let store = service.store();
    let url = format!("{}{NOTIFY_PATH}", service.public_url());
    let mut delivered = 0;
    for n in store
        .sandbox_notices_due(service.clock().now_ms(), batch)
        .await?
    {
        let now = service.clock().now_ms();
        let (ts, nonce, signature) = sandbox.sign_notice(&n.body, now / 1000);
        let headers = [
            (TIMESTAMP_HEADER, ts.to_string()),
            (NONCE_HEADER, nonce),
            (SIGNATURE_HEADER, signature),
        ];
        let sent = courier.post_json(&url, &headers, &n.body).await;
        let attempts = u32::try_from(n.attempts + 1).unwrap_or(u32::MAX);
        let next = now + i64::try_from(retry_delay(attempts, 0.0).as_millis()).unwrap_or(i64::MAX);
        match &sent {
            Ok(()) => delivered += 1,
            Err(e) => tracing::warn!(notice = %n.id, error = %e, "sandbox notice not delivered"),
        }
        store
            .sandbox_notice_tried(&n.id, sent.is_ok(), sent.err().as_deref(), next, now)
            .await?;
    }
    Ok(delivered)
}
