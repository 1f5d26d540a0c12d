//! The service hall around a case: bookings of the window areas' slots
//! with their history (`bookings.rs`), the queue at the window
//! (`queue.rs`), and ratings with their follow-ups (`ratings.rs` writes,
//! `register.rs` reads).
//!
//! This file only declares the module and hands on its public names.

mod booking_lists;
mod bookings;
mod queue;
mod ratings;
mod register;

pub use bookings::{Booked, Booking, BookingChange, BookingState, SlotPlace};
pub use queue::{Called, QueueTicket, TicketState};
pub use ratings::{NewRating, rating_alongside};
pub use register::{FollowUp, Rating, UnitFigures};
