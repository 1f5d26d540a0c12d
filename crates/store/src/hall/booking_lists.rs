//! Reading the bookings: one by id or check-in code, an applicant's, a
//! window area's day, a booking's history, the places taken in each slot,
//! the slots an applicant missed, and those the no-show sweep marks. The
//! writes are in `bookings.rs`.

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;
use crate::hall::bookings::{Booking, BookingChange, COLUMNS, booking};

impl Store {
    /// A booking by id.
    pub async fn booking(&self, id: &str) -> Result<Option<Booking>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM bookings WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(booking).transpose()
    }

    /// A booking by its check-in code.
    pub async fn booking_by_code(&self, code: &str) -> Result<Option<Booking>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM bookings WHERE code = $1");
        let row = sqlx::query(&sql)
            .bind(code)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(booking).transpose()
    }

    /// An applicant's bookings, latest slot first, and how many in all.
    pub async fn bookings_of(
        &self,
        subject: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Booking>, u64), StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bookings WHERE subject = $1 ORDER BY starts_ms DESC, id LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(&sql)
            .bind(subject)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.read)
            .await?;
        let total: i64 = sqlx::query("SELECT COUNT(*) FROM bookings WHERE subject = $1")
            .bind(subject)
            .fetch_one(&self.pools.read)
            .await?
            .try_get(0)?;
        let list = rows.iter().map(booking).collect::<Result<_, _>>()?;
        Ok((list, u64::try_from(total).unwrap_or(0)))
    }

    /// A window area's bookings of a day, in slot order.
    pub async fn bookings_of_day(
        &self,
        window: &str,
        day: &str,
    ) -> Result<Vec<Booking>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bookings WHERE window_code = $1 AND day = $2 ORDER BY slot, created_ms, id"
        );
        let rows = sqlx::query(&sql)
            .bind(window)
            .bind(day)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(booking).collect()
    }

    /// A booking's history, oldest first.
    pub async fn booking_history(&self, id: &str) -> Result<Vec<BookingChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT at_ms, actor, kind, detail FROM booking_history WHERE booking_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BookingChange {
                    at_ms: r.try_get("at_ms")?,
                    actor: r.try_get("actor")?,
                    kind: r.try_get("kind")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Places taken in each slot of a window area's day: `(slot, taken)`.
    pub async fn slots_taken(
        &self,
        window: &str,
        day: &str,
    ) -> Result<Vec<(String, u32)>, StoreError> {
        let rows = sqlx::query(
            "SELECT slot, taken FROM slot_counts WHERE window_code = $1 AND day = $2 ORDER BY slot",
        )
        .bind(window)
        .bind(day)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                let taken: i64 = r.try_get("taken")?;
                Ok((r.try_get("slot")?, u32::try_from(taken).unwrap_or(0)))
            })
            .collect()
    }

    /// When the slots an applicant missed since `since_ms` ended.
    pub async fn missed_slots(&self, subject: &str, since_ms: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT ends_ms FROM bookings WHERE subject = $1 AND state = 'no_show' AND ends_ms > $2",
        )
        .bind(subject)
        .bind(since_ms)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Bookings still `booked` whose slot ended by `now_ms`, for the
    /// no-show sweep, up to `limit`.
    pub async fn bookings_missed(
        &self,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<Booking>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bookings WHERE state = 'booked' AND ends_ms <= $1 ORDER BY ends_ms, id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(now_ms)
            .bind(i64::from(limit))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(booking).collect()
    }
}

impl Store {
    /// Bookings still held for `day` whose reminder was not written yet.
    pub async fn bookings_to_remind(
        &self,
        day: &str,
        batch: u32,
    ) -> Result<Vec<Booking>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bookings b WHERE b.day = $1 AND b.state = 'booked' \
             AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = 'booking:' || b.id || ':reminder') \
             ORDER BY b.starts_ms, b.id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(day)
            .bind(i64::from(batch))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(booking).collect()
    }
}
