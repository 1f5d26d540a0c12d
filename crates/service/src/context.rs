//! What every use case needs: the catalog with its search index and plans,
//! the store, the calendar and the clock, the ledger's key, the departments'
//! seals and the settings given at start. Built once, shared by the web
//! crate, the workers and the command line.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use yici_catalog::{Plan, SearchIndex, plan_one_thing};
use yici_core::calendar::Calendar;
use yici_core::catalog::{Catalog, DepartmentCode, OneThingCode};
use yici_exchange::library::libraries;
use yici_ledger::LogSigner;
use yici_store::Store;

use crate::certificates::seals::{IssuerKeys, Seals};
use crate::clock::Clock;
use crate::error::ServiceError;
use crate::materials::{Blobs, Limits};

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

/// What an operator sets at start.
pub struct Settings {
    /// The URL the server is reached at: issuer ids, status list URIs,
    /// QR codes. No trailing slash.
    pub public_url: String,
    /// The ledger's signing key; `None` makes a random one (tests only:
    /// `serve` always loads one from a file).
    pub signer: Option<LogSigner>,
    /// Departments that run their own systems.
    pub webhooks: BTreeMap<DepartmentCode, Webhook>,
    /// Where the files of materials are kept, sealed; `None`: files are
    /// not taken (a deployment that has not configured a store).
    pub documents: Option<Blobs>,
    /// Limits on the files of a case.
    pub limits: Limits,
    /// The payment provider.
    pub payments: crate::payments::Provider,
    /// How notifications leave besides the message centre.
    pub senders: crate::notify::Senders,
    /// The carrier of two-way delivery.
    pub carrier: crate::express::Carrier,
    /// The working-day calendar: the official years, and those an
    /// operator added (`serve --calendar-dir`).
    pub calendar: Calendar,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: "http://127.0.0.1:8080".to_owned(),
            signer: None,
            webhooks: BTreeMap::new(),
            documents: None,
            limits: Limits::default(),
            payments: crate::payments::Provider::sandbox(None),
            senders: crate::notify::Senders::default(),
            carrier: crate::express::Carrier::sandbox(None, crate::express::SANDBOX_STEP_MS),
            calendar: Calendar::official().clone(),
        }
    }
}

/// The application: cheap to clone, shared by every request and worker.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: Catalog,
    search: SearchIndex,
    plans: BTreeMap<OneThingCode, Plan>,
    store: Store,
    clock: Clock,
    signer: LogSigner,
    public_url: String,
    webhooks: BTreeMap<DepartmentCode, Webhook>,
    issuer_keys: IssuerKeys,
    seals: Seals,
    documents: Option<Blobs>,
    limits: Limits,
    payments: crate::payments::Provider,
    senders: crate::notify::Senders,
    carrier: crate::express::Carrier,
    calendar: Calendar,
    /// Matter code → where its certificates are filed: (data set, field).
    libraries: HashMap<String, Vec<(String, String)>>,
}

impl Service {
    /// Builds the application: indexes the catalog for search and plans
    /// every one-thing once, since the catalog does not change while
    /// serving.
    pub fn new(
        catalog: Catalog,
        store: Store,
        clock: Clock,
        settings: Settings,
    ) -> Result<Self, yici_catalog::SearchError> {
        let search = SearchIndex::build(&catalog)?;
        let plans = catalog
            .one_things
            .values()
            .map(|o| (o.code.clone(), plan_one_thing(&catalog, o)))
            .collect();
        let libraries = libraries(&catalog)
            .into_iter()
            .map(|(matter, fields)| {
                let places = fields
                    .into_iter()
                    .map(|f| (f.dataset.to_string(), f.field))
                    .collect();
                (matter, places)
            })
            .collect();
        let signer = settings.signer.unwrap_or_else(|| {
            let mut seed = [0u8; 32];
            // An all-zero seed only if the OS has no randomness at all.
            let _ = getrandom::fill(&mut seed);
            LogSigner::from_seed(&seed)
        });
        Ok(Service {
            inner: Arc::new(Inner {
                catalog,
                search,
                plans,
                store,
                clock,
                signer,
                public_url: settings.public_url.trim_end_matches('/').to_owned(),
                webhooks: settings.webhooks,
                issuer_keys: IssuerKeys::default(),
                seals: Seals::default(),
                documents: settings.documents,
                limits: settings.limits,
                payments: settings.payments,
                carrier: settings.carrier,
                calendar: settings.calendar,
                senders: settings.senders,
                libraries,
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

    /// The plan of a one-thing, made at start.
    pub fn one_thing_plan(&self, code: &OneThingCode) -> Option<&Plan> {
        self.inner.plans.get(code)
    }

    /// The store. Use cases reach it through here; the web crate only
    /// through the use cases.
    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The working-day calendar: the official years and those the
    /// operator added.
    pub fn calendar(&self) -> &Calendar {
        &self.inner.calendar
    }

    /// The ledger's signing key: only the use cases sign.
    pub(crate) fn signer(&self) -> &LogSigner {
        &self.inner.signer
    }

    /// The ledger's public key, which anyone checks its heads with.
    pub fn ledger_key(&self) -> ed25519_dalek::VerifyingKey {
        self.inner.signer.verifying_key()
    }

    /// The id of the ledger's key (RFC 6962 §3.2: SHA-256 of the key).
    pub fn ledger_key_id(&self) -> yici_ledger::KeyId {
        self.inner.signer.key_id()
    }

    /// The URL the server is reached at, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The payment provider.
    pub fn payments(&self) -> &crate::payments::Provider {
        &self.inner.payments
    }

    /// The carrier of two-way delivery.
    pub fn carrier(&self) -> &crate::express::Carrier {
        &self.inner.carrier
    }

    /// How notifications are sent.
    pub(crate) fn senders(&self) -> &crate::notify::Senders {
        &self.inner.senders
    }

    /// The webhook of a department, if it runs its own system.
    pub fn webhook(&self, department: &DepartmentCode) -> Option<&Webhook> {
        self.inner.webhooks.get(department)
    }

    /// Where the files of materials are kept.
    pub(crate) fn blobs(&self) -> Result<&Blobs, ServiceError> {
        self.inner.documents.as_ref().ok_or_else(|| {
            ServiceError::StateConflict(
                "this server keeps no files: no document store is set".into(),
            )
        })
    }

    /// Limits on the files of a case.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// The departments' published keys, as far as verification loaded them.
    pub(crate) fn issuer_keys(&self) -> &IssuerKeys {
        &self.inner.issuer_keys
    }

    /// The departments' issuers and status-index blocks this server holds.
    pub(crate) fn seals(&self) -> &Seals {
        &self.inner.seals
    }

    /// Where a certificate of `matter` is filed in its holder's records.
    pub(crate) fn library_of(&self, matter: &str) -> &[(String, String)] {
        self.inner.libraries.get(matter).map_or(&[], Vec::as_slice)
    }
}
