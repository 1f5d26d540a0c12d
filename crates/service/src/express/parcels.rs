//! Parcels of a case: the window sends the result to the address the
//! applicant chose; the applicant books a courier to take an original to
//! the window, which records its receipt (the original seen, no trip) and
//! sends it back. Anyone who may see the case may track its parcels.

use uuid::Uuid;
use yici_core::case::{CaseState, EventKind};
use yici_hall::{Address, ParcelKind, ParcelState};
use yici_store::StoredCase;
use yici_store::exchange::SideEvent;
use yici_store::messages::message_alongside;
use yici_store::parcels::{NewParcel, Parcel, ParcelEvent};

use super::addresses::read_address;
use super::news::parcel_moved;
use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, CaseDesk, WindowDesk, region_prefix, within};

/// A parcel with the states it reached.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// The parcel.
    pub parcel: Parcel,
    /// Where it goes or comes from.
    pub address: Address,
    /// Its states so far, in order.
    pub events: Vec<ParcelEvent>,
}

/// Two-way delivery of a case: where the result goes, and the parcels.
#[derive(Debug, Clone)]
pub struct Tracking {
    /// The address the applicant chose for the result, if any.
    pub choice: Option<Address>,
    /// The case's parcels, oldest first.
    pub parcels: Vec<Tracked>,
}

fn not_found(what: &'static str, id: &str) -> ServiceError {
    ServiceError::NotFound {
        what,
        id: id.to_owned(),
    }
}

fn json(a: &Address) -> Result<String> {
    serde_json::to_string(a).map_err(|e| ServiceError::Internal(e.to_string()))
}

impl Service {
    /// Hands a parcel to the carrier and records it, with the applicant's
    /// message, in one transaction.
    async fn send(
        &self,
        stored: &StoredCase,
        kind: ParcelKind,
        material: Option<&str>,
        to: &Address,
        by: &str,
        back_of: Option<&str>,
    ) -> Result<Parcel> {
        let now = self.clock().now_ms();
        let waybill = self.carrier().take(self.store(), to, now).await?;
        let new = NewParcel {
            id: Uuid::now_v7().to_string(),
            case_id: stored.case.id.to_string(),
            subject: stored.owner.clone(),
            region: stored.case.subject.region().to_string(),
            kind: kind.as_str().into(),
            material: material.map(str::to_owned),
            carrier: self.carrier().name().into(),
            waybill,
            address: json(to)?,
            created_by: by.to_owned(),
            created_ms: now,
            back_of: back_of.map(str::to_owned),
        };
        let message = parcel_moved(&new, ParcelState::Created, now);
        self.store()
            .create_parcel(&new, message_alongside(&[message]))
            .await?;
        self.store()
            .parcel(&new.id)
            .await?
            .ok_or_else(|| ServiceError::Internal(format!("parcel {} vanished", new.id)))
    }

    /// The tracking of a case already read.
    pub(crate) async fn tracking_of(&self, case_id: &str) -> Result<Tracking> {
        let store = self.store();
        let choice = match store.delivery_choice(case_id).await? {
            Some(c) => Some(read_address(&c.address)?),
            None => None,
        };
        let events = store.parcel_events_of_case(case_id).await?;
        let mut parcels = Vec::new();
        for parcel in store.parcels_of_case(case_id).await? {
            parcels.push(Tracked {
                address: read_address(&parcel.parcel.address)?,
                events: events
                    .iter()
                    .filter(|e| e.parcel_id == parcel.parcel.id)
                    .cloned()
                    .collect(),
                parcel,
            });
        }
        Ok(Tracking { choice, parcels })
    }
}

impl CaseDesk<'_> {
    /// Where a case's result goes and its parcels, for whoever may see it.
    pub async fn tracking(&self, case_id: &str) -> Result<Tracking> {
        let parsed = case_id.parse().map_err(|_| not_found("case", case_id))?;
        let stored = self.service().store().case(&parsed).await?;
        self.scope().viewable(stored, case_id)?;
        self.service().tracking_of(case_id).await
    }
}

impl ApplicantDesk<'_> {
    /// Books a courier to take the original of `material` from an address
    /// of the book to the window: no trip.
    pub async fn post_original(
        &self,
        case_id: &str,
        material: &str,
        address: &str,
    ) -> Result<Parcel> {
        let service = self.service();
        let stored = self.own_case_by(case_id).await?;
        if stored.case.state.is_closed() {
            return Err(ServiceError::invalid(
                "case",
                "case_closed",
                "this case is closed: no original is needed any more",
            ));
        }
        let plan = service.plan_for(&stored.case.target)?;
        let postable = plan
            .materials
            .bring
            .iter()
            .any(|m| m.key.as_str() == material && m.original_required && m.by_post);
        if !postable {
            return Err(ServiceError::invalid(
                "material",
                "not_by_post",
                format!("the original of {material} is not taken by post for this case"),
            ));
        }
        let pending = service
            .store()
            .parcels_of_case(case_id)
            .await?
            .into_iter()
            .any(|p| {
                p.parcel.kind == ParcelKind::OriginalIn.as_str()
                    && p.parcel.material.as_deref() == Some(material)
                    && p.state != ParcelState::Failed.as_str()
            });
        if pending {
            return Err(ServiceError::invalid(
                "material",
                "already_posted",
                format!("a courier already brings the original of {material}"),
            ));
        }
        let from = self.book_address(address).await?;
        let by = self.caller().user().id.clone();
        service
            .send(
                &stored,
                ParcelKind::OriginalIn,
                Some(material),
                &from,
                &by,
                None,
            )
            .await
    }
}

impl WindowDesk<'_> {
    async fn city_parcel(&self, id: &str) -> Result<Parcel> {
        let city = self.city().to_owned();
        self.service()
            .store()
            .parcel(id)
            .await?
            .filter(|p| within(&p.parcel.region, &city))
            .ok_or_else(|| not_found("parcel", id))
    }

    /// Sends an issued result to the address the applicant chose. Once a
    /// parcel of it failed, it may be sent again.
    pub async fn ship_result(&self, case_id: &str) -> Result<Parcel> {
        let service = self.service();
        let stored = self.city_case(case_id).await?;
        if stored.case.state != CaseState::ResultIssued {
            return Err(ServiceError::invalid(
                "case",
                "not_issued",
                format!(
                    "a result is sent once issued; this case is {:?}",
                    stored.case.state
                ),
            ));
        }
        let choice = service.store().delivery_choice(case_id).await?;
        let Some(choice) = choice else {
            return Err(ServiceError::invalid(
                "address",
                "no_address",
                "the applicant has not chosen an address for the result",
            ));
        };
        let on_its_way = service
            .store()
            .parcels_of_case(case_id)
            .await?
            .into_iter()
            .any(|p| {
                p.parcel.kind == ParcelKind::Result.as_str()
                    && p.state != ParcelState::Failed.as_str()
            });
        if on_its_way {
            return Err(ServiceError::invalid(
                "case",
                "already_sent",
                "the result is already on its way",
            ));
        }
        let to = read_address(&choice.address)?;
        let by = self.caller().user().id.clone();
        service
            .send(&stored, ParcelKind::Result, None, &to, &by, None)
            .await
    }

    /// Records that a posted original reached the window and was seen:
    /// its files' originals are seen, and no trip is counted.
    pub async fn receive_original(&self, parcel_id: &str) -> Result<Parcel> {
        let service = self.service();
        let p = self.city_parcel(parcel_id).await?;
        let material = match (&p.parcel.material, p.parcel.kind.as_str()) {
            (Some(m), "original_in") => m.clone(),
            _ => {
                return Err(ServiceError::invalid(
                    "parcel",
                    "not_an_original",
                    "only a posted original is received at the window",
                ));
            }
        };
        if p.state != ParcelState::Delivered.as_str() {
            return Err(ServiceError::invalid(
                "parcel",
                "not_arrived",
                format!("the parcel is {}, not yet at the window", p.state),
            ));
        }
        let by = self.caller().user().id.clone();
        let event = SideEvent {
            kind: EventKind::OriginalSeen,
            actor: by.clone(),
            role: self.caller().role(),
            on: service.clock().today(),
            data: serde_json::json!({
                "material": material, "window": self.window(),
                "by_post": p.parcel.waybill,
            }),
        };
        let now = service.clock().now_ms();
        if !service
            .store()
            .receive_original(parcel_id, &material, &by, now, event)
            .await?
        {
            return Err(ServiceError::invalid(
                "parcel",
                "already_received",
                "this original was received before",
            ));
        }
        self.city_parcel(parcel_id).await
    }

    /// Sends a received original back to where it came from.
    pub async fn return_original(&self, parcel_id: &str) -> Result<Parcel> {
        let p = self.city_parcel(parcel_id).await?;
        if p.parcel.kind != ParcelKind::OriginalIn.as_str() || p.received_ms.is_none() {
            return Err(ServiceError::invalid(
                "parcel",
                "not_received",
                "only an original received at the window is sent back",
            ));
        }
        if p.back_parcel.is_some() {
            return Err(ServiceError::invalid(
                "parcel",
                "already_returned",
                "this original was sent back already",
            ));
        }
        let stored = self.city_case(&p.parcel.case_id).await?;
        let to = read_address(&p.parcel.address)?;
        let by = self.caller().user().id.clone();
        self.service()
            .send(
                &stored,
                ParcelKind::OriginalBack,
                p.parcel.material.as_deref(),
                &to,
                &by,
                Some(parcel_id),
            )
            .await
    }

    /// The parcels of the city's cases, most recently moved first, and how
    /// many in all.
    pub async fn window_parcels(&self, limit: u32, offset: u64) -> Result<(Vec<Parcel>, u64)> {
        let prefix = region_prefix(self.city()).to_owned();
        Ok(self
            .service()
            .store()
            .parcels_in_region(&prefix, limit.clamp(1, 100), offset)
            .await?)
    }
}
