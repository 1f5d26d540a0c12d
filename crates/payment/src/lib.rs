//! The rules of 统一支付 (unified payment), free of storage and HTTP:
//!
//! - [`owed`]: what a case's matters charge and which fees still stand
//!   between it and acceptance or issue;
//! - [`notice`]: the provider's asynchronous notification, signed with
//!   Ed25519 over `timestamp\nnonce\nbody\n` the way real providers sign
//!   theirs, and how a receiver checks it;
//! - [`order`]: an order's states and which notice moves it, so that a
//!   replayed or late notice changes nothing.

pub mod notice;
pub mod order;
pub mod owed;

pub use notice::{Notice, NoticeError, ProviderState, ProviderView};
pub use order::{OrderState, Step, step};
pub use owed::{FeeLine, Gate, lines, outstanding};
