//! One year of the official holiday arrangement, as published each autumn
//! by the State Council General Office (国务院办公厅关于 YYYY 年部分节假日安排的通知).

use std::collections::HashSet;

use serde::Deserialize;
use time::{Date, Month, Weekday};

/// One holiday period of a notice, such as 春节 from 2026-02-15 to 2026-02-23,
/// with the weekend days worked in exchange for it (调休上班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayPeriod {
    /// The name the notice gives, e.g. `春节`.
    pub name: String,
    /// The first day off.
    pub first: Date,
    /// The last day off; every day from `first` to `last` is a holiday,
    /// weekend days included.
    pub last: Date,
    /// Saturdays and Sundays that become working days for this period.
    pub adjusted_workdays: Vec<Date>,
}

impl HolidayPeriod {
    /// Every day off of this period, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> + '_ {
        std::iter::successors(Some(self.first), |d| d.next_day()).take_while(|d| *d <= self.last)
    }
}

/// The validated holiday arrangement of one calendar year.
///
/// Built by [`YearData::new`] or [`YearData::from_toml`], which check that
/// every date lies in the year, that periods run forwards and do not
/// overlap, that adjusted working days fall on weekends, and that no day
/// is both a holiday and a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearData {
    year: i32,
    source: String,
    periods: Vec<HolidayPeriod>,
}

/// Why a year's holiday data is rejected; each variant names one rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearDataError {
    /// The file is not valid TOML of the expected shape.
    #[error("calendar file is malformed: {message}")]
    Malformed {
        /// The TOML parser's message.
        message: String,
    },
    /// A value that should be a local date (`2026-02-15`) is not one.
    #[error("{value} is not a local date such as 2026-02-15")]
    NotADate {
        /// The value found.
        value: String,
    },
    /// A holiday period ends before it starts.
    #[error("holiday period {name} ends before it starts")]
    ReversedPeriod {
        /// Name of the period.
        name: String,
    },
    /// A date lies outside the year the data describes.
    #[error("{date} lies outside the year {year}")]
    DateOutsideYear {
        /// The year described.
        year: i32,
        /// The offending date.
        date: Date,
    },
    /// An adjusted working day is not a Saturday or Sunday.
    #[error("adjusted working day {date} is not a Saturday or Sunday")]
    AdjustedWorkdayNotWeekend {
        /// The offending date.
        date: Date,
    },
    /// A day is listed both as a holiday and as an adjusted working day.
    #[error("{date} is listed both as a holiday and as an adjusted working day")]
    HolidayAndWorkday {
        /// The offending date.
        date: Date,
    },
    /// A day is listed twice (overlapping periods or a repeated workday).
    #[error("{date} is listed twice")]
    DuplicateDate {
        /// The offending date.
        date: Date,
    },
}

impl YearDataError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::NotADate { .. } => "not_a_date",
            Self::ReversedPeriod { .. } => "reversed_period",
            Self::DateOutsideYear { .. } => "date_outside_year",
            Self::AdjustedWorkdayNotWeekend { .. } => "adjusted_workday_not_weekend",
            Self::HolidayAndWorkday { .. } => "holiday_and_workday",
            Self::DuplicateDate { .. } => "duplicate_date",
        }
    }
}

/// The file format, with TOML's native local dates.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    year: i32,
    source: String,
    #[serde(default)]
    document_number: Option<String>,
    published: toml::value::Datetime,
    periods: Vec<FilePeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePeriod {
    name: String,
    first: toml::value::Datetime,
    last: toml::value::Datetime,
    adjusted_workdays: Vec<toml::value::Datetime>,
}

fn local_date(value: &toml::value::Datetime) -> Result<Date, YearDataError> {
    let not_a_date = || YearDataError::NotADate {
        value: value.to_string(),
    };
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => {
            let month = Month::try_from(d.month).map_err(|_| not_a_date())?;
            Date::from_calendar_date(i32::from(d.year), month, d.day).map_err(|_| not_a_date())
        }
        _ => Err(not_a_date()),
    }
}

impl YearData {
    /// Checks and wraps one year's periods.
    pub fn new(
        year: i32,
        source: impl Into<String>,
        periods: Vec<HolidayPeriod>,
    ) -> Result<Self, YearDataError> {
        let mut holidays = HashSet::new();
        let mut workdays = HashSet::new();
        let in_year = |date: Date| {
            if date.year() == year {
                Ok(date)
            } else {
                Err(YearDataError::DateOutsideYear { year, date })
            }
        };
        for period in &periods {
            in_year(period.first)?;
            in_year(period.last)?;
            if period.last < period.first {
                return Err(YearDataError::ReversedPeriod {
                    name: period.name.clone(),
                });
            }
            for date in period.days() {
                if !holidays.insert(date) {
                    return Err(YearDataError::DuplicateDate { date });
                }
            }
            for &date in &period.adjusted_workdays {
                in_year(date)?;
                if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
                    return Err(YearDataError::AdjustedWorkdayNotWeekend { date });
                }
                if !workdays.insert(date) {
                    return Err(YearDataError::DuplicateDate { date });
                }
            }
        }
        if let Some(&date) = holidays.intersection(&workdays).min() {
            return Err(YearDataError::HolidayAndWorkday { date });
        }
        Ok(Self {
            year,
            source: source.into(),
            periods,
        })
    }

    /// Parses and checks a year file such as `crates/core/calendar/2026.toml`:
    /// `year`, `source` (the notice's title), optional `document_number`,
    /// `published` (a date) and `[[periods]]` of `name`, `first`, `last`
    /// and `adjusted_workdays`, all dates as TOML local dates.
    pub fn from_toml(text: &str) -> Result<Self, YearDataError> {
        let file: File = toml::from_str(text).map_err(|e| YearDataError::Malformed {
            message: e.message().to_owned(),
        })?;
        local_date(&file.published)?;
        let periods = file
            .periods
            .iter()
            .map(|p| {
                Ok(HolidayPeriod {
                    name: p.name.clone(),
                    first: local_date(&p.first)?,
                    last: local_date(&p.last)?,
                    adjusted_workdays: p
                        .adjusted_workdays
                        .iter()
                        .map(local_date)
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<Vec<_>, YearDataError>>()?;
        let source = match file.document_number {
            Some(number) => format!("{}（{number}）", file.source),
            None => file.source,
        };
        Self::new(file.year, source, periods)
    }

    /// The calendar year described.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The notice the data comes from, with its document number when known.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The holiday periods, in file order.
    pub fn periods(&self) -> &[HolidayPeriod] {
        &self.periods
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn period(first: Date, last: Date, workdays: &[Date]) -> HolidayPeriod {
        HolidayPeriod {
            name: "test".into(),
            first,
            last,
            adjusted_workdays: workdays.to_vec(),
        }
    }

    fn rule(periods: Vec<HolidayPeriod>) -> Result<(), &'static str> {
        YearData::new(2026, "test", periods)
            .map(|_| ())
            .map_err(|e| e.rule())
    }

    #[test]
    fn period_days_include_both_ends_and_weekends() {
        let p = period(date!(2024 - 06 - 08), date!(2024 - 06 - 10), &[]);
        let days: Vec<_> = p.days().collect();
        assert_eq!(
            days,
            [
                date!(2024 - 06 - 08),
                date!(2024 - 06 - 09),
                date!(2024 - 06 - 10)
            ]
        );
    }

    #[test]
    fn dates_outside_the_year_are_rejected() {
        let p = period(date!(2025 - 12 - 31), date!(2026 - 01 - 01), &[]);
        assert_eq!(rule(vec![p]), Err("date_outside_year"));
        let w = period(
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 01),
            &[date!(2027 - 01 - 02)],
        );
        assert_eq!(rule(vec![w]), Err("date_outside_year"));
    }

    #[test]
    fn reversed_period_is_rejected() {
        let p = period(date!(2026 - 01 - 03), date!(2026 - 01 - 01), &[]);
        assert_eq!(rule(vec![p]), Err("reversed_period"));
    }

    #[test]
    fn adjusted_workday_on_a_weekday_is_rejected() {
        let p = period(
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 01),
            &[date!(2026 - 01 - 05)],
        );
        assert_eq!(rule(vec![p]), Err("adjusted_workday_not_weekend"));
    }

    #[test]
    fn day_both_holiday_and_workday_is_rejected() {
        let p = period(
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 04),
            &[date!(2026 - 01 - 04)],
        );
        assert_eq!(rule(vec![p]), Err("holiday_and_workday"));
    }

    #[test]
    fn overlapping_periods_are_rejected() {
        let a = period(date!(2026 - 01 - 01), date!(2026 - 01 - 03), &[]);
        let b = period(date!(2026 - 01 - 03), date!(2026 - 01 - 04), &[]);
        assert_eq!(rule(vec![a, b]), Err("duplicate_date"));
    }

    #[test]
    fn malformed_toml_and_non_dates_are_rejected() {
        let rule = |text: &str| YearData::from_toml(text).map(|_| ()).map_err(|e| e.rule());
        assert_eq!(rule("year = "), Err("malformed"));
        assert_eq!(
            rule("year = 2026\nsource = \"x\"\nperiods = []"),
            Err("malformed")
        );
        let with_time =
            "year = 2026\nsource = \"x\"\npublished = 2025-11-04T10:00:00\nperiods = []";
        assert_eq!(rule(with_time), Err("not_a_date"));
    }

    #[test]
    fn source_carries_the_document_number_when_given() {
        let text = "year = 2026\nsource = \"通知\"\ndocument_number = \"7号\"\n\
                    published = 2025-11-04\nperiods = []";
        let data = YearData::from_toml(text).expect("valid");
        assert_eq!(data.source(), "通知（7号）");
        assert_eq!(data.year(), 2026);
        assert!(data.periods().is_empty());
    }
}
