//! The notifications' worker: reminds applicants of tomorrow's bookings
//! (a message written once per booking), and delivers every message's
//! e-mail and text message to the addresses the applicant's account holds
//! when it sends. A failed delivery is tried again after a growing delay,
//! never dropped; a delivery is recorded only from the state it was read
//! in, so two servers send a message once.

use time::Duration;

use super::delivery::retry_delay;
use super::error::WorkerError;
use crate::context::Service;
use crate::notify::news::booking_reminder;
use yici_store::messages::Outcome;

/// What a delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotifyReport {
    /// Sent.
    pub sent: u64,
    /// Not sent and not to be: no address, or the channel is off.
    pub skipped: u64,
    /// Failed this time; tried again later.
    pub failed: u64,
}

/// Writes the reminders of tomorrow's bookings; how many.
pub async fn reminder_pass(service: &Service, batch: u32) -> Result<u64, WorkerError> {
    let tomorrow = (service.clock().today() + Duration::days(1)).to_string();
    let mut written = 0;
    for b in service.store().bookings_to_remind(&tomorrow, batch).await? {
        let area = yici_core::catalog::WindowCode::parse(&b.window)
            .ok()
            .and_then(|c| service.catalog().windows.get(&c));
        let (name, address) = area.map_or_else(
            || {
                (
                    (b.window.clone(), b.window.clone()),
                    (String::new(), String::new()),
                )
            },
            |w| {
                (
                    (w.name.zh.to_string(), w.name.en.to_string()),
                    (w.address.zh.to_string(), w.address.en.to_string()),
                )
            },
        );
        let m = booking_reminder(
            &b.id,
            &b.subject,
            &format!("{} {}", b.day, b.slot),
            (&name.0, &name.1),
            (&address.0, &address.1),
            service.clock().now_ms(),
        );
        if service.store().write_message(&m).await? {
            written += 1;
        }
    }
    Ok(written)
}

/// Sends the deliveries due and records what came of them, all in one
/// transaction per pass (a write per delivery cost the case load 9 %).
pub async fn notification_pass(service: &Service, batch: u32) -> Result<NotifyReport, WorkerError> {
    let store = service.store();
    let senders = service.senders();
    let mut report = NotifyReport::default();
    let mut outcomes = Vec::new();
    for d in store
        .deliveries_due(service.clock().now_ms(), batch)
        .await?
    {
        let now = service.clock().now_ms();
        let m = &d.message;
        let sent = match d.channel.as_str() {
            "email" => match (&senders.mail, &d.email) {
                (None, _) => Err(("skipped", "no SMTP server is configured".to_owned())),
                (_, None) => Err(("skipped", "the account has no e-mail address".to_owned())),
                (Some(mail), Some(to)) => {
                    let body = format!(
                        "{}\n\n{}\n\n{}{}",
                        m.body_zh,
                        m.body_en,
                        service.public_url(),
                        m.link
                    );
                    let subject = format!("{} / {}", m.title_zh, m.title_en);
                    mail.send(to, &subject, body)
                        .await
                        .map(|()| to.clone())
                        .map_err(|e| ("pending", e))
                }
            },
            "sms" => match &d.phone {
                None => Err(("skipped", "the account has no mobile number".to_owned())),
                Some(phone) => senders
                    .sms
                    .send(phone, &format!("【一次】{}", m.body_zh))
                    .await
                    .map(|()| phone.clone())
                    .map_err(|e| ("pending", e)),
            },
            other => Err(("skipped", format!("no channel {other:?}"))),
        };
        let (state, address, error, next_ms) = match sent {
            Ok(address) => {
                report.sent += 1;
                ("sent", Some(address), None, now)
            }
            Err(("pending", e)) => {
                report.failed += 1;
                let attempts = u32::try_from(d.attempts + 1).unwrap_or(u32::MAX);
                let delay =
                    i64::try_from(retry_delay(attempts, 0.0).as_millis()).unwrap_or(i64::MAX);
                tracing::warn!(message = %m.id, channel = %d.channel, error = %e, "notification not sent");
                ("pending", None, Some(e), now + delay)
            }
            Err((state, e)) => {
                report.skipped += 1;
                (state, None, Some(e), now)
            }
        };
        outcomes.push(Outcome {
            message_id: m.id.clone(),
            channel: d.channel.clone(),
            attempts: d.attempts,
            state: state.to_owned(),
            address,
            error,
            next_ms,
        });
    }
    store.deliveries_tried(&outcomes).await?;
    Ok(report)
}
