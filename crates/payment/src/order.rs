//! An order's life at yici: pending until the provider says it is paid,
//! then possibly refunded; or closed unpaid. States only move forward, so
//! a notice that comes again, or after a later one, changes nothing.

use serde::{Deserialize, Serialize};

use crate::notice::ProviderState;

/// Where an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Waiting for the payer.
    Pending,
    /// Paid.
    Paid,
    /// Paid and refunded.
    Refunded,
    /// Closed unpaid.
    Closed,
}

impl OrderState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Pending => "pending",
            OrderState::Paid => "paid",
            OrderState::Refunded => "refunded",
            OrderState::Closed => "closed",
        }
    }

    /// Reads the stored word.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Paid, Self::Refunded, Self::Closed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    fn rank(self) -> u8 {
        match self {
            OrderState::Pending => 0,
            OrderState::Closed => 1,
            OrderState::Paid => 2,
            OrderState::Refunded => 3,
        }
    }
}

/// What a notice does to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Move the order to this state.
    To(OrderState),
    /// The order is there already, or further on: nothing to write.
    Already,
}

/// What the provider's word `said` does to an order at `current`. A
/// refund heard before the payment it undoes still counts as both: the
/// money came and went. A closed order that the provider says is paid
/// was paid at the last moment, and the payment wins.
pub fn step(current: OrderState, said: ProviderState) -> Step {
    let to = match said {
        ProviderState::Pending => return Step::Already,
        ProviderState::Paid => OrderState::Paid,
        ProviderState::Refunded => OrderState::Refunded,
        ProviderState::Closed => OrderState::Closed,
    };
    if to.rank() > current.rank() {
        Step::To(to)
    } else {
        Step::Already
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_only_move_forward() {
        use OrderState::*;
        assert_eq!(step(Pending, ProviderState::Paid), Step::To(Paid));
        assert_eq!(step(Paid, ProviderState::Paid), Step::Already);
        assert_eq!(step(Refunded, ProviderState::Paid), Step::Already);
        assert_eq!(step(Pending, ProviderState::Refunded), Step::To(Refunded));
        assert_eq!(step(Paid, ProviderState::Closed), Step::Already);
        assert_eq!(step(Closed, ProviderState::Paid), Step::To(Paid));
        assert_eq!(step(Pending, ProviderState::Pending), Step::Already);
        for s in [Pending, Paid, Refunded, Closed] {
            assert_eq!(OrderState::parse(s.as_str()), Some(s));
        }
    }
}
