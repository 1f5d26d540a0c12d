//! The queue at the window: a booked visitor checks in with the code of
//! their booking (read from its QR code or typed) and gets a `Y` number; a
//! visitor without one gets an `A` number; a clerk calls the next to their
//! counter, booked visitors first. Waiting time is issue to call.

use uuid::Uuid;
use yici_hall::booking::may_check_in;
use yici_hall::queue::Arrival;
use yici_store::hall::{Booking, Called, QueueTicket, TicketState};

use super::instant;
use crate::error::{Result, ServiceError};
use crate::gate::WindowDesk;

/// A window area's day: its bookings and its queue.
#[derive(Debug, Clone)]
pub struct QueueDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The bookings of the day, in slot order.
    pub bookings: Vec<Booking>,
    /// The numbers issued, in the order they are called.
    pub tickets: Vec<QueueTicket>,
}

/// A counter's name: 1 to 16 letters, digits or `-`.
fn check_counter(counter: &str) -> Result<&str> {
    let c = counter.trim();
    if c.is_empty() || c.len() > 16 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    {
        return Err(ServiceError::invalid(
            "counter",
            "counter_name",
            "a counter is named by 1 to 16 letters, digits or '-', e.g. 12",
        ));
    }
    Ok(c)
}

impl WindowDesk<'_> {
    fn new_ticket(&self, arrival: Arrival, booking: Option<&Booking>) -> QueueTicket {
        let service = self.service();
        QueueTicket {
            id: Uuid::now_v7().to_string(),
            window: self.window().to_owned(),
            day: service.clock().today().to_string(),
            number: 0,
            arrival: arrival.as_str().to_owned(),
            priority: arrival.priority(),
            booking_id: booking.map(|b| b.id.clone()),
            issued_ms: service.clock().now_ms(),
            issued_by: self.caller().user().id.clone(),
            state: TicketState::Waiting,
            called_ms: None,
            called_by: None,
            counter: None,
            finished_ms: None,
        }
    }

    /// Checks in the visitor of a booking by its code: a booking of this
    /// window area, for today, from shortly before its slot until it ends.
    pub async fn check_in(&self, code: &str) -> Result<QueueTicket> {
        let service = self.service();
        let code = code.trim().to_ascii_uppercase();
        let unknown = || {
            ServiceError::invalid(
                "code",
                "unknown_booking",
                format!("no booking of this window area has the code {code:?}"),
            )
        };
        let b = service
            .store()
            .booking_by_code(&code)
            .await?
            .filter(|b| b.window == self.window())
            .ok_or_else(unknown)?;
        if b.state != yici_store::hall::BookingState::Booked {
            return Err(ServiceError::invalid(
                "code",
                "booking_not_active",
                format!(
                    "the booking is {}, not waiting for its visitor",
                    b.state.as_str()
                ),
            ));
        }
        let policy = service.catalog().booking;
        may_check_in(
            &policy,
            instant(b.starts_ms)?,
            instant(b.ends_ms)?,
            service.clock().now(),
        )
        .map_err(|e| ServiceError::invalid("code", e.rule(), e.to_string()))?;
        let t = self.new_ticket(Arrival::Booked, Some(&b));
        service
            .store()
            .issue_ticket(&t, Some(&b))
            .await?
            .ok_or_else(|| {
                ServiceError::StateConflict("the booking was checked in meanwhile".into())
            })
    }

    /// A number for a visitor without a booking.
    pub async fn walk_in(&self) -> Result<QueueTicket> {
        let t = self.new_ticket(Arrival::WalkIn, None);
        self.service()
            .store()
            .issue_ticket(&t, None)
            .await?
            .ok_or_else(|| ServiceError::internal("a walk-in number was not issued"))
    }

    /// Calls the next number to `counter`; the number it was serving is done.
    pub async fn call_next(&self, counter: &str) -> Result<Called> {
        let counter = check_counter(counter)?;
        let service = self.service();
        Ok(service
            .store()
            .call_next(
                self.window(),
                &service.clock().today().to_string(),
                counter,
                &self.caller().user().id,
                service.clock().now_ms(),
            )
            .await?)
    }

    /// Marks a called number of this window area served or absent.
    pub async fn finish_ticket(&self, id: &str, absent: bool) -> Result<QueueTicket> {
        let store = self.service().store();
        let t = store
            .ticket(id)
            .await?
            .filter(|t| t.window == self.window())
            .ok_or_else(|| ServiceError::NotFound {
                what: "ticket",
                id: id.to_owned(),
            })?;
        let to = if absent {
            TicketState::Skipped
        } else {
            TicketState::Done
        };
        if !store
            .finish_ticket(&t.id, to, self.service().clock().now_ms())
            .await?
        {
            return Err(ServiceError::StateConflict(format!(
                "number {} is {}, not being served",
                t.number,
                t.state.as_str()
            )));
        }
        store
            .ticket(id)
            .await?
            .ok_or_else(|| ServiceError::internal("the number vanished"))
    }

    /// Today's bookings and queue of the clerk's window area.
    pub async fn queue_today(&self) -> Result<QueueDay> {
        let service = self.service();
        let day = service.clock().today().to_string();
        let store = service.store();
        Ok(QueueDay {
            bookings: store.bookings_of_day(self.window(), &day).await?,
            tickets: store.queue_of_day(self.window(), &day).await?,
            day,
        })
    }
}
