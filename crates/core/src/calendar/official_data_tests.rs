//! The embedded official calendar checked day by day against the State
//! Council General Office notices for 2024 (国办发明电〔2023〕7号), 2025
//! (国办发明电〔2024〕12号) and 2026 (published 2025-11-04).

use time::macros::date;
use time::{Date, Duration};

use super::{Calendar, CalendarError, DayKind};

/// Every day from `first` to `last`, inclusive.
fn span(first: Date, last: Date) -> Vec<Date> {
    let days = (last - first).whole_days();
    (0..=days).map(|i| first + Duration::days(i)).collect()
}

fn assert_kind(dates: &[Date], kind: DayKind) {
    let cal = Calendar::official();
    for &d in dates {
        assert_eq!(cal.day_kind(d), Ok(kind), "{d}");
    }
}

/// Asserts that `holidays` are exactly the holidays of `year`, and
/// `workdays` exactly its adjusted working days.
fn assert_year(year: i32, holidays: &[Date], workdays: &[Date]) {
    assert_kind(holidays, DayKind::Holiday);
    assert_kind(workdays, DayKind::AdjustedWorkday);
    let cal = Calendar::official();
    let all = span(
        Date::from_ordinal_date(year, 1).expect("1 January"),
        Date::from_ordinal_date(year + 1, 1).expect("next 1 January") - Duration::days(1),
    );
    let count = |kind| all.iter().filter(|d| cal.day_kind(**d) == Ok(kind)).count();
    assert_eq!(
        count(DayKind::Holiday),
        holidays.len(),
        "holidays of {year}"
    );
    assert_eq!(
        count(DayKind::AdjustedWorkday),
        workdays.len(),
        "workdays of {year}"
    );
}

#[test]
fn holidays_and_adjusted_workdays_of_2024_match_the_notice() {
    let holidays = [
        span(date!(2024 - 01 - 01), date!(2024 - 01 - 01)),
        span(date!(2024 - 02 - 10), date!(2024 - 02 - 17)),
        span(date!(2024 - 04 - 04), date!(2024 - 04 - 06)),
        span(date!(2024 - 05 - 01), date!(2024 - 05 - 05)),
        span(date!(2024 - 06 - 08), date!(2024 - 06 - 10)),
        span(date!(2024 - 09 - 15), date!(2024 - 09 - 17)),
        span(date!(2024 - 10 - 01), date!(2024 - 10 - 07)),
    ]
    .concat();
    let workdays = [
        date!(2024 - 02 - 04),
        date!(2024 - 02 - 18),
        date!(2024 - 04 - 07),
        date!(2024 - 04 - 28),
        date!(2024 - 05 - 11),
        date!(2024 - 09 - 14),
        date!(2024 - 09 - 29),
        date!(2024 - 10 - 12),
    ];
    assert_year(2024, &holidays, &workdays);
}

#[test]
fn holidays_and_adjusted_workdays_of_2025_match_the_notice() {
    let holidays = [
        span(date!(2025 - 01 - 01), date!(2025 - 01 - 01)),
        span(date!(2025 - 01 - 28), date!(2025 - 02 - 04)),
        span(date!(2025 - 04 - 04), date!(2025 - 04 - 06)),
        span(date!(2025 - 05 - 01), date!(2025 - 05 - 05)),
        span(date!(2025 - 05 - 31), date!(2025 - 06 - 02)),
        span(date!(2025 - 10 - 01), date!(2025 - 10 - 08)),
    ]
    .concat();
    let workdays = [
        date!(2025 - 01 - 26),
        date!(2025 - 02 - 08),
        date!(2025 - 04 - 27),
        date!(2025 - 09 - 28),
        date!(2025 - 10 - 11),
    ];
    assert_year(2025, &holidays, &workdays);
}

#[test]
fn holidays_and_adjusted_workdays_of_2026_match_the_notice() {
    let holidays = [
        span(date!(2026 - 01 - 01), date!(2026 - 01 - 03)),
        span(date!(2026 - 02 - 15), date!(2026 - 02 - 23)),
        span(date!(2026 - 04 - 04), date!(2026 - 04 - 06)),
        span(date!(2026 - 05 - 01), date!(2026 - 05 - 05)),
        span(date!(2026 - 06 - 19), date!(2026 - 06 - 21)),
        span(date!(2026 - 09 - 25), date!(2026 - 09 - 27)),
        span(date!(2026 - 10 - 01), date!(2026 - 10 - 07)),
    ]
    .concat();
    let workdays = [
        date!(2026 - 01 - 04),
        date!(2026 - 02 - 14),
        date!(2026 - 02 - 28),
        date!(2026 - 05 - 09),
        date!(2026 - 09 - 20),
        date!(2026 - 10 - 10),
    ];
    assert_year(2026, &holidays, &workdays);
}

#[test]
fn saturday_before_spring_festival_2026_is_worked_and_monday_after_is_off() {
    let cal = Calendar::official();
    assert_eq!(
        cal.day_kind(date!(2026 - 02 - 14)),
        Ok(DayKind::AdjustedWorkday)
    );
    assert_eq!(cal.day_kind(date!(2026 - 02 - 16)), Ok(DayKind::Holiday));
    assert_eq!(cal.is_working_day(date!(2026 - 02 - 24)), Ok(true));
}

#[test]
fn weekend_inside_a_holiday_period_is_a_holiday() {
    let cal = Calendar::official();
    // Saturday and Sunday of the 2025 National Day week.
    assert_eq!(cal.day_kind(date!(2025 - 10 - 04)), Ok(DayKind::Holiday));
    assert_eq!(cal.day_kind(date!(2025 - 10 - 05)), Ok(DayKind::Holiday));
    // An ordinary weekend.
    assert_eq!(cal.day_kind(date!(2025 - 10 - 18)), Ok(DayKind::Weekend));
}

#[test]
fn five_working_days_from_friday_before_national_day_2025_skip_the_holiday() {
    // Fri 26 Sep → Sun 28 (worked), Mon 29, Tue 30, then 1-8 Oct off,
    // Thu 9, Fri 10.
    let cal = Calendar::official();
    assert_eq!(
        cal.add_working_days(date!(2025 - 09 - 26), 5),
        Ok(date!(2025 - 10 - 10))
    );
    assert_eq!(
        cal.working_days_between(date!(2025 - 09 - 26), date!(2025 - 10 - 10)),
        Ok(5)
    );
}

#[test]
fn twenty_working_days_span_the_spring_festival_2026() {
    // From Fri 6 Feb: 9-13 Feb (5), Sat 14 (6), 15-23 off, 24-27 (10),
    // Sat 28 (11), 2-6 Mar (16), 9-12 Mar (20).
    let cal = Calendar::official();
    let start = date!(2026 - 02 - 06);
    let due = cal.add_working_days(start, 20).expect("covered");
    assert_eq!(cal.working_days_between(start, due), Ok(20));
    assert_eq!(cal.working_days_between(due, start), Ok(-20));
    assert_eq!(due, date!(2026 - 03 - 12));
}

#[test]
fn counting_crosses_from_one_covered_year_into_the_next() {
    let cal = Calendar::official();
    // Tue 31 Dec 2024 → Wed 1 Jan 2025 is New Year's Day → Thu 2 Jan.
    assert_eq!(
        cal.add_working_days(date!(2024 - 12 - 31), 1),
        Ok(date!(2025 - 01 - 02))
    );
}

#[test]
fn years_without_a_notice_are_not_covered() {
    let cal = Calendar::official();
    assert_eq!(
        cal.day_kind(date!(2023 - 12 - 29)),
        Err(CalendarError::YearNotCovered { year: 2023 })
    );
    assert_eq!(
        cal.add_working_days(date!(2026 - 12 - 28), 5),
        Err(CalendarError::YearNotCovered { year: 2027 })
    );
    assert_eq!(cal.covered_years().collect::<Vec<_>>(), [2024, 2025, 2026]);
}

#[test]
fn every_year_names_its_source_notice() {
    let cal = Calendar::official();
    for year in cal.covered_years() {
        let source = cal.year_data(year).expect("covered").source();
        assert!(
            source.contains(&format!("{year}年部分节假日安排的通知")),
            "{source}"
        );
    }
    let period = cal
        .holiday_period(date!(2026 - 02 - 28))
        .expect("worked for 春节");
    assert_eq!(period.name, "春节");
}
