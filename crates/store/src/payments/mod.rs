//! 统一支付: orders for the fees a case owes and what the provider's
//! notices do to them (`orders.rs` writes, a payment's common case through the writer in
//! `paid.rs`, `order_lists.rs` reads),
//! refunds (`refunds.rs`), and the sandbox provider's own books
//! (`sandbox.rs`).
//!
//! This file only declares the module and hands on its public names.

mod order_lists;
mod orders;
mod paid;
mod refunds;
mod sandbox;

pub use order_lists::NoticeLine;

/// The provider name of an order paid at the window's counter (cash, bank
/// card, the counter's own terminal): no provider is asked about it, and
/// its refund is handed back at the counter.
pub const COUNTER: &str = "counter";
pub use orders::{Applied, NewOrder, NewReceipt, NoticeLog, OrderItem, PaymentOrder, Transition};
pub use refunds::Refund;
pub use sandbox::{SandboxMove, SandboxNotice, SandboxOrder};
