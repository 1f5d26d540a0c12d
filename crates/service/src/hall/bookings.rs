//! Booking a slot (预约): an applicant books a working-day slot of a window
//! area for a case of theirs or a matter, moves or cancels it until the
//! cut-off, and shows its check-in code at the window. Repeated no-shows
//! suspend booking for a while. The slot's capacity is kept by the store:
//! of two applicants taking its last place at once, exactly one wins.

use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;
use yici_core::catalog::appointments::{clock_text, parse_clock};
use yici_core::catalog::{MatterCode, WindowArea, WindowCode};
use yici_hall::Slot;
use yici_hall::booking::{bookable, may_change, open_slots, suspended_until};
use yici_store::hall::{Booked, Booking, BookingChange, BookingState, SlotPlace};

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::ApplicantDesk;

/// What an applicant asks to book.
#[derive(Debug, Clone, Default)]
pub struct BookingRequest {
    /// The window area's code.
    pub window: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`, a slot's start.
    pub slot: String,
    /// A case of the applicant's that the visit is for.
    pub case_id: Option<String>,
    /// Or the matter it is for.
    pub matter: Option<String>,
}

/// A slot as offered: when, and how many places are left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotView {
    /// The day.
    pub day: Date,
    /// `HH:MM`.
    pub start: String,
    /// Starts at (ms).
    pub starts_ms: i64,
    /// Places in all.
    pub capacity: u32,
    /// Places left.
    pub left: u32,
}

fn ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn not_found(what: &'static str, id: &str) -> ServiceError {
    ServiceError::NotFound {
        what,
        id: id.to_owned(),
    }
}

/// Reads `YYYY-MM-DD`.
pub fn parse_day(field: &str, text: &str) -> Result<Date> {
    if text.trim().is_empty() {
        return Err(ServiceError::invalid(field, "required", "choose a day"));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| {
        ServiceError::invalid(
            field,
            "date_format",
            format!("{text:?} is not a date like 2026-10-09"),
        )
    })
}

fn parse_slot(text: &str) -> Result<u16> {
    if text.trim().is_empty() {
        return Err(ServiceError::invalid("slot", "required", "choose a time"));
    }
    parse_clock(text).ok_or_else(|| {
        ServiceError::invalid(
            "slot",
            "time_format",
            format!("{text:?} is not a time like 09:30"),
        )
    })
}

fn place(slot: &Slot) -> SlotPlace {
    SlotPlace {
        day: slot.day.to_string(),
        slot: slot.start_text(),
        starts_ms: ms(slot.starts_at),
        ends_ms: ms(slot.ends_at),
        capacity: slot.capacity,
    }
}

impl Service {
    /// The window areas that take bookings.
    pub fn bookable_windows(&self) -> impl Iterator<Item = &WindowArea> {
        self.catalog()
            .windows
            .values()
            .filter(|w| w.appointments.is_some())
    }

    /// A window area by code, or not found.
    pub fn window_area(&self, code: &str) -> Result<&WindowArea> {
        WindowCode::parse(code)
            .ok()
            .and_then(|c| self.catalog().windows.get(&c))
            .ok_or_else(|| not_found("window", code))
    }

    /// The slots of `day` at a window area that can still be booked, with
    /// the places left in each (none on a closed day).
    pub async fn open_slots(&self, window: &str, day: Date) -> Result<Vec<SlotView>> {
        let area = self.window_area(window)?;
        let Some(a) = &area.appointments else {
            return Ok(Vec::new());
        };
        let now = self.clock().now();
        let slots = open_slots(a, &self.catalog().booking, self.calendar(), now, day);
        let taken = self.store().slots_taken(window, &day.to_string()).await?;
        Ok(slots
            .iter()
            .map(|s| {
                let start = s.start_text();
                let used = taken
                    .iter()
                    .find(|(t, _)| *t == start)
                    .map_or(0, |(_, n)| *n);
                SlotView {
                    day: s.day,
                    starts_ms: ms(s.starts_at),
                    capacity: s.capacity,
                    left: s.capacity.saturating_sub(used),
                    start,
                }
            })
            .collect())
    }

    /// The days from today on which slots can be booked.
    pub fn booking_days(&self) -> Vec<Date> {
        let today = self.clock().today();
        (0..i64::from(self.catalog().booking.horizon_days))
            .map(|n| today + Duration::days(n))
            .filter(|d| self.calendar().is_working_day(*d).unwrap_or(false))
            .collect()
    }

    fn slot_of(&self, window: &str, day: &str, slot: &str) -> Result<Slot> {
        let area = self.window_area(window)?;
        let day = parse_day("day", day)?;
        let start = parse_slot(slot)?;
        Ok(bookable(
            area.appointments.as_ref(),
            &self.catalog().booking,
            self.calendar(),
            self.clock().now(),
            day,
            start,
        )?)
    }
}

fn booked(outcome: Booked, slot: &Slot) -> Result<()> {
    let when = format!("{} {}", slot.day, slot.start_text());
    match outcome {
        Booked::Done => Ok(()),
        Booked::SlotFull => Err(ServiceError::invalid(
            "slot",
            "slot_full",
            format!("the slot {when} has no place left; pick another"),
        )),
        Booked::AlreadyBooked => Err(ServiceError::invalid(
            "slot",
            "already_booked",
            format!("you have already booked the slot {when}"),
        )),
        Booked::NotBooked => Err(ServiceError::StateConflict(
            "the booking is no longer active: it was cancelled, used or missed".into(),
        )),
    }
}

impl ApplicantDesk<'_> {
    /// Books a slot for a case of the applicant's or a matter.
    pub async fn book(&self, req: &BookingRequest) -> Result<Booking> {
        let service = self.service();
        let slot = service.slot_of(&req.window, &req.day, &req.slot)?;
        let (case_id, matter) = self.booked_for(req).await?;
        self.not_suspended().await?;
        let now = service.clock().now_ms();
        let b = Booking {
            id: Uuid::now_v7().to_string(),
            window: req.window.trim().to_owned(),
            day: slot.day.to_string(),
            slot: slot.start_text(),
            starts_ms: ms(slot.starts_at),
            ends_ms: ms(slot.ends_at),
            subject: self.subject().to_owned(),
            user_id: self.caller().user().id.clone(),
            case_id,
            matter,
            code: check_in_code()?,
            state: BookingState::Booked,
            created_ms: now,
            updated_ms: now,
        };
        booked(service.store().book(&b, slot.capacity).await?, &slot)?;
        Ok(b)
    }

    /// What the visit is for: a case of the applicant's or a matter of the
    /// catalog (one of them is needed).
    async fn booked_for(&self, req: &BookingRequest) -> Result<(Option<String>, Option<String>)> {
        let pick = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let (case_id, matter) = (pick(&req.case_id), pick(&req.matter));
        if let Some(id) = &case_id {
            let parsed = id.parse().map_err(|_| not_found("case", id))?;
            let owned = self.service().store().case(&parsed).await?;
            if owned.is_none_or(|s| s.owner != self.subject()) {
                return Err(not_found("case", id));
            }
        }
        if let Some(code) = &matter {
            let known = MatterCode::parse(code)
                .ok()
                .is_some_and(|c| self.service().catalog().matters.contains_key(&c));
            if !known {
                return Err(ServiceError::invalid(
                    "matter",
                    "unknown_matter",
                    format!("{code:?} is not a matter of the catalog"),
                ));
            }
        }
        if case_id.is_none() && matter.is_none() {
            return Err(ServiceError::invalid(
                "matter",
                "case_or_matter_required",
                "say what the visit is for: one of your cases or a matter",
            ));
        }
        Ok((case_id, matter))
    }

    async fn not_suspended(&self) -> Result<()> {
        let service = self.service();
        let policy = service.catalog().booking;
        let now = service.clock().now();
        let since = ms(now - Duration::days(i64::from(policy.no_show_days)));
        let missed: Vec<OffsetDateTime> = service
            .store()
            .missed_slots(self.subject(), since)
            .await?
            .into_iter()
            .filter_map(|m| super::instant(m).ok())
            .collect();
        if let Some(until) = suspended_until(&policy, &missed, now) {
            let until = until.to_offset(yici_hall::booking::CST);
            return Err(yici_hall::BookingError::Suspended(format!(
                "{} {}",
                until.date(),
                clock_text(u16::from(until.hour()) * 60 + u16::from(until.minute()))
            ))
            .into());
        }
        Ok(())
    }

    /// One of the applicant's bookings, with its history.
    pub async fn my_booking(&self, id: &str) -> Result<(Booking, Vec<BookingChange>)> {
        let store = self.service().store();
        let b = store
            .booking(id)
            .await?
            .filter(|b| b.subject == self.subject())
            .ok_or_else(|| not_found("booking", id))?;
        let history = store.booking_history(id).await?;
        Ok((b, history))
    }

    /// The applicant's bookings, latest slot first, and how many in all.
    pub async fn my_bookings(&self, limit: u32, offset: u64) -> Result<(Vec<Booking>, u64)> {
        Ok(self
            .service()
            .store()
            .bookings_of(self.subject(), limit, offset)
            .await?)
    }

    /// Moves a booking to another slot of its window area, until the cut-off.
    pub async fn move_booking(&self, id: &str, day: &str, slot: &str) -> Result<Booking> {
        let service = self.service();
        let (b, _) = self.my_booking(id).await?;
        self.changeable(&b)?;
        let to = service.slot_of(&b.window, day, slot)?;
        let now = service.clock().now_ms();
        let actor = &self.caller().user().id;
        booked(
            service
                .store()
                .move_booking(&b, &place(&to), actor, now)
                .await?,
            &to,
        )?;
        Ok(self.my_booking(id).await?.0)
    }

    /// Cancels a booking until the cut-off; its place is free again.
    pub async fn cancel_booking(&self, id: &str) -> Result<Booking> {
        let service = self.service();
        let (b, _) = self.my_booking(id).await?;
        self.changeable(&b)?;
        let now = service.clock().now_ms();
        let actor = &self.caller().user().id;
        if !service
            .store()
            .end_booking(&b, BookingState::Cancelled, actor, now)
            .await?
        {
            return Err(ServiceError::StateConflict(
                "the booking is no longer active".into(),
            ));
        }
        Ok(self.my_booking(id).await?.0)
    }

    fn changeable(&self, b: &Booking) -> Result<()> {
        if b.state != BookingState::Booked {
            return Err(ServiceError::StateConflict(format!(
                "the booking is {}; only an active booking can be changed",
                b.state.as_str()
            )));
        }
        let starts = super::instant(b.starts_ms)?;
        Ok(may_change(
            &self.service().catalog().booking,
            starts,
            self.service().clock().now(),
        )?)
    }
}

/// A check-in code: 10 characters of Crockford's base32 (no I, L, O, U),
/// 50 random bits, easy to read out and to type.
fn check_in_code() -> Result<String> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(ServiceError::internal)?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect())
}
