//! The on-disk shape of catalog files, as documented in `catalog/README.md`.
//!
//! These raw structs keep the byte span of every value that a check may need
//! to point at, so that a problem is reported with its line. They are turned
//! into the checked model of `yici_core::catalog` by [`crate::load`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use yici_core::catalog::{DeliveryMode, MatterKind, MatterLevel, ResultKind, Text};

/// `regions.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    /// `[[region]]` tables.
    #[serde(default)]
    pub region: Vec<Spanned<RawRegion>>,
}

/// One region.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub code: Spanned<String>,
    pub name: Text,
}

/// `departments.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentsFile {
    /// `[[department]]` tables.
    #[serde(default)]
    pub department: Vec<Spanned<RawDepartment>>,
    /// How bad ratings are followed up; defaults when absent.
    pub follow_up: Option<Spanned<RawFollowUp>>,
}

/// `[follow_up]`: working days to contact the applicant and to reply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUp {
    pub contact_working_days: Option<Spanned<i64>>,
    pub reply_working_days: Option<Spanned<i64>>,
}

/// One department.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepartment {
    pub code: Spanned<String>,
    pub name: Text,
    pub region: Spanned<String>,
}

/// `windows.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowsFile {
    /// `[[window]]` tables.
    #[serde(default)]
    pub window: Vec<Spanned<RawWindow>>,
    /// The `[booking]` rules of the hall; defaults when absent.
    pub booking: Option<Spanned<RawBookingPolicy>>,
}

/// `[booking]`: every rule may be left out for its default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBookingPolicy {
    pub horizon_days: Option<Spanned<i64>>,
    pub cancel_cutoff_minutes: Option<Spanned<i64>>,
    pub check_in_early_minutes: Option<Spanned<i64>>,
    pub no_show_limit: Option<Spanned<i64>>,
    pub no_show_days: Option<Spanned<i64>>,
    pub suspend_days: Option<Spanned<i64>>,
}

/// `[window.appointments]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAppointments {
    pub slot_minutes: Spanned<i64>,
    pub capacity: Spanned<i64>,
    /// `"09:00-12:00"` spans.
    pub hours: Vec<Spanned<String>>,
}

/// One window area.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    pub code: Spanned<String>,
    pub name: Text,
    pub region: Spanned<String>,
    pub address: Text,
    pub appointments: Option<Spanned<RawAppointments>>,
}

/// `synonyms.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymsFile {
    /// `[[synonyms]]` tables.
    #[serde(default)]
    pub synonyms: Vec<Spanned<RawSynonyms>>,
}

/// One synonym group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSynonyms {
    pub words: Vec<String>,
}

/// `datasets/NAME.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetFile {
    /// The `[dataset]` table.
    pub dataset: Spanned<RawDataset>,
}

/// One shared data set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDataset {
    pub code: Spanned<String>,
    pub name: Text,
    pub owner: Spanned<String>,
    #[serde(default)]
    pub personal: bool,
    #[serde(default)]
    pub field: Vec<Spanned<RawDatasetField>>,
    #[serde(default)]
    pub grants: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// One field of a data set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatasetField {
    pub key: Spanned<String>,
    pub name: Text,
}

/// `matters/NAME.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MattersFile {
    /// `[[matter]]` tables.
    #[serde(default)]
    pub matter: Vec<Spanned<RawMatter>>,
}

/// One matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatter {
    pub code: Spanned<String>,
    pub name: Text,
    pub department: Spanned<String>,
    pub level: MatterLevel,
    pub kind: MatterKind,
    pub legal_basis: Text,
    pub description: Option<Text>,
    pub statutory_limit: Spanned<u32>,
    pub promised_limit: Spanned<u32>,
    #[serde(default)]
    pub online: bool,
    pub result: ResultKind,
    pub delivery: Spanned<Vec<DeliveryMode>>,
    #[serde(default)]
    pub prerequisites: Vec<Spanned<String>>,
    pub trips: Spanned<u8>,
    pub negative_list_reason: Option<Text>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub fee: Vec<Spanned<RawFee>>,
    #[serde(default)]
    pub material: Vec<Spanned<RawMaterial>>,
    #[serde(default)]
    pub field: Vec<Spanned<RawField>>,
    #[serde(default)]
    pub auto_approve: Vec<Spanned<yici_core::catalog::rule::Condition>>,
    /// Years the case file's documents are kept after the case closes;
    /// absent: kept permanently (永久).
    pub retention_years: Option<Spanned<u32>>,
}

/// One fee.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFee {
    pub code: Spanned<String>,
    pub name: Text,
    pub amount_fen: Spanned<u64>,
    pub per: Option<Spanned<String>>,
    #[serde(default)]
    pub basis: String,
    pub payer: Option<Text>,
    pub due: yici_core::catalog::FeeDue,
}

/// One material.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMaterial {
    pub key: Spanned<String>,
    pub name: Text,
    pub source: Spanned<String>,
    #[serde(default)]
    pub original_required: bool,
    #[serde(default)]
    pub by_post: Option<Spanned<bool>>,
    #[serde(default)]
    pub deficiency_allowed: bool,
    pub result_of: Option<Spanned<String>>,
}

/// One form field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub key: Spanned<String>,
    pub label: Text,
    #[serde(rename = "type")]
    pub field_type: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    pub max_length: Option<u32>,
    pub pattern: Option<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub options: Option<Vec<String>>,
    pub prefill: Option<Spanned<String>>,
}

/// `one-things/NAME.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneThingFile {
    /// The `[one_thing]` table.
    pub one_thing: Spanned<RawOneThing>,
}

/// One one-thing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOneThing {
    pub code: Spanned<String>,
    pub name: Text,
    pub description: Option<Text>,
    pub matters: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub order: Vec<Spanned<RawOrdering>>,
    #[serde(default)]
    pub joint_inspection: Vec<Spanned<RawJointInspection>>,
    #[serde(default)]
    pub field: Vec<Spanned<RawField>>,
}

/// One ordering constraint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrdering {
    pub before: Spanned<String>,
    pub after: Spanned<String>,
}

/// One joint inspection group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJointInspection {
    pub name: Text,
    pub matters: Vec<Spanned<String>>,
}
