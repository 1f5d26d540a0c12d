//! Background workers: the deadline pass that raises yellow and red cards
//! on open tasks, the delivery of outbox messages to departments'
//! webhooks, the retention pass that deletes a closed case's documents
//! when its retention ends, and the no-show sweep of missed bookings.
//!
//! Both are safe to run on any number of servers against one database: a
//! worker leases the rows it works on (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, the single writer on SQLite), so that each case is checked
//! and each message sent by one worker at a time. A case that changed
//! under a worker is caught by its version and left for the next check;
//! a worker that dies leaves leases that expire and are taken up again.
//!
//! [`spawn_workers`] runs both loops until told to stop; [`deadline_pass`]
//! and [`delivery_pass`] are single passes, for tests and for callers that
//! schedule work their own way.

mod deadlines;
mod delivery;
mod error;
mod no_shows;
mod notifications;
mod parcels;
mod payments;
mod retention;
mod webhooks;

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::context::Service;

pub use deadlines::{DEADLINE_LEASE_MS, PassReport, deadline_pass};
pub use delivery::{
    Courier, DELIVERY_TIMEOUT, DeliveryReport, LAST_ATTEMPT, OUTBOX_LEASE_MS, delivery_pass,
    retry_delay,
};
pub use error::WorkerError;
pub use no_shows::no_show_pass;
pub use notifications::{NotifyReport, notification_pass, reminder_pass};
pub use parcels::{CARRIER_NOTIFY_PATH, sandbox_carrier_pass};
pub use payments::{
    NOTIFY_PATH, ORDER_EXPIRY_MS, PaymentsReport, RECONCILE_AFTER_MS, payments_pass,
    sandbox_notice_pass,
};
pub use retention::{RetentionReport, retention_pass, retention_years, years_after};
pub use webhooks::{WebhookFileError, load_webhooks, parse_webhooks};

/// How the workers of one server run.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The name leases are taken under: unique per process, so that a
    /// lease can be traced to the server that holds it.
    pub owner: String,
    /// Time between deadline passes. Cards change with the day, so once a
    /// minute is ample; a case is checked once a day and again after each
    /// change.
    pub deadline_interval: Duration,
    /// Time between looks at the outbox: the delay before a new task
    /// reaches a department.
    pub delivery_interval: Duration,
    /// Time between retention passes (documents are kept for years: once
    /// an hour is ample).
    pub retention_interval: Duration,
    /// Cases or messages leased at a time.
    pub batch: u32,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            owner: worker_name(),
            deadline_interval: Duration::from_secs(60),
            delivery_interval: Duration::from_secs(2),
            retention_interval: Duration::from_secs(3600),
            batch: 32,
        }
    }
}

/// A lease owner name unique to this process: host, process id and a
/// random suffix.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "yici".to_owned());
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}/{}/{}", std::process::id(), &suffix[..8])
}

/// Starts the deadline loop and the delivery loop on the current tokio
/// runtime. They run until `shutdown` completes; then each finishes the
/// pass it is in (a delivery waits at most [`DELIVERY_TIMEOUT`]) and the
/// returned handle completes. Errors of a pass are logged and the loop
/// goes on.
pub fn spawn_workers<F>(
    service: Service,
    config: WorkerConfig,
    shutdown: F,
) -> Result<JoinHandle<()>, WorkerError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let courier = Courier::new()?;
    let (stop, stopped) = watch::channel(false);
    tracing::info!(owner = %config.owner, "background workers started");

    let deadlines = {
        let (service, config) = (service.clone(), config.clone());
        tokio::spawn(every(
            config.deadline_interval,
            stopped.clone(),
            move || {
                let (service, config) = (service.clone(), config.clone());
                async move {
                    match deadline_pass(&service, &config.owner, config.batch).await {
                        Ok(r) if r.checked > 0 => tracing::info!(
                            checked = r.checked,
                            events = r.events,
                            conflicts = r.conflicts,
                            failed = r.failed,
                            "deadline pass"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "deadline pass failed"),
                    }
                }
            },
        ))
    };
    // Only a server that keeps documents has any to delete.
    let retention = service.blobs().is_ok().then(|| {
        let (service, config) = (service.clone(), config.clone());
        tokio::spawn(every(
            config.retention_interval,
            stopped.clone(),
            move || {
                let (service, batch) = (service.clone(), config.batch);
                async move {
                    match retention_pass(&service, batch).await {
                        Ok(r) if r.scheduled + r.deleted > 0 => tracing::info!(
                            scheduled = r.scheduled,
                            deleted = r.deleted,
                            "retention pass"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "retention pass failed"),
                    }
                }
            },
        ))
    });
    // Slots are half hours: a minute's delay in marking a miss is nothing.
    let no_shows = {
        let (service, batch) = (service.clone(), config.batch);
        tokio::spawn(every(
            config.deadline_interval,
            stopped.clone(),
            move || {
                let service = service.clone();
                async move {
                    match no_show_pass(&service, batch).await {
                        Ok(n) if n > 0 => tracing::info!(marked = n, "no-show sweep"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "no-show sweep failed"),
                    }
                }
            },
        ))
    };
    // The provider's notices, the reconciler and the applicants'
    // notifications: people wait for these.
    let payments = {
        let (service, batch, courier) = (service.clone(), config.batch, courier.clone());
        tokio::spawn(every(
            config.delivery_interval,
            stopped.clone(),
            move || {
                let (service, courier) = (service.clone(), courier.clone());
                async move {
                    match sandbox_notice_pass(&service, &courier, batch).await {
                        Ok(n) if n > 0 => tracing::info!(delivered = n, "sandbox notices"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "sandbox notices failed"),
                    }
                    match sandbox_carrier_pass(&service, &courier, batch).await {
                        Ok(n) if n > 0 => tracing::info!(stepped = n, "sandbox carrier"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "sandbox carrier failed"),
                    }
                    match reminder_pass(&service, batch).await {
                        Ok(n) if n > 0 => tracing::info!(written = n, "booking reminders"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "booking reminders failed"),
                    }
                    match notification_pass(&service, batch).await {
                        Ok(r) if r != NotifyReport::default() => tracing::info!(
                            sent = r.sent,
                            skipped = r.skipped,
                            failed = r.failed,
                            "notifications"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "notifications failed"),
                    }
                    match payments_pass(&service, batch).await {
                        Ok(r) if r != PaymentsReport::default() => tracing::info!(
                            queried = r.queried,
                            reconciled = r.reconciled,
                            refunds_requested = r.refunds_requested,
                            refunds_submitted = r.refunds_submitted,
                            "payments pass"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "payments pass failed"),
                    }
                }
            },
        ))
    };
    let deliveries = tokio::spawn(every(config.delivery_interval, stopped, move || {
        let (service, config, courier) = (service.clone(), config.clone(), courier.clone());
        async move {
            match delivery_pass(&service, &courier, &config.owner, config.batch).await {
                Ok(r) if r.delivered + r.failed > 0 => tracing::info!(
                    delivered = r.delivered,
                    failed = r.failed,
                    "webhook deliveries"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "webhook delivery pass failed"),
            }
        }
    }));

    Ok(tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
        let _ = deadlines.await;
        let _ = deliveries.await;
        let _ = no_shows.await;
        let _ = payments.await;
        if let Some(retention) = retention {
            let _ = retention.await;
        }
        tracing::info!("background workers stopped");
    }))
}

/// Runs `tick` now and then every `period` until `stop` turns true (or
/// its sender goes away).
async fn every<F, Fut>(period: Duration, mut stop: watch::Receiver<bool>, mut tick: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        if *stop.borrow() {
            return;
        }
        tick().await;
        tokio::select! {
            changed = stop.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(period) => {}
        }
    }
}
