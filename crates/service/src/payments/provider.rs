//! The payment-provider interface: open an order and send the payer to
//! the provider's checkout, ask the provider where an order is, ask for a
//! refund, and the key its notices are signed with. One variant per
//! provider; today the sandbox that yici serves itself, standing in for a
//! payment company (WeChat Pay, Alipay, a bank's 统一公共支付平台), whose
//! variant would make the same calls over HTTPS.

use ed25519_dalek::VerifyingKey;
pub use yici_payment::ProviderView;
use yici_store::Store;
use yici_store::payments::PaymentOrder;

use super::sandbox::Sandbox;
use crate::error::Result;

/// The configured payment provider.
pub enum Provider {
    /// The sandbox served by yici itself (`--payments sandbox`).
    Sandbox(Sandbox),
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Provider {
    /// The sandbox, signing with the key made from `seed` (a random one
    /// when `None`: tests; `serve` keeps it in a file so that every server
    /// of one database signs alike).
    pub fn sandbox(seed: Option<[u8; 32]>) -> Self {
        Provider::Sandbox(Sandbox::new(seed))
    }

    /// Its name, as orders record it.
    pub fn name(&self) -> &'static str {
        match self {
            Provider::Sandbox(_) => "sandbox",
        }
    }

    /// The key the provider's notices are signed with.
    pub fn verifying_key(&self) -> VerifyingKey {
        match self {
            Provider::Sandbox(s) => s.verifying_key(),
        }
    }

    /// Opens `order` at the provider; the checkout URL to send the payer
    /// to, who comes back to `return_url`.
    pub(crate) async fn open(
        &self,
        store: &Store,
        order: &PaymentOrder,
        description: &str,
        return_url: &str,
        checkout_base: &str,
        now_ms: i64,
    ) -> Result<String> {
        match self {
            Provider::Sandbox(s) => {
                s.open(store, order, description, return_url, checkout_base, now_ms)
                    .await
            }
        }
    }

    /// Where the provider says order `order` is; `None`: it never heard of it.
    pub(crate) async fn query(&self, store: &Store, order: &str) -> Result<Option<ProviderView>> {
        match self {
            Provider::Sandbox(s) => s.query(store, order).await,
        }
    }

    /// Asks the provider to refund `order` in full under `refund_id`
    /// (idempotent: the same refund asked twice is one refund). The
    /// provider's notice says when it is done.
    pub(crate) async fn refund(
        &self,
        store: &Store,
        order: &str,
        refund_id: &str,
        now_ms: i64,
    ) -> Result<()> {
        match self {
            Provider::Sandbox(s) => s.refund(store, order, refund_id, now_ms).await,
        }
    }
}
