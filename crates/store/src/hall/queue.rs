//! The queue at the window: numbers issued per window area and day, called
//! in order of priority (booked visitors first) and arrival. On PostgreSQL
//! `FOR UPDATE SKIP LOCKED` keeps two clerks calling at once from calling
//! the same number; SQLite has one writer.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreError;
use crate::hall::bookings::{Booking, BookingState};
use crate::sql::backend::Backend;

/// Where a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    /// Waiting to be called.
    Waiting,
    /// Called to a counter, being served.
    Called,
    /// Served.
    Done,
    /// Called and not there.
    Skipped,
}

impl TicketState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Done => "done",
            TicketState::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            TicketState::Waiting,
            TicketState::Called,
            TicketState::Done,
            TicketState::Skipped,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// A queue number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTicket {
    /// Id.
    pub id: String,
    /// The window area.
    pub window: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The number, from 1 each day (set when issued).
    pub number: i64,
    /// `booked` or `walk_in`.
    pub arrival: String,
    /// Lower is called first.
    pub priority: i64,
    /// The booking checked in with, if any.
    pub booking_id: Option<String>,
    /// Issued at (ms).
    pub issued_ms: i64,
    /// The clerk who issued it.
    pub issued_by: String,
    /// Its state.
    pub state: TicketState,
    /// Called at (ms).
    pub called_ms: Option<i64>,
    /// By which clerk.
    pub called_by: Option<String>,
    /// To which counter.
    pub counter: Option<String>,
    /// Served or skipped at (ms).
    pub finished_ms: Option<i64>,
}

/// What calling the next number did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Called {
    /// The number called, if anyone was waiting.
    pub ticket: Option<QueueTicket>,
    /// The counter's number before it, now done.
    pub finished: Option<String>,
}

const COLUMNS: &str = "id, window_code, day, number, arrival, priority, booking_id, issued_ms, issued_by, state, called_ms, called_by, counter, finished_ms";

fn ticket(r: &AnyRow) -> Result<QueueTicket, StoreError> {
    let state: String = r.try_get("state")?;
    Ok(QueueTicket {
        id: r.try_get("id")?,
        window: r.try_get("window_code")?,
        day: r.try_get("day")?,
        number: r.try_get("number")?,
        arrival: r.try_get("arrival")?,
        priority: r.try_get("priority")?,
        booking_id: r.try_get("booking_id")?,
        issued_ms: r.try_get("issued_ms")?,
        issued_by: r.try_get("issued_by")?,
        state: TicketState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("ticket state {state:?}")))?,
        called_ms: r.try_get("called_ms")?,
        called_by: r.try_get("called_by")?,
        counter: r.try_get("counter")?,
        finished_ms: r.try_get("finished_ms")?,
    })
}

impl Store {
    /// Issues the next number of the ticket's window area and day. With a
    /// booking, the booking is checked in in the same transaction; `None`
    /// when it is no longer booked (checked in already, cancelled, missed).
    pub async fn issue_ticket(
        &self,
        t: &QueueTicket,
        booking: Option<&Booking>,
    ) -> Result<Option<QueueTicket>, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        if let Some(b) = booking {
            let ended = self
                .end_booking_in(
                    &mut tx,
                    b,
                    BookingState::CheckedIn,
                    &t.issued_by,
                    t.issued_ms,
                )
                .await?;
            if !ended {
                return Ok(None);
            }
        }
        let number: i64 = sqlx::query(
            "INSERT INTO queue_counters (window_code, day, last) VALUES ($1, $2, 1) \
             ON CONFLICT (window_code, day) DO UPDATE SET last = queue_counters.last + 1 RETURNING last",
        )
        .bind(&t.window)
        .bind(&t.day)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let issued = QueueTicket {
            number,
            ..t.clone()
        };
        let sql = format!(
            "INSERT INTO queue_tickets ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, NULL, NULL)"
        );
        sqlx::query(&sql)
            .bind(&issued.id)
            .bind(&issued.window)
            .bind(&issued.day)
            .bind(issued.number)
            .bind(&issued.arrival)
            .bind(issued.priority)
            .bind(&issued.booking_id)
            .bind(issued.issued_ms)
            .bind(&issued.issued_by)
            .bind(TicketState::Waiting.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(issued))
    }

    /// Calls the next waiting number of a window area's day to `counter`;
    /// the number the counter was serving is done.
    pub async fn call_next(
        &self,
        window: &str,
        day: &str,
        counter: &str,
        clerk: &str,
        now_ms: i64,
    ) -> Result<Called, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let finished: Option<String> = sqlx::query(
            "UPDATE queue_tickets SET state = 'done', finished_ms = $1 \
             WHERE window_code = $2 AND day = $3 AND counter = $4 AND state = 'called' RETURNING id",
        )
        .bind(now_ms)
        .bind(window)
        .bind(day)
        .bind(counter)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        let lock = match self.pools.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE queue_tickets SET state = 'called', called_ms = $1, called_by = $2, counter = $3 \
             WHERE id = (SELECT id FROM queue_tickets WHERE window_code = $4 AND day = $5 AND state = 'waiting' \
             ORDER BY priority, number LIMIT 1 {lock}) RETURNING {COLUMNS}"
        );
        let called = sqlx::query(&sql)
            .bind(now_ms)
            .bind(clerk)
            .bind(counter)
            .bind(window)
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(ticket)
            .transpose()?;
        tx.commit().await?;
        Ok(Called {
            ticket: called,
            finished,
        })
    }

    /// Marks a called number served or skipped; whether it was called.
    pub async fn finish_ticket(
        &self,
        id: &str,
        to: TicketState,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE queue_tickets SET state = $1, finished_ms = $2 WHERE id = $3 AND state = 'called'",
        )
        .bind(to.as_str())
        .bind(now_ms)
        .bind(id)
        .execute(&self.pools.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A number by id.
    pub async fn ticket(&self, id: &str) -> Result<Option<QueueTicket>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM queue_tickets WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(ticket).transpose()
    }

    /// The numbers of a window area's day, in the order they are called.
    pub async fn queue_of_day(
        &self,
        window: &str,
        day: &str,
    ) -> Result<Vec<QueueTicket>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM queue_tickets WHERE window_code = $1 AND day = $2 ORDER BY priority, number"
        );
        let rows = sqlx::query(&sql)
            .bind(window)
            .bind(day)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(ticket).collect()
    }
}
