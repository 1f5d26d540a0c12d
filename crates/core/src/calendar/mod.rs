//! The working-day calendar (工作日历): which days count toward statutory
//! and promised time limits, per the State Council's yearly holiday
//! arrangement with its adjusted working days (调休).
//!
//! A date in a year without official data is an error, never a guess: the
//! arrangement of a year is only known once its notice is published.

mod data;
#[cfg(test)]
mod official_data_tests;
mod working_days;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Serialize;
use time::{Date, Weekday};

pub use data::{HolidayPeriod, YearData, YearDataError};
pub use working_days::{WorkingDays, WorkingDaysError};

/// The official year files, embedded at build time.
const OFFICIAL_FILES: [&str; 3] = [
    include_str!("../../calendar/2024.toml"),
    include_str!("../../calendar/2025.toml"),
    include_str!("../../calendar/2026.toml"),
];

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Monday to Friday outside any holiday: a working day.
    Weekday,
    /// Saturday or Sunday not worked in exchange for a holiday.
    Weekend,
    /// A day off of an official holiday period, weekend days included.
    Holiday,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    AdjustedWorkday,
}

impl DayKind {
    /// Whether the day counts toward a time limit.
    pub fn is_working(self) -> bool {
        matches!(self, Self::Weekday | Self::AdjustedWorkday)
    }

    /// The stable machine name, e.g. `adjusted_workday`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekday => "weekday",
            Self::Weekend => "weekend",
            Self::Holiday => "holiday",
            Self::AdjustedWorkday => "adjusted_workday",
        }
    }
}

/// Why the calendar cannot answer or be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date lies in a year for which there is no official data.
    #[error("the working-day calendar has no official data for {year}")]
    YearNotCovered {
        /// The year asked about.
        year: i32,
    },
    /// Two data sets were given for the same year.
    #[error("the working-day calendar was given {year} twice")]
    DuplicateYear {
        /// The repeated year.
        year: i32,
    },
}

impl CalendarError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::YearNotCovered { .. } => "year_not_covered",
            Self::DuplicateYear { .. } => "duplicate_year",
        }
    }
}

/// A working-day calendar over a set of years, each with its holiday data.
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
    /// Holidays and adjusted working days; every other covered day is a
    /// weekday or a weekend by its day of the week.
    special: HashMap<Date, DayKind>,
}

impl Calendar {
    /// The calendar of the official data embedded in this crate (2024 to
    /// 2026), parsed once on first use.
    pub fn official() -> &'static Calendar {
        static OFFICIAL: OnceLock<Calendar> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            // The embedded files are checked by the unit tests of this
            // module, so a failure here is a build defect, not bad input.
            let years = official_years().expect("embedded calendar files are valid");
            Calendar::from_years(years).expect("embedded calendar years are distinct")
        })
    }

    /// The official calendar with `more` years, read from the State
    /// Council's later notices by an operator (files like the embedded
    /// ones, parsed by [`YearData::from_toml`]), so that a deployment
    /// learns a new year without a new build. A year given twice, or one
    /// already embedded, is refused.
    pub fn official_and(more: Vec<YearData>) -> Result<Calendar, CalendarError> {
        let mut years = official_years().expect("embedded calendar files are valid");
        years.extend(more);
        Calendar::from_years(years)
    }

    /// Builds a calendar from already validated years.
    pub fn from_years(years: Vec<YearData>) -> Result<Calendar, CalendarError> {
        let mut by_year = BTreeMap::new();
        let mut special = HashMap::new();
        for data in years {
            let year = data.year();
            for period in data.periods() {
                special.extend(period.days().map(|d| (d, DayKind::Holiday)));
                special.extend(
                    period
                        .adjusted_workdays
                        .iter()
                        .map(|d| (*d, DayKind::AdjustedWorkday)),
                );
            }
            if by_year.insert(year, data).is_some() {
                return Err(CalendarError::DuplicateYear { year });
            }
        }
        Ok(Calendar {
            years: by_year,
            special,
        })
    }

    /// Whether the calendar has data for `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years covered, ascending.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The data of one year, with its source notice.
    pub fn year_data(&self, year: i32) -> Option<&YearData> {
        self.years.get(&year)
    }

    /// The holiday period `date` falls in, or whose adjusted working day it
    /// is; `None` for an ordinary day or an uncovered year.
    pub fn holiday_period(&self, date: Date) -> Option<&HolidayPeriod> {
        self.years
            .get(&date.year())?
            .periods()
            .iter()
            .find(|p| (p.first..=p.last).contains(&date) || p.adjusted_workdays.contains(&date))
    }

    /// What kind of day `date` is.
    pub fn day_kind(&self, date: Date) -> Result<DayKind, CalendarError> {
        if !self.covers(date.year()) {
            return Err(CalendarError::YearNotCovered { year: date.year() });
        }
        Ok(match self.special.get(&date) {
            Some(kind) => *kind,
            None if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) => {
                DayKind::Weekend
            }
            None => DayKind::Weekday,
        })
    }

    /// Whether `date` counts toward a time limit.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        self.day_kind(date).map(DayKind::is_working)
    }

    /// The `n`-th working day strictly after `date`: the due date of a
    /// limit of `n` working days that starts counting the day after
    /// `date` (the day of acceptance itself does not count).
    ///
    /// `n = 0` returns `date` itself, whatever kind of day it is: a
    /// zero-day limit (即办) is due on the day of acceptance. Fails with
    /// [`CalendarError::YearNotCovered`] if `date` or any day the count
    /// reaches lies in a year without data.
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        self.day_kind(date)?;
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = self.next_day(day)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The number of working days in `(a, b]`: after `a`, up to and
    /// including `b`. If `b` is before `a` the result is the negated count
    /// of `(b, a]`, so that `working_days_between(a, add_working_days(a,
    /// n)) == n` and swapping the arguments flips the sign.
    pub fn working_days_between(&self, a: Date, b: Date) -> Result<i64, CalendarError> {
        self.day_kind(a)?;
        self.day_kind(b)?;
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0i64;
        let mut day = from;
        while day < to {
            day = self.next_day(day)?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }

    fn next_day(&self, day: Date) -> Result<Date, CalendarError> {
        day.next_day().ok_or(CalendarError::YearNotCovered {
            year: day.year() + 1,
        })
    }
}

/// Parses the embedded official year files.
fn official_years() -> Result<Vec<YearData>, YearDataError> {
    OFFICIAL_FILES
        .iter()
        .map(|text| YearData::from_toml(text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_later_year_is_added_to_the_official_ones_and_an_embedded_one_refused() {
        // A made-up year far ahead, so that no test stands for a real notice.
        let later = YearData::from_toml(
            "year = 2031\nsource = \"test\"\npublished = 2030-11-01\n\n[[periods]]\nname = \"元旦\"\nfirst = 2031-01-01\nlast = 2031-01-01\nadjusted_workdays = []\n",
        )
        .expect("valid");
        let cal = Calendar::official_and(vec![later]).expect("distinct years");
        assert!(cal.covers(2026) && cal.covers(2031));
        assert_eq!(cal.day_kind(date!(2031 - 01 - 01)), Ok(DayKind::Holiday));
        assert_eq!(cal.day_kind(date!(2031 - 01 - 02)), Ok(DayKind::Weekday));
        let again = YearData::from_toml(include_str!("../../calendar/2026.toml")).expect("valid");
        assert_eq!(
            Calendar::official_and(vec![again]).err(),
            Some(CalendarError::DuplicateYear { year: 2026 })
        );
    }

    fn one_year() -> Calendar {
        let period = HolidayPeriod {
            name: "test".into(),
            first: date!(2030 - 01 - 01),
            last: date!(2030 - 01 - 03),
            adjusted_workdays: vec![date!(2030 - 01 - 05)],
        };
        let year = YearData::new(2030, "test", vec![period]).expect("valid");
        Calendar::from_years(vec![year]).expect("one year")
    }

    #[test]
    fn embedded_files_parse_and_pass_validation() {
        let years = official_years().expect("valid files");
        let covered: Vec<_> = years.iter().map(YearData::year).collect();
        assert_eq!(covered, [2024, 2025, 2026]);
        assert!(Calendar::from_years(years).is_ok());
    }

    #[test]
    fn only_weekdays_and_adjusted_workdays_are_working() {
        assert!(DayKind::Weekday.is_working());
        assert!(DayKind::AdjustedWorkday.is_working());
        assert!(!DayKind::Weekend.is_working());
        assert!(!DayKind::Holiday.is_working());
    }

    #[test]
    fn ordinary_days_are_classified_by_day_of_week() {
        let cal = one_year();
        assert_eq!(cal.day_kind(date!(2030 - 01 - 07)), Ok(DayKind::Weekday));
        assert_eq!(cal.day_kind(date!(2030 - 01 - 06)), Ok(DayKind::Weekend));
        assert_eq!(
            cal.day_kind(date!(2030 - 01 - 05)),
            Ok(DayKind::AdjustedWorkday)
        );
        assert_eq!(cal.day_kind(date!(2030 - 01 - 02)), Ok(DayKind::Holiday));
    }

    #[test]
    fn uncovered_year_is_an_error_not_a_guess() {
        let cal = one_year();
        assert_eq!(
            cal.day_kind(date!(2031 - 01 - 06)),
            Err(CalendarError::YearNotCovered { year: 2031 })
        );
        assert!(!cal.covers(2031));
        assert!(cal.covers(2030));
    }

    #[test]
    fn counting_past_the_last_covered_year_is_an_error() {
        let cal = one_year();
        assert_eq!(
            cal.add_working_days(date!(2030 - 12 - 27), 5),
            Err(CalendarError::YearNotCovered { year: 2031 })
        );
        assert_eq!(
            cal.working_days_between(date!(2030 - 12 - 27), date!(2031 - 01 - 02)),
            Err(CalendarError::YearNotCovered { year: 2031 })
        );
    }

    #[test]
    fn same_year_twice_is_rejected() {
        let year = YearData::new(2030, "test", vec![]).expect("valid");
        assert_eq!(
            Calendar::from_years(vec![year.clone(), year]).map(|_| ()),
            Err(CalendarError::DuplicateYear { year: 2030 })
        );
    }

    #[test]
    fn zero_working_days_is_the_start_date_itself() {
        let cal = one_year();
        assert_eq!(
            cal.add_working_days(date!(2030 - 01 - 02), 0),
            Ok(date!(2030 - 01 - 02))
        );
    }

    #[test]
    fn adding_working_days_skips_holidays_and_counts_adjusted_workdays() {
        let cal = one_year();
        // 01 to 03 off, Sat 05 worked: after Tue 01 come Fri 04, Sat 05, Mon 07.
        assert_eq!(
            cal.add_working_days(date!(2030 - 01 - 01), 1),
            Ok(date!(2030 - 01 - 04))
        );
        assert_eq!(
            cal.add_working_days(date!(2030 - 01 - 01), 3),
            Ok(date!(2030 - 01 - 07))
        );
    }

    #[test]
    fn working_days_between_counts_half_open_interval_and_flips_sign() {
        let cal = one_year();
        let (a, b) = (date!(2030 - 01 - 01), date!(2030 - 01 - 07));
        assert_eq!(cal.working_days_between(a, b), Ok(3));
        assert_eq!(cal.working_days_between(b, a), Ok(-3));
        assert_eq!(cal.working_days_between(a, a), Ok(0));
    }

    #[test]
    fn holiday_period_is_found_for_its_days_and_workdays() {
        let cal = one_year();
        assert!(cal.holiday_period(date!(2030 - 01 - 03)).is_some());
        assert!(cal.holiday_period(date!(2030 - 01 - 05)).is_some());
        assert!(cal.holiday_period(date!(2030 - 01 - 07)).is_none());
    }
}
