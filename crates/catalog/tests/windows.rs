//! `windows.toml`: a window area's appointments and the hall's booking
//! rules are read as written, defaults fill what is left out, and every
//! malformed value is reported at its line.

mod fixture;

use fixture::{Fixture, with_rule};
use yici_core::catalog::{BookingPolicy, WindowCode};

fn one(f: &Fixture, rule: &str, needle: &str) {
    let problems = f.problems();
    let found = with_rule(&problems, rule);
    assert_eq!(found.len(), 1, "expected one {rule}: {problems:#?}");
    assert_eq!(found[0].file, "windows.toml");
    assert_eq!(found[0].line, f.line_of("windows.toml", needle, 0));
}

#[test]
fn appointments_and_policy_are_read_with_defaults() {
    let f = Fixture::new();
    let catalog = f.catalog();
    let code = WindowCode::parse("w-commerce").expect("code");
    let a = catalog.windows[&code]
        .appointments
        .as_ref()
        .expect("appointments");
    assert_eq!((a.slot_minutes, a.capacity, a.hours.len()), (30, 2, 2));
    assert_eq!(a.slot_starts().count(), 13);
    let d = BookingPolicy::default();
    assert_eq!(catalog.booking.no_show_limit, 2);
    assert_eq!(
        catalog.booking.cancel_cutoff_minutes,
        d.cancel_cutoff_minutes
    );
}

#[test]
fn a_window_without_appointments_takes_no_bookings() {
    let f = Fixture::new();
    f.replace("windows.toml", "[window.appointments]\nslot_minutes = 30\ncapacity = 2\nhours = [\"09:00-12:00\", \"13:30-17:00\"]\n", "");
    let catalog = f.catalog();
    let code = WindowCode::parse("w-commerce").expect("code");
    assert!(catalog.windows[&code].appointments.is_none());
}

#[test]
fn malformed_hours_are_refused() {
    let f = Fixture::new();
    f.replace("windows.toml", "\"13:30-17:00\"", "\"13:30-1700\"");
    one(&f, "malformed_hours", "\"13:30-1700\"");
    let f = Fixture::new();
    f.replace("windows.toml", "\"09:00-12:00\"", "\"12:00-09:00\"");
    one(&f, "malformed_hours", "\"12:00-09:00\"");
}

#[test]
fn overlapping_hours_are_refused() {
    let f = Fixture::new();
    f.replace("windows.toml", "\"13:30-17:00\"", "\"11:30-17:00\"");
    one(&f, "overlapping_hours", "\"11:30-17:00\"");
}

#[test]
fn hours_must_be_whole_slots() {
    let f = Fixture::new();
    f.replace("windows.toml", "\"13:30-17:00\"", "\"13:30-16:45\"");
    one(&f, "hours_not_whole_slots", "\"13:30-16:45\"");
}

#[test]
fn numbers_out_of_range_are_refused() {
    let f = Fixture::new();
    f.replace("windows.toml", "capacity = 2", "capacity = 0");
    one(&f, "out_of_range", "capacity = 0");
    let f = Fixture::new();
    f.replace("windows.toml", "no_show_limit = 2", "no_show_limit = 0");
    one(&f, "out_of_range", "no_show_limit = 0");
}

#[test]
fn appointments_without_hours_are_refused() {
    let f = Fixture::new();
    f.replace(
        "windows.toml",
        "hours = [\"09:00-12:00\", \"13:30-17:00\"]",
        "hours = []",
    );
    let problems = f.problems();
    assert_eq!(with_rule(&problems, "no_hours").len(), 1, "{problems:#?}");
}
