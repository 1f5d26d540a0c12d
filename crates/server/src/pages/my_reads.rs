//! "Who read my data and opened my documents": the applicant's own log of
//! every read of their shared data by a department, and every opening of a
//! document they gave, newest first, a page of each at a time.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::chrome::Chrome;
use super::progress;
use super::render::{error_page, render};
use super::session::{at_desk, need_signed};
use crate::params::{Params, RawParams};
use crate::state::AppState;

/// Rows per page of each list.
const PER_PAGE: u32 = 20;

/// A read of the applicant's shared data.
pub struct ReadLine {
    pub at: String,
    pub department: String,
    pub dataset: String,
    pub fields: String,
    pub case_href: String,
    pub matter: String,
}

/// An opening of one of the applicant's documents.
pub struct ViewLine {
    pub at: String,
    pub document: String,
    pub viewer: String,
    pub role: String,
    pub case_href: String,
}

/// A list's place: its page, how many pages, and the links around it.
pub struct Pager {
    pub page: u32,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "my_reads.html")]
struct MyReads {
    c: Chrome,
    reads: Vec<ReadLine>,
    reads_pager: Pager,
    views: Vec<ViewLine>,
    views_pager: Pager,
}

/// The 1-based page `name` asks for; anything unreadable is the first.
fn page_of(params: &RawParams, name: &str) -> u32 {
    params
        .get(name)
        .and_then(|p| p.parse::<u32>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

fn pager(name: &str, page: u32, total: u64, other: (&str, u32)) -> Pager {
    let pages = total.div_ceil(u64::from(PER_PAGE)).max(1);
    let link = |p: u32| format!("/my/reads?{name}={p}&{}={}", other.0, other.1);
    Pager {
        page,
        pages,
        prev: (page > 1).then(|| link(page - 1)),
        next: (u64::from(page) < pages).then(|| link(page + 1)),
    }
}

fn offset(page: u32) -> u64 {
    u64::from(page - 1) * u64::from(PER_PAGE)
}

/// GET /my/reads.
pub async fn page(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let (rp, vp) = (page_of(&params, "reads"), page_of(&params, "views"));
    let (reads, reads_total) = match desk.my_reads(PER_PAGE, offset(rp)).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    let (views, views_total) = match desk.opened_documents(PER_PAGE, offset(vp)).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    let lang = c.code();
    let reads = reads
        .into_iter()
        .map(|r| ReadLine {
            at: progress::minute(r.at_ms),
            department: progress::department_name(&state, lang, &r.department),
            dataset: state
                .catalog()
                .datasets
                .values()
                .find(|d| d.code.as_str() == r.dataset)
                .map_or_else(|| r.dataset.clone(), |d| d.name.get(lang).to_owned()),
            fields: r.fields.join(", "),
            case_href: format!("/cases/{}", r.case_id),
            matter: yici_core::catalog::MatterCode::parse(&r.matter)
                .map(|m| progress::matter_name(&state, lang, &m))
                .unwrap_or(r.matter),
        })
        .collect();
    let views = views
        .into_iter()
        .map(|o| {
            let v = o.view;
            ViewLine {
                at: progress::minute(v.at_ms),
                document: o.file.map(|f| f.name).unwrap_or_default(),
                role: c.t.get(&format!("role.{}", v.role)).to_owned(),
                viewer: v.viewer,
                case_href: format!("/cases/{}", v.case_id),
            }
        })
        .collect();
    render(&MyReads {
        reads,
        reads_pager: pager("reads", rp, reads_total, ("views", vp)),
        views,
        views_pager: pager("views", vp, views_total, ("reads", rp)),
        c,
    })
}
