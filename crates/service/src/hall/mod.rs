//! The service hall around a case: booking a slot at a window area
//! (`bookings.rs`), and the queue at the window: check-in with the
//! booking's code, walk-in numbers, calling the next (`queue.rs`). The
//! no-show sweep is a worker (`workers::no_shows`). Ratings (好差评) with
//! their follow-ups (`ratings.rs`).

pub(crate) mod bookings;
mod queue;
mod ratings;

pub use bookings::{BookingRequest, SlotView, parse_day};
pub use queue::QueueDay;
pub use ratings::FollowUpDesk;
pub use yici_store::hall::{
    Booked, Booking, BookingChange, BookingState, Called, FollowUp, QueueTicket, Rating,
    TicketState, UnitFigures,
};

use yici_hall::BookingError;

use crate::error::ServiceError;

/// The instant of milliseconds since the epoch, as the store keeps times.
pub(crate) fn instant(ms: i64) -> Result<time::OffsetDateTime, ServiceError> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(ServiceError::internal)
}

impl From<BookingError> for ServiceError {
    fn from(e: BookingError) -> Self {
        ServiceError::invalid(e.field().unwrap_or("booking"), e.rule(), e.to_string())
    }
}
