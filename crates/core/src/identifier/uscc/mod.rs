//! Unified social credit codes (统一社会信用代码), GB 32100-2015.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

use super::region::{RegionCode, is_province_prefix};

mod check;

use check::{check_char, normalised_prefix, organization_check};
pub use check::{organization_code_check_char, uscc_check_char};

/// The category codes (position 2) each registration authority (position 1)
/// may assign, per the table of GB 32100-2015.
const CATEGORIES: [(u8, &[u8]); 12] = [
    (b'1', b"1239"),   // 机构编制
    (b'2', b"19"),     // 外交
    (b'3', b"123459"), // 司法行政
    (b'4', b"19"),     // 文化
    (b'5', b"1239"),   // 民政
    (b'6', b"129"),    // 旅游
    (b'7', b"129"),    // 宗教
    (b'8', b"19"),     // 工会
    (b'9', b"123"),    // 工商 (market regulation)
    (b'A', b"19"),     // 中央军委改革和编制办公室
    (b'N', b"1239"),   // 农业
    (b'Y', b"1"),      // 其他
];

/// An 18-character unified social credit code of a legal person or other
/// organisation, valid under GB 32100-2015.
///
/// Layout: registration authority (1), category (2), region (3-8), the
/// GB 11714 organisation code with its own check (9-17), check (18).
/// Only [`Uscc::parse`] builds one; lowercase input is normalised.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uscc([u8; 18]);

/// Why a string is not a [`Uscc`]; each variant names one rule of
/// GB 32100. Positions are 1-based, as in the standard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    /// The code does not have 18 characters.
    #[error("a unified social credit code has 18 characters, found {found}")]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// A character is outside the 31-character set (no I, O, Z, S, V).
    #[error(
        "a unified social credit code uses digits and letters other than I, O, Z, S, V; found {ch:?} at position {position}"
    )]
    Charset {
        /// 1-based position of the offending character.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// Position 1 is not a registration authority code.
    #[error("{found:?} (position 1) is not a registration authority code")]
    RegistrationAuthority {
        /// The character found.
        found: char,
    },
    /// Position 2 is not a category that this registration authority assigns.
    #[error("{found:?} (position 2) is not a category of registration authority {authority:?}")]
    Category {
        /// The registration authority code (position 1).
        authority: char,
        /// The category code found.
        found: char,
    },
    /// Positions 3-8 are not six digits starting with a province code.
    #[error("{code} (positions 3-8) is not a GB/T 2260 region code")]
    Region {
        /// The six characters found.
        code: String,
    },
    /// Position 17 is not the GB 11714 check of positions 9-16.
    #[error("organisation code check (position 17) should be {expected}, found {found}")]
    OrganizationCodeCheck {
        /// The check character computed from positions 9-16.
        expected: char,
        /// The character given.
        found: char,
    },
    /// Position 18 is not the MOD 31 check of positions 1-17.
    #[error("check character should be {expected}, found {found}")]
    CheckDigit {
        /// The check character computed from positions 1-17.
        expected: char,
        /// The character given.
        found: char,
    },
}

impl UsccError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::Charset { .. } => "charset",
            Self::RegistrationAuthority { .. } => "registration_authority",
            Self::Category { .. } => "category",
            Self::Region { .. } => "region",
            Self::OrganizationCodeCheck { .. } => "organization_code_check",
            Self::CheckDigit { .. } => "check_digit",
        }
    }
}

/// Whether `c` (uppercase) is a registration authority code of GB 32100.
pub(crate) fn is_registration_authority(c: u8) -> bool {
    CATEGORIES.iter().any(|(a, _)| *a == c)
}

impl Uscc {
    /// Parses and validates a code; the rules are checked in the order of
    /// the error variants and the first broken one is reported.
    pub fn parse(s: &str) -> Result<Self, UsccError> {
        let found = s.chars().count();
        if found != 18 {
            return Err(UsccError::Length { found });
        }
        let bytes = normalised_prefix(s, 18)?;
        let mut code = [0u8; 18];
        code.copy_from_slice(&bytes);

        let authority = code[0];
        let categories = CATEGORIES
            .iter()
            .find(|(a, _)| *a == authority)
            .map(|(_, c)| *c)
            .ok_or(UsccError::RegistrationAuthority {
                found: char::from(authority),
            })?;
        if !categories.contains(&code[1]) {
            return Err(UsccError::Category {
                authority: char::from(authority),
                found: char::from(code[1]),
            });
        }
        let region = &code[2..8];
        if !region.iter().all(u8::is_ascii_digit) || !is_province_prefix(region[0], region[1]) {
            return Err(UsccError::Region {
                code: String::from_utf8_lossy(region).into_owned(),
            });
        }
        let expected = organization_check(&code[8..16]);
        let found = char::from(code[16]);
        if expected != found {
            return Err(UsccError::OrganizationCodeCheck { expected, found });
        }
        let expected = check_char(&code[..17]);
        let found = char::from(code[17]);
        if expected != found {
            return Err(UsccError::CheckDigit { expected, found });
        }
        Ok(Self(code))
    }

    /// The normalised 18 characters.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a Uscc holds ASCII by construction")
    }

    /// The registration authority code (position 1), e.g. `9` for market
    /// regulation.
    pub fn registration_authority(&self) -> char {
        char::from(self.0[0])
    }

    /// The category code (position 2), e.g. `1` for an enterprise when the
    /// authority is `9`.
    pub fn category(&self) -> char {
        char::from(self.0[1])
    }

    /// The region code of the registration authority (positions 3-8).
    pub fn region(&self) -> RegionCode {
        RegionCode::parse(&self.as_str()[2..8]).expect("validated by parse")
    }

    /// The GB 11714 organisation code with its check (positions 9-17).
    pub fn organization_code(&self) -> &str {
        &self.as_str()[8..17]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uscc({})", self.as_str())
    }
}

impl FromStr for Uscc {
    type Err = UsccError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Uscc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Uscc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "91350100M000100Y43";

    /// A code with valid organisation and final checks for the given
    /// first 16 characters.
    fn with_checks(first16: &str) -> String {
        let org = organization_code_check_char(&first16[8..16]).expect("8 chars");
        let first17 = format!("{first16}{org}");
        let check = uscc_check_char(&first17).expect("17 chars");
        format!("{first17}{check}")
    }

    fn rule(s: &str) -> Result<String, &'static str> {
        Uscc::parse(s)
            .map(|c| c.as_str().to_owned())
            .map_err(|e| e.rule())
    }

    #[test]
    fn known_valid_code_parses() {
        assert_eq!(rule(VALID), Ok(VALID.into()));
    }

    #[test]
    fn lowercase_is_normalised_to_uppercase() {
        assert_eq!(rule("91350100m000100y43"), Ok(VALID.into()));
    }

    #[test]
    fn length_other_than_eighteen_is_rejected() {
        assert_eq!(
            Uscc::parse("91350100M000100Y4"),
            Err(UsccError::Length { found: 17 })
        );
    }

    #[test]
    fn letters_i_o_z_s_v_are_outside_the_charset() {
        for bad in ['I', 'O', 'Z', 'S', 'V', '-', '中'] {
            let s = format!("91350100M{bad}00100Y43");
            assert_eq!(
                Uscc::parse(&s),
                Err(UsccError::Charset {
                    position: 10,
                    ch: bad
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn registration_authority_must_be_in_the_table() {
        assert_eq!(
            Uscc::parse("B1350100M000100Y43"),
            Err(UsccError::RegistrationAuthority { found: 'B' })
        );
        assert_eq!(rule("01350100M000100Y43"), Err("registration_authority"));
    }

    #[test]
    fn category_must_belong_to_its_registration_authority() {
        assert_eq!(
            Uscc::parse("94350100M000100Y43"),
            Err(UsccError::Category {
                authority: '9',
                found: '4'
            })
        );
        assert_eq!(rule("Y2350100M000100Y43"), Err("category"));
        assert_eq!(
            rule(&with_checks("34350100M000100Y")),
            Ok(with_checks("34350100M000100Y"))
        );
        assert_eq!(
            rule(&with_checks("N3350100M000100Y")),
            Ok(with_checks("N3350100M000100Y"))
        );
    }

    #[test]
    fn region_must_be_digits_with_province_prefix() {
        assert_eq!(
            Uscc::parse("91990100M000100Y43"),
            Err(UsccError::Region {
                code: "990100".into()
            })
        );
        assert_eq!(rule("9135A100M000100Y43"), Err("region"));
    }

    #[test]
    fn organization_code_check_is_validated() {
        assert_eq!(
            Uscc::parse("91350100M000100Y53"),
            Err(UsccError::OrganizationCodeCheck {
                expected: '4',
                found: '5'
            })
        );
    }

    #[test]
    fn final_check_character_is_validated() {
        assert_eq!(
            Uscc::parse("91350100M000100Y44"),
            Err(UsccError::CheckDigit {
                expected: '3',
                found: '4'
            })
        );
    }

    #[test]
    fn check_char_helpers_build_valid_codes() {
        let built = with_checks("92330106ABCDEFGH");
        assert_eq!(rule(&built), Ok(built.clone()));
    }

    #[test]
    fn accessors_read_the_segments() {
        let code = Uscc::parse(VALID).expect("valid");
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.category(), '1');
        assert_eq!(code.region().as_str(), "350100");
        assert_eq!(code.organization_code(), "M000100Y4");
    }

    #[test]
    fn display_and_serde_use_the_normalised_string() {
        let code = Uscc::parse("91350100m000100y43").expect("valid");
        assert_eq!(code.to_string(), VALID);
        let json = serde_json::to_string(&code).expect("serialize");
        assert_eq!(json, format!("\"{VALID}\""));
        assert_eq!(
            serde_json::from_str::<Uscc>(&json).expect("deserialize"),
            code
        );
        assert!(serde_json::from_str::<Uscc>("\"91350100M000100Y44\"").is_err());
        assert_eq!(VALID.parse::<Uscc>(), Ok(code));
    }
}
