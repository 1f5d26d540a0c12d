//! A count of working days (工作日), the unit of statutory and promised
//! time limits.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A time limit in working days, from 0 (decided on the spot, 即办) up to
/// [`WorkingDays::MAX`].
///
/// Serialized as a bare integer; deserialization applies the same bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct WorkingDays(u32);

/// Why a number is not a [`WorkingDays`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkingDaysError {
    /// The number exceeds [`WorkingDays::MAX`].
    #[error("a time limit is at most {max} working days, found {found}")]
    TooMany {
        /// The number given.
        found: u32,
        /// The largest number accepted.
        max: u32,
    },
}

impl WorkingDaysError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::TooMany { .. } => "too_many_working_days",
        }
    }
}

impl WorkingDays {
    /// The largest limit accepted: 3650, about fourteen years of working
    /// days, far beyond any statutory limit, so a typo (an extra digit)
    /// is caught rather than stored.
    pub const MAX: u32 = 3650;

    /// Wraps `n` if it is at most [`WorkingDays::MAX`].
    pub fn new(n: u32) -> Result<Self, WorkingDaysError> {
        if n > Self::MAX {
            return Err(WorkingDaysError::TooMany {
                found: n,
                max: Self::MAX,
            });
        }
        Ok(Self(n))
    }

    /// The number of working days.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for WorkingDays {
    type Error = WorkingDaysError;

    fn try_from(n: u32) -> Result<Self, Self::Error> {
        Self::new(n)
    }
}

impl From<WorkingDays> for u32 {
    fn from(days: WorkingDays) -> u32 {
        days.0
    }
}

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_max_are_accepted() {
        assert_eq!(WorkingDays::new(0).map(WorkingDays::get), Ok(0));
        assert_eq!(WorkingDays::new(3650).map(WorkingDays::get), Ok(3650));
    }

    #[test]
    fn more_than_max_is_rejected() {
        assert_eq!(
            WorkingDays::new(3651),
            Err(WorkingDaysError::TooMany {
                found: 3651,
                max: 3650
            })
        );
    }

    #[test]
    fn serde_uses_a_bare_integer_and_checks_the_bound() {
        let days = WorkingDays::new(20).expect("in range");
        assert_eq!(serde_json::to_string(&days).expect("serialize"), "20");
        assert_eq!(
            serde_json::from_str::<WorkingDays>("20").expect("deserialize"),
            days
        );
        assert!(serde_json::from_str::<WorkingDays>("4000").is_err());
        assert!(serde_json::from_str::<WorkingDays>("-1").is_err());
    }
}
