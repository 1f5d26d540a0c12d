//! The applicant's message centre (我的消息): the news of their cases,
//! bookings and ratings, newest first, the unread marked; marking read.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::chrome::Chrome;
use super::input::FormData;
use super::pager::Pager;
use super::progress::minute;
use super::render::{error_page, render};
use super::session::{at_desk, need_signed, signed_form};
use crate::params::{Page, Params};
use crate::state::AppState;

/// A message as the page shows it.
struct Line {
    id: String,
    title: String,
    body: String,
    link: String,
    when: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "my_messages.html")]
struct Messages {
    c: Chrome,
    rows: Vec<Line>,
    unread: u64,
    pager: Pager,
}

/// GET /my/messages.
pub async fn mine(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
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
    let (list, total, unread) = match desk.my_messages(page.per_page, page.offset()).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    let en = c.code() == "en";
    render(&Messages {
        rows: list
            .into_iter()
            .map(|m| {
                let n = m.message;
                Line {
                    title: if en { n.title_en } else { n.title_zh },
                    body: if en { n.body_en } else { n.body_zh },
                    when: minute(n.created_ms),
                    unread: m.read_ms.is_none(),
                    id: n.id,
                    link: n.link,
                }
            })
            .collect(),
        unread,
        pager: Pager::new(page, total, "/my/messages"),
        c,
    })
}

/// POST /my/messages/{id}/read.
pub async fn read(
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
    match desk.read_message(&id).await {
        Ok(()) => Redirect::to("/my/messages").into_response(),
        Err(e) => error_page(c, e, Some("/my/messages".into())),
    }
}
