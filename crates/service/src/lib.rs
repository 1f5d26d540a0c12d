//! yici's application layer: every use case the web pages, the JSON API,
//! the background workers and the command line share, and the one
//! authorization gate in front of them.
//!
//! A use case is a method of a *desk*: a handle that only the gate
//! ([`gate`]) makes, after checking the caller's role and scope. So a
//! window clerk's use case cannot be called without a clerk, and an
//! administrator's without an administrator; the desk carries the scope
//! (own cases, own city, own department and region) that its use cases
//! apply. What needs no caller (the public catalog, verification, the
//! ledger's proofs) is a method of [`Service`] itself.
//!
//! Rules live below, in the domain crates (`yici_core`, `yici_catalog`,
//! `yici_exchange`, `yici_ledger`); SQL in `yici_store`; HTTP in the web
//! crate. Here is the order of things: read, decide by the rules, write
//! everything in one transaction, answer.

pub mod cases;
pub mod certificates;
mod clock;
mod context;
pub mod demo;
mod error;
pub mod exchange;
pub mod express;
pub mod gate;
pub mod hall;
pub mod keyfile;
pub mod ledger;
pub mod materials;
pub mod notify;
pub mod payments;
pub mod session;
pub mod supervision;
pub mod webhook;
pub mod workers;

pub use clock::Clock;
pub use context::{Service, Settings, Webhook};
pub use error::{FieldProblem, Result, ServiceError};
pub use gate::Caller;
