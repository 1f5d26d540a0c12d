use time::macros::{date, datetime};

use super::*;
use yici_core::catalog::OpeningSpan;

fn hall() -> Appointments {
    Appointments {
        slot_minutes: 30,
        capacity: 2,
        hours: vec![
            OpeningSpan {
                opens: 9 * 60,
                closes: 12 * 60,
            },
            OpeningSpan {
                opens: 13 * 60 + 30,
                closes: 17 * 60,
            },
        ],
    }
}

fn book(now: OffsetDateTime, day: Date, start: Minutes) -> Result<Slot, BookingError> {
    bookable(
        Some(&hall()),
        &BookingPolicy::default(),
        Calendar::official(),
        now,
        day,
        start,
    )
}

const MONDAY: OffsetDateTime = datetime!(2026-09-28 08:00 +08:00);

#[test]
fn a_working_day_slot_in_the_hours_is_bookable() {
    let slot = book(MONDAY, date!(2026 - 09 - 29), 9 * 60 + 30).expect("bookable");
    assert_eq!(slot.starts_at, datetime!(2026-09-29 09:30 +08:00));
    assert_eq!(slot.ends_at, datetime!(2026-09-29 10:00 +08:00));
    assert_eq!(slot.start_text(), "09:30");
    // Later the same day, too.
    assert!(book(MONDAY, date!(2026 - 09 - 28), 9 * 60).is_ok());
}

#[test]
fn holidays_and_weekends_are_closed_and_adjusted_saturdays_open() {
    let e = book(MONDAY, date!(2026 - 10 - 01), 9 * 60).expect_err("holiday");
    assert_eq!(e.rule(), "not_a_working_day");
    assert_eq!(e.field(), Some("day"));
    let e = book(MONDAY, date!(2026 - 10 - 03), 9 * 60).expect_err("holiday saturday");
    assert_eq!(e.rule(), "not_a_working_day");
    // 2026-10-10 is a Saturday worked in exchange for the National Day (调休).
    assert!(book(MONDAY, date!(2026 - 10 - 10), 9 * 60).is_ok());
    let e = book(MONDAY, date!(2026 - 10 - 04), 9 * 60).expect_err("sunday in holiday");
    assert_eq!(e.rule(), "not_a_working_day");
}

#[test]
fn outside_the_hours_and_between_slots_is_refused() {
    for start in [8 * 60 + 30, 12 * 60, 12 * 60 + 30, 17 * 60, 9 * 60 + 10] {
        let e = book(MONDAY, date!(2026 - 09 - 29), start).expect_err("outside");
        assert_eq!(e.rule(), "outside_opening_hours");
        assert_eq!(e.field(), Some("slot"));
    }
}

#[test]
fn a_begun_slot_and_one_past_the_horizon_are_refused() {
    let e = book(MONDAY, date!(2026 - 09 - 28), 8 * 60).expect_err("outside");
    assert_eq!(e.rule(), "outside_opening_hours");
    let at_nine = datetime!(2026-09-28 09:00 +08:00);
    assert_eq!(
        book(at_nine, date!(2026 - 09 - 28), 9 * 60),
        Err(BookingError::Past)
    );
    // 14 days ahead counting today: 09-28 … 10-11; 10-12 is beyond.
    let e = book(MONDAY, date!(2026 - 10 - 12), 9 * 60).expect_err("far");
    assert_eq!(e.rule(), "beyond_booking_horizon");
    assert!(book(MONDAY, date!(2026 - 10 - 09), 9 * 60).is_ok());
}

#[test]
fn a_window_without_appointments_and_an_unknown_year_are_refused() {
    let p = BookingPolicy::default();
    let e = bookable(
        None,
        &p,
        Calendar::official(),
        MONDAY,
        date!(2026 - 09 - 29),
        540,
    )
    .expect_err("none");
    assert_eq!(e.rule(), "window_takes_no_bookings");
    let e = bookable(
        Some(&hall()),
        &p,
        Calendar::official(),
        MONDAY,
        date!(2031 - 01 - 02),
        540,
    )
    .expect_err("unknown year");
    assert_eq!(e.field(), Some("day"));
}

#[test]
fn open_slots_leave_out_what_has_begun() {
    let noon = datetime!(2026-09-29 11:10 +08:00);
    let open = open_slots(
        &hall(),
        &BookingPolicy::default(),
        Calendar::official(),
        noon,
        date!(2026 - 09 - 29),
    );
    assert_eq!(open.first().map(Slot::start_text).as_deref(), Some("11:30"));
    assert_eq!(open.len(), 1 + 7);
    assert!(
        open_slots(
            &hall(),
            &BookingPolicy::default(),
            Calendar::official(),
            noon,
            date!(2026 - 10 - 02)
        )
        .is_empty()
    );
}

#[test]
fn cancelling_closes_at_the_cutoff() {
    let p = BookingPolicy::default();
    let starts = datetime!(2026-09-29 10:00 +08:00);
    assert!(may_change(&p, starts, datetime!(2026-09-29 08:00 +08:00)).is_ok());
    let e = may_change(&p, starts, datetime!(2026-09-29 08:00:01 +08:00)).expect_err("late");
    assert_eq!(e.rule(), "past_cancel_cutoff");
}

#[test]
fn check_in_opens_before_the_slot_and_closes_at_its_end() {
    let p = BookingPolicy::default();
    let (s, e) = (
        datetime!(2026-09-29 10:00 +08:00),
        datetime!(2026-09-29 10:30 +08:00),
    );
    assert_eq!(
        may_check_in(&p, s, e, datetime!(2026-09-29 09:29 +08:00)),
        Err(BookingError::TooEarly(30))
    );
    assert!(may_check_in(&p, s, e, datetime!(2026-09-29 09:30 +08:00)).is_ok());
    assert!(may_check_in(&p, s, e, datetime!(2026-09-29 10:29 +08:00)).is_ok());
    assert_eq!(
        may_check_in(&p, s, e, datetime!(2026-09-29 10:30 +08:00)),
        Err(BookingError::TooLate)
    );
}

#[test]
fn repeated_no_shows_suspend_booking_for_a_while() {
    let p = BookingPolicy::default();
    let now = datetime!(2026-09-28 12:00 +08:00);
    let missed = [
        datetime!(2026-06-01 10:00 +08:00), // more than 90 days ago: forgotten
        datetime!(2026-08-03 10:00 +08:00),
        datetime!(2026-09-01 10:00 +08:00),
    ];
    assert_eq!(suspended_until(&p, &missed, now), None);
    let third = datetime!(2026-09-25 10:00 +08:00);
    let all = [missed[0], missed[1], missed[2], third];
    assert_eq!(
        suspended_until(&p, &all, now),
        Some(datetime!(2026-10-25 10:00 +08:00))
    );
    // Thirty days after the last, booking opens again.
    assert_eq!(
        suspended_until(&p, &all, datetime!(2026-10-25 10:00 +08:00)),
        None
    );
}
