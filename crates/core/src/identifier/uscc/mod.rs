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

/// The region segment (positions 3-8) of a code issued by a registration
/// authority at national level (a central enterprise registered with the
/// State Administration for Market Regulation, a national social
/// organisation registered with the Ministry of Civil Affairs, ...).
///
/// GB 32100-2015 fills positions 3-8 with the GB/T 2260 code of the
/// registration authority's region, and GB/T 2260 has no code for the
/// country as a whole; the registries write `100000` for it, and codes they
/// issued that way are in use, e.g. `91100000100003962T` (Industrial and
/// Commercial Bank of China) and `911000001000013428` (Bank of China).
const CENTRAL_REGION: &[u8; 6] = b"100000";

/// An 18-character unified social credit code of a legal person or other
/// organisation, valid under GB 32100-2015.
///
/// Layout: registration authority (1), category (2), region of the
/// registration authority (3-8: a GB/T 2260 code, or `100000` for a central
/// registration), the GB 11714 organisation code with its own check (9-17),
/// check (18).
///
/// The MOD 31 check of position 18 covers the whole code and is enforced;
/// the organisation code's own check (position 17) is not, because
/// registries have issued codes whose embedded organisation code fails it
/// while the whole code's check holds (e.g. `91310000631295002H`, a listed
/// bank's). A code a registry really issued must be accepted, so that
/// mismatch is carried as a warning: see [`Uscc::organization_code_mismatch`].
///
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
    /// Positions 3-8 are neither six digits starting with a GB/T 2260
    /// province code nor `100000` (a central registration).
    #[error(
        "{code} (positions 3-8) is not a GB/T 2260 region code nor 100000 (a central registration)"
    )]
    Region {
        /// The six characters found.
        code: String,
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

/// A warning, not an error: the organisation code embedded in a [`Uscc`]
/// (positions 9-17) does not satisfy its own GB 11714 check character,
/// although the code as a whole satisfies GB 32100's MOD 31 check.
///
/// Registries have issued such codes (e.g. `91310000631295002H`); a form
/// may show this to a clerk, but must not refuse the code for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganizationCodeMismatch {
    /// The GB 11714 check character computed from positions 9-16.
    pub expected: char,
    /// The character at position 17.
    pub found: char,
}

impl fmt::Display for OrganizationCodeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the embedded organisation code's GB 11714 check character (position 17) should be {}, found {}",
            self.expected, self.found
        )
    }
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
    ///
    /// The embedded organisation code's GB 11714 check is not one of these
    /// rules (see [`Uscc`]); ask [`Uscc::organization_code_mismatch`].
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
        let provincial =
            region.iter().all(u8::is_ascii_digit) && is_province_prefix(region[0], region[1]);
        if !provincial && region != CENTRAL_REGION {
            return Err(UsccError::Region {
                code: String::from_utf8_lossy(region).into_owned(),
            });
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

    /// The region code of the registration authority (positions 3-8), or
    /// `None` for a central registration (`100000`), which names no region.
    pub fn region(&self) -> Option<RegionCode> {
        RegionCode::parse(&self.as_str()[2..8]).ok()
    }

    /// The GB 11714 organisation code with its check (positions 9-17).
    pub fn organization_code(&self) -> &str {
        &self.as_str()[8..17]
    }

    /// The warning to show when the embedded organisation code's own
    /// GB 11714 check character (position 17) does not hold, or `None`
    /// when it does. Never a reason to refuse the code (see [`Uscc`]).
    pub fn organization_code_mismatch(&self) -> Option<OrganizationCodeMismatch> {
        let expected = organization_check(&self.0[8..16]);
        let found = char::from(self.0[16]);
        (expected != found).then_some(OrganizationCodeMismatch { expected, found })
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
mod tests;
