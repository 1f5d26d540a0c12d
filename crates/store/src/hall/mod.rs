//! The service hall around a case: bookings of the window areas' slots
//! with their history (`bookings.rs`), and the queue at the window
//! (`queue.rs`).
//!
//! This file only declares the module and hands on its public names.

mod bookings;
mod queue;

pub use bookings::{Booked, Booking, BookingChange, BookingState, SlotPlace};
pub use queue::{Called, QueueTicket, TicketState};
