//! What the provider says about an order, heard two ways: its signed
//! notice (`POST /api/v1/payments/notify`) or the reconciler's query when
//! no notice came. Both go through [`Service::hear`], so they agree: the
//! order moves only forward, a payment claims its fees, a fee paid twice
//! or a case closed meanwhile asks for a refund, and a replayed notice is
//! refused. Every notice, applied or refused, is logged.

use uuid::Uuid;
use yici_payment::notice::{Notice, NoticeError, Signed, verify};
use yici_payment::{OrderState, Step, step};
use yici_store::payments::{Applied, NoticeLog, Transition};

use crate::context::Service;
use crate::error::{Result, ServiceError};

/// What hearing a notice did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heard {
    /// The order.
    pub order: String,
    /// Its state now.
    pub state: OrderState,
    /// Whether this notice changed it.
    pub changed: bool,
    /// Whether a refund was asked for.
    pub refund: bool,
}

/// Set at start to make the process stop right after a notice is stored
/// and before it is answered (the crash test of issue 18 §7).
const CRASH_AFTER_NOTICE: &str = "YICI_CRASH_AFTER_NOTICE";

pub(super) fn log_line(source: &str, order: Option<&str>, detail: String, now: i64) -> NoticeLog {
    NoticeLog {
        id: Uuid::now_v7().to_string(),
        source: source.into(),
        order: order.map(str::to_owned),
        detail: detail.chars().take(500).collect(),
        at_ms: now,
    }
}

fn refusal(field: &str, e: &NoticeError) -> ServiceError {
    ServiceError::invalid(field, e.rule(), e.to_string())
}

impl Service {
    /// Receives the provider's notice: checks its signature, freshness and
    /// nonce, then applies it. A refused notice is logged and changes
    /// nothing.
    pub async fn receive_notice(&self, headers: &Signed<'_>, body: &[u8]) -> Result<Heard> {
        let now = self.clock().now_ms();
        let key = self.payments().verifying_key();
        let (notice, nonce) = match verify(&key, headers, body, now / 1000) {
            Ok(read) => read,
            Err(e) => {
                let detail = format!("{e}; body {}", String::from_utf8_lossy(body));
                tracing::warn!(rule = e.rule(), "payment notice refused: {e}");
                self.store()
                    .log_refused_notice(&log_line("notice", None, detail, now), e.rule())
                    .await?;
                let field = e.field(&yici_payment::notice::SCHEME);
                return Err(refusal(field, &e));
            }
        };
        let heard = self.hear(&notice, Some(&nonce), "notice").await?;
        if heard.changed && std::env::var_os(CRASH_AFTER_NOTICE).is_some() {
            tracing::error!("{CRASH_AFTER_NOTICE} is set: stopping before answering the notice");
            std::process::abort();
        }
        Ok(heard)
    }

    /// Applies what the provider says of an order (`nonce`: the notice's,
    /// `None` for a query).
    pub(crate) async fn hear(
        &self,
        notice: &Notice,
        nonce: Option<&str>,
        source: &str,
    ) -> Result<Heard> {
        // A move found raced by another notice is read again; three reads
        // are plenty, since each race means the order moved forward.
        for _ in 0..3 {
            let now = self.clock().now_ms();
            let detail = serde_json::to_string(notice).unwrap_or_default();
            let log = log_line(source, Some(&notice.order), detail, now);
            let Some(order) = self.store().payment_order(&notice.order).await? else {
                self.store()
                    .log_refused_notice(&log, "unknown_order")
                    .await?;
                tracing::warn!(order = %notice.order, "payment notice for an unknown order");
                return Err(ServiceError::NotFound {
                    what: "payment order",
                    id: notice.order.clone(),
                });
            };
            if u64::try_from(order.amount_fen).ok() != Some(notice.amount_fen) {
                self.store()
                    .log_refused_notice(&log, "amount_mismatch")
                    .await?;
                tracing::warn!(order = %order.id, "payment notice with the wrong amount");
                return Err(ServiceError::invalid(
                    "amount_fen",
                    "amount_mismatch",
                    format!(
                        "order {} is for {} fen, the notice says {}",
                        order.id, order.amount_fen, notice.amount_fen
                    ),
                ));
            }
            let current = OrderState::parse(&order.state)
                .ok_or_else(|| ServiceError::Internal(format!("order state {:?}", order.state)))?;
            let to = match step(current, notice.state) {
                Step::Already => {
                    if self.store().log_notice_already(&log, nonce).await? == Applied::Replayed {
                        return Err(replayed());
                    }
                    return Ok(Heard {
                        order: order.id,
                        state: current,
                        changed: false,
                        refund: false,
                    });
                }
                Step::To(to) => to,
            };
            let records_payment =
                matches!(to, OrderState::Paid | OrderState::Refunded) && order.paid_ms.is_none();
            let paid_ms = notice.paid_ms.unwrap_or(now);
            let receipt = if records_payment {
                Some(
                    self.payment_receipt(&order, &notice.transaction, paid_ms)
                        .await?,
                )
            } else {
                None
            };
            let t = Transition {
                order: order.id.clone(),
                from: current.as_str().into(),
                to: to.as_str().into(),
                // Unique per provider transaction: none is not an empty one.
                transaction_id: Some(notice.transaction.clone()).filter(|t| !t.is_empty()),
                paid_ms: records_payment.then_some(paid_ms),
                receipt,
                nonce: nonce.map(str::to_owned),
                now_ms: now,
            };
            match self.store().apply_transition(&t, &log).await? {
                Applied::Moved { refund } => {
                    if to == OrderState::Paid && !refund {
                        self.accept_when_paid(&order.case_id).await;
                    }
                    return Ok(Heard {
                        order: order.id,
                        state: to,
                        changed: true,
                        refund,
                    });
                }
                Applied::Replayed => return Err(replayed()),
                Applied::Raced => continue,
            }
        }
        Err(ServiceError::StateConflict(format!(
            "order {} kept changing while the notice was applied; send it again",
            notice.order
        )))
    }
}

impl Service {
    /// An online case whose materials are complete and that waited only
    /// for a fee due before acceptance is accepted once it is paid. A
    /// failure here is logged: the payment stands, and the next material
    /// or the clerk accepts the case.
    pub(super) async fn accept_when_paid(&self, case_id: &str) {
        let Ok(id) = case_id.parse() else { return };
        let result = match self.store().case(&id).await {
            Ok(Some(stored)) => self.accept_if_complete(stored).await.map(|_| ()),
            Ok(None) => Ok(()),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = result {
            tracing::warn!(case = case_id, error = %e, "accepting a case after its payment failed");
        }
    }
}

fn replayed() -> ServiceError {
    ServiceError::invalid(
        yici_payment::notice::NONCE_HEADER,
        "replayed_nonce",
        "this notice was received before: a replay changes nothing",
    )
}
