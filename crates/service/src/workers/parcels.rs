//! The sandbox carrier's courier: takes each sandbox parcel whose step is
//! due one step further and reports it to yici's notify URL with a signed
//! callback, as a courier company's system would. The step is booked only
//! once yici answered 2xx, so a report is never lost; unanswered, it is
//! sent again after a growing delay, signed afresh.

use yici_hall::ParcelState;

use super::delivery::{Courier, retry_delay};
use super::error::WorkerError;
use crate::context::Service;
use crate::express::sandbox::SandboxCarrier;
use crate::express::{Carrier, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// The path the carrier notifies.
pub const CARRIER_NOTIFY_PATH: &str = "/api/v1/parcels/notify";

/// Takes the sandbox's due parcels one step; how many steps were answered.
pub async fn sandbox_carrier_pass(
    service: &Service,
    courier: &Courier,
    batch: u32,
) -> Result<u64, WorkerError> {
    let Carrier::Sandbox(sandbox) = service.carrier();
    let store = service.store();
    let url = format!("{}{CARRIER_NOTIFY_PATH}", service.public_url());
    let mut stepped = 0;
    for p in store
        .sandbox_parcels_due(service.clock().now_ms(), batch)
        .await?
    {
        let Some(next) = ParcelState::parse(&p.state).and_then(|s| s.next(p.deliverable)) else {
            continue;
        };
        let now = service.clock().now_ms();
        let body = SandboxCarrier::body(&p.waybill, next, now);
        let (ts, nonce, signature) = sandbox.sign(&body, now / 1000);
        let headers = [
            (TIMESTAMP_HEADER, ts.to_string()),
            (NONCE_HEADER, nonce),
            (SIGNATURE_HEADER, signature),
        ];
        match courier.post_json(&url, &headers, &body).await {
            Ok(()) => {
                let next_ms = now + sandbox.step_ms();
                if store
                    .sandbox_parcel_stepped(&p.waybill, &p.state, next.as_str(), next_ms)
                    .await?
                {
                    stepped += 1;
                }
            }
            Err(e) => {
                tracing::warn!(waybill = %p.waybill, error = %e, "sandbox carrier callback not answered");
                let attempts = u32::try_from(p.attempts + 1).unwrap_or(u32::MAX);
                let delay =
                    i64::try_from(retry_delay(attempts, 0.0).as_millis()).unwrap_or(i64::MAX);
                store
                    .sandbox_parcel_unanswered(&p.waybill, now.saturating_add(delay))
                    .await?;
            }
        }
    }
    Ok(stepped)
}
