//! When the window areas take appointments (预约): each area's opening
//! spans, cut into slots of one length that take a number of bookings each,
//! and the rules the whole hall books by. Declared in `windows.toml`.

use serde::Serialize;

/// A time of day in minutes after midnight, China time.
pub type Minutes = u16;

/// One span of opening hours, e.g. 09:00–12:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OpeningSpan {
    /// Opens at (minutes after midnight).
    pub opens: Minutes,
    /// Closes at (minutes after midnight), after `opens`.
    pub closes: Minutes,
}

/// A window area's appointments: on working days only, in its opening
/// spans, in slots of `slot_minutes`, each taking `capacity` bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appointments {
    /// Length of one slot; every span is a whole number of slots.
    pub slot_minutes: u16,
    /// Bookings one slot takes (the counters that serve booked visitors).
    pub capacity: u32,
    /// Opening spans, in order, not overlapping.
    pub hours: Vec<OpeningSpan>,
}

impl Appointments {
    /// The starts of the slots of a working day, in order.
    pub fn slot_starts(&self) -> impl Iterator<Item = Minutes> + '_ {
        let step = usize::from(self.slot_minutes.max(1));
        self.hours
            .iter()
            .flat_map(move |s| (s.opens..s.closes).step_by(step))
            .filter(move |start| start + self.slot_minutes <= self.closes_after(*start))
    }

    /// Whether a slot starts at `start`.
    pub fn has_slot(&self, start: Minutes) -> bool {
        self.slot_starts().any(|s| s == start)
    }

    /// The closing time of the span `start` falls in (0 when in none).
    fn closes_after(&self, start: Minutes) -> Minutes {
        self.hours
            .iter()
            .find(|s| s.opens <= start && start < s.closes)
            .map_or(0, |s| s.closes)
    }
}

/// The booking rules of the whole hall, `[booking]` in `windows.toml`.
/// Defaults are documented in `catalog/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BookingPolicy {
    /// How many calendar days ahead a slot can be booked (today counts).
    pub horizon_days: u16,
    /// A booking can be cancelled or moved until this long before its slot.
    pub cancel_cutoff_minutes: u32,
    /// A visitor can check in this long before their slot, until it ends.
    pub check_in_early_minutes: u32,
    /// This many no-shows within `no_show_days` suspend booking…
    pub no_show_limit: u32,
    /// …counted over this many days back…
    pub no_show_days: u32,
    /// …for this many days after the last of them.
    pub suspend_days: u32,
}

impl Default for BookingPolicy {
    fn default() -> Self {
        BookingPolicy {
            horizon_days: 14,
            cancel_cutoff_minutes: 120,
            check_in_early_minutes: 30,
            no_show_limit: 3,
            no_show_days: 90,
            suspend_days: 30,
        }
    }
}

/// How a department follows up a 差评 (bad rating), `[follow_up]` in
/// `departments.toml`: contact the applicant within `contact_working_days`,
/// rectify and reply within `reply_working_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FollowUpPolicy {
    /// Working days to contact the applicant (default 1).
    pub contact_working_days: u32,
    /// Working days to rectify and reply (default 15).
    pub reply_working_days: u32,
}

impl Default for FollowUpPolicy {
    fn default() -> Self {
        FollowUpPolicy {
            contact_working_days: 1,
            reply_working_days: 15,
        }
    }
}

/// `09:00` of `minutes`.
pub fn clock_text(minutes: Minutes) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes of `HH:MM` (00:00–24:00), or `None`.
pub fn parse_clock(text: &str) -> Option<Minutes> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let total = h.checked_mul(60)?.checked_add(m)?;
    (m < 60 && total <= 24 * 60).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hall() -> Appointments {
        Appointments {
            slot_minutes: 30,
            capacity: 4,
            hours: vec![
                OpeningSpan {
                    opens: 9 * 60,
                    closes: 12 * 60,
                },
                OpeningSpan {
                    opens: 13 * 60 + 30,
                    closes: 17 * 60,
                },
            ],
        }
    }

    #[test]
    fn slots_fill_each_span_and_skip_the_lunch_break() {
        let starts: Vec<String> = hall().slot_starts().map(clock_text).collect();
        assert_eq!(starts.len(), 6 + 7);
        assert_eq!(starts[0], "09:00");
        assert_eq!(starts[5], "11:30");
        assert_eq!(starts[6], "13:30");
        assert_eq!(starts[12], "16:30");
        assert!(!hall().has_slot(12 * 60));
        assert!(!hall().has_slot(9 * 60 + 15));
    }

    #[test]
    fn a_span_that_is_not_whole_slots_has_no_short_last_slot() {
        let a = Appointments {
            slot_minutes: 40,
            capacity: 1,
            hours: vec![OpeningSpan {
                opens: 9 * 60,
                closes: 10 * 60,
            }],
        };
        assert_eq!(a.slot_starts().collect::<Vec<_>>(), vec![9 * 60]);
    }

    #[test]
    fn clock_text_round_trips() {
        assert_eq!(parse_clock("09:30"), Some(570));
        assert_eq!(clock_text(570), "09:30");
        assert_eq!(parse_clock("24:00"), Some(1440));
        for bad in ["9:30", "09:60", "24:01", "ab:cd", "0930", ""] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }
}
