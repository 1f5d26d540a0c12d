//! The applicant's own cases.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use yici_core::case::Role;
use yici_store::CaseFilter;

use super::progress::{CaseRow, case_row};
use super::session::need;
use super::{Chrome, error_page, render};
use crate::api::params::{Page, Params};
use crate::authz;
use crate::state::AppState;

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
    let me = match need(&c, &[Role::Applicant]) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let page = Page::from_params(&params).unwrap_or(Page {
        page: 1,
        per_page: 20,
    });
    let filter = CaseFilter {
        owner: authz::owner_scope(&me.caller),
        limit: page.per_page,
        offset: u64::from(page.page - 1) * u64::from(page.per_page),
        ..Default::default()
    };
    let (cases, total) = match state.store().list_cases(&filter).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e.into(), None),
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
