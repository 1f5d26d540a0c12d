//! 好差评 on the pages: the public register with each unit's figures
//! (`/ratings`), the applicant's ratings with their follow-ups and the
//! second rating (`/my/ratings`). The units' side — follow-ups and the
//! counter's tablet — is `follow_ups.rs`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::catalog::{MatterCode, OneThingCode};
use yici_hall::rating::Level;
use yici_service::ServiceError;
use yici_service::hall::Rating;

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::progress::department_name;
use super::render::{error_page, render, render_status};
use super::session::{at_desk, need_signed, signed_form};
use super::signed::encode;
use crate::params::Params;
use crate::state::AppState;

/// A rating as a page shows it.
pub(super) struct RatingLine {
    pub(super) id: String,
    pub(super) unit: String,
    pub(super) target: String,
    pub(super) level: String,
    pub(super) bad: bool,
    pub(super) comment: String,
    pub(super) day: String,
    pub(super) contact_by: String,
    pub(super) reply_by: String,
    pub(super) contacted: String,
    pub(super) reply: String,
    pub(super) second: String,
    pub(super) late: bool,
    pub(super) case_id: String,
    /// The applicant may still rate the reply (追评).
    pub(super) may_second: bool,
}

fn unit_name(state: &AppState, lang: &str, unit: &str) -> String {
    match state.service().window_area(unit) {
        Ok(w) => w.name.get(lang).to_owned(),
        Err(_) => department_name(state, lang, unit),
    }
}

fn target_name(state: &AppState, lang: &str, code: &str) -> String {
    let catalog = state.catalog();
    if let Some(o) = OneThingCode::parse(code)
        .ok()
        .and_then(|c| catalog.one_things.get(&c))
    {
        return o.name.get(lang).to_owned();
    }
    if let Some(m) = MatterCode::parse(code)
        .ok()
        .and_then(|c| catalog.matters.get(&c))
    {
        return m.name.get(lang).to_owned();
    }
    unit_name(state, lang, code)
}

pub(super) fn line(state: &AppState, c: &Chrome, r: &Rating, public: bool) -> RatingLine {
    let lang = c.code();
    let f = r.follow_up.as_ref();
    let replied = f.and_then(|f| f.replied.as_ref());
    RatingLine {
        id: r.id.clone(),
        unit: unit_name(state, lang, &r.unit),
        target: target_name(state, lang, &r.target),
        level: Level::of(r.score).map_or("", |l| l.name(lang)).to_owned(),
        bad: Level::of(r.score).is_some_and(Level::is_bad),
        comment: if public {
            r.public_comment.clone()
        } else {
            r.comment.clone()
        },
        day: r.day.clone(),
        contact_by: f.map(|f| f.contact_by.clone()).unwrap_or_default(),
        reply_by: f.map(|f| f.reply_by.clone()).unwrap_or_default(),
        contacted: f
            .and_then(|f| f.contacted.as_ref())
            .filter(|_| !public)
            .map(|(_, on, _, note)| format!("{on} · {note}"))
            .unwrap_or_default(),
        reply: replied
            .map(|(_, on, _, text)| format!("{on} · {text}"))
            .unwrap_or_default(),
        second: r
            .second
            .as_ref()
            .map(|(s, comment, _)| {
                format!("{} {comment}", Level::of(*s).map_or("", |l| l.name(lang)))
            })
            .unwrap_or_default(),
        late: !public && state.service().is_late(r),
        case_id: r.case_id.clone().unwrap_or_default(),
        may_second: replied.is_some() && r.second.is_none(),
    }
}

/// A unit's figures as the page shows them.
struct FigureLine {
    unit: String,
    ratings: u64,
    bad_rate: String,
    average: String,
    on_time_rate: String,
}

/// A unit to filter by.
struct UnitChoice {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "ratings.html")]
struct Register {
    c: Chrome,
    figures: Vec<FigureLine>,
    units: Vec<UnitChoice>,
    rows: Vec<RatingLine>,
    next: Option<String>,
    first: Option<String>,
}

fn percent(a: u64, b: u64, none: &str) -> String {
    if b == 0 {
        return none.to_owned();
    }
    format!("{:.1}%", a as f64 * 100.0 / b as f64)
}

/// GET /ratings: each unit's figures and the register, newest first.
pub async fn register(
    State(state): State<AppState>,
    c: Chrome,
    Params(params): Params,
) -> Response {
    let service = state.service();
    let unit = params.get("unit").cloned().filter(|u| !u.is_empty());
    let before = params
        .get("before")
        .and_then(|b| b.split_once(':'))
        .and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned())));
    let (figures, list) = match (
        service.rating_figures().await,
        service
            .public_ratings(
                unit.as_deref(),
                before.as_ref().map(|(m, i)| (*m, i.as_str())),
                20,
            )
            .await,
    ) {
        (Ok(f), Ok(l)) => (f, l),
        (Err(e), _) | (_, Err(e)) => return error_page(c, e, None),
    };
    let base = unit.as_ref().map_or_else(
        || "/ratings?".to_owned(),
        |u| format!("/ratings?unit={}&", encode(u)),
    );
    let next = (list.len() == 20)
        .then(|| {
            list.last()
                .map(|r| format!("{base}before={}:{}", r.rated_ms, encode(&r.id)))
        })
        .flatten();
    let dash = "—";
    render(&Register {
        units: figures
            .iter()
            .map(|f| UnitChoice {
                name: unit_name(&state, c.code(), &f.unit),
                selected: unit.as_deref() == Some(f.unit.as_str()),
                code: f.unit.clone(),
            })
            .collect(),
        figures: figures
            .iter()
            .map(|f| FigureLine {
                unit: unit_name(&state, c.code(), &f.unit),
                ratings: f.ratings,
                bad_rate: percent(f.bad, f.ratings, dash),
                average: if f.ratings == 0 {
                    dash.to_owned()
                } else {
                    format!("{:.2}", f.score_sum as f64 / f.ratings as f64)
                },
                on_time_rate: percent(f.replied_on_time, f.replied + f.open_late, dash),
            })
            .collect(),
        rows: list.iter().map(|r| line(&state, &c, r, true)).collect(),
        first: before
            .is_some()
            .then(|| base.trim_end_matches(['&', '?']).to_owned()),
        next,
        c,
    })
}

#[derive(Template)]
#[template(path = "my_ratings.html")]
struct MyRatings {
    c: Chrome,
    rows: Vec<RatingLine>,
    errors: Errors,
    failed: String,
}

async fn my_page(
    state: &AppState,
    c: Chrome,
    failed: String,
    errors: Vec<yici_service::FieldProblem>,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let list = match desk.my_ratings().await {
        Ok(l) => l,
        Err(e) => return error_page(c, e, None),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = MyRatings {
        rows: list.iter().map(|r| line(state, &c, r, false)).collect(),
        errors: Errors::new(&c, errors),
        failed,
        c,
    };
    render_status(status, &page)
}

/// GET /my/ratings: the ratings I gave, their follow-ups, the 追评 form.
pub async fn mine(State(state): State<AppState>, c: Chrome) -> Response {
    my_page(&state, c, String::new(), Vec::new()).await
}

/// POST /my/ratings/{id}/second: the second rating (追评).
pub async fn second(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let score = form.text("score").parse::<u8>().unwrap_or(0);
    match desk.second_rating(&id, score, &form.text("comment")).await {
        Ok(_) => Redirect::to("/my/ratings").into_response(),
        Err(ServiceError::Invalid(errors)) => my_page(&state, c, id, errors).await,
        Err(e) => error_page(c, e, Some("/my/ratings".into())),
    }
}
