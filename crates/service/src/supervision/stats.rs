//! What the supervisor watches (`/api/v1/stats`, the overview page): cases
//! by state, the one-trip and zero-trip rates of closed cases, working days
//! per matter against its promise (counted on the official calendar), the
//! yellow and red cards per department, and the ratings.

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;
use time::macros::format_description;
use yici_core::catalog::MatterCode;
use yici_store::StatsFilter;

use crate::error::{Result, ServiceError};
use crate::gate::SupervisionDesk;

/// The period and place asked for, as given: dates `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct StatsQuery {
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// Only this department.
    pub department: Option<String>,
    /// Only this region (a prefix of region codes).
    pub region: Option<String>,
}

/// How fast a matter is decided.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatterSpeed {
    /// Matter code.
    pub matter: String,
    /// Matter name (Chinese).
    pub name: String,
    /// Tasks decided.
    pub decided: u64,
    /// Average working days from opening to decision.
    pub average_working_days: f64,
    /// The promised limit.
    pub promised_limit: u32,
}

/// The supervisor's figures.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Cases by state.
    pub cases_by_state: BTreeMap<String, u64>,
    /// Closed cases.
    pub closed: u64,
    /// Closed in at most one trip.
    pub closed_within_one_trip: u64,
    /// Closed with no trip.
    pub closed_with_zero_trips: u64,
    /// Share of closed cases done in at most one trip (the realization rate).
    pub one_trip_rate: Option<f64>,
    /// Share of closed cases done with no trip.
    pub zero_trip_rate: Option<f64>,
    /// Working days per matter.
    pub matters: Vec<MatterSpeed>,
    /// Open red cards per department.
    pub overdue_by_department: BTreeMap<String, u64>,
    /// Open yellow cards per department.
    pub warning_by_department: BTreeMap<String, u64>,
    /// Average rating.
    pub average_rating: Option<f64>,
    /// Ratings given.
    pub ratings: u64,
}

fn date(value: Option<&str>, name: &str) -> Result<Option<String>> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            Date::parse(v, format_description!("[year]-[month]-[day]"))
                .map(|d| d.to_string())
                .map_err(|_| {
                    ServiceError::invalid(name, "date", format!("{name} must be a date YYYY-MM-DD"))
                })
        })
        .transpose()
}

impl StatsQuery {
    /// The store's filter, each value checked: dates real, `to` not before
    /// `from`.
    pub fn filter(&self) -> Result<StatsFilter> {
        let filter = StatsFilter {
            from: date(self.from.as_deref(), "from")?,
            to: date(self.to.as_deref(), "to")?,
            department: self.department.as_ref().map(|d| d.trim().to_owned()),
            region_prefix: self.region.as_ref().map(|r| r.trim().to_owned()),
        };
        if let (Some(f), Some(t)) = (&filter.from, &filter.to)
            && f > t
        {
            return Err(ServiceError::invalid("to", "range", "to is before from"));
        }
        Ok(filter)
    }
}

impl SupervisionDesk<'_> {
    /// The figures over `query`'s period and place.
    pub async fn stats(&self, query: &StatsQuery) -> Result<Stats> {
        let filter = query.filter()?;
        let service = self.service();
        let rows = service.store().stats(&filter).await?;
        let count = |pred: &dyn Fn(i64) -> bool| -> u64 {
            rows.closed_by_trips
                .iter()
                .filter(|(t, _)| pred(*t))
                .map(|(_, n)| n)
                .sum()
        };
        let closed = count(&|_| true);
        let one = count(&|t| t <= 1);
        let zero = count(&|t| t == 0);
        let share = |n: u64| (closed > 0).then(|| n as f64 / closed as f64);
        let format = format_description!("[year]-[month]-[day]");
        let mut per_matter: BTreeMap<String, (u64, i64)> = BTreeMap::new();
        for d in &rows.decided {
            let (Ok(a), Ok(b)) = (
                Date::parse(&d.opened_on, format),
                Date::parse(&d.decided_on, format),
            ) else {
                continue;
            };
            let Ok(days) = service.calendar().working_days_between(a, b) else {
                continue;
            };
            let e = per_matter.entry(d.matter.clone()).or_default();
            e.0 += 1;
            e.1 += days.max(0);
        }
        let matters = per_matter
            .into_iter()
            .map(|(code, (n, days))| {
                let m = MatterCode::parse(&code)
                    .ok()
                    .and_then(|c| service.catalog().matters.get(&c));
                MatterSpeed {
                    name: m.map(|m| m.name.zh.to_string()).unwrap_or_default(),
                    promised_limit: m.map_or(0, |m| m.promised_limit.get()),
                    matter: code,
                    decided: n,
                    average_working_days: days as f64 / n as f64,
                }
            })
            .collect();
        let flags = |which: &str| {
            rows.flags
                .iter()
                .filter(|(_, f, _)| f == which)
                .map(|(d, _, n)| (d.clone(), *n))
                .collect()
        };
        Ok(Stats {
            cases_by_state: rows.by_state.iter().cloned().collect(),
            closed,
            closed_within_one_trip: one,
            closed_with_zero_trips: zero,
            one_trip_rate: share(one),
            zero_trip_rate: share(zero),
            matters,
            overdue_by_department: flags("overdue"),
            warning_by_department: flags("warning"),
            average_rating: (rows.rating_count > 0)
                .then(|| rows.rating_sum as f64 / rows.rating_count as f64),
            ratings: rows.rating_count,
        })
    }
}
