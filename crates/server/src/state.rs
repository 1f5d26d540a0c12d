//! What every handler shares: the catalog, its search index and plans.

use std::collections::BTreeMap;
use std::sync::Arc;

use yici_catalog::{Plan, SearchIndex, plan_one_thing};
use yici_core::catalog::{Catalog, OneThingCode};

/// Shared, read-only application state.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: Catalog,
    search: SearchIndex,
    plans: BTreeMap<OneThingCode, Plan>,
}

impl AppState {
    /// Builds the state for a checked catalog: indexes it for search and
    /// plans every one-thing once, since the catalog does not change while
    /// the server runs.
    pub fn new(catalog: Catalog) -> Result<Self, yici_catalog::SearchError> {
        let search = SearchIndex::build(&catalog)?;
        let plans = catalog
            .one_things
            .values()
            .map(|o| (o.code.clone(), plan_one_thing(&catalog, o)))
            .collect();
        Ok(AppState {
            inner: Arc::new(Inner {
                catalog,
                search,
                plans,
            }),
        })
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The search index.
    pub fn search(&self) -> &SearchIndex {
        &self.inner.search
    }

    /// The plan of a one-thing.
    pub fn plan(&self, code: &OneThingCode) -> Option<&Plan> {
        self.inner.plans.get(code)
    }
}
