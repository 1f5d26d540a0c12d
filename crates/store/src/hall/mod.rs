//! The service hall around a case: bookings of the window areas' slots
//! with their history (`bookings.rs`), the queue at the window
//! (`queue.rs`), and ratings with their follow-ups (`ratings.rs`).
//!
//! This file only declares the module and hands on its public names.

mod bookings;
mod queue;
mod ratings;

pub use bookings::{Booked, Booking, BookingChange, BookingState, SlotPlace};
pub use queue::{Called, QueueTicket, TicketState};
pub use ratings::{FollowUp, NewRating, Rating, UnitFigures, rating_alongside};
