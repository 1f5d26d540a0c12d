//! Citizen identity numbers (公民身份号码), GB 11643-1999.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, macros::offset};

use super::region::RegionCode;

/// ISO 7064 MOD 11-2 weights for the 17 body digits (GB 11643-1999).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each value of the weighted sum mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// An 18-character citizen identity number, valid under GB 11643-1999:
/// region of first registration, date of birth, sequence and check
/// character.
///
/// The only way to obtain one is [`ResidentId::parse`] (or
/// [`ResidentId::parse_at`]), so a value of this type always holds a
/// well-formed number, with a lowercase `x` normalised to `X`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResidentId([u8; 18]);

/// The sex encoded in the sequence code (GB 11643-1999): odd for men,
/// even for women.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Odd 17th digit.
    Male,
    /// Even 17th digit.
    Female,
}

/// Why a string is not a [`ResidentId`]; each variant names one rule of
/// GB 11643. Positions are 1-based, as in the standard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    /// The number does not have 18 characters.
    #[error("a resident ID has 18 characters, found {found}")]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// A character is not a digit (or, in the last position, `X`).
    #[error(
        "a resident ID has digits in positions 1-17 and a digit or X in position 18, found {ch:?} at position {position}"
    )]
    Charset {
        /// 1-based position of the offending character.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// Positions 1-6 do not start with a GB/T 2260 province code.
    #[error("region code {code} (positions 1-6) does not start with a GB/T 2260 province code")]
    Region {
        /// The six-digit region prefix found.
        code: String,
    },
    /// Positions 7-14 are not a real calendar date.
    #[error("birth date {digits} (positions 7-14) is not a real date")]
    BirthDate {
        /// The eight digits found.
        digits: String,
    },
    /// The birth date lies after the date of validation.
    #[error("birth date {birth_date} is in the future")]
    FutureBirthDate {
        /// The birth date encoded in the number.
        birth_date: Date,
    },
    /// The check character does not match ISO 7064 MOD 11-2.
    #[error("check character should be {expected}, found {found}")]
    CheckDigit {
        /// The check character computed from positions 1-17.
        expected: char,
        /// The check character given.
        found: char,
    },
}

impl ResidentIdError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::Charset { .. } => "charset",
            Self::Region { .. } => "region",
            Self::BirthDate { .. } => "birth_date",
            Self::FutureBirthDate { .. } => "future_birth_date",
            Self::CheckDigit { .. } => "check_digit",
        }
    }
}

/// Computes the check character (`0`-`9` or `X`) for the first 17 digits
/// of a resident ID, per ISO 7064 MOD 11-2 (GB 11643-1999).
///
/// Meant for test fixtures and tools that build valid numbers; it checks
/// only length and charset, not region or birth date.
pub fn resident_id_check_char(first17: &str) -> Result<char, ResidentIdError> {
    let found = first17.chars().count();
    if found != 17 {
        return Err(ResidentIdError::Length { found });
    }
    check_body_digits(first17)?;
    Ok(check_char(first17.as_bytes()))
}

fn check_body_digits(s: &str) -> Result<(), ResidentIdError> {
    match s
        .chars()
        .take(17)
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
    {
        Some((i, ch)) => Err(ResidentIdError::Charset {
            position: i + 1,
            ch,
        }),
        None => Ok(()),
    }
}

/// `body` holds at least 17 ASCII digits.
fn check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

fn two_digits(b: &[u8]) -> u8 {
    (b[0] - b'0') * 10 + (b[1] - b'0')
}

/// `digits` holds eight ASCII digits `YYYYMMDD`.
fn birth_date_of(digits: &[u8]) -> Option<Date> {
    let year = i32::from(two_digits(&digits[0..2])) * 100 + i32::from(two_digits(&digits[2..4]));
    let month = Month::try_from(two_digits(&digits[4..6])).ok()?;
    Date::from_calendar_date(year, month, two_digits(&digits[6..8])).ok()
}

impl ResidentId {
    /// Parses and validates a resident ID against today's date in China
    /// Standard Time (UTC+8), the one place this crate reads the clock.
    /// Use [`ResidentId::parse_at`] where the date must be fixed.
    pub fn parse(s: &str) -> Result<Self, ResidentIdError> {
        let today = OffsetDateTime::now_utc().to_offset(offset!(+8)).date();
        Self::parse_at(s, today)
    }

    /// Parses and validates a resident ID, judging the birth date against
    /// `today`. The rules are checked in the order of the error variants,
    /// and the first broken one is reported.
    ///
    /// The region prefix is checked for its province only: a number keeps
    /// the code of the place of first registration even after that code
    /// is abolished, so the list of codes in force cannot be used here.
    pub fn parse_at(s: &str, today: Date) -> Result<Self, ResidentIdError> {
        let found = s.chars().count();
        if found != 18 {
            return Err(ResidentIdError::Length { found });
        }
        check_body_digits(s)?;
        // Positions 1-17 are ASCII digits now, so byte 17 starts the last character.
        let last = match s[17..].chars().next() {
            Some(c @ ('0'..='9' | 'X')) => c,
            Some('x') => 'X',
            Some(ch) => return Err(ResidentIdError::Charset { position: 18, ch }),
            None => return Err(ResidentIdError::Length { found }),
        };
        let mut id = [0u8; 18];
        id[..17].copy_from_slice(&s.as_bytes()[..17]);
        id[17] = last as u8;
        let region = &s[..6];
        if RegionCode::parse(region).is_err() {
            return Err(ResidentIdError::Region {
                code: region.to_owned(),
            });
        }
        let birth_date = birth_date_of(&id[6..14]).ok_or_else(|| ResidentIdError::BirthDate {
            digits: String::from_utf8_lossy(&id[6..14]).into_owned(),
        })?;
        if birth_date > today {
            return Err(ResidentIdError::FutureBirthDate { birth_date });
        }
        let expected = check_char(&id);
        let found = char::from(id[17]);
        if expected != found {
            return Err(ResidentIdError::CheckDigit { expected, found });
        }
        Ok(Self(id))
    }

    /// The normalised 18 characters.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a ResidentId holds ASCII by construction")
    }

    /// The address code of first registration (positions 1-6).
    pub fn region_prefix(&self) -> RegionCode {
        RegionCode::parse(&self.as_str()[..6]).expect("validated by parse")
    }

    /// The date of birth (positions 7-14).
    pub fn birth_date(&self) -> Date {
        birth_date_of(&self.0[6..14]).expect("validated by parse")
    }

    /// The sex, from the parity of the 17th digit.
    pub fn sex(&self) -> Sex {
        if (self.0[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shows the whole number: it is personal data, so keep `Debug` output of
/// values that hold one out of logs.
impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.as_str())
    }
}

impl FromStr for ResidentId {
    type Err = ResidentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserializes through [`ResidentId::parse`], so against today's date.
impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 01);

    /// A number with a valid check character for the given body.
    fn with_check(first17: &str) -> String {
        let check = resident_id_check_char(first17).expect("17 digits");
        format!("{first17}{check}")
    }

    fn rule(s: &str) -> Result<String, &'static str> {
        ResidentId::parse_at(s, TODAY)
            .map(|id| id.as_str().to_owned())
            .map_err(|e| e.rule())
    }

    #[test]
    fn well_formed_number_parses() {
        // The worked example usually quoted from GB 11643-1999: 11010519491231002X.
        assert_eq!(rule("11010519491231002X"), Ok("11010519491231002X".into()));
    }

    #[test]
    fn lowercase_x_is_normalised_to_uppercase() {
        assert_eq!(rule("11010519491231002x"), Ok("11010519491231002X".into()));
    }

    #[test]
    fn length_other_than_eighteen_is_rejected() {
        assert_eq!(
            ResidentId::parse_at("110105194912310", TODAY),
            Err(ResidentIdError::Length { found: 15 })
        );
        assert_eq!(rule("11010519491231002X0"), Err("length"));
    }

    #[test]
    fn letter_in_body_is_rejected_with_its_position() {
        assert_eq!(
            ResidentId::parse_at("1101051949123100X2", TODAY),
            Err(ResidentIdError::Charset {
                position: 17,
                ch: 'X'
            })
        );
        assert_eq!(rule("11010519491231002Y"), Err("charset"));
        assert_eq!(rule("11010519491231002é"), Err("charset"));
    }

    #[test]
    fn region_prefix_must_start_with_province_code() {
        assert_eq!(rule(&with_check("99010519491231002")), Err("region"));
        assert_eq!(rule(&with_check("10010519491231002")), Err("region"));
    }

    #[test]
    fn birth_date_must_be_a_real_date() {
        assert_eq!(
            ResidentId::parse_at(&with_check("11010519990230002"), TODAY),
            Err(ResidentIdError::BirthDate {
                digits: "19990230".into()
            })
        );
        assert_eq!(rule(&with_check("11010519991301002")), Err("birth_date"));
        assert_eq!(rule(&with_check("11010520230229002")), Err("birth_date"));
        assert!(rule(&with_check("11010520240229002")).is_ok());
    }

    #[test]
    fn birth_date_after_today_is_rejected_but_today_is_accepted() {
        assert_eq!(
            ResidentId::parse_at(&with_check("33010620250602001"), TODAY),
            Err(ResidentIdError::FutureBirthDate {
                birth_date: date!(2025 - 06 - 02)
            })
        );
        assert!(rule(&with_check("33010620250601001")).is_ok());
    }

    #[test]
    fn wrong_check_character_reports_expected_and_found() {
        assert_eq!(
            ResidentId::parse_at("110105194912310021", TODAY),
            Err(ResidentIdError::CheckDigit {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn check_char_helper_rejects_bad_bodies() {
        assert_eq!(
            resident_id_check_char("1101051949123100"),
            Err(ResidentIdError::Length { found: 16 })
        );
        assert_eq!(
            resident_id_check_char("1101051949123100A"),
            Err(ResidentIdError::Charset {
                position: 17,
                ch: 'A'
            })
        );
    }

    #[test]
    fn accessors_read_region_birth_date_and_sex() {
        let id = ResidentId::parse_at("11010519491231002X", TODAY).expect("valid");
        assert_eq!(id.region_prefix().as_str(), "110105");
        assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
        assert_eq!(id.sex(), Sex::Female);
        let man = ResidentId::parse_at(&with_check("33010619900101001"), TODAY).expect("valid");
        assert_eq!(man.sex(), Sex::Male);
    }

    #[test]
    fn display_and_serde_use_the_normalised_string() {
        let id = ResidentId::parse_at("11010519491231002x", TODAY).expect("valid");
        assert_eq!(id.to_string(), "11010519491231002X");
        let json = serde_json::to_string(&id).expect("serialize");
        assert_eq!(json, "\"11010519491231002X\"");
        let back: ResidentId = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, id);
        assert!(serde_json::from_str::<ResidentId>("\"110105194912310021\"").is_err());
        assert_eq!("11010519491231002x".parse::<ResidentId>(), Ok(id));
    }
}
