//! The applicant's own cases.

use super::chrome::Chrome;
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
    page: u32,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
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
    let pages = total.div_ceil(u64::from(page.per_page)).max(1);
    let link = |p: u32| format!("/my/cases?page={p}&per_page={}", page.per_page);
    render(&MyCases {
        rows,
        page: page.page,
        pages,
        prev: (page.page > 1).then(|| link(page.page - 1)),
        next: (u64::from(page.page) < pages).then(|| link(page.page + 1)),
        c,
    })
}
