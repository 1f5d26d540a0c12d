//! The time the application lives in: the system clock, or a fixed one that
//! tests move by hand. Dates are those of China (UTC+8), where every
//! deadline is counted.

use std::sync::{Arc, Mutex};

use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time.
const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// A source of "now".
#[derive(Clone, Debug)]
pub enum Clock {
    /// The system's clock.
    System,
    /// A fixed instant that only moves when told to.
    Fixed(Arc<Mutex<OffsetDateTime>>),
}

impl Clock {
    /// A fixed clock at `at`.
    pub fn fixed(at: OffsetDateTime) -> Self {
        Clock::Fixed(Arc::new(Mutex::new(at)))
    }

    /// Now.
    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        i64::try_from(self.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    }

    /// Today's date in China.
    pub fn today(&self) -> Date {
        self.now().to_offset(CST).date()
    }

    /// Moves a fixed clock to `at`; the system clock ignores it.
    pub fn set(&self, at: OffsetDateTime) {
        if let Clock::Fixed(now) = self {
            *now.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }
}
