//! The home page and search results.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::chrome::Chrome;
use super::render::render;
use crate::params::Params;
use crate::state::AppState;
use yici_catalog::HitKind;
use yici_catalog::MAX_QUERY_LEN;
use yici_core::catalog::Trips;

/// A one-thing card on the home page.
pub struct Card {
    pub href: String,
    pub name: String,
    pub description: String,
    pub trips: String,
    /// Zero trips with two-way delivery where it takes a trip without.
    pub zero_by_post: bool,
    pub days: u32,
    pub departments: usize,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    stats: String,
    cards: Vec<Card>,
}

pub async fn home(State(state): State<AppState>, c: Chrome) -> Response {
    let catalog = state.catalog();
    let lang = c.code();
    let cards = catalog
        .one_things
        .values()
        .filter_map(|o| {
            let plan = state.service().one_thing_plan(&o.code)?;
            Some(Card {
                href: format!("/one-things/{}", o.code),
                name: o.name.get(lang).to_owned(),
                description: o.description.get(lang).to_owned(),
                trips: trips_label(&c, plan.trips),
                zero_by_post: plan.trips > 0 && plan.trips_with_delivery == 0,
                days: plan.promised_working_days,
                departments: plan.departments.len(),
            })
        })
        .collect();
    let zero = catalog
        .matters
        .values()
        .filter(|m| m.trips == Trips::Zero)
        .count();
    let stats =
        c.t.get("home.stats")
            .replace("{matters}", &catalog.matters.len().to_string())
            .replace("{one_things}", &catalog.one_things.len().to_string())
            .replace("{zero}", &zero.to_string());
    render(&Home { c, stats, cards })
}

/// "Zero trips", "At most one trip" or "n trips".
pub fn trips_label(c: &Chrome, trips: u32) -> String {
    match trips {
        0 => c.t.get("trips.zero").to_owned(),
        1 => c.t.get("trips.one").to_owned(),
        n => c.with_n("trips.more", n),
    }
}

/// One search result.
pub struct Row {
    pub href: String,
    pub kind: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct Search {
    c: Chrome,
    rows: Vec<Row>,
}

pub async fn search(
    State(state): State<AppState>,
    mut c: Chrome,
    Params(params): Params,
) -> Response {
    let q = params
        .get("q")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    c.query = q.clone();
    let error = if q.is_empty() {
        Some(c.t.get("search.empty_query").to_owned())
    } else if q.chars().count() > MAX_QUERY_LEN {
        Some(c.t.get("search.too_long").to_owned())
    } else {
        None
    };
    let mut rows = Vec::new();
    let failed = error.is_some();
    c.query_error = error;
    if !failed {
        let hits = match state.service().search().search(&q, 20) {
            Ok(hits) => hits,
            Err(e) => {
                tracing::error!(error = %e, "search failed");
                Vec::new()
            }
        };
        let lang = c.code();
        rows = hits
            .into_iter()
            .map(|h| Row {
                href: match h.kind {
                    HitKind::OneThing => format!("/one-things/{}", h.code),
                    HitKind::Matter => format!("/matters/{}", h.code),
                },
                kind: match h.kind {
                    HitKind::OneThing => c.t.get("kind.one_thing").to_owned(),
                    HitKind::Matter => c.t.get("kind.matter").to_owned(),
                },
                name: h.name.get(lang).to_owned(),
            })
            .collect();
    }
    render(&Search { c, rows })
}
