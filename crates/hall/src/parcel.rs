//! A parcel of two-way delivery (双向寄递): a result sent to the applicant,
//! or an original paper fetched from the applicant for the window to see
//! and then sent back. The carrier reports where it is; a report moves a
//! parcel only forward, so a late or repeated report changes nothing.

use serde::{Deserialize, Serialize};

/// What a parcel carries, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParcelKind {
    /// The case's result, window → applicant.
    Result,
    /// An original paper, applicant → window (a pickup booked).
    OriginalIn,
    /// The same original going back, window → applicant.
    OriginalBack,
}

impl ParcelKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            ParcelKind::Result => "result",
            ParcelKind::OriginalIn => "original_in",
            ParcelKind::OriginalBack => "original_back",
        }
    }

    /// Reads the stored word.
    pub fn parse(s: &str) -> Option<ParcelKind> {
        [
            ParcelKind::Result,
            ParcelKind::OriginalIn,
            ParcelKind::OriginalBack,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Where a parcel is, as the carrier reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParcelState {
    /// The waybill exists; nothing has moved.
    Created,
    /// The courier has it.
    PickedUp,
    /// On its way.
    InTransit,
    /// Handed over at the address.
    Delivered,
    /// Could not be delivered; it goes back to the sender (for a result:
    /// the window, where the applicant may fetch it or have it sent again).
    Failed,
}

impl ParcelState {
    /// Every state, in order.
    pub const ALL: [ParcelState; 5] = [
        ParcelState::Created,
        ParcelState::PickedUp,
        ParcelState::InTransit,
        ParcelState::Delivered,
        ParcelState::Failed,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            ParcelState::Created => "created",
            ParcelState::PickedUp => "picked_up",
            ParcelState::InTransit => "in_transit",
            ParcelState::Delivered => "delivered",
            ParcelState::Failed => "failed",
        }
    }

    /// Reads the stored word.
    pub fn parse(s: &str) -> Option<ParcelState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the carrier is done with it.
    pub fn is_final(self) -> bool {
        matches!(self, ParcelState::Delivered | ParcelState::Failed)
    }

    /// The carrier's next step from here: in transit ends delivered, or
    /// failed when the address cannot be served.
    pub fn next(self, deliverable: bool) -> Option<ParcelState> {
        match self {
            ParcelState::Created => Some(ParcelState::PickedUp),
            ParcelState::PickedUp => Some(ParcelState::InTransit),
            ParcelState::InTransit if deliverable => Some(ParcelState::Delivered),
            ParcelState::InTransit => Some(ParcelState::Failed),
            ParcelState::Delivered | ParcelState::Failed => None,
        }
    }
}

/// What a carrier's report does to a parcel in `current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Forward to this state.
    To(ParcelState),
    /// Already there or past it: nothing changes.
    Already,
}

/// The move a report of `reported` makes from `current`: only forward,
/// and never from one end to the other.
pub fn step(current: ParcelState, reported: ParcelState) -> Move {
    if current.is_final() || reported <= current {
        Move::Already
    } else {
        Move::To(reported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParcelState::*;

    #[test]
    fn a_parcel_moves_only_forward() {
        assert_eq!(step(Created, InTransit), Move::To(InTransit));
        assert_eq!(step(InTransit, PickedUp), Move::Already);
        assert_eq!(step(InTransit, InTransit), Move::Already);
        assert_eq!(step(InTransit, Failed), Move::To(Failed));
        assert_eq!(step(Delivered, Failed), Move::Already);
        assert_eq!(step(Failed, Delivered), Move::Already);
    }

    #[test]
    fn the_carrier_walks_created_to_delivered_or_failed() {
        let walk = |deliverable| {
            let mut s = Created;
            let mut seen = vec![s];
            while let Some(n) = s.next(deliverable) {
                s = n;
                seen.push(s);
            }
            seen
        };
        assert_eq!(walk(true), [Created, PickedUp, InTransit, Delivered]);
        assert_eq!(walk(false), [Created, PickedUp, InTransit, Failed]);
    }

    #[test]
    fn words_read_back() {
        for s in ParcelState::ALL {
            assert_eq!(ParcelState::parse(s.as_str()), Some(s));
        }
        for k in [
            ParcelKind::Result,
            ParcelKind::OriginalIn,
            ParcelKind::OriginalBack,
        ] {
            assert_eq!(ParcelKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ParcelState::parse("lost"), None);
    }
}
