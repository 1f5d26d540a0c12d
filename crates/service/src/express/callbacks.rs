//! What the carrier reports, by signed callback (`POST
//! /api/v1/parcels/notify`). A callback is checked (signature, freshness,
//! nonce) before it is read; a parcel moves only forward; the nonce is
//! stored with the move, so a replay changes nothing; a result delivered
//! delivers its case in the same transaction. Every callback, applied or
//! refused, is logged.

use uuid::Uuid;
use yici_callback::{CallbackError, Signed};
use yici_core::case::{Action, CaseState, TrackingNumber, apply, settle, system_actor};
use yici_core::catalog::DeliveryMode;
use yici_hall::parcel::{Move, step};
use yici_hall::{ParcelKind, ParcelState};
use yici_store::messages::message_alongside;
use yici_store::parcels::{CarrierLine, Parcel, ParcelMove};
use yici_store::parcels::{callback_alongside, move_alongside, nonce_alongside};
use yici_store::{Alongside, StoreError};

use super::news::parcel_moved;
use super::notice::{CarrierNotice, NONCE_HEADER, SCHEME};
use crate::context::Service;
use crate::error::{Result, ServiceError};

/// What hearing a callback did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelHeard {
    /// The waybill.
    pub waybill: String,
    /// The parcel's state now.
    pub state: ParcelState,
    /// Whether this callback moved it.
    pub changed: bool,
    /// Whether it delivered the case's result.
    pub delivered_case: bool,
}

fn replayed() -> ServiceError {
    ServiceError::invalid(
        NONCE_HEADER,
        "replayed_nonce",
        "this callback was received before: a replay changes nothing",
    )
}

impl Service {
    fn callback_line(
        &self,
        waybill: Option<&str>,
        outcome: &str,
        rule: Option<&str>,
        detail: &str,
    ) -> CarrierLine {
        CarrierLine {
            id: Uuid::now_v7().to_string(),
            waybill: waybill.map(str::to_owned),
            outcome: outcome.into(),
            rule: rule.map(str::to_owned),
            detail: detail.chars().take(500).collect(),
            received_ms: self.clock().now_ms(),
        }
    }

    async fn log_callback(
        &self,
        waybill: Option<&str>,
        outcome: &str,
        rule: Option<&str>,
        detail: String,
    ) -> Result<()> {
        let line = self.callback_line(waybill, outcome, rule, &detail);
        self.store().log_carrier_callback(&line).await?;
        Ok(())
    }

    async fn refuse(&self, e: &CallbackError, body: &[u8]) -> ServiceError {
        tracing::warn!(rule = e.rule(), "carrier callback refused: {e}");
        let detail = format!("{e}; body {}", String::from_utf8_lossy(body));
        if let Err(log) = self
            .log_callback(None, "refused", Some(e.rule()), detail)
            .await
        {
            return log;
        }
        ServiceError::invalid(e.field(&SCHEME), e.rule(), e.to_string())
    }

    /// Receives the carrier's callback: checks its signature, freshness
    /// and nonce, then moves the parcel. A refused callback is logged and
    /// changes nothing.
    pub async fn receive_carrier_notice(
        &self,
        headers: &Signed<'_>,
        body: &[u8],
    ) -> Result<ParcelHeard> {
        let now = self.clock().now_ms();
        let key = self.carrier().verifying_key();
        let nonce = match yici_callback::verify(&key, &SCHEME, headers, body, now / 1000) {
            Ok(n) => n,
            Err(e) => return Err(self.refuse(&e, body).await),
        };
        let notice: CarrierNotice = match serde_json::from_slice(body) {
            Ok(n) => n,
            Err(e) => {
                return Err(self
                    .refuse(&CallbackError::MalformedBody(e.to_string()), body)
                    .await);
            }
        };
        if self.store().carrier_nonce_seen(&nonce).await? {
            let detail = String::from_utf8_lossy(body).into_owned();
            self.log_callback(
                Some(&notice.waybill),
                "refused",
                Some("replayed_nonce"),
                detail,
            )
            .await?;
            tracing::warn!(waybill = %notice.waybill, "carrier callback replayed");
            return Err(replayed());
        }
        self.hear_parcel(&notice, &nonce).await
    }

    async fn hear_parcel(&self, notice: &CarrierNotice, nonce: &str) -> Result<ParcelHeard> {
        let detail = serde_json::to_string(notice).unwrap_or_default();
        // A move raced by another callback is read again; each race means
        // the parcel moved forward, so three reads are plenty.
        for _ in 0..3 {
            let Some(parcel) = self.store().parcel_by_waybill(&notice.waybill).await? else {
                self.log_callback(
                    Some(&notice.waybill),
                    "refused",
                    Some("unknown_waybill"),
                    detail,
                )
                .await?;
                return Err(ServiceError::NotFound {
                    what: "waybill",
                    id: notice.waybill.clone(),
                });
            };
            let current = ParcelState::parse(&parcel.state).ok_or_else(|| {
                ServiceError::Internal(format!("parcel state {:?}", parcel.state))
            })?;
            let to = match step(current, notice.state) {
                Move::To(to) => to,
                Move::Already => {
                    // Remembered all the same: the same callback again is a replay.
                    let mut rows = nonce_alongside(nonce, self.clock().now_ms());
                    let line = self.callback_line(Some(&notice.waybill), "already", None, &detail);
                    rows.extend(callback_alongside(&line));
                    match self.store().write_rows(rows).await {
                        Ok(()) => {}
                        Err(e) if e.is_unique_violation() => return Err(replayed()),
                        Err(e) => return Err(e.into()),
                    }
                    return Ok(ParcelHeard {
                        waybill: notice.waybill.clone(),
                        state: current,
                        changed: false,
                        delivered_case: false,
                    });
                }
            };
            let line = self.callback_line(Some(&notice.waybill), "applied", None, &detail);
            match self
                .move_parcel(&parcel, current, to, notice, nonce, &line)
                .await?
            {
                Ok(delivered_case) => {
                    return Ok(ParcelHeard {
                        waybill: notice.waybill.clone(),
                        state: to,
                        changed: true,
                        delivered_case,
                    });
                }
                // Another callback moved the parcel (or the case) first, or
                // this very one was heard meanwhile.
                Err(e)
                    if e.is_unique_violation()
                        || matches!(
                            e,
                            StoreError::RowsChanged { .. } | StoreError::VersionConflict { .. }
                        ) =>
                {
                    if self.store().carrier_nonce_seen(nonce).await? {
                        return Err(replayed());
                    }
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(ServiceError::StateConflict(format!(
            "parcel {} kept changing while the callback was applied; send it again",
            notice.waybill
        )))
    }

    /// Writes a move with its message; a result delivered also delivers
    /// its case, in the same transaction. Whether the case was delivered;
    /// the store's refusal apart, for the caller to tell a race.
    async fn move_parcel(
        &self,
        parcel: &Parcel,
        from: ParcelState,
        to: ParcelState,
        notice: &CarrierNotice,
        nonce: &str,
        log: &CarrierLine,
    ) -> Result<std::result::Result<bool, StoreError>> {
        let now = self.clock().now_ms();
        let m = ParcelMove {
            parcel_id: parcel.parcel.id.clone(),
            from: from.as_str().into(),
            to: to.as_str().into(),
            at_ms: notice.at_ms,
            nonce: Some(nonce.to_owned()),
        };
        let mut rows: Alongside = move_alongside(&m);
        rows.extend(message_alongside(&[parcel_moved(&parcel.parcel, to, now)]));
        // The callback's log line is kept with the move it made.
        rows.extend(callback_alongside(log));
        let is_result = parcel.parcel.kind == ParcelKind::Result.as_str();
        if !(is_result && to == ParcelState::Delivered) {
            return Ok(self.store().write_rows(rows).await.map(|()| false));
        }
        let id =
            parcel.parcel.case_id.parse().map_err(|_| {
                ServiceError::Internal(format!("case id {}", parcel.parcel.case_id))
            })?;
        let stored = self.store().case(&id).await?;
        let Some(stored) = stored.filter(|s| s.case.state == CaseState::ResultIssued) else {
            // Delivered at the window meanwhile, say: the parcel moves alone.
            return Ok(self.store().write_rows(rows).await.map(|()| false));
        };
        let tracking = TrackingNumber::parse(&parcel.parcel.waybill)
            .map_err(|e| ServiceError::Internal(format!("waybill: {e}")))?;
        let today = self.clock().today();
        let current = stored.case;
        let action = Action::Deliver {
            mode: DeliveryMode::Express,
            tracking: Some(tracking),
            window: None,
        };
        let t = apply(&current, action, &system_actor(), today, self.calendar())?;
        let mut events = t.events;
        let settled = settle(self.catalog(), t.case, today, self.calendar())?;
        events.extend(settled.events);
        let case = settled.case;
        rows.extend(self.news_alongside(&current, &case).await?);
        Ok(self
            .store()
            .update_case_from(&current, &case, &events, &[], Vec::new(), rows, now)
            .await
            .map(|_| true))
    }
}

impl crate::gate::SupervisionDesk<'_> {
    /// The carrier's callbacks, refused ones included, newest first, and
    /// how many in all.
    pub async fn carrier_callbacks(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<CarrierLine>, u64)> {
        Ok(self
            .service()
            .store()
            .carrier_log(limit.clamp(1, 100), offset)
            .await?)
    }
}
