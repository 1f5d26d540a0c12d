//! Appointments (预约): which slots exist, which may be booked now, when a
//! booking may still be moved or cancelled, when its visitor may check in,
//! and when repeated no-shows suspend booking.
//!
//! Times of day are China time (UTC+8, no daylight saving), the time the
//! hall opens by; instants are `OffsetDateTime`s in any offset.

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use yici_core::calendar::{Calendar, CalendarError};
use yici_core::catalog::appointments::{Minutes, clock_text};
use yici_core::catalog::{Appointments, BookingPolicy};

/// China Standard Time.
pub const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// One slot of one day at one window area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// The day.
    pub day: Date,
    /// Start, minutes after midnight.
    pub start: Minutes,
    /// When it starts.
    pub starts_at: OffsetDateTime,
    /// When it ends.
    pub ends_at: OffsetDateTime,
    /// Bookings it takes.
    pub capacity: u32,
}

impl Slot {
    /// `09:30`.
    pub fn start_text(&self) -> String {
        clock_text(self.start)
    }
}

/// Why a slot cannot be booked, a booking not changed, or a visitor not
/// checked in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    /// The window area declares no appointments.
    #[error("this window area takes no bookings")]
    NotBookable,
    /// Weekends and holidays are closed.
    #[error("{day} is a {kind}, when the hall is closed; pick a working day")]
    ClosedDay {
        /// The day asked for.
        day: Date,
        /// What kind of day it is.
        kind: &'static str,
    },
    /// No slot starts then.
    #[error("no slot starts at {0}; slots start within the opening hours, every slot's length")]
    OutsideHours(String),
    /// The slot has begun or is over.
    #[error("the slot has already begun")]
    Past,
    /// Too far ahead.
    #[error("slots can be booked at most {0} days ahead")]
    BeyondHorizon(u16),
    /// The calendar does not know the day.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Too late to cancel or move.
    #[error("a booking can be cancelled or moved until {0} minutes before its slot")]
    PastCutoff(u32),
    /// Too many no-shows.
    #[error("booking is suspended until {0} after repeated no-shows")]
    Suspended(String),
    /// Check-in has not opened yet.
    #[error("check-in opens {0} minutes before the slot")]
    TooEarly(u32),
    /// The slot is over.
    #[error("the slot is over: the booking was missed")]
    TooLate,
}

impl BookingError {
    /// The stable rule name.
    pub fn rule(&self) -> &'static str {
        match self {
            BookingError::NotBookable => "window_takes_no_bookings",
            BookingError::ClosedDay { .. } => "not_a_working_day",
            BookingError::OutsideHours(_) => "outside_opening_hours",
            BookingError::Past => "slot_begun",
            BookingError::BeyondHorizon(_) => "beyond_booking_horizon",
            BookingError::Calendar(e) => e.rule(),
            BookingError::PastCutoff(_) => "past_cancel_cutoff",
            BookingError::Suspended(_) => "booking_suspended",
            BookingError::TooEarly(_) => "check_in_not_open",
            BookingError::TooLate => "slot_over",
        }
    }

    /// The request field the problem is about, if it is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            BookingError::NotBookable => Some("window"),
            BookingError::ClosedDay { .. }
            | BookingError::BeyondHorizon(_)
            | BookingError::Calendar(_) => Some("day"),
            BookingError::OutsideHours(_) | BookingError::Past => Some("slot"),
            _ => None,
        }
    }
}

/// The instant `minutes` after midnight of `day`, China time.
pub fn instant(day: Date, minutes: Minutes) -> OffsetDateTime {
    let midnight = day.with_time(Time::MIDNIGHT).assume_offset(CST);
    midnight + Duration::minutes(i64::from(minutes))
}

/// The slot starting at `start` on `day`, if the window area has one, the
/// day is a working day and `now` may still book it.
pub fn bookable(
    appointments: Option<&Appointments>,
    policy: &BookingPolicy,
    calendar: &Calendar,
    now: OffsetDateTime,
    day: Date,
    start: Minutes,
) -> Result<Slot, BookingError> {
    let a = appointments.ok_or(BookingError::NotBookable)?;
    let kind = calendar.day_kind(day)?;
    if !kind.is_working() {
        return Err(BookingError::ClosedDay {
            day,
            kind: kind.as_str(),
        });
    }
    if !a.has_slot(start) {
        return Err(BookingError::OutsideHours(clock_text(start)));
    }
    let slot = slot(a, day, start);
    if slot.starts_at <= now {
        return Err(BookingError::Past);
    }
    let today = now.to_offset(CST).date();
    if (day - today).whole_days() >= i64::from(policy.horizon_days) {
        return Err(BookingError::BeyondHorizon(policy.horizon_days));
    }
    Ok(slot)
}

/// Every slot of `day` that `now` may still book (none on a closed day or
/// one the calendar does not know).
pub fn open_slots(
    a: &Appointments,
    policy: &BookingPolicy,
    calendar: &Calendar,
    now: OffsetDateTime,
    day: Date,
) -> Vec<Slot> {
    a.slot_starts()
        .filter_map(|s| bookable(Some(a), policy, calendar, now, day, s).ok())
        .collect()
}

fn slot(a: &Appointments, day: Date, start: Minutes) -> Slot {
    Slot {
        day,
        start,
        starts_at: instant(day, start),
        ends_at: instant(day, start + a.slot_minutes),
        capacity: a.capacity,
    }
}

/// Whether a booking of a slot starting at `starts_at` may still be
/// cancelled or moved at `now`.
pub fn may_change(
    policy: &BookingPolicy,
    starts_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), BookingError> {
    let cutoff = starts_at - Duration::minutes(i64::from(policy.cancel_cutoff_minutes));
    if now > cutoff {
        return Err(BookingError::PastCutoff(policy.cancel_cutoff_minutes));
    }
    Ok(())
}

/// Whether the visitor of a slot may check in at `now`: from a while
/// before it starts until it ends.
pub fn may_check_in(
    policy: &BookingPolicy,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), BookingError> {
    let opens = starts_at - Duration::minutes(i64::from(policy.check_in_early_minutes));
    if now < opens {
        return Err(BookingError::TooEarly(policy.check_in_early_minutes));
    }
    if now >= ends_at {
        return Err(BookingError::TooLate);
    }
    Ok(())
}

/// Until when booking is suspended, given when the slots the applicant
/// missed ended: `no_show_limit` of them within `no_show_days` before now
/// suspend booking for `suspend_days` after the last.
pub fn suspended_until(
    policy: &BookingPolicy,
    missed: &[OffsetDateTime],
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let since = now - Duration::days(i64::from(policy.no_show_days));
    let recent: Vec<&OffsetDateTime> = missed.iter().filter(|m| **m > since).collect();
    if recent.len() < usize::try_from(policy.no_show_limit).unwrap_or(usize::MAX) {
        return None;
    }
    let last = recent.into_iter().max()?;
    let until = *last + Duration::days(i64::from(policy.suspend_days));
    (until > now).then_some(until)
}

#[cfg(test)]
#[path = "booking_tests.rs"]
mod tests;
