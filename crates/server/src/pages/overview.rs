//! The supervisor's overview: the figures of `GET /api/v1/stats` for a
//! period — cases by state, the one-trip and zero-trip rates, working days
//! per matter against the promise, yellow and red cards per department,
//! the ratings.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use yici_core::catalog::MatterCode;
use yici_service::ServiceError;
use yici_service::supervision::{Stats, StatsQuery};

use super::chrome::Chrome;
use super::input::Errors;
use super::progress;
use super::render::{error_page, render_status};
use super::session::{at_desk, need_signed};
use crate::params::Params;
use crate::state::AppState;

/// A label and a figure.
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// A matter's speed.
pub struct SpeedRow {
    pub name: String,
    pub decided: u64,
    pub average: String,
    pub promised: u32,
    pub late: bool,
}

/// A department's cards.
pub struct CardRow {
    pub department: String,
    pub warning: u64,
    pub overdue: u64,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct Overview {
    c: Chrome,
    from: String,
    to: String,
    errors: Errors,
    headline: Vec<Figure>,
    by_state: Vec<Figure>,
    speeds: Vec<SpeedRow>,
    cards: Vec<CardRow>,
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

fn figures(
    c: &Chrome,
    state: &AppState,
    s: &Stats,
) -> (Vec<Figure>, Vec<Figure>, Vec<SpeedRow>, Vec<CardRow>) {
    let lang = c.code();
    let fig = |key: &str, value: String| Figure {
        label: c.t.get(key).to_owned(),
        value,
    };
    let total: u64 = s.cases_by_state.values().sum();
    let headline = vec![
        fig("overview.cases", total.to_string()),
        fig("overview.closed", s.closed.to_string()),
        fig("overview.one_trip_rate", percent(s.one_trip_rate)),
        fig("overview.zero_trip_rate", percent(s.zero_trip_rate)),
        Figure {
            label: format!(
                "{} ({})",
                c.t.get("overview.average_rating"),
                c.with_n("overview.ratings", s.ratings)
            ),
            value: s
                .average_rating
                .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}")),
        },
    ];
    let by_state = s
        .cases_by_state
        .iter()
        .map(|(k, n)| Figure {
            label: c.t.get(&format!("state.{k}")).to_owned(),
            value: n.to_string(),
        })
        .collect();
    let speeds = s
        .matters
        .iter()
        .map(|m| SpeedRow {
            name: MatterCode::parse(&m.matter)
                .map(|code| progress::matter_name(state, lang, &code))
                .unwrap_or_else(|_| m.name.clone()),
            decided: m.decided,
            average: format!("{:.1}", m.average_working_days),
            promised: m.promised_limit,
            late: m.average_working_days > f64::from(m.promised_limit),
        })
        .collect();
    let departments: BTreeSet<&String> = s
        .overdue_by_department
        .keys()
        .chain(s.warning_by_department.keys())
        .collect();
    let cards = departments
        .into_iter()
        .map(|d| CardRow {
            department: progress::department_name(state, lang, d),
            warning: s.warning_by_department.get(d).copied().unwrap_or(0),
            overdue: s.overdue_by_department.get(d).copied().unwrap_or(0),
        })
        .collect();
    (headline, by_state, speeds, cards)
}

/// GET /work/overview?from=&to=.
pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    Params(mut params): Params,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().supervision(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    // An empty date input means no bound.
    params.retain(|k, v| (k == "from" || k == "to") && !v.trim().is_empty());
    let from = params.get("from").cloned().unwrap_or_default();
    let to = params.get("to").cloned().unwrap_or_default();
    let query = StatsQuery {
        from: params.get("from").cloned(),
        to: params.get("to").cloned(),
        ..StatsQuery::default()
    };
    let (stats, errors) = match desk.stats(&query).await {
        Ok(s) => (s, Errors::default()),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::new(&c, fields);
            match desk.stats(&StatsQuery::default()).await {
                Ok(s) => (s, errors),
                Err(e) => return error_page(c, e, None),
            }
        }
        Err(e) => return error_page(c, e, None),
    };
    let (headline, by_state, speeds, cards) = figures(&c, &state, &stats);
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &Overview {
            from,
            to,
            errors,
            headline,
            by_state,
            speeds,
            cards,
            c,
        },
    )
}
