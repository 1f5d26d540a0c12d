//! The service hall around a case: booking a slot at a window area
//! (`bookings.rs`), and the queue at the window: check-in with the
//! booking's code, walk-in numbers, calling the next (`queue.rs`). The
//! no-show sweep is a worker (`workers::no_shows`).

pub(crate) mod bookings;
mod queue;

pub use bookings::{BookingRequest, SlotView, parse_day};
pub use queue::QueueDay;
pub use yici_store::hall::{
    Booked, Booking, BookingChange, BookingState, Called, QueueTicket, TicketState,
};

use yici_hall::BookingError;

use crate::error::ServiceError;

impl From<BookingError> for ServiceError {
    fn from(e: BookingError) -> Self {
        ServiceError::invalid(e.field().unwrap_or("booking"), e.rule(), e.to_string())
    }
}
