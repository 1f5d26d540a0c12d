//! Delivery of outbox messages to departments' webhooks: signed POSTs,
//! retried with exponential back-off until a 2xx answer or, after
//! [`LAST_ATTEMPT`] failures, set aside as a dead letter for an admin.

use std::time::Duration;

use tokio::task::JoinSet;
use yici_core::catalog::DepartmentCode;
use yici_store::{OutboxMessage, StoreError};

use super::error::WorkerError;
use crate::context::{Service, Webhook};
use crate::webhook;

/// The longest one delivery may take, connection included: a slow receiver
/// holds one message, not the worker.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a worker holds a message it leased: several times
/// [`DELIVERY_TIMEOUT`], so that a lease never ends while its delivery may
/// still be in flight.
pub const OUTBOX_LEASE_MS: i64 = 2 * 60 * 1000;

/// The first retry comes after about this long…
const FIRST_RETRY: Duration = Duration::from_secs(5);
/// …and the wait doubles with each failure up to this.
const LONGEST_RETRY: Duration = Duration::from_secs(60 * 60);

/// The attempt after which a failing message is set aside as a dead letter:
/// with the back-off above that is about a day of trying (5 s doubling to
/// an hour in the first ten attempts, about 85 minutes, then hourly), long
/// enough to ride out a department's outage over a night, short enough that
/// somebody looks at the receiver the next working day.
pub const LAST_ATTEMPT: u32 = 30;

/// The HTTP client of deliveries; cheap to clone.
#[derive(Debug, Clone)]
pub struct Courier {
    client: reqwest::Client,
}

impl Courier {
    /// A client with bounded timeouts that does not follow redirects (a
    /// redirect would carry a signed body to an address nobody configured).
    pub fn new() -> Result<Self, WorkerError> {
        let client = reqwest::Client::builder()
            .timeout(DELIVERY_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("yici/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Courier { client })
    }

    /// POSTs `body` to `hook`, signed at `timestamp` (Unix seconds). Ok on
    /// a 2xx answer; otherwise what went wrong, without the URL (it may
    /// carry a token).
    async fn post(&self, hook: &Webhook, body: &str, timestamp: i64) -> Result<(), String> {
        let signature = webhook::sign(&hook.secret, timestamp, body.as_bytes());
        let sent = self
            .client
            .post(&hook.url)
            .header(reqwest::header::CONTENT_TYPE, webhook::CONTENT_TYPE)
            .header(webhook::TIMESTAMP_HEADER, timestamp.to_string())
            .header(webhook::SIGNATURE_HEADER, signature)
            .body(body.to_owned())
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("answered HTTP {}", r.status())),
            Err(e) if e.is_timeout() => Err(format!("no answer within {DELIVERY_TIMEOUT:?}")),
            Err(e) => Err(describe(&e.without_url())),
        }
    }
}

impl Courier {
    /// POSTs a JSON `body` with `headers` to `url`: Ok on a 2xx answer.
    pub(crate) async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<(), String> {
        let mut request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.body(body.to_owned()).send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("answered HTTP {}", r.status())),
            Err(e) if e.is_timeout() => Err(format!("no answer within {DELIVERY_TIMEOUT:?}")),
            Err(e) => Err(describe(&e.without_url())),
        }
    }
}

/// An error with its causes, `a: b: c`.
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// What one delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages a webhook accepted.
    pub delivered: u64,
    /// Attempts that failed, each rescheduled after its back-off or, if
    /// it was the last, set aside.
    pub failed: u64,
    /// Of the failed attempts, those that were a message's last: the
    /// message is now a dead letter.
    pub dead: u64,
}

/// The wait before the next attempt after `failures` failed ones (1 for
/// the first): [`FIRST_RETRY`] doubled per earlier failure, at most
/// [`LONGEST_RETRY`], less up to a fifth at random (`jitter` in `[0, 1)`)
/// so that the retries of many messages failing together spread out
/// instead of arriving at the receiver at one instant.
pub fn retry_delay(failures: u32, jitter: f64) -> Duration {
    let doublings = failures.saturating_sub(1).min(20);
    let full = FIRST_RETRY
        .saturating_mul(1u32 << doublings)
        .min(LONGEST_RETRY);
    full.mul_f64(1.0 - jitter.clamp(0.0, 1.0) / 5.0)
}

/// A number in `[0, 1)` from the operating system's generator (0 if it
/// fails: the retry then just comes at the full delay).
fn jitter() -> f64 {
    getrandom::u32().map_or(0.0, |x| f64::from(x) / (f64::from(u32::MAX) + 1.0))
}

/// Leases due messages, `batch` at a time, until none is due, and delivers
/// each to the webhook of its destination department, a batch's messages
/// at once. A 2xx answer marks the message delivered; anything else (an
/// error status, a timeout, no webhook configured any more) reschedules it
/// after [`retry_delay`], by the application clock, or sets it aside when
/// it was the [`LAST_ATTEMPT`].
pub async fn delivery_pass(
    service: &Service,
    courier: &Courier,
    owner: &str,
    batch: u32,
) -> Result<DeliveryReport, WorkerError> {
    let mut report = DeliveryReport::default();
    loop {
        let leased = service
            .store()
            .lease_outbox(
                owner,
                service.clock().now_ms(),
                batch.max(1),
                OUTBOX_LEASE_MS,
            )
            .await?;
        if leased.is_empty() {
            return Ok(report);
        }
        let mut sending = JoinSet::new();
        for message in leased {
            let (service, courier) = (service.clone(), courier.clone());
            sending.spawn(async move { deliver(&service, &courier, message).await });
        }
        while let Some(done) = sending.join_next().await {
            match done {
                Ok(Ok(Outcome::Delivered)) => report.delivered += 1,
                Ok(Ok(Outcome::Rescheduled)) => report.failed += 1,
                Ok(Ok(Outcome::Dead)) => {
                    report.failed += 1;
                    report.dead += 1;
                }
                // The message stays leased and comes back when the lease
                // ends: at least once, never lost.
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "could not record a delivery");
                    report.failed += 1;
                }
                Err(e) => {
                    tracing::error!(error = %e, "delivery task failed");
                    report.failed += 1;
                }
            }
        }
    }
}

/// What became of one message in a pass.
enum Outcome {
    Delivered,
    Rescheduled,
    Dead,
}

/// Sends one message and records the outcome.
async fn deliver(
    service: &Service,
    courier: &Courier,
    message: OutboxMessage,
) -> Result<Outcome, StoreError> {
    let hook = DepartmentCode::parse(&message.destination)
        .ok()
        .and_then(|d| service.webhook(&d));
    let sent = match hook {
        Some(hook) => {
            let timestamp = service.clock().now().unix_timestamp();
            courier.post(hook, &message.payload, timestamp).await
        }
        None => Err(format!(
            "no webhook configured for department {}",
            message.destination
        )),
    };
    let now = service.clock().now_ms();
    match sent {
        Ok(()) => {
            service.store().outbox_delivered(&message.id, now).await?;
            tracing::debug!(id = %message.id, department = %message.destination, "delivered");
            Ok(Outcome::Delivered)
        }
        Err(reason) => {
            let failures = message.attempts.saturating_add(1);
            if failures >= LAST_ATTEMPT {
                tracing::error!(
                    id = %message.id,
                    department = %message.destination,
                    attempt = failures,
                    %reason,
                    "webhook delivery failed for the last time: set aside as a dead letter"
                );
                service
                    .store()
                    .outbox_dead(&message.id, now, &reason)
                    .await?;
                return Ok(Outcome::Dead);
            }
            let wait = retry_delay(failures, jitter());
            let next = now.saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
            tracing::warn!(
                id = %message.id,
                department = %message.destination,
                attempt = failures,
                retry_in = ?wait,
                %reason,
                "webhook delivery failed"
            );
            service
                .store()
                .outbox_failed(&message.id, next, &reason)
                .await?;
            Ok(Outcome::Rescheduled)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_start_at_five_seconds_and_double() {
        assert_eq!(retry_delay(1, 0.0), Duration::from_secs(5));
        assert_eq!(retry_delay(2, 0.0), Duration::from_secs(10));
        assert_eq!(retry_delay(3, 0.0), Duration::from_secs(20));
        assert_eq!(retry_delay(10, 0.0), Duration::from_secs(2560));
    }

    #[test]
    fn retries_are_capped_at_one_hour() {
        assert_eq!(retry_delay(11, 0.0), LONGEST_RETRY);
        assert_eq!(retry_delay(u32::MAX, 0.0), LONGEST_RETRY);
    }

    #[test]
    fn jitter_takes_off_at_most_a_fifth() {
        assert_eq!(retry_delay(1, 0.5), Duration::from_secs_f64(4.5));
        assert!(retry_delay(1, 0.999_999) > Duration::from_secs(4));
        assert_eq!(retry_delay(1, 7.0), Duration::from_secs(4));
        let j = jitter();
        assert!((0.0..1.0).contains(&j), "{j}");
    }
}
