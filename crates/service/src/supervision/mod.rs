//! Supervision (效能监督): the figures a supervisor watches, and the
//! delivery record of the messages to departments' own systems, with
//! sending a dead letter again once its receiver is fixed.

mod outbox;
mod stats;

pub use stats::{MatterSpeed, Stats, StatsQuery};
pub use yici_store::{OutboxEntry, OutboxFilter, OutboxState};
