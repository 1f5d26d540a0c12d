//! `GET /api/v1/stats`: what the supervisor watches.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use time::Date;
use time::macros::format_description;
use yici_core::case::Role;
use yici_core::catalog::MatterCode;
use yici_store::StatsFilter;

use super::params::Params;
use crate::auth::Caller;
use crate::problem::ApiError;
use crate::state::AppState;

/// A matter's speed against its promise.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatterSpeed {
    /// Matter code.
    pub matter: String,
    /// Chinese name.
    pub name: String,
    /// Tasks decided.
    pub decided: u64,
    /// Average working days from opening to decision.
    pub average_working_days: f64,
    /// Promised limit.
    pub promised_limit: u32,
}

/// The statistics.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Stats {
    /// Cases per state.
    pub cases_by_state: BTreeMap<String, u64>,
    /// Cases closed (delivered or rated).
    pub closed: u64,
    /// Closed in at most one trip.
    pub closed_within_one_trip: u64,
    /// Closed without any trip.
    pub closed_with_zero_trips: u64,
    /// Share of closed cases done in at most one trip (the realization rate).
    pub one_trip_rate: Option<f64>,
    /// Share of closed cases done without a trip.
    pub zero_trip_rate: Option<f64>,
    /// Average working days per matter.
    pub matters: Vec<MatterSpeed>,
    /// Overdue (red) tasks per department.
    pub overdue_by_department: BTreeMap<String, u64>,
    /// Warned (yellow) tasks per department.
    pub warning_by_department: BTreeMap<String, u64>,
    /// Average rating, 1–5.
    pub average_rating: Option<f64>,
    /// Number of ratings.
    pub ratings: u64,
}

fn date_param(params: &super::params::RawParams, name: &str) -> Result<Option<String>, ApiError> {
    params
        .get(name)
        .map(|v| {
            Date::parse(v.trim(), format_description!("[year]-[month]-[day]"))
                .map(|d| d.to_string())
                .map_err(|_| {
                    ApiError::invalid(name, "date", format!("{name} must be a date YYYY-MM-DD"))
                })
        })
        .transpose()
}

/// Figures for supervisors, filtered by period (submission date),
/// department and region.
#[utoipa::path(get, path = "/api/v1/stats", tag = "supervision",
    params(
        ("from" = Option<String>, Query, description = "YYYY-MM-DD"), ("to" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("department" = Option<String>, Query), ("region" = Option<String>, Query),
    ),
    responses((status = 200, body = Stats), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
    Params(params): Params,
) -> Result<Json<Stats>, ApiError> {
    caller.require(&[Role::Supervisor, Role::Admin])?;
    let filter = filter_of(&params)?;
    Ok(Json(compute(&state, &filter).await?))
}

/// Reads the filter of the statistics: `from`, `to` (YYYY-MM-DD, `to` not
/// before `from`), `department`, `region`.
pub fn filter_of(params: &super::params::RawParams) -> Result<StatsFilter, ApiError> {
    let filter = StatsFilter {
        from: date_param(params, "from")?,
        to: date_param(params, "to")?,
        department: params.get("department").map(|d| d.trim().to_owned()),
        region_prefix: params.get("region").map(|r| r.trim().to_owned()),
    };
    if let (Some(f), Some(t)) = (&filter.from, &filter.to)
        && f > t
    {
        return Err(ApiError::invalid("to", "range", "to is before from"));
    }
    Ok(filter)
}

/// The figures for `filter`: what `GET /api/v1/stats` answers, also shown
/// on the supervisor's overview page.
pub async fn compute(state: &AppState, filter: &StatsFilter) -> Result<Stats, ApiError> {
    let rows = state.store().stats(filter).await?;
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
        let Ok(days) = state.calendar().working_days_between(a, b) else {
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
                .and_then(|c| state.catalog().matters.get(&c));
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
