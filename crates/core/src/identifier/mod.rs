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

/// What kind an input is: the kind it is valid as or, when it is valid as
/// neither, the kind it was most likely meant to be (see
/// [`Identifier::classify`]), so that an invalid value can still be
/// reported as "a resident ID with a wrong check digit".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// A resident ID (GB 11643).
    ResidentId,
    /// A unified social credit code (GB 32100).
    Uscc,
    /// Neither: not 18 characters, or the shape of neither.
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
    /// The input is most likely a resident ID and breaks one of its rules.
    #[error("invalid resident ID: {0}")]
    ResidentId(#[from] ResidentIdError),
    /// The input is most likely a USCC and breaks one of its rules.
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

/// Which kind an 18-character value that is valid as neither was most
/// likely meant to be, so that its error is the one reported.
///
/// A value that breaks only the check character of one kind (GB 11643's
/// ISO 7064 MOD 11-2, GB 32100's MOD 31) has that kind's whole structure:
/// region, birth date, or authority, category and region. That is strong
/// evidence of the kind, and one mistyped character is the usual mistake,
/// so that kind wins. Otherwise the shape decides: 17 digits and a digit
/// or `X` is reported as a resident ID, because people far outnumber
/// organisations among applicants; a value starting with a registration
/// authority code as a USCC; anything else is unrecognised.
fn more_likely_kind(
    s: &str,
    as_resident_id: &ResidentIdError,
    as_uscc: &UsccError,
) -> IdentifierKind {
    let resident_id_check_only = matches!(as_resident_id, ResidentIdError::CheckDigit { .. });
    let uscc_check_only = matches!(as_uscc, UsccError::CheckDigit { .. });
    match (resident_id_check_only, uscc_check_only) {
        (true, false) => IdentifierKind::ResidentId,
        (false, true) => IdentifierKind::Uscc,
        _ if looks_like_resident_id(s) => IdentifierKind::ResidentId,
        _ if looks_like_uscc(s) => IdentifierKind::Uscc,
        _ => IdentifierKind::Unknown,
    }
}

impl Identifier {
    /// Says what kind of identifier `s` is and whether it is valid, with
    /// today's date in China Standard Time for the resident ID's birth date
    /// (see [`ResidentId::parse`]).
    ///
    /// An 18-character value may be either kind: an all-digit string can be
    /// a valid USCC (authority `9`, category `1`, a numeric organisation
    /// code), and a resident ID can satisfy every USCC rule by chance. So
    /// the value is validated as both, and:
    ///
    /// - valid as a resident ID: a resident ID, even if it is a valid USCC
    ///   too, because people far outnumber organisations among applicants
    ///   and the resident ID's rules (a real birth date) are the stricter;
    /// - otherwise valid as a USCC: a USCC;
    /// - valid as neither: the error of the more likely kind (see
    ///   `more_likely_kind`).
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

    fn classify_with(
        s: &str,
        parse_resident_id: impl Fn(&str) -> Result<ResidentId, ResidentIdError>,
    ) -> (IdentifierKind, Result<Identifier, IdentifierError>) {
        let found = s.chars().count();
        if found != 18 {
            return (
                IdentifierKind::Unknown,
                Err(IdentifierError::Length { found }),
            );
        }
        let as_resident_id = match parse_resident_id(s) {
            Ok(id) => return (IdentifierKind::ResidentId, Ok(Self::ResidentId(id))),
            Err(e) => e,
        };
        let as_uscc = match Uscc::parse(s) {
            Ok(code) => return (IdentifierKind::Uscc, Ok(Self::Uscc(code))),
            Err(e) => e,
        };
        match more_likely_kind(s, &as_resident_id, &as_uscc) {
            IdentifierKind::ResidentId => (IdentifierKind::ResidentId, Err(as_resident_id.into())),
            IdentifierKind::Uscc => (IdentifierKind::Uscc, Err(as_uscc.into())),
            IdentifierKind::Unknown => {
                (IdentifierKind::Unknown, Err(IdentifierError::Unrecognised))
            }
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
    fn a_value_that_fails_as_a_resident_id_and_passes_as_a_uscc_is_a_uscc() {
        // Bank of China's code: 91 is no province, so it is no resident ID.
        let code = "911000001000013428";
        assert_eq!(
            ResidentId::parse_at(code, TODAY).map_err(|e| e.rule()),
            Err("region")
        );
        assert_eq!(classify(code), (IdentifierKind::Uscc, Ok(code.into())));
    }

    #[test]
    fn a_value_valid_as_both_is_a_resident_id() {
        // A resident ID of 宿迁市宿城区 born 1990-01-01 whose check digit
        // also happens to be the MOD 31 check of authority 3, category 2,
        // region 130219.
        let id = "321302199001010055";
        assert!(Uscc::parse(id).is_ok());
        assert_eq!(classify(id), (IdentifierKind::ResidentId, Ok(id.into())));
    }

    #[test]
    fn when_both_fail_a_wrong_check_character_alone_names_the_kind() {
        // Bank of China's code mistyped: the USCC's structure holds and only
        // its check fails; as a resident ID its region already fails.
        assert_eq!(
            classify("911000001000013427"),
            (IdentifierKind::Uscc, Err("check_digit"))
        );
        // A resident ID mistyped: the converse.
        assert_eq!(
            classify("110105194912310021"),
            (IdentifierKind::ResidentId, Err("check_digit"))
        );
    }

    #[test]
    fn when_both_fail_alike_a_resident_id_shape_is_reported_as_a_resident_id() {
        // Both structures hold and both checks fail (5 is either check).
        assert_eq!(
            classify("321302199001010050"),
            (IdentifierKind::ResidentId, Err("check_digit"))
        );
        // Neither structure holds: region 99 and category 9 of authority 9.
        assert_eq!(
            classify("991000001000013428"),
            (IdentifierKind::ResidentId, Err("region"))
        );
    }

    #[test]
    fn when_both_fail_a_value_with_uscc_letters_is_reported_as_a_uscc() {
        assert_eq!(
            classify("9135010OM000100Y43"),
            (IdentifierKind::Uscc, Err("charset"))
        );
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
