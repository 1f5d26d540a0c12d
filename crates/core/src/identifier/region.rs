//! Administrative division codes (行政区划代码), GB/T 2260.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

/// The province-level prefixes (first two digits) that GB/T 2260 assigns:
/// 11–15 (North China), 21–23 (North-East), 31–37 (East), 41–46
/// (Central-South), 50–54 (South-West), 61–65 (North-West), 71 (Taiwan),
/// 81 (Hong Kong) and 82 (Macao).
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// Whether two ASCII digits form a province-level prefix of GB/T 2260.
///
/// Shared by the resident ID and the USCC, whose region segments follow the
/// same standard.
pub(crate) fn is_province_prefix(first: u8, second: u8) -> bool {
    if !first.is_ascii_digit() || !second.is_ascii_digit() {
        return false;
    }
    PROVINCES.contains(&((first - b'0') * 10 + (second - b'0')))
}

/// A six-digit GB/T 2260 administrative division code, such as `330106`
/// (杭州市西湖区).
///
/// Only the shape and the province prefix are checked: the list of codes
/// in force changes every year and lives in catalog data, as do the names.
/// The country's five-level scheme (province, city, county, township,
/// village) extends these six digits into the 9- and 12-digit statistical
/// division codes; this type models the first three levels only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode([u8; 6]);

/// The level of a [`RegionCode`], read from its zero digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionLevel {
    /// `XX0000`: a province, autonomous region or municipality (省级).
    Province,
    /// `XXXX00`: a prefecture-level city (地级). Codes such as `110100`
    /// (市辖区 of a municipality) also count as this level under the rule.
    City,
    /// Any other code: a county, district or county-level city (县级).
    County,
}

/// Why a string is not a [`RegionCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    /// The code does not have exactly six characters.
    #[error("a region code has 6 digits, found {found} characters")]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// A character is not an ASCII digit.
    #[error("a region code has only digits, found {ch:?} at position {position}")]
    Charset {
        /// 1-based position of the offending character.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// The first two digits are not a GB/T 2260 province code.
    #[error("region code {code} does not start with a GB/T 2260 province code")]
    Province {
        /// The code as given.
        code: String,
    },
}

impl RegionCodeError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::Charset { .. } => "charset",
            Self::Province { .. } => "region",
        }
    }
}

impl RegionCode {
    /// Parses a six-digit code whose first two digits name a province.
    pub fn parse(s: &str) -> Result<Self, RegionCodeError> {
        let found = s.chars().count();
        if found != 6 {
            return Err(RegionCodeError::Length { found });
        }
        if let Some((i, ch)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(RegionCodeError::Charset {
                position: i + 1,
                ch,
            });
        }
        let bytes = s.as_bytes();
        if !is_province_prefix(bytes[0], bytes[1]) {
            return Err(RegionCodeError::Province { code: s.to_owned() });
        }
        let mut code = [0u8; 6];
        code.copy_from_slice(bytes);
        Ok(Self(code))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a RegionCode holds ASCII digits by construction")
    }

    /// The level this code denotes, by its trailing zero pairs.
    pub fn level(&self) -> RegionLevel {
        match (&self.0[2..4], &self.0[4..6]) {
            (b"00", b"00") => RegionLevel::Province,
            (_, b"00") => RegionLevel::City,
            _ => RegionLevel::County,
        }
    }

    /// The code one level up (`330106` → `330100` → `330000`), or `None`
    /// for a province.
    ///
    /// This is structural: whether the parent code is in force (some
    /// counties sit directly under a province) is for the catalog to say.
    pub fn parent(&self) -> Option<RegionCode> {
        let mut code = self.0;
        match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => code[2..4].copy_from_slice(b"00"),
            RegionLevel::County => code[4..6].copy_from_slice(b"00"),
        }
        Some(Self(code))
    }

    /// Whether `other` is this region or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        match self.level() {
            RegionLevel::Province => self.0[..2] == other.0[..2],
            RegionLevel::City => self.0[..4] == other.0[..4],
            RegionLevel::County => self == other,
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({})", self.as_str())
    }
}

impl FromStr for RegionCode {
    type Err = RegionCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RegionCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid test code")
    }

    #[test]
    fn six_digits_with_province_prefix_parse() {
        assert_eq!(code("330106").as_str(), "330106");
    }

    #[test]
    fn length_other_than_six_is_rejected() {
        assert_eq!(
            RegionCode::parse("33010"),
            Err(RegionCodeError::Length { found: 5 })
        );
        assert_eq!(
            RegionCode::parse("3301060"),
            Err(RegionCodeError::Length { found: 7 })
        );
    }

    #[test]
    fn non_digit_is_rejected_with_its_position() {
        assert_eq!(
            RegionCode::parse("3301a6"),
            Err(RegionCodeError::Charset {
                position: 5,
                ch: 'a'
            })
        );
        let multibyte = RegionCode::parse("33０106").map_err(|e| e.rule());
        assert_eq!(multibyte, Err("charset"));
    }

    #[test]
    fn unknown_province_prefix_is_rejected() {
        for bad in [
            "000000", "100000", "160000", "240000", "470000", "720000", "830000",
        ] {
            assert_eq!(
                RegionCode::parse(bad).map_err(|e| e.rule()),
                Err("region"),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_listed_province_prefix_is_accepted() {
        for p in PROVINCES {
            assert!(RegionCode::parse(&format!("{p}0000")).is_ok(), "{p}");
        }
    }

    #[test]
    fn level_is_read_from_trailing_zero_pairs() {
        assert_eq!(code("330000").level(), RegionLevel::Province);
        assert_eq!(code("330100").level(), RegionLevel::City);
        assert_eq!(code("110100").level(), RegionLevel::City);
        assert_eq!(code("330106").level(), RegionLevel::County);
        assert_eq!(code("330006").level(), RegionLevel::County);
    }

    #[test]
    fn parent_climbs_one_level_and_stops_at_province() {
        assert_eq!(code("330106").parent(), Some(code("330100")));
        assert_eq!(code("330100").parent(), Some(code("330000")));
        assert_eq!(code("330000").parent(), None);
    }

    #[test]
    fn region_contains_itself_and_its_descendants_only() {
        let zhejiang = code("330000");
        let hangzhou = code("330100");
        let xihu = code("330106");
        assert!(zhejiang.contains(&xihu));
        assert!(zhejiang.contains(&hangzhou));
        assert!(hangzhou.contains(&xihu));
        assert!(xihu.contains(&xihu));
        assert!(!xihu.contains(&hangzhou));
        assert!(!hangzhou.contains(&code("330200")));
        assert!(!zhejiang.contains(&code("320106")));
    }

    #[test]
    fn serde_uses_the_string_and_validates_on_the_way_in() {
        let json = serde_json::to_string(&code("330106")).expect("serialize");
        assert_eq!(json, "\"330106\"");
        let back: RegionCode = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, code("330106"));
        assert!(serde_json::from_str::<RegionCode>("\"990000\"").is_err());
    }
}
