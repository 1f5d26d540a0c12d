//! The small values of a case: its id, its tasks' ids, an express tracking
//! number and the applicant's rating. Each has one fallible constructor, so
//! an invalid value cannot exist past the edge.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a string is not a case or task id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a UUID: {message}")]
pub struct IdError {
    /// The UUID parser's message.
    pub message: String,
}

impl IdError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        "uuid"
    }
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an id the caller generated (core reads no clock and
            /// no randomness, so generation is not its business).
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// Parses the hyphenated (or any other standard) form of a UUID.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                Uuid::parse_str(s).map(Self).map_err(|e| IdError {
                    message: e.to_string(),
                })
            }

            /// The UUID inside.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

uuid_id!(
    /// The id of a case (办件), a UUID the caller generates.
    CaseId
);
uuid_id!(
    /// The id of a task (任务) inside a case, a UUID the caller generates.
    TaskId
);

/// Why a string is not a [`TrackingNumber`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingNumberError {
    /// Fewer than 6 or more than 40 characters.
    #[error(
        "a tracking number has {min} to {max} characters, found {found}",
        min = TrackingNumber::MIN_LEN,
        max = TrackingNumber::MAX_LEN
    )]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// A character other than an ASCII letter or digit.
    #[error("a tracking number has only letters and digits; found {ch:?} at position {position}")]
    Charset {
        /// 1-based position of the character.
        position: usize,
        /// The offending character.
        ch: char,
    },
}

impl TrackingNumberError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::Charset { .. } => "charset",
        }
    }
}

/// An express waybill number (快递单号): 6 to 40 ASCII letters and digits,
/// kept as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingNumber(String);

impl TrackingNumber {
    /// Fewest characters accepted.
    pub const MIN_LEN: usize = 6;
    /// Most characters accepted; carriers' numbers are far shorter.
    pub const MAX_LEN: usize = 40;

    /// Parses a tracking number.
    pub fn parse(s: &str) -> Result<Self, TrackingNumberError> {
        if let Some((i, ch)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            return Err(TrackingNumberError::Charset {
                position: i + 1,
                ch,
            });
        }
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&s.len()) {
            return Err(TrackingNumberError::Length { found: s.len() });
        }
        Ok(Self(s.to_owned()))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TrackingNumber {
    type Error = TrackingNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<TrackingNumber> for String {
    fn from(t: TrackingNumber) -> String {
        t.0
    }
}

impl fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a score and comment are not a [`Rating`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    /// The score is outside 1 to 5.
    #[error("a rating is 1 to 5, found {found}")]
    Score {
        /// The score given.
        found: u8,
    },
    /// The comment is longer than [`Rating::MAX_COMMENT`] characters.
    #[error("a rating comment has at most {max} characters, found {found}", max = Rating::MAX_COMMENT)]
    CommentTooLong {
        /// Number of characters found.
        found: usize,
    },
}

impl RatingError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Score { .. } => "rating_range",
            Self::CommentTooLong { .. } => "max_length",
        }
    }
}

/// The applicant's evaluation of a case (好差评): 1 (very poor) to 5 (very
/// good), with an optional comment of at most 500 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RatingInput")]
pub struct Rating {
    score: u8,
    comment: Option<String>,
}

/// The unchecked shape a rating is deserialized from.
#[derive(Deserialize)]
struct RatingInput {
    score: u8,
    #[serde(default)]
    comment: Option<String>,
}

impl TryFrom<RatingInput> for Rating {
    type Error = RatingError;
    fn try_from(r: RatingInput) -> Result<Self, Self::Error> {
        Rating::new(r.score, r.comment)
    }
}

impl Rating {
    /// Most characters a comment may have.
    pub const MAX_COMMENT: usize = 500;

    /// Checks the score and the comment; a blank comment counts as none.
    pub fn new(score: u8, comment: Option<String>) -> Result<Self, RatingError> {
        if !(1..=5).contains(&score) {
            return Err(RatingError::Score { found: score });
        }
        let comment = comment.filter(|c| !c.trim().is_empty());
        if let Some(c) = &comment {
            let found = c.chars().count();
            if found > Self::MAX_COMMENT {
                return Err(RatingError::CommentTooLong { found });
            }
        }
        Ok(Self { score, comment })
    }

    /// The score, 1 to 5.
    pub fn score(&self) -> u8 {
        self.score
    }

    /// The comment, if any.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_id_parses_a_uuid_and_refuses_anything_else() {
        let id = CaseId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8").expect("uuid");
        assert_eq!(id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(CaseId::parse("case-1").map_err(|e| e.rule()), Err("uuid"));
    }

    #[test]
    fn tracking_number_is_six_to_forty_letters_and_digits() {
        assert!(TrackingNumber::parse("SF1234567890").is_ok());
        assert_eq!(
            TrackingNumber::parse("SF123"),
            Err(TrackingNumberError::Length { found: 5 })
        );
        assert_eq!(
            TrackingNumber::parse("SF-123456"),
            Err(TrackingNumberError::Charset {
                position: 3,
                ch: '-'
            })
        );
        assert!(TrackingNumber::parse(&"1".repeat(41)).is_err());
    }

    #[test]
    fn rating_is_one_to_five_with_a_comment_of_at_most_500_characters() {
        assert!(Rating::new(5, Some("办得快".into())).is_ok());
        assert_eq!(Rating::new(0, None), Err(RatingError::Score { found: 0 }));
        assert_eq!(Rating::new(6, None), Err(RatingError::Score { found: 6 }));
        assert_eq!(
            Rating::new(3, Some("好".repeat(501))),
            Err(RatingError::CommentTooLong { found: 501 })
        );
        assert_eq!(
            Rating::new(4, Some("  ".into())).map(|r| r.comment().is_none()),
            Ok(true)
        );
    }

    #[test]
    fn rating_deserialization_applies_the_same_rules() {
        let ok: Rating = serde_json::from_str(r#"{"score":4}"#).expect("valid");
        assert_eq!(ok.score(), 4);
        assert!(serde_json::from_str::<Rating>(r#"{"score":9}"#).is_err());
    }
}
