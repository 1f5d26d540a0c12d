//! 统一支付 (unified payment): the fees a case owes and paying them
//! online (`fees.rs`), the provider interface (`provider.rs`) and the
//! sandbox provider yici serves itself (`sandbox.rs`), hearing the
//! provider's signed notices (`notices.rs`), and the electronic receipt
//! (`receipt.rs`), and fees paid at the window's counter (`counter.rs`). The reconciler and the refunds are workers
//! (`workers/payments.rs`).

mod checkout;
mod counter;
mod fees;
mod notices;
mod provider;
mod receipt;
mod sandbox;

pub use counter::COUNTER_METHODS;
pub use fees::{CaseFees, Checkout, FeeStatus, money};
pub use notices::Heard;
pub use provider::{Provider, ProviderView};
pub use receipt::{RECEIPT_TYPE, yuan};
pub use sandbox::Sandbox;
pub use yici_store::payments::{
    COUNTER, NoticeLine, OrderItem, PaymentOrder, Refund, SandboxOrder,
};
