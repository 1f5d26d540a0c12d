//! The queue at the window (取号 / 叫号): a number is given at arrival,
//! booked visitors' numbers start with `Y` (预约) and are called before
//! walk-ins' (`A`), each group in the order of arrival.

use serde::Serialize;

/// How a visitor came to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Checked in with a booking.
    Booked,
    /// Came without one.
    WalkIn,
}

impl Arrival {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Arrival::Booked => "booked",
            Arrival::WalkIn => "walk_in",
        }
    }

    /// Reads the stored word.
    pub fn parse(s: &str) -> Option<Arrival> {
        match s {
            "booked" => Some(Arrival::Booked),
            "walk_in" => Some(Arrival::WalkIn),
            _ => None,
        }
    }

    /// Called before the other group: lower first.
    pub fn priority(self) -> i64 {
        match self {
            Arrival::Booked => 0,
            Arrival::WalkIn => 1,
        }
    }
}

/// The number as shown on the ticket and the hall's screen: `Y007`.
pub fn label(arrival: Arrival, number: i64) -> String {
    let prefix = match arrival {
        Arrival::Booked => 'Y',
        Arrival::WalkIn => 'A',
    };
    format!("{prefix}{number:03}")
}

/// Minutes waited from the number's issue until it was called, rounded
/// down; `None` while still waiting.
pub fn waited_minutes(issued_ms: i64, called_ms: Option<i64>) -> Option<i64> {
    called_ms.map(|c| (c - issued_ms).max(0) / 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_tell_booked_from_walk_in() {
        assert_eq!(label(Arrival::Booked, 7), "Y007");
        assert_eq!(label(Arrival::WalkIn, 1234), "A1234");
        assert!(Arrival::Booked.priority() < Arrival::WalkIn.priority());
        for a in [Arrival::Booked, Arrival::WalkIn] {
            assert_eq!(Arrival::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn waiting_is_counted_until_the_call() {
        assert_eq!(waited_minutes(0, None), None);
        assert_eq!(waited_minutes(0, Some(12 * 60_000 + 59_999)), Some(12));
        assert_eq!(waited_minutes(5, Some(0)), Some(0));
    }
}
