//! The one-thing planner: before the applicant fills in anything, what the
//! one application will ask, what they bring, what the exchange fetches,
//! which departments work in which order, how long and how many trips.

use std::collections::BTreeMap;

use serde::Serialize;
use yici_core::catalog::{
    Catalog, DeliveryMode, DepartmentCode, Field, FieldKey, JointInspection, Material,
    MaterialSource, Matter, MatterCode, OneThing, OneThingCode, Text, Trips,
};

pub use crate::merge::{Form, FormConflict, PlannedField};
use crate::order::OrderGraph;

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// No one-thing or matter has the code.
    #[error("no one-thing or matter has the code {0:?}")]
    UnknownCode(String),
}

/// Whether a plan is for a one-thing or a single matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// A one-thing bundling several matters.
    OneThing,
    /// A single matter.
    Matter,
}

/// The plan of a one-thing or a matter.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Code of the one-thing or matter.
    pub code: String,
    /// One-thing or matter.
    pub kind: PlanKind,
    /// Name.
    pub name: Text,
    /// The merged form.
    pub form: Form,
    /// The materials, split by who provides them.
    pub materials: Materials,
    /// Parallel stages: every task of a stage runs at the same time.
    pub stages: Vec<Stage>,
    /// Promised working days along the critical path (not the sum).
    pub promised_working_days: u32,
    /// Statutory working days along the same path.
    pub statutory_working_days: u32,
    /// The matters on the critical path, in order.
    pub critical_path: Vec<MatterCode>,
    /// In-person trips when the materials are complete.
    pub trips: u32,
    /// Matters that need more than one trip, with the reasons.
    pub negative_list: Vec<NegativeListEntry>,
    /// Trips with two-way delivery (双向寄递): originals posted, results
    /// sent by express or electronically.
    pub trips_with_delivery: u32,
    /// The matters whose one trip two-way delivery removes.
    pub zero_trip_by_delivery: Vec<MatterCode>,
    /// Departments involved.
    pub departments: Vec<DepartmentCode>,
    /// Joint site inspections.
    pub joint_inspections: Vec<JointInspection>,
    /// The same matters done one by one, department by department.
    pub separately: Separately,
    /// The fees and their total.
    pub charges: crate::charges::Charges,
}

/// Materials by who provides them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Materials {
    /// The applicant brings or uploads these, once.
    pub bring: Vec<PlannedMaterial>,
    /// The exchange fetches these with the applicant's consent.
    pub fetched: Vec<PlannedMaterial>,
    /// The departments produce or pass these on themselves.
    pub internal: Vec<PlannedMaterial>,
}

/// One material of a plan, asked once however many matters need it.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedMaterial {
    /// Semantic key.
    pub key: FieldKey,
    /// Name.
    pub name: Text,
    /// Where it comes from.
    pub source: MaterialSource,
    /// Matters that need it.
    pub matters: Vec<MatterCode>,
    /// Paper original shown at the window.
    pub original_required: bool,
    /// The original may come by post instead, costing no trip.
    pub by_post: bool,
    /// May be missing at acceptance (容缺).
    pub deficiency_allowed: bool,
    /// The member matter whose result it is, when produced inside the plan.
    pub produced_by: Option<MatterCode>,
    /// The exchange would fetch it, but holds nothing for this applicant, so
    /// it must be brought (see [`Plan::with_availability`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_held: bool,
}

/// One parallel stage.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// 1-based position.
    pub index: usize,
    /// Tasks that run at the same time.
    pub tasks: Vec<StageTask>,
    /// Promised working days of the stage's longest task.
    pub working_days: u32,
}

/// One task of a stage: a matter handled by its department.
#[derive(Debug, Clone, Serialize)]
pub struct StageTask {
    /// Matter.
    pub matter: MatterCode,
    /// Member matters whose result this one needs first.
    pub depends_on: Vec<MatterCode>,
    /// Whether rules may decide it at once (秒批).
    pub rule_decidable: bool,
    /// Matter name.
    pub name: Text,
    /// Handling department.
    pub department: DepartmentCode,
    /// Promised working days.
    pub promised_limit: u32,
}

/// A matter on the negative list inside a plan.
#[derive(Debug, Clone, Serialize)]
pub struct NegativeListEntry {
    /// Matter.
    pub matter: MatterCode,
    /// Trips it needs.
    pub trips: u8,
    /// Why.
    pub reason: Text,
}

/// The same matters done separately, as before the reform.
#[derive(Debug, Clone, Serialize)]
pub struct Separately {
    /// Materials brought, counted once per matter (no sharing, no exchange).
    pub materials: usize,
    /// Trips: at least one per department visited.
    pub trips: u32,
    /// Working days one after the other.
    pub working_days: u32,
}

impl Plan {
    /// The plan for one applicant: a material the exchange would fetch but
    /// holds no data for (`available(dataset, field)` is false) falls back
    /// to "bring", marked `not_held`, so the plan says so.
    pub fn with_availability(mut self, available: impl Fn(&str, &str) -> bool) -> Plan {
        let (held, missing): (Vec<_>, Vec<_>) =
            self.materials
                .fetched
                .into_iter()
                .partition(|m| match &m.source {
                    MaterialSource::Exchange { dataset, field } => {
                        available(dataset.as_str(), field)
                    }
                    _ => true,
                });
        self.materials.fetched = held;
        for mut m in missing {
            m.not_held = true;
            self.materials.bring.push(m);
        }
        self
    }
}

/// Plans the one-thing or matter with this code.
pub fn plan(catalog: &Catalog, code: &str) -> Result<Plan, PlanError> {
    if let Some(one_thing) = OneThingCode::parse(code)
        .ok()
        .and_then(|c| catalog.one_things.get(&c))
    {
        return Ok(plan_one_thing(catalog, one_thing));
    }
    if let Some(matter) = MatterCode::parse(code)
        .ok()
        .and_then(|c| catalog.matters.get(&c))
    {
        return Ok(plan_matters(
            catalog,
            matter.code.as_str(),
            PlanKind::Matter,
            matter.name.clone(),
            &[matter],
            &[],
            &[],
            &[],
        ));
    }
    Err(PlanError::UnknownCode(code.to_owned()))
}

/// Plans a one-thing of the catalog.
pub fn plan_one_thing(catalog: &Catalog, one_thing: &OneThing) -> Plan {
    let matters: Vec<&Matter> = one_thing
        .matters
        .iter()
        .filter_map(|m| catalog.matters.get(m))
        .collect();
    plan_matters(
        catalog,
        one_thing.code.as_str(),
        PlanKind::OneThing,
        one_thing.name.clone(),
        &matters,
        &one_thing.order,
        &one_thing.joint_inspections,
        &one_thing.fields,
    )
}

#[allow(clippy::too_many_arguments)]
fn plan_matters(
    catalog: &Catalog,
    code: &str,
    kind: PlanKind,
    name: Text,
    matters: &[&Matter],
    order: &[yici_core::catalog::Ordering],
    joint_inspections: &[JointInspection],
    extra_fields: &[Field],
) -> Plan {
    let codes: Vec<MatterCode> = matters.iter().map(|m| m.code.clone()).collect();
    let graph = OrderGraph::new(catalog, &codes, order);
    let (promised, path) = graph.critical_path(|i| matters[i].promised_limit.get());
    let statutory: u32 = path.iter().map(|&i| matters[i].statutory_limit.get()).sum();
    let mut departments: Vec<DepartmentCode> = Vec::new();
    for m in matters {
        if !departments.contains(&m.department) {
            departments.push(m.department.clone());
        }
    }
    let (trips_with_delivery, _) = trips(matters, true);
    let (trips, negative_list) = trips(matters, false);
    Plan {
        code: code.to_owned(),
        kind,
        name,
        form: crate::merge::merged_form(matters, extra_fields),
        materials: materials(matters, &codes),
        stages: stages(matters, &graph),
        promised_working_days: promised,
        statutory_working_days: statutory,
        critical_path: path.iter().map(|&i| codes[i].clone()).collect(),
        trips,
        negative_list,
        trips_with_delivery,
        zero_trip_by_delivery: matters
            .iter()
            .filter(|m| posted_away(m))
            .map(|m| m.code.clone())
            .collect(),
        departments,
        joint_inspections: joint_inspections.to_vec(),
        separately: separately(matters),
        charges: crate::charges::charges(matters),
    }
}

/// Where a material ends up: departments passing it on beats the exchange,
/// which beats the applicant — the applicant is never asked for what the
/// government already holds (DESIGN invariant 3).
fn rank(material: &Material, members: &[MatterCode]) -> (u8, Option<MatterCode>) {
    if let Some(producer) = material.result_of.as_ref().filter(|p| members.contains(p)) {
        return (0, Some(producer.clone()));
    }
    match material.source {
        MaterialSource::Department => (0, None),
        MaterialSource::Exchange { .. } => (1, None),
        MaterialSource::Applicant => (2, None),
    }
}

fn materials(matters: &[&Matter], members: &[MatterCode]) -> Materials {
    let mut by_key: BTreeMap<&FieldKey, (u8, PlannedMaterial)> = BTreeMap::new();
    let mut first_seen: Vec<&FieldKey> = Vec::new();
    for matter in matters {
        for m in &matter.materials {
            let (r, producer) = rank(m, members);
            let entry = by_key.entry(&m.key).or_insert_with(|| {
                first_seen.push(&m.key);
                (
                    r,
                    PlannedMaterial {
                        key: m.key.clone(),
                        name: m.name.clone(),
                        source: m.source.clone(),
                        matters: Vec::new(),
                        original_required: false,
                        by_post: false,
                        deficiency_allowed: true,
                        produced_by: producer.clone(),
                        not_held: false,
                    },
                )
            });
            if r < entry.0 {
                entry.0 = r;
                entry.1.source = m.source.clone();
                entry.1.produced_by = producer;
            }
            entry.1.matters.push(matter.code.clone());
            // Posted only if every matter asking for the original takes it by post.
            entry.1.by_post = if entry.1.original_required && m.original_required {
                entry.1.by_post && m.by_post
            } else {
                entry.1.by_post || m.by_post
            };
            entry.1.original_required |= m.original_required;
            // Missing at acceptance only if every matter allows it.
            entry.1.deficiency_allowed &= m.deficiency_allowed;
        }
    }
    let mut out = Materials::default();
    for key in first_seen {
        let Some((r, planned)) = by_key.remove(key) else {
            continue;
        };
        match r {
            0 => out.internal.push(planned),
            1 => out.fetched.push(planned),
            _ => out.bring.push(planned),
        }
    }
    out
}

fn stages(matters: &[&Matter], graph: &OrderGraph) -> Vec<Stage> {
    let depths = graph.depths();
    let count = depths.iter().max().map_or(0, |d| d + 1);
    (0..count)
        .map(|d| {
            let tasks: Vec<StageTask> = (0..matters.len())
                .filter(|&i| depths[i] == d)
                .map(|i| StageTask {
                    matter: matters[i].code.clone(),
                    depends_on: graph
                        .before(i)
                        .into_iter()
                        .map(|b| matters[b].code.clone())
                        .collect(),
                    rule_decidable: !matters[i].auto_approve.is_empty(),
                    name: matters[i].name.clone(),
                    department: matters[i].department.clone(),
                    promised_limit: matters[i].promised_limit.get(),
                })
                .collect();
            let working_days = tasks.iter().map(|t| t.promised_limit).max().unwrap_or(0);
            Stage {
                index: d + 1,
                tasks,
                working_days,
            }
        })
        .collect()
}

/// Whether two-way delivery removes a matter's one trip: the trip is for
/// its originals (it has some, and is online), every original may come by
/// post, and the result can reach the applicant without a window. A matter
/// whose trip is for something else (no original asked) keeps it.
pub fn posted_away(m: &Matter) -> bool {
    let originals: Vec<_> = m.materials.iter().filter(|x| x.original_required).collect();
    m.trips == Trips::One
        && m.online
        && !originals.is_empty()
        && originals.iter().all(|x| x.by_post)
        && m.delivery
            .iter()
            .any(|d| matches!(d, DeliveryMode::Express | DeliveryMode::Electronic))
}

/// Trips of the bundle: every in-person step of every matter happens at the
/// one comprehensive window in one visit, so the bundle needs one trip if any
/// matter needs one, plus what negative-list matters need beyond it. With
/// `two_way`, matters whose trip two-way delivery removes need none.
fn trips(matters: &[&Matter], two_way: bool) -> (u32, Vec<NegativeListEntry>) {
    let mut base = 0;
    let mut extra = 0;
    let mut negative = Vec::new();
    for m in matters {
        match &m.trips {
            Trips::Zero => {}
            Trips::One if two_way && posted_away(m) => {}
            Trips::One => base = 1,
            Trips::NegativeList { trips, reason } => {
                base = 1;
                extra += u32::from(*trips) - 1;
                negative.push(NegativeListEntry {
                    matter: m.code.clone(),
                    trips: *trips,
                    reason: reason.clone(),
                });
            }
        }
    }
    (base + extra, negative)
}

fn separately(matters: &[&Matter]) -> Separately {
    let materials = matters
        .iter()
        .map(|m| {
            m.materials
                .iter()
                .filter(|x| x.source != MaterialSource::Department)
                .count()
        })
        .sum();
    let mut per_department: BTreeMap<&DepartmentCode, u32> = BTreeMap::new();
    for m in matters {
        let t = per_department.entry(&m.department).or_insert(1);
        *t = (*t).max(u32::from(m.trips.count()));
    }
    let working_days = matters.iter().map(|m| m.promised_limit.get()).sum();
    Separately {
        materials,
        trips: per_department.values().sum(),
        working_days,
    }
}
