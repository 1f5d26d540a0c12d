//! Identifiers of the people, organisations and places yici serves: the
//! resident ID (GB 11643), the unified social credit code (GB 32100) and
//! the administrative region code (GB/T 2260). Each is a newtype whose only
//! constructor checks every rule of its standard, including check digits.
//! One check is a warning instead: the GB 11714 check of the organisation
//! code inside a USCC, which codes registries really issued can fail (see
//! [`Uscc`]).

mod region;
mod resident_id;
mod uscc;

use std::fmt;

use serde::{Serialize, Serializer};
use time::Date;

pub use region::{RegionCode, RegionCodeError, RegionLevel};
pub use resident_id::{ResidentId, ResidentIdError, Sex, resident_id_check_char};
pub use uscc::{
    OrganizationCodeMismatch, Uscc, UsccError, organization_code_check_char, uscc_check_char,
};

/// Either identifier an applicant may present: a person's resident ID or an
/// organisation's USCC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// A citizen identity number (GB 11643).
    ResidentId(ResidentId),
    /// A unified social credit code (GB 32100).
    Uscc(Uscc),
}

/// What an input looks like, judged before (and independently of)
/// validation, so that an invalid value can still be reported as "a
/// resident ID with a wrong check digit".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// 17 digits followed by a digit or `X`.
    ResidentId,
    /// 18 characters starting with a registration authority code.
    Uscc,
    /// Neither shape.
    Unknown,
}

impl IdentifierKind {
    /// The stable machine name: `resident_id`, `uscc` or `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ResidentId => "resident_id",
            Self::Uscc => "uscc",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an input is not a valid [`Identifier`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// The input looks like a resident ID and breaks one of its rules.
    #[error("invalid resident ID: {0}")]
    ResidentId(#[from] ResidentIdError),
    /// The input looks like a USCC and breaks one of its rules.
    #[error("invalid unified social credit code: {0}")]
    Uscc(#[from] UsccError),
    /// The input does not have the 18 characters both identifiers have.
    #[error("a resident ID or unified social credit code has 18 characters, found {found}")]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// The input has 18 characters but the shape of neither identifier.
    #[error(
        "not a resident ID (17 digits and a digit or X) nor a unified social credit code (starting with a registration authority code)"
    )]
    Unrecognised,
}

impl IdentifierError {
    /// A stable machine-readable name of the broken rule, the same as the
    /// inner error's for the two identifier variants.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::ResidentId(e) => e.rule(),
            Self::Uscc(e) => e.rule(),
            Self::Length { .. } => "length",
            Self::Unrecognised => "unrecognised",
        }
    }
}

fn looks_like_resident_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && matches!(b[17], b'0'..=b'9' | b'X' | b'x')
}

fn looks_like_uscc(s: &str) -> bool {
    s.chars().count() == 18
        && s.chars().next().is_some_and(|c| {
            c.is_ascii() && uscc::is_registration_authority(c.to_ascii_uppercase() as u8)
        })
}

impl Identifier {
    /// Says what kind of identifier `s` looks like and validates it as
    /// that kind, with today's date in China Standard Time for the resident
    /// ID's birth date (see [`ResidentId::parse`]).
    ///
    /// This backs `yici id check VALUE`, which prints the kind, whether it
    /// is valid, the normalised value and the broken rule.
    pub fn classify(s: &str) -> (IdentifierKind, Result<Identifier, IdentifierError>) {
        Self::classify_with(s, ResidentId::parse)
    }

    /// [`Identifier::classify`] with the birth date judged against `today`.
    pub fn classify_at(
        s: &str,
        today: Date,
    ) -> (IdentifierKind, Result<Identifier, IdentifierError>) {
        Self::classify_with(s, |s| ResidentId::parse_at(s, today))
    }

    /// An all-digit string can be a valid USCC too (authority `9`,
    /// category `1`, numeric organisation code): when it fails as a
    /// resident ID but passes as a USCC, it is a USCC.
    fn classify_with(
        s: &str,
        parse_resident_id: impl Fn(&str) -> Result<ResidentId, ResidentIdError>,
    ) -> (IdentifierKind, Result<Identifier, IdentifierError>) {
        if looks_like_resident_id(s) {
            match parse_resident_id(s) {
                Ok(id) => (IdentifierKind::ResidentId, Ok(Self::ResidentId(id))),
                Err(err) => match Uscc::parse(s) {
                    Ok(code) => (IdentifierKind::Uscc, Ok(Self::Uscc(code))),
                    Err(_) => (IdentifierKind::ResidentId, Err(err.into())),
                },
            }
        } else if looks_like_uscc(s) {
            let result = Uscc::parse(s).map(Self::Uscc).map_err(Into::into);
            (IdentifierKind::Uscc, result)
        } else {
            let found = s.chars().count();
            let err = if found == 18 {
                IdentifierError::Unrecognised
            } else {
                IdentifierError::Length { found }
            };
            (IdentifierKind::Unknown, Err(err))
        }
    }

    /// The kind of this identifier.
    pub fn kind(&self) -> IdentifierKind {
        match self {
            Self::ResidentId(_) => IdentifierKind::ResidentId,
            Self::Uscc(_) => IdentifierKind::Uscc,
        }
    }

    /// The normalised string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::ResidentId(id) => id.as_str(),
            Self::Uscc(code) => code.as_str(),
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Identifier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 01);

    fn classify(s: &str) -> (IdentifierKind, Result<String, &'static str>) {
        let (kind, result) = Identifier::classify_at(s, TODAY);
        (
            kind,
            result
                .map(|id| id.as_str().to_owned())
                .map_err(|e| e.rule()),
        )
    }

    #[test]
    fn valid_resident_id_is_classified_and_normalised() {
        assert_eq!(
            classify("11010519491231002x"),
            (IdentifierKind::ResidentId, Ok("11010519491231002X".into()))
        );
    }

    #[test]
    fn resident_id_shape_with_bad_check_reports_the_resident_id_rule() {
        assert_eq!(
            classify("110105194912310021"),
            (IdentifierKind::ResidentId, Err("check_digit"))
        );
    }

    #[test]
    fn valid_uscc_is_classified_and_normalised() {
        assert_eq!(
            classify("91350100m000100y43"),
            (IdentifierKind::Uscc, Ok("91350100M000100Y43".into()))
        );
    }

    #[test]
    fn uscc_shape_with_bad_check_reports_the_uscc_rule() {
        assert_eq!(
            classify("91350100M000100Y44"),
            (IdentifierKind::Uscc, Err("check_digit"))
        );
    }

    #[test]
    fn all_digit_valid_uscc_is_not_mistaken_for_a_resident_id() {
        let code = "913301061234567887";
        assert_eq!(uscc_check_char(&code[..17]), Ok('7'));
        assert_eq!(classify(code), (IdentifierKind::Uscc, Ok(code.into())));
    }

    #[test]
    fn wrong_length_is_unknown_with_length_rule() {
        assert_eq!(
            classify("110105491231002"),
            (IdentifierKind::Unknown, Err("length"))
        );
        assert_eq!(classify(""), (IdentifierKind::Unknown, Err("length")));
    }

    #[test]
    fn eighteen_chars_of_neither_shape_are_unrecognised() {
        assert_eq!(
            classify("B1350100M000100Y43"),
            (IdentifierKind::Unknown, Err("unrecognised"))
        );
    }

    #[test]
    fn error_display_is_an_english_sentence_naming_the_rule() {
        let (_, result) = Identifier::classify_at("110105194912310021", TODAY);
        let err = result.expect_err("bad check digit");
        assert_eq!(
            err.to_string(),
            "invalid resident ID: check character should be X, found 1"
        );
    }

    #[test]
    fn kind_serializes_as_snake_case() {
        let json = serde_json::to_string(&IdentifierKind::ResidentId).expect("serialize");
        assert_eq!(json, "\"resident_id\"");
    }
}
