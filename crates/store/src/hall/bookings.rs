//! Bookings of the window areas' slots. A booking takes a place in its
//! slot's count in the transaction that writes it, and only while the
//! count is below the slot's capacity, so a slot is never overbooked
//! however many book it at once; cancelling or moving gives the place back.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::{StoreError, is_unique_violation};

/// Where a booking is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingState {
    /// Holds its place.
    Booked,
    /// Given up by the applicant.
    Cancelled,
    /// The visitor came and took a queue number.
    CheckedIn,
    /// The slot ended without them.
    NoShow,
}

impl BookingState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Booked => "booked",
            BookingState::Cancelled => "cancelled",
            BookingState::CheckedIn => "checked_in",
            BookingState::NoShow => "no_show",
        }
    }

    /// Reads the stored word.
    pub fn parse(s: &str) -> Option<Self> {
        [
            BookingState::Booked,
            BookingState::Cancelled,
            BookingState::CheckedIn,
            BookingState::NoShow,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// One booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Id.
    pub id: String,
    /// The window area.
    pub window: String,
    /// `YYYY-MM-DD`, China.
    pub day: String,
    /// `HH:MM`, the slot's start.
    pub slot: String,
    /// When the slot starts (ms).
    pub starts_ms: i64,
    /// When it ends (ms).
    pub ends_ms: i64,
    /// The applicant's resident ID or USCC.
    pub subject: String,
    /// The account that booked.
    pub user_id: String,
    /// The case it is for, if any.
    pub case_id: Option<String>,
    /// The matter it is for, if any.
    pub matter: Option<String>,
    /// The check-in code in its QR code.
    pub code: String,
    /// Its state.
    pub state: BookingState,
    /// Booked at (ms).
    pub created_ms: i64,
    /// Last changed at (ms).
    pub updated_ms: i64,
}

/// A slot of a day, as a booking takes it: where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotPlace {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub slot: String,
    /// Starts (ms).
    pub starts_ms: i64,
    /// Ends (ms).
    pub ends_ms: i64,
    /// Bookings the slot takes.
    pub capacity: u32,
}

/// One line of a booking's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingChange {
    /// When (ms).
    pub at_ms: i64,
    /// The user, or `system`.
    pub actor: String,
    /// `booked`, `moved`, `cancelled`, `checked_in` or `no_show`.
    pub kind: String,
    /// What changed, e.g. the slot moved from.
    pub detail: String,
}

/// What booking or moving did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booked {
    /// Written.
    Done,
    /// The slot has no place left: nothing written.
    SlotFull,
    /// The applicant already holds that slot: nothing written.
    AlreadyBooked,
    /// The booking is no longer `booked` (cancelled, used or missed meanwhile).
    NotBooked,
}

pub(super) const COLUMNS: &str = "id, window_code, day, slot, starts_ms, ends_ms, subject, user_id, case_id, matter, code, state, created_ms, updated_ms";

pub(super) fn booking(r: &AnyRow) -> Result<Booking, StoreError> {
    let state: String = r.try_get("state")?;
    Ok(Booking {
        id: r.try_get("id")?,
        window: r.try_get("window_code")?,
        day: r.try_get("day")?,
        slot: r.try_get("slot")?,
        starts_ms: r.try_get("starts_ms")?,
        ends_ms: r.try_get("ends_ms")?,
        subject: r.try_get("subject")?,
        user_id: r.try_get("user_id")?,
        case_id: r.try_get("case_id")?,
        matter: r.try_get("matter")?,
        code: r.try_get("code")?,
        state: BookingState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("booking state {state:?}")))?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Takes a place in a slot if one is left; whether it did.
async fn take_place(tx: &mut Tx, window: &str, at: &SlotPlace) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO slot_counts (window_code, day, slot, taken) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (window_code, day, slot) DO UPDATE SET taken = slot_counts.taken + 1 \
         WHERE slot_counts.taken < $4",
    )
    .bind(window)
    .bind(&at.day)
    .bind(&at.slot)
    .bind(i64::from(at.capacity))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1 && at.capacity > 0)
}

async fn give_place(tx: &mut Tx, window: &str, day: &str, slot: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE slot_counts SET taken = taken - 1 WHERE window_code = $1 AND day = $2 AND slot = $3 AND taken > 0",
    )
    .bind(window)
    .bind(day)
    .bind(slot)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn history(tx: &mut Tx, id: &str, change: &BookingChange) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO booking_history (booking_id, seq, at_ms, actor, kind, detail) \
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM booking_history WHERE booking_id = $1",
    )
    .bind(id)
    .bind(change.at_ms)
    .bind(&change.actor)
    .bind(&change.kind)
    .bind(&change.detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Writes a new booking with its first history line, taking a place in
    /// its slot; nothing when the slot is full or the applicant holds it.
    pub async fn book(&self, b: &Booking, capacity: u32) -> Result<Booked, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let place = SlotPlace {
            day: b.day.clone(),
            slot: b.slot.clone(),
            starts_ms: b.starts_ms,
            ends_ms: b.ends_ms,
            capacity,
        };
        if !take_place(&mut tx, &b.window, &place).await? {
            return Ok(Booked::SlotFull);
        }
        let sql = format!(
            "INSERT INTO bookings ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        );
        let inserted = sqlx::query(&sql)
            .bind(&b.id)
            .bind(&b.window)
            .bind(&b.day)
            .bind(&b.slot)
            .bind(b.starts_ms)
            .bind(b.ends_ms)
            .bind(&b.subject)
            .bind(&b.user_id)
            .bind(&b.case_id)
            .bind(&b.matter)
            .bind(&b.code)
            .bind(b.state.as_str())
            .bind(b.created_ms)
            .bind(b.updated_ms)
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Ok(Booked::AlreadyBooked),
            other => other?,
        };
        let change = BookingChange {
            at_ms: b.created_ms,
            actor: b.user_id.clone(),
            kind: "booked".into(),
            detail: format!("{} {} {}", b.window, b.day, b.slot),
        };
        history(&mut tx, &b.id, &change).await?;
        tx.commit().await?;
        Ok(Booked::Done)
    }

    /// Moves a booking to another slot of its window area, giving back its
    /// old place and taking a new one, with a history line.
    pub async fn move_booking(
        &self,
        b: &Booking,
        to: &SlotPlace,
        actor: &str,
        now_ms: i64,
    ) -> Result<Booked, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let moved = sqlx::query(
            "UPDATE bookings SET day = $1, slot = $2, starts_ms = $3, ends_ms = $4, updated_ms = $5 \
             WHERE id = $6 AND state = 'booked' AND day = $7 AND slot = $8",
        )
        .bind(&to.day)
        .bind(&to.slot)
        .bind(to.starts_ms)
        .bind(to.ends_ms)
        .bind(now_ms)
        .bind(&b.id)
        .bind(&b.day)
        .bind(&b.slot)
        .execute(&mut *tx)
        .await;
        match moved {
            Err(e) if is_unique_violation(&e) => return Ok(Booked::AlreadyBooked),
            Ok(done) if done.rows_affected() == 0 => return Ok(Booked::NotBooked),
            other => other?,
        };
        give_place(&mut tx, &b.window, &b.day, &b.slot).await?;
        if !take_place(&mut tx, &b.window, to).await? {
            return Ok(Booked::SlotFull);
        }
        let change = BookingChange {
            at_ms: now_ms,
            actor: actor.to_owned(),
            kind: "moved".into(),
            detail: format!("{} {} → {} {}", b.day, b.slot, to.day, to.slot),
        };
        history(&mut tx, &b.id, &change).await?;
        tx.commit().await?;
        Ok(Booked::Done)
    }

    /// Ends a booking that is still `booked`: cancelled by the applicant,
    /// checked in at the window or missed. A cancelled one gives its place
    /// back. Whether it was still booked.
    pub async fn end_booking(
        &self,
        b: &Booking,
        to: BookingState,
        actor: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let ended = self.end_booking_in(&mut tx, b, to, actor, now_ms).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// [`Store::end_booking`] inside a transaction of the caller's.
    pub(crate) async fn end_booking_in(
        &self,
        tx: &mut Tx,
        b: &Booking,
        to: BookingState,
        actor: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE bookings SET state = $1, updated_ms = $2 WHERE id = $3 AND state = 'booked'",
        )
        .bind(to.as_str())
        .bind(now_ms)
        .bind(&b.id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        if to == BookingState::Cancelled {
            give_place(tx, &b.window, &b.day, &b.slot).await?;
        }
        let change = BookingChange {
            at_ms: now_ms,
            actor: actor.to_owned(),
            kind: to.as_str().to_owned(),
            detail: format!("{} {} {}", b.window, b.day, b.slot),
        };
        history(tx, &b.id, &change).await?;
        Ok(true)
    }
}
