//! Shared data sets (共享清单): what a department holds and which matter
//! may read which of its fields.

use std::collections::BTreeMap;

use serde::Serialize;

use super::code::{DatasetCode, DepartmentCode, MatterCode};
use super::text::Text;

/// A field of a shared data set, as the data set declares it.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetFieldSpec {
    /// Field key within the data set.
    pub key: String,
    /// Name.
    pub name: Text,
}

/// A shared data set (共享清单 entry) held by one department.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    /// Code.
    pub code: DatasetCode,
    /// Name.
    pub name: Text,
    /// Owning department.
    pub owner: DepartmentCode,
    /// Whether records are about natural persons (reads need consent).
    pub personal: bool,
    /// Fields.
    pub fields: Vec<DatasetFieldSpec>,
    /// Which matter may read which fields.
    pub grants: BTreeMap<MatterCode, Vec<String>>,
}

impl Dataset {
    /// Whether `matter` may read `field` of this data set.
    pub fn grants_read(&self, matter: &MatterCode, field: &str) -> bool {
        self.grants
            .get(matter)
            .is_some_and(|fields| fields.iter().any(|f| f == field))
    }
}
