//! The validated catalog: departments, regions, windows, matters, one-things
//! and shared data sets. Values of these types come out of the catalog
//! loader only after every check passed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::appointments::{Appointments, BookingPolicy, FollowUpPolicy};
use super::code::{
    DatasetCode, DatasetField, DepartmentCode, FieldKey, MatterCode, OneThingCode, WindowCode,
};
use super::dataset::Dataset;
use super::text::Text;
use crate::calendar::WorkingDays;
use crate::identifier::RegionCode;

/// An administrative region (行政区划) with its GB/T 2260 code.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    /// GB/T 2260 code.
    pub code: RegionCode,
    /// Name.
    pub name: Text,
}

/// A government department that owns matters and data sets.
#[derive(Debug, Clone, Serialize)]
pub struct Department {
    /// Department code.
    pub code: DepartmentCode,
    /// Name.
    pub name: Text,
    /// Region whose government the department belongs to.
    pub region: RegionCode,
}

/// A comprehensive window area (综合窗口功能区) of a service hall.
#[derive(Debug, Clone, Serialize)]
pub struct WindowArea {
    /// Window area code.
    pub code: WindowCode,
    /// Name.
    pub name: Text,
    /// Region of the service hall.
    pub region: RegionCode,
    /// Where it is.
    pub address: Text,
    /// Its appointments; `None`: it takes no bookings.
    pub appointments: Option<Appointments>,
}

/// Administrative level at which a matter is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterLevel {
    /// 省级.
    Province,
    /// 市级.
    City,
    /// 县级.
    County,
}

/// Kind of administrative power or service (权力事项类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterKind {
    /// 行政许可.
    Licence,
    /// 行政确认.
    Confirmation,
    /// 行政给付.
    Payment,
    /// 行政征收 (taxes and fees).
    Levy,
    /// 公共服务.
    PublicService,
    /// 其他行政权力.
    Other,
}

/// Where a material comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MaterialSource {
    /// The applicant brings or uploads it.
    Applicant,
    /// Another department holds it; the exchange fetches it with consent.
    Exchange {
        /// Data set.
        dataset: DatasetCode,
        /// Field of the data set.
        field: String,
    },
    /// The handling department produces it itself (e.g. a site inspection record).
    #[serde(rename = "self")]
    Department,
}

impl MaterialSource {
    /// The data-set field the exchange provides this material from.
    pub fn shared_field(&self) -> Option<DatasetField> {
        match self {
            MaterialSource::Exchange { dataset, field } => {
                Some(DatasetField::new(dataset.clone(), field.clone()))
            }
            _ => None,
        }
    }
}

/// A document or datum a matter needs (申请材料).
#[derive(Debug, Clone, Serialize)]
pub struct Material {
    /// Semantic key: the same key in two matters is the same material.
    pub key: FieldKey,
    /// Name.
    pub name: Text,
    /// Where it comes from.
    pub source: MaterialSource,
    /// The original paper must be shown at the window: forces a trip.
    pub original_required: bool,
    /// The original may come by post instead (原件寄递): a courier picks
    /// it up and the window sends it back, and it costs no trip.
    pub by_post: bool,
    /// May be missing at acceptance (容缺) and supplied later.
    pub deficiency_allowed: bool,
    /// The result of this matter; when both are in one one-thing the
    /// departments pass it on themselves.
    pub result_of: Option<MatterCode>,
}

/// Type and validation of a form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldType {
    /// Free text, optionally bounded.
    Text {
        /// Longest accepted, in characters.
        max_length: Option<u32>,
        /// A regular expression the whole value must match.
        pattern: Option<String>,
    },
    /// A number within bounds.
    Number {
        /// Smallest accepted.
        min: Option<i64>,
        /// Largest accepted.
        max: Option<i64>,
    },
    /// A calendar date.
    Date,
    /// A GB 11643 resident ID.
    ResidentId,
    /// A GB 32100 unified social credit code.
    Uscc,
    /// A mainland mobile or fixed phone number.
    Phone,
    /// A GB/T 2260 region code.
    Region,
    /// Yes or no.
    Bool,
    /// One of a fixed list.
    Choice {
        /// The accepted values.
        options: Vec<String>,
    },
}

/// A field of an application form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Semantic key; the merged form of a one-thing asks each key once.
    pub key: FieldKey,
    /// Label.
    pub label: Text,
    /// Type and validation.
    #[serde(flatten)]
    pub field_type: FieldType,
    /// Must be filled.
    pub required: bool,
    /// Data-set field the exchange can pre-fill this field from.
    pub prefill: Option<DatasetField>,
}

/// When a fee must be paid for the case to go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeDue {
    /// Before the case is accepted (受理前缴费).
    BeforeAcceptance,
    /// Before the result is issued (出件前缴费).
    BeforeIssue,
}

/// A fee the applicant pays (行政事业性收费).
#[derive(Debug, Clone, Serialize)]
pub struct Fee {
    /// The fee item's code, unique within its matter; a payment names it.
    pub code: String,
    /// What it is for.
    pub name: Text,
    /// Amount in fen (0.01 yuan), to avoid floating point money; per unit
    /// when `per` is set.
    pub amount_fen: u64,
    /// The rule: a number field of the form giving the count of units
    /// (e.g. 每件 80 元); `None`: the amount is fixed.
    pub per: Option<FieldKey>,
    /// Legal basis of the fee.
    pub basis: String,
    /// Who pays it (申请人, 买受人 …).
    pub payer: Text,
    /// When it must be paid.
    pub due: FeeDue,
}

/// What the applicant gets at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResultKind {
    /// An electronic certificate (电子证照) of the given type.
    Certificate {
        /// Certificate type, e.g. `food-business-licence`.
        certificate_type: String,
    },
    /// A paper document (批文, 证书).
    Paper,
    /// Nothing to hand over (a registration or a payment).
    None,
}

/// How a result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    /// Picked up at a window (a trip).
    Window,
    /// Sent by express (no trip).
    Express,
    /// Delivered as an e-certificate or online notice (no trip).
    Electronic,
}

/// The trips a matter needs when materials are complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trips {
    /// 零跑动: done entirely online.
    Zero,
    /// 最多跑一次.
    One,
    /// On the negative list (负面清单): more than one trip, with the reason.
    NegativeList {
        /// Trips needed.
        trips: u8,
        /// Why one trip is not possible (a law, a physical check).
        reason: Text,
    },
}

impl Trips {
    /// Number of trips.
    pub fn count(&self) -> u8 {
        match self {
            Trips::Zero => 0,
            Trips::One => 1,
            Trips::NegativeList { trips, .. } => *trips,
        }
    }
}

/// One standardized government service (事项).
#[derive(Debug, Clone, Serialize)]
pub struct Matter {
    /// Matter code.
    pub code: MatterCode,
    /// Name.
    pub name: Text,
    /// Handling department.
    pub department: DepartmentCode,
    /// Level.
    pub level: MatterLevel,
    /// Kind.
    pub kind: MatterKind,
    /// Legal basis (设定依据).
    pub legal_basis: Text,
    /// Conditions and a short description for the guide.
    pub description: Text,
    /// Materials.
    pub materials: Vec<Material>,
    /// Form fields.
    pub fields: Vec<Field>,
    /// Statutory limit (法定时限).
    pub statutory_limit: WorkingDays,
    /// Promised limit (承诺时限), never above the statutory one.
    pub promised_limit: WorkingDays,
    /// Fees; empty when free.
    pub fees: Vec<Fee>,
    /// Can be applied for online.
    pub online: bool,
    /// What the applicant gets.
    pub result: ResultKind,
    /// How the result can be delivered.
    pub delivery: Vec<DeliveryMode>,
    /// Matters whose result this one needs first.
    pub prerequisites: Vec<MatterCode>,
    /// Trips needed.
    pub trips: Trips,
    /// Extra search words.
    pub keywords: Vec<String>,
    /// Conditions under which the matter is approved at once (秒批);
    /// empty when a reviewer always decides.
    pub auto_approve: Vec<super::rule::Condition>,
    /// Years a closed case's documents of this matter are kept (保管期限);
    /// `None`: permanently (永久).
    pub retention_years: Option<u16>,
}

/// A group of matters whose departments inspect the site together (联合踏勘).
#[derive(Debug, Clone, Serialize)]
pub struct JointInspection {
    /// Name.
    pub name: Text,
    /// Matters inspected in one visit.
    pub matters: Vec<MatterCode>,
}

/// An ordering constraint inside a one-thing: `after` needs `before`'s result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ordering {
    /// Decided first.
    pub before: MatterCode,
    /// Decided after.
    pub after: MatterCode,
}

/// A life or business event bundling several matters (一件事).
#[derive(Debug, Clone, Serialize)]
pub struct OneThing {
    /// Code.
    pub code: OneThingCode,
    /// Name.
    pub name: Text,
    /// What it covers, for the guide.
    pub description: Text,
    /// Matters, in the catalog's order.
    pub matters: Vec<MatterCode>,
    /// Ordering constraints beyond the matters' own prerequisites.
    pub order: Vec<Ordering>,
    /// Joint inspections.
    pub joint_inspections: Vec<JointInspection>,
    /// Fields the one-thing asks on top of its matters' fields.
    pub fields: Vec<Field>,
    /// Extra search words.
    pub keywords: Vec<String>,
}

/// Words that mean the same thing to a searcher (饭店 / 餐馆 / 餐饮).
#[derive(Debug, Clone, Serialize)]
pub struct SynonymGroup {
    /// The words; the first is the canonical one.
    pub words: Vec<String>,
}

/// The whole, checked catalog.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Catalog {
    /// Regions by code.
    pub regions: BTreeMap<RegionCode, Region>,
    /// Departments by code.
    pub departments: BTreeMap<DepartmentCode, Department>,
    /// Window areas by code.
    pub windows: BTreeMap<WindowCode, WindowArea>,
    /// Matters by code.
    pub matters: BTreeMap<MatterCode, Matter>,
    /// One-things by code.
    pub one_things: BTreeMap<OneThingCode, OneThing>,
    /// Data sets by code.
    pub datasets: BTreeMap<DatasetCode, Dataset>,
    /// Synonym groups for search.
    pub synonyms: Vec<SynonymGroup>,
    /// The booking rules of the hall.
    pub booking: BookingPolicy,
    /// How departments follow up bad ratings.
    pub follow_up: FollowUpPolicy,
}

impl Catalog {
    /// Matters on the negative list, in code order.
    pub fn negative_list(&self) -> impl Iterator<Item = &Matter> {
        self.matters
            .values()
            .filter(|m| matches!(m.trips, Trips::NegativeList { .. }))
    }

    /// Matters of one department, in code order.
    pub fn matters_of<'a>(&'a self, dept: &'a DepartmentCode) -> impl Iterator<Item = &'a Matter> {
        self.matters.values().filter(move |m| &m.department == dept)
    }
}
