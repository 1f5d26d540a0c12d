//! Department pages and the negative list.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use yici_core::catalog::{DepartmentCode, Trips};

use super::chrome::Chrome;
use super::matter::Link;
use super::render::{not_found, render};
use crate::state::AppState;

/// A department in the list.
pub struct DepartmentRow {
    pub link: Link,
    pub matters: usize,
}

#[derive(Template)]
#[template(path = "departments.html")]
struct List {
    c: Chrome,
    rows: Vec<DepartmentRow>,
}

pub async fn list(State(state): State<AppState>, c: Chrome) -> Response {
    let catalog = state.catalog();
    let rows = catalog
        .departments
        .values()
        .map(|d| DepartmentRow {
            link: Link {
                href: format!("/departments/{}", d.code),
                label: d.name.get(c.code()).to_owned(),
            },
            matters: catalog.matters_of(&d.code).count(),
        })
        .collect();
    render(&List { c, rows })
}

/// A matter in a department's list.
pub struct MatterRow {
    pub link: Link,
    pub trips: String,
    pub days: u32,
}

#[derive(Template)]
#[template(path = "department.html")]
struct Detail {
    c: Chrome,
    name: String,
    matters: Vec<MatterRow>,
}

pub async fn page(State(state): State<AppState>, c: Chrome, Path(code): Path<String>) -> Response {
    let catalog = state.catalog();
    let Some(d) = DepartmentCode::parse(&code)
        .ok()
        .and_then(|k| catalog.departments.get(&k))
    else {
        return not_found(c);
    };
    let matters = catalog
        .matters_of(&d.code)
        .map(|m| MatterRow {
            link: Link {
                href: format!("/matters/{}", m.code),
                label: m.name.get(c.code()).to_owned(),
            },
            trips: super::guide::trips_label(&c, u32::from(m.trips.count())),
            days: m.promised_limit.get(),
        })
        .collect();
    let name = d.name.get(c.code()).to_owned();
    render(&Detail { c, name, matters })
}

/// A negative-list row.
pub struct NegativeRow {
    pub link: Link,
    pub trips: u8,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "negative_list.html")]
struct Negative {
    c: Chrome,
    rows: Vec<NegativeRow>,
}

pub async fn negative_list(State(state): State<AppState>, c: Chrome) -> Response {
    let rows = state
        .catalog()
        .negative_list()
        .filter_map(|m| match &m.trips {
            Trips::NegativeList { trips, reason } => Some(NegativeRow {
                link: Link {
                    href: format!("/matters/{}", m.code),
                    label: m.name.get(c.code()).to_owned(),
                },
                trips: *trips,
                reason: reason.get(c.code()).to_owned(),
            }),
            _ => None,
        })
        .collect();
    render(&Negative { c, rows })
}
