//! What every handler shares: the catalog with its search index and plans,
//! the store, the calendar and the clock.

use std::collections::BTreeMap;
use std::sync::Arc;

use yici_catalog::{Plan, SearchIndex, plan_one_thing};
use yici_core::calendar::Calendar;
use yici_core::catalog::{Catalog, DepartmentCode, OneThingCode};
use yici_store::Store;

use crate::clock::Clock;

/// A department's own system, reached by signed webhooks.
#[derive(Clone)]
pub struct Webhook {
    /// Where tasks are posted.
    pub url: String,
    /// Shared secret of the HMAC-SHA256 signature.
    pub secret: String,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: Catalog,
    search: SearchIndex,
    plans: BTreeMap<OneThingCode, Plan>,
    store: Store,
    clock: Clock,
    webhooks: BTreeMap<DepartmentCode, Webhook>,
    signer: std::sync::OnceLock<yici_ledger::LogSigner>,
    public_url: std::sync::OnceLock<String>,
    issuer_keys: crate::verification::IssuerKeys,
    seals: crate::seals::Seals,
    libraries: std::collections::HashMap<String, Vec<(String, String)>>,
    pdf_font: std::sync::OnceLock<Result<yici_print::CjkFont, yici_print::FontError>>,
}

impl AppState {
    /// Builds the state: indexes the catalog for search and plans every
    /// one-thing once, since the catalog does not change while serving.
    pub fn new(
        catalog: Catalog,
        store: Store,
        clock: Clock,
    ) -> Result<Self, yici_catalog::SearchError> {
        Self::with_webhooks(catalog, store, clock, BTreeMap::new())
    }

    /// As [`AppState::new`], with departments' webhooks.
    pub fn with_webhooks(
        catalog: Catalog,
        store: Store,
        clock: Clock,
        webhooks: BTreeMap<DepartmentCode, Webhook>,
    ) -> Result<Self, yici_catalog::SearchError> {
        let search = SearchIndex::build(&catalog)?;
        let plans = catalog
            .one_things
            .values()
            .map(|o| (o.code.clone(), plan_one_thing(&catalog, o)))
            .collect();
        let libraries = crate::seal::libraries(&catalog);
        Ok(AppState {
            inner: Arc::new(Inner {
                catalog,
                search,
                plans,
                store,
                clock,
                webhooks,
                signer: std::sync::OnceLock::new(),
                public_url: std::sync::OnceLock::new(),
                issuer_keys: Default::default(),
                seals: Default::default(),
                libraries,
                pdf_font: std::sync::OnceLock::new(),
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

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The official working-day calendar.
    pub fn calendar(&self) -> &'static Calendar {
        Calendar::official()
    }

    /// Sets the ledger's signing key; only the first call counts (at start).
    pub fn set_signer(&self, signer: yici_ledger::LogSigner) -> bool {
        self.inner.signer.set(signer).is_ok()
    }

    /// The ledger's signing key. Without one set at start, a random key is
    /// made for this process (tests); `serve` always sets one from a file.
    pub fn signer(&self) -> &yici_ledger::LogSigner {
        self.inner.signer.get_or_init(|| {
            let mut seed = [0u8; 32];
            // An all-zero seed only if the OS has no randomness at all.
            let _ = getrandom::fill(&mut seed);
            yici_ledger::LogSigner::from_seed(&seed)
        })
    }

    /// Sets the URL the server is reached at (issuer ids, status list URIs,
    /// QR codes); only the first call counts.
    pub fn set_public_url(&self, url: &str) -> bool {
        self.inner
            .public_url
            .set(url.trim_end_matches('/').to_owned())
            .is_ok()
    }

    /// The URL the server is reached at (default `http://127.0.0.1:8080`).
    pub fn public_url(&self) -> &str {
        self.inner
            .public_url
            .get_or_init(|| "http://127.0.0.1:8080".to_owned())
    }

    /// Sets the font of the PDF certificates, or why there is none; only
    /// the first call counts (at start).
    pub fn set_pdf_font(&self, font: Result<yici_print::CjkFont, yici_print::FontError>) -> bool {
        self.inner.pdf_font.set(font).is_ok()
    }

    /// The font of the PDF certificates, loaded once. Without one set at
    /// start, the well-known places are searched on first use (tests);
    /// `serve` sets it at start, so that a missing font is said in its log.
    pub fn pdf_font(&self) -> Result<&yici_print::CjkFont, &yici_print::FontError> {
        self.inner
            .pdf_font
            .get_or_init(|| yici_print::CjkFont::find(None))
            .as_ref()
    }

    /// The departments' published keys, as far as verification loaded them.
    pub fn issuer_keys(&self) -> &crate::verification::IssuerKeys {
        &self.inner.issuer_keys
    }

    /// The departments' issuers and status-index blocks this server holds.
    pub fn seals(&self) -> &crate::seals::Seals {
        &self.inner.seals
    }

    /// The data-set fields a certificate of `matter` is filed under in its
    /// holder's records (see [`crate::seal::libraries`]).
    pub fn library_of(&self, matter: &str) -> &[(String, String)] {
        self.inner.libraries.get(matter).map_or(&[], Vec::as_slice)
    }

    /// The webhook of a department, if it runs its own system.
    pub fn webhook(&self, department: &DepartmentCode) -> Option<&Webhook> {
        self.inner.webhooks.get(department)
    }
}
