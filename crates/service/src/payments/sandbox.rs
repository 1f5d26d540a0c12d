//! The sandbox payment provider, served by yici itself (`--payments
//! sandbox`, the demo default) so that a payment can be walked end to end
//! without a contract with a payment company. It behaves as one: its own
//! books (`sandbox_*` tables), a checkout page the payer confirms on, a
//! query for an order's state, refunds, and asynchronous notices to
//! yici's notify URL, signed with its own Ed25519 key and sent again
//! until yici answers 2xx, freshly signed each time.

use ed25519_dalek::{SigningKey, VerifyingKey};
use uuid::Uuid;
use yici_payment::ProviderView;
use yici_payment::notice::{Notice, ProviderState, sign};
use yici_store::Store;
use yici_store::payments::{PaymentOrder, SandboxMove, SandboxOrder};

use crate::error::{Result, ServiceError};

/// The sandbox provider.
pub struct Sandbox {
    key: SigningKey,
}

fn state(word: &str) -> Result<ProviderState> {
    match word {
        "pending" => Ok(ProviderState::Pending),
        "paid" => Ok(ProviderState::Paid),
        "refunded" => Ok(ProviderState::Refunded),
        "closed" => Ok(ProviderState::Closed),
        other => Err(ServiceError::Internal(format!(
            "sandbox order state {other:?}"
        ))),
    }
}

fn amount(fen: i64) -> u64 {
    u64::try_from(fen).unwrap_or(0)
}

/// The notice body for a sandbox order now in `state`.
pub(super) fn notice_body(
    o: &SandboxOrder,
    state: ProviderState,
    paid_ms: i64,
    refund: Option<&str>,
) -> String {
    let notice = Notice {
        order: o.merchant_order.clone(),
        transaction: o.transaction_id.clone(),
        state,
        amount_fen: amount(o.amount_fen),
        paid_ms: Some(paid_ms),
        refund: refund.map(str::to_owned),
    };
    serde_json::to_string(&notice).unwrap_or_default()
}

impl Sandbox {
    pub(super) fn new(seed: Option<[u8; 32]>) -> Self {
        let seed = seed.unwrap_or_else(|| {
            let mut s = [0u8; 32];
            // Tests only: `serve` always passes the seed from its key file.
            let _ = getrandom::fill(&mut s);
            s
        });
        Sandbox {
            key: SigningKey::from_bytes(&seed),
        }
    }

    pub(super) fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs a notice for one delivery: a new timestamp and nonce each time.
    pub fn sign_notice(&self, body: &str, now_secs: i64) -> (i64, String, String) {
        let nonce = Uuid::new_v4().simple().to_string();
        let signature = sign(&self.key, now_secs, &nonce, body.as_bytes());
        (now_secs, nonce, signature)
    }

    pub(super) async fn open(
        &self,
        store: &Store,
        order: &PaymentOrder,
        description: &str,
        return_url: &str,
        checkout_base: &str,
        now_ms: i64,
    ) -> Result<String> {
        let opened = store
            .sandbox_open(&SandboxOrder {
                transaction_id: format!("sbx{}", Uuid::now_v7().simple()),
                merchant_order: order.id.clone(),
                amount_fen: order.amount_fen,
                description: description.to_owned(),
                state: "pending".into(),
                return_url: return_url.to_owned(),
                created_ms: now_ms,
                paid_ms: None,
                refund_id: None,
            })
            .await?;
        Ok(format!(
            "{checkout_base}/sandbox/pay/{}",
            opened.transaction_id
        ))
    }

    pub(super) async fn query(&self, store: &Store, order: &str) -> Result<Option<ProviderView>> {
        let Some(o) = store.sandbox_by_merchant(order).await? else {
            return Ok(None);
        };
        Ok(Some(ProviderView {
            state: state(&o.state)?,
            transaction: o.transaction_id,
            amount_fen: amount(o.amount_fen),
            paid_ms: o.paid_ms,
        }))
    }

    pub(super) async fn refund(
        &self,
        store: &Store,
        order: &str,
        refund_id: &str,
        now_ms: i64,
    ) -> Result<()> {
        let o = store.sandbox_by_merchant(order).await?.ok_or_else(|| {
            ServiceError::StateConflict(format!("the sandbox has no order {order}"))
        })?;
        let snapshot = o.clone();
        let notice_id = Uuid::now_v7().to_string();
        let m = SandboxMove {
            transaction: &o.transaction_id,
            from: "paid",
            to: "refunded",
            refund_id: Some(refund_id),
            notice_id: &notice_id,
            now_ms,
        };
        let moved = store
            .sandbox_move(&m, |paid_ms| {
                notice_body(&snapshot, ProviderState::Refunded, paid_ms, Some(refund_id))
            })
            .await?;
        if moved || o.state == "refunded" {
            Ok(())
        } else {
            Err(ServiceError::StateConflict(format!(
                "the sandbox cannot refund order {order}: it is {}",
                o.state
            )))
        }
    }
}
