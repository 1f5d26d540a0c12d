//! The rules of the service hall around a case (办事大厅): booking a slot
//! at a window area and the queue at the window. Pure: no I/O, no clock of
//! its own; the application layer passes "now" in.

pub mod booking;
pub mod queue;
pub mod rating;

pub use booking::{BookingError, Slot};
