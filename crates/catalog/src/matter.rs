//! Checking one matter: its department, materials, fields, limits and trips.

use toml::Spanned;
use yici_core::calendar::WorkingDays;
use yici_core::catalog::{
    DatasetCode, DatasetField, DeliveryMode, Field, FieldKey, Material, MaterialSource, Matter,
    MatterCode, Text, Trips,
};

use crate::file::{RawField, RawMatter};
use crate::load::Reader;
use crate::problem::At;

/// The longest retention a matter may declare, in years; beyond it a
/// matter keeps its documents permanently (永久) by leaving it out.
const MAX_RETENTION_YEARS: u16 = 100;

impl Reader {
    pub(crate) fn matter(&mut self, fid: usize, raw: &Spanned<RawMatter>) {
        let raw = raw.get_ref();
        let code = self.code(fid, &raw.code, "matter", MatterCode::parse);
        let department = self.department_ref(fid, &raw.department);
        let limits = self.limits(fid, raw);
        let trips = self.trips(fid, raw);
        let retention = self.retention(fid, raw);
        let mut prerequisites = Vec::new();
        for p in &raw.prerequisites {
            if let Some(p) = self.matter_ref(fid, p) {
                prerequisites.push(p);
            }
        }
        let Some(code) = code else { return };
        let materials = self.materials(fid, &code, raw);
        let fields = self.fields(fid, Some(&code), &raw.field);
        let auto_approve = self.conditions(fid, raw, fields.as_deref());
        let fees = self.fees(fid, raw, fields.as_deref());
        if let Some(trips) = &trips {
            self.trips_consistent(fid, raw, trips, materials.as_deref());
        }
        if self.catalog.matters.contains_key(&code)
            || self.matter_codes.get(code.as_str()) != Some(&At::new(fid, raw.code.span()))
        {
            return; // a duplicate, already reported
        }
        let (Some(department), Some((statutory_limit, promised_limit)), Some(trips)) =
            (department, limits, trips)
        else {
            return;
        };
        let (Some(materials), Some(fields), Some(auto_approve)) = (materials, fields, auto_approve)
        else {
            return;
        };
        let Some(retention_years) = retention else {
            return;
        };
        let Some(fees) = fees else { return };
        let matter = Matter {
            code: code.clone(),
            name: raw.name.clone(),
            department,
            level: raw.level,
            kind: raw.kind,
            legal_basis: raw.legal_basis.clone(),
            description: raw.description.clone().unwrap_or_else(|| Text {
                zh: "".into(),
                en: "".into(),
            }),
            materials,
            fields,
            statutory_limit,
            promised_limit,
            fees,
            online: raw.online,
            result: raw.result.clone(),
            delivery: raw.delivery.get_ref().clone(),
            prerequisites,
            trips,
            keywords: raw.keywords.clone(),
            auto_approve,
            retention_years,
        };
        self.catalog.matters.insert(code, matter);
    }

    /// Rule conditions may only test the matter's own fields, with a
    /// constant of the right shape.
    fn conditions(
        &mut self,
        fid: usize,
        raw: &RawMatter,
        fields: Option<&[Field]>,
    ) -> Option<Vec<yici_core::catalog::rule::Condition>> {
        use yici_core::catalog::rule::Op;
        let mut ok = true;
        let mut out = Vec::new();
        for c in &raw.auto_approve {
            let at = At::new(fid, c.span());
            let c = c.get_ref();
            let known = fields.is_none_or(|fs| fs.iter().any(|f| f.key == c.field));
            let problem = if !known {
                Some(format!(
                    "condition tests {}, not a field of this matter",
                    c.field
                ))
            } else {
                match c.op {
                    Op::Lt | Op::Le | Op::Gt | Op::Ge if !c.value.is_number() => {
                        Some(format!("{:?} needs a number", c.op))
                    }
                    Op::In if !c.value.is_array() => Some("in needs a list".to_owned()),
                    _ => None,
                }
            };
            match problem {
                Some(p) => {
                    self.problems.report(at, "malformed_rule", p);
                    ok = false;
                }
                None => out.push(c.clone()),
            }
        }
        ok.then_some(out)
    }

    fn limits(&mut self, fid: usize, raw: &RawMatter) -> Option<(WorkingDays, WorkingDays)> {
        let statutory = self.working_days(fid, &raw.statutory_limit, "statutory_limit");
        let promised = self.working_days(fid, &raw.promised_limit, "promised_limit");
        let (statutory, promised) = (statutory?, promised?);
        if promised.get() > statutory.get() {
            self.problems.report(
                At::new(fid, raw.promised_limit.span()),
                "promised_above_statutory",
                format!(
                    "promised limit {} working days is above the statutory limit {}",
                    promised.get(),
                    statutory.get()
                ),
            );
            return None;
        }
        Some((statutory, promised))
    }

    /// A retention period is whole years from 1 to [`MAX_RETENTION_YEARS`];
    /// `Some(None)` when the matter keeps its documents permanently.
    fn retention(&mut self, fid: usize, raw: &RawMatter) -> Option<Option<u16>> {
        let Some(years) = &raw.retention_years else {
            return Some(None);
        };
        match u16::try_from(*years.get_ref()) {
            Ok(y) if (1..=MAX_RETENTION_YEARS).contains(&y) => Some(Some(y)),
            _ => {
                self.problems.report(
                    At::new(fid, years.span()),
                    "invalid_retention",
                    format!(
                        "retention_years {} is not from 1 to {MAX_RETENTION_YEARS}; leave it out to keep the documents permanently",
                        years.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn working_days(&mut self, fid: usize, raw: &Spanned<u32>, what: &str) -> Option<WorkingDays> {
        match WorkingDays::new(*raw.get_ref()) {
            Ok(days) => Some(days),
            Err(e) => {
                self.problems.report(
                    At::new(fid, raw.span()),
                    "invalid_limit",
                    format!("{what}: {e}"),
                );
                None
            }
        }
    }

    fn trips(&mut self, fid: usize, raw: &RawMatter) -> Option<Trips> {
        let at = At::new(fid, raw.trips.span());
        match (*raw.trips.get_ref(), &raw.negative_list_reason) {
            (0, None) => Some(Trips::Zero),
            (1, None) => Some(Trips::One),
            (n, Some(reason)) if n >= 2 => Some(Trips::NegativeList {
                trips: n,
                reason: reason.clone(),
            }),
            (n, Some(_)) => {
                self.problems.report(
                    at,
                    "negative_list_reason_missing",
                    format!("a negative-list reason is given but trips is {n}; the negative list is for matters needing 2 or more trips"),
                );
                None
            }
            (n, None) => {
                self.problems.report(
                    at,
                    "negative_list_reason_missing",
                    format!(
                        "{n} trips needs a negative_list_reason saying why one trip is not possible"
                    ),
                );
                None
            }
        }
    }

    /// A zero-trip claim must not be contradicted by what the matter needs.
    fn trips_consistent(
        &mut self,
        fid: usize,
        raw: &RawMatter,
        trips: &Trips,
        materials: Option<&[Material]>,
    ) {
        if *trips != Trips::Zero {
            return;
        }
        let at = At::new(fid, raw.trips.span());
        if let Some(m) = materials
            .unwrap_or_default()
            .iter()
            .find(|m| m.original_required)
        {
            self.problems.report(
                at,
                "trips_contradicted",
                format!(
                    "0 trips claimed but material {} needs its paper original at the window",
                    m.key
                ),
            );
        }
        if !raw.online {
            self.problems.report(
                at,
                "trips_contradicted",
                "0 trips claimed but the matter cannot be applied for online",
            );
        }
        let remote = raw
            .delivery
            .get_ref()
            .iter()
            .any(|d| matches!(d, DeliveryMode::Express | DeliveryMode::Electronic));
        if !remote {
            self.problems.report(
                at,
                "trips_contradicted",
                "0 trips claimed but the result can only be picked up at a window",
            );
        }
    }

    fn materials(
        &mut self,
        fid: usize,
        matter: &MatterCode,
        raw: &RawMatter,
    ) -> Option<Vec<Material>> {
        let mut out = Vec::new();
        let mut ok = true;
        let mut seen = std::collections::BTreeSet::new();
        for m in &raw.material {
            let m = m.get_ref();
            let key = self.code(fid, &m.key, "material key", FieldKey::parse);
            if !seen.insert(m.key.get_ref().clone()) {
                self.problems.report(
                    At::new(fid, m.key.span()),
                    "duplicate_code",
                    format!(
                        "material {:?} is listed twice in this matter",
                        m.key.get_ref()
                    ),
                );
            }
            let source = self.material_source(fid, matter, &m.source);
            let result_of = match &m.result_of {
                Some(r) => self.matter_ref(fid, r).map(Some),
                None => Some(None),
            };
            match (key, source, result_of) {
                (Some(key), Some(source), Some(result_of)) => out.push(Material {
                    key,
                    name: m.name.clone(),
                    source,
                    original_required: m.original_required,
                    by_post: self.by_post(fid, m),
                    deficiency_allowed: m.deficiency_allowed,
                    result_of,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `by_post` only where an original is asked for: otherwise there is
    /// nothing to post.
    fn by_post(&mut self, fid: usize, m: &crate::file::RawMaterial) -> bool {
        let Some(by_post) = &m.by_post else {
            return false;
        };
        if *by_post.get_ref() && !m.original_required {
            self.problems.report(
                At::new(fid, by_post.span()),
                "by_post_without_original",
                format!(
                    "material {:?} may come by post only if its original is required (original_required = true)",
                    m.key.get_ref()
                ),
            );
        }
        *by_post.get_ref()
    }

    fn material_source(
        &mut self,
        fid: usize,
        matter: &MatterCode,
        raw: &Spanned<String>,
    ) -> Option<MaterialSource> {
        let at = At::new(fid, raw.span());
        let text = raw.get_ref().trim();
        match text {
            "" => {
                self.problems
                    .report(at, "material_without_source", "the material has no source");
                None
            }
            "applicant" => Some(MaterialSource::Applicant),
            "self" => Some(MaterialSource::Department),
            _ => {
                match text.strip_prefix("exchange:") {
                    Some(path) => {
                        let (dataset, field) = self.dataset_field(fid, raw, path)?;
                        let granted = self.catalog.datasets[&dataset].grants_read(matter, &field);
                        if !granted {
                            self.problems.report(
                            at,
                            "exchange_not_granted",
                            format!("data set {dataset} does not grant field {field} to matter {matter}"),
                        );
                            return None;
                        }
                        Some(MaterialSource::Exchange { dataset, field })
                    }
                    None => {
                        self.problems.report(
                            at,
                            "material_without_source",
                            format!(
                                "source {text:?} is none of applicant, self, exchange:DATASET.FIELD"
                            ),
                        );
                        None
                    }
                }
            }
        }
    }

    /// Resolves `DATASET.FIELD` to a data set of the catalog and one of its fields.
    fn dataset_field(
        &mut self,
        fid: usize,
        raw: &Spanned<String>,
        path: &str,
    ) -> Option<(DatasetCode, String)> {
        let at = At::new(fid, raw.span());
        let Some((dataset, field)) = path.split_once('.') else {
            self.problems.report(
                at,
                "unknown_dataset_field",
                format!("{path:?} is not of the form DATASET.FIELD"),
            );
            return None;
        };
        let Some(ds) = DatasetCode::parse(dataset)
            .ok()
            .and_then(|c| self.catalog.datasets.get(&c))
        else {
            self.problems.report(
                at,
                "unknown_dataset",
                format!("data set {dataset:?} is not in datasets/"),
            );
            return None;
        };
        if !ds.fields.iter().any(|f| f.key == field) {
            self.problems.report(
                at,
                "unknown_dataset_field",
                format!("data set {dataset} has no field {field:?}"),
            );
            return None;
        }
        Some((ds.code.clone(), field.to_owned()))
    }

    /// Checks form fields; `matter` is the matter they belong to, if any,
    /// whose read grant a pre-fill needs.
    pub(crate) fn fields(
        &mut self,
        fid: usize,
        matter: Option<&MatterCode>,
        raw: &[Spanned<RawField>],
    ) -> Option<Vec<Field>> {
        let mut out = Vec::new();
        let mut ok = true;
        let mut seen = std::collections::BTreeSet::new();
        for f in raw {
            let at = At::new(fid, f.span());
            let f = f.get_ref();
            if !seen.insert(f.key.get_ref().clone()) {
                self.problems.report(
                    At::new(fid, f.key.span()),
                    "duplicate_code",
                    format!("field {:?} is defined twice", f.key.get_ref()),
                );
            }
            let key = self.code(fid, &f.key, "field key", FieldKey::parse);
            let field_type = match crate::field::field_type(f, &mut self.patterns) {
                Ok(t) => Some(t),
                Err(msg) => {
                    self.problems.report(
                        at,
                        "malformed_field",
                        format!("field {}: {msg}", f.key.get_ref()),
                    );
                    None
                }
            };
            let prefill = match &f.prefill {
                None => Some(None),
                Some(p) => self.prefill(fid, matter, p).map(Some),
            };
            match (key, field_type, prefill) {
                (Some(key), Some(field_type), Some(prefill)) => out.push(Field {
                    key,
                    label: f.label.clone(),
                    field_type,
                    required: f.required,
                    prefill,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn prefill(
        &mut self,
        fid: usize,
        matter: Option<&MatterCode>,
        raw: &Spanned<String>,
    ) -> Option<DatasetField> {
        let (dataset, field) = self.dataset_field(fid, raw, raw.get_ref())?;
        if let Some(matter) = matter
            && !self.catalog.datasets[&dataset].grants_read(matter, &field)
        {
            self.problems.report(
                At::new(fid, raw.span()),
                "exchange_not_granted",
                format!("pre-fill from {dataset}.{field} is not granted to matter {matter}"),
            );
            return None;
        }
        Some(DatasetField::new(dataset, field))
    }
}
