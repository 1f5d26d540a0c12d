//! The request types of a case's load and the timer that sends each one
//! and keeps its latency, shared by the case load and its payment and
//! express steps (`two_way`).

use std::collections::HashMap;
use std::io;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use crate::client::Client;

/// The request types of a case, in the order a case sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// POST /api/v1/cases (window submission).
    Submit,
    /// POST /api/v1/cases/{id}/materials/{m}/files (the clerk's scan).
    Upload,
    /// POST /api/v1/cases/{id}/accept.
    Accept,
    /// POST /api/v1/cases/{id}/consent (the applicant grants).
    Consent,
    /// GET /api/v1/tasks?state=open (a reviewer's queue).
    Queue,
    /// GET /api/v1/tasks/{id}/data (consent-checked reads, recorded).
    Read,
    /// POST /api/v1/tasks/{id}/decision.
    Decide,
    /// POST /api/v1/cases/{id}/issue.
    Issue,
    /// POST /api/v1/cases/{id}/deliver.
    Deliver,
    /// POST /api/v1/cases/{id}/payments (the applicant opens an order).
    Pay,
    /// POST /sandbox/pay/{transaction} (the payer confirms at the sandbox).
    Checkout,
    /// POST /api/v1/payments/notify (the provider's signed notice).
    PayNotice,
    /// PUT /api/v1/cases/{id}/delivery (the result to an address).
    Address,
    /// POST /api/v1/cases/{id}/parcels (the window sends the result).
    Ship,
    /// POST /api/v1/parcels/notify (the carrier's signed callback).
    CarrierNotice,
}

impl Kind {
    /// All kinds, in case order.
    pub const ALL: [Kind; 15] = [
        Kind::Submit,
        Kind::Upload,
        Kind::Accept,
        Kind::Consent,
        Kind::Queue,
        Kind::Read,
        Kind::Decide,
        Kind::Issue,
        Kind::Deliver,
        Kind::Pay,
        Kind::Checkout,
        Kind::PayNotice,
        Kind::Address,
        Kind::Ship,
        Kind::CarrierNotice,
    ];

    /// The request, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Submit => "POST /cases (submit)",
            Kind::Upload => "POST /cases/{id}/materials/{m}/files",
            Kind::Accept => "POST /cases/{id}/accept",
            Kind::Consent => "POST /cases/{id}/consent",
            Kind::Read => "GET /tasks/{id}/data",
            Kind::Queue => "GET /tasks?state=open",
            Kind::Decide => "POST /tasks/{id}/decision",
            Kind::Issue => "POST /cases/{id}/issue",
            Kind::Deliver => "POST /cases/{id}/deliver",
            Kind::Pay => "POST /cases/{id}/payments",
            Kind::Checkout => "POST /sandbox/pay/{transaction}",
            Kind::PayNotice => "POST /payments/notify",
            Kind::Address => "PUT /cases/{id}/delivery",
            Kind::Ship => "POST /cases/{id}/parcels",
            Kind::CarrierNotice => "POST /parcels/notify",
        }
    }

    /// Whether the request writes (one database transaction; a data read
    /// one per data set read).
    pub fn writes(self) -> bool {
        self != Kind::Queue
    }
}

/// Each request type's latencies.
pub(crate) type Samples = HashMap<Kind, Vec<Duration>>;

/// Sends a case's requests, keeping each one's latency.
pub(crate) struct Timer<'a> {
    pub(crate) samples: &'a mut Samples,
    pub(crate) requests: usize,
}

impl Timer<'_> {
    /// Sends one request of `kind` and reads its answer into `T`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send<T: DeserializeOwned>(
        &mut self,
        kind: Kind,
        client: &mut Client,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> io::Result<T> {
        let start = Instant::now();
        let expect = match kind {
            Kind::Submit | Kind::Pay | Kind::Ship => 201,
            _ => 200,
        };
        // A provider's or carrier's callback carries no session.
        let token = Some(token).filter(|t| !t.is_empty());
        let v = client.parsed(method, path, token, headers, body, expect)?;
        self.samples.entry(kind).or_default().push(start.elapsed());
        self.requests += 1;
        Ok(v)
    }
}

impl Timer<'_> {
    /// Sends one request of `kind` whose answer is not JSON; it must
    /// answer `expect`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn status(
        &mut self,
        kind: Kind,
        client: &mut Client,
        method: &str,
        path: &str,
        token: Option<&str>,
        expect: u16,
    ) -> io::Result<()> {
        let start = Instant::now();
        let (status, answer) = client.send(method, path, token, &[], None)?;
        if status != expect {
            return Err(io::Error::other(format!(
                "{method} {path}: status {status}: {}",
                String::from_utf8_lossy(answer)
            )));
        }
        self.samples.entry(kind).or_default().push(start.elapsed());
        self.requests += 1;
        Ok(())
    }

    /// Gives `body` as a PDF at `path`; it must be kept (201).
    pub(crate) fn upload(
        &mut self,
        client: &mut Client,
        path: &str,
        token: &str,
        body: &[u8],
    ) -> io::Result<()> {
        let start = Instant::now();
        let (status, answer) =
            client.send_bytes("POST", path, Some(token), "application/pdf", body)?;
        if status != 201 {
            return Err(io::Error::other(format!(
                "POST {path}: status {status}: {}",
                String::from_utf8_lossy(answer)
            )));
        }
        self.samples
            .entry(Kind::Upload)
            .or_default()
            .push(start.elapsed());
        self.requests += 1;
        Ok(())
    }
}
