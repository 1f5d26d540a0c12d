//! The applicant's own cases.

use super::chrome::Chrome;
use super::pager::Pager;
use super::progress::{CaseRow, case_row};
use super::render::{error_page, render};
use super::session::{at_desk, need_signed};
use crate::params::{Page, Params};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "my_cases.html")]
struct MyCases {
    c: Chrome,
    rows: Vec<CaseRow>,
    pager: Pager,
}

/// GET /my/cases: the signed-in applicant's cases, newest first.
pub async fn cases(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let page = Page::from_params(&params).unwrap_or(Page {
        page: 1,
        per_page: 20,
    });
    let (cases, total) = match desk.my_cases(page.per_page, page.offset()).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    let rows = cases
        .iter()
        .map(|s| case_row(&c, &state, &s.case))
        .collect();
    render(&MyCases {
        rows,
        pager: Pager::new(page, total, "/my/cases"),
        c,
    })
}
