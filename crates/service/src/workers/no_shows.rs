//! The no-show sweep: a booking still waiting for its visitor when its slot
//! has ended was missed. Marking it lets repeated no-shows suspend booking
//! (`hall::bookings`). Safe on several servers: a booking is marked only
//! if it is still `booked`, so two sweeps mark it once.

use yici_store::hall::BookingState;

use super::error::WorkerError;
use crate::context::Service;

/// Marks up to `batch` missed bookings; how many it marked.
pub async fn no_show_pass(service: &Service, batch: u32) -> Result<u64, WorkerError> {
    let store = service.store();
    let now = service.clock().now_ms();
    let mut marked = 0;
    for b in store.bookings_missed(now, batch).await? {
        if store
            .end_booking(&b, BookingState::NoShow, "system", now)
            .await?
        {
            marked += 1;
        }
    }
    Ok(marked)
}
