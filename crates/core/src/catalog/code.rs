//! Codes that name catalog entries. Each has one fallible constructor so that
//! a malformed code cannot exist past the edge.

use std::fmt;
use std::sync::Arc;

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The code is empty.
    #[error("code is empty")]
    Empty,
    /// The code is longer than [`MAX_CODE_LEN`] characters.
    #[error("code is {found} characters long, at most {MAX_CODE_LEN} allowed")]
    TooLong {
        /// The length found.
        found: usize,
    },
    /// The code contains a character outside `A-Z a-z 0-9 - _ .`.
    #[error("character {ch:?} at position {position} is not allowed (use A-Z a-z 0-9 - _ .)")]
    Charset {
        /// 1-based position of the character.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// A data-set field is not written `dataset.field`.
    #[error("{found:?} is not dataset.field, e.g. household.address")]
    NotDatasetField {
        /// What was given.
        found: String,
    },
}

impl CodeError {
    /// A stable machine name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            CodeError::Empty => "required",
            CodeError::TooLong { .. } => "max_length",
            CodeError::Charset { .. } => "charset",
            CodeError::NotDatasetField { .. } => "dataset_field",
        }
    }
}

/// Longest code accepted. Government matter codes (事项编码) run to about 40
/// characters with sub-matter suffixes; 64 leaves room without inviting prose.
pub const MAX_CODE_LEN: usize = 64;

fn check_code(s: &str) -> Result<(), CodeError> {
    if s.is_empty() {
        return Err(CodeError::Empty);
    }
    let len = s.chars().count();
    if len > MAX_CODE_LEN {
        return Err(CodeError::TooLong { found: len });
    }
    for (i, ch) in s.chars().enumerate() {
        if !(ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.')) {
            return Err(CodeError::Charset {
                position: i + 1,
                ch,
            });
        }
    }
    Ok(())
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        // Shared text: plans and cases copy codes a great deal, and a copy of
        // an `Arc<str>` is a reference count, not an allocation.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl $name {
            /// Parses a code: 1 to 64 characters of `A-Z a-z 0-9 - _ .`.
            pub fn parse(s: &str) -> Result<Self, CodeError> {
                check_code(s)?;
                Ok(Self(Arc::from(s)))
            }

            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = CodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

code_type!(
    /// Code of a matter (事项编码), unique in the catalog.
    MatterCode
);
code_type!(
    /// Code of a one-thing (一件事), unique in the catalog.
    OneThingCode
);
code_type!(
    /// Code of a department, e.g. `scjg` for market regulation.
    DepartmentCode
);
code_type!(
    /// Code of a shared data set in the exchange, e.g. `household`.
    DatasetCode
);
code_type!(
    /// Code of a comprehensive window area (综合窗口功能区).
    WindowCode
);
code_type!(
    /// Semantic key of a form field or material, e.g. `applicant.name`.
    /// The same key in two matters means the same datum, asked once.
    FieldKey
);

/// A field of a shared data set named from elsewhere: a form field the
/// exchange pre-fills, a material it provides, a field a consent covers.
/// Written `dataset.field`; the data set's code ends at the first dot, so a
/// field key may contain dots but a data-set code named this way may not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DatasetField {
    /// The data set.
    pub dataset: DatasetCode,
    /// The field's key within it.
    pub field: String,
}

impl DatasetField {
    /// Names `field` of `dataset`, both already checked (by the catalog).
    pub fn new(dataset: DatasetCode, field: impl Into<String>) -> Self {
        DatasetField {
            dataset,
            field: field.into(),
        }
    }

    /// Parses `dataset.field`.
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let not = || CodeError::NotDatasetField {
            found: s.to_owned(),
        };
        let (dataset, field) = s.split_once('.').ok_or_else(not)?;
        if field.is_empty() {
            return Err(not());
        }
        check_code(field)?;
        Ok(DatasetField {
            dataset: DatasetCode::parse(dataset)?,
            field: field.to_owned(),
        })
    }
}

impl fmt::Display for DatasetField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.dataset, self.field)
    }
}

impl serde::Serialize for DatasetField {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DatasetField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_with_space_is_refused_naming_position() {
        assert_eq!(
            MatterCode::parse("ab c"),
            Err(CodeError::Charset {
                position: 3,
                ch: ' '
            })
        );
    }

    #[test]
    fn empty_code_is_refused() {
        assert_eq!(DepartmentCode::parse(""), Err(CodeError::Empty));
    }

    #[test]
    fn overlong_code_is_refused() {
        let long = "a".repeat(65);
        assert_eq!(
            OneThingCode::parse(&long),
            Err(CodeError::TooLong { found: 65 })
        );
    }

    #[test]
    fn dotted_field_key_is_accepted() {
        let key = FieldKey::parse("applicant.name").expect("valid key");
        assert_eq!(key.as_str(), "applicant.name");
    }

    #[test]
    fn dataset_field_is_split_at_the_first_dot() {
        let f = DatasetField::parse("household.address").expect("valid");
        assert_eq!(f.dataset.as_str(), "household");
        assert_eq!(f.field, "address");
        assert_eq!(f.to_string(), "household.address");
    }

    #[test]
    fn dataset_field_without_a_field_is_refused() {
        for bad in ["household", "household.", ".address", "house hold.address"] {
            assert!(DatasetField::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DatasetField::parse("household").map_err(|e| e.rule()),
            Err("dataset_field")
        );
    }
}
