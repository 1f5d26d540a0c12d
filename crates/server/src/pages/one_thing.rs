//! A one-thing's guide: its plan, before anything is filled in.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use yici_catalog::plan::PlannedMaterial;
use yici_core::catalog::OneThingCode;

use super::chrome::Chrome;
use super::matter::{FieldRow, Link, field_row, source_label};
use super::render::{not_found, render};
use crate::state::AppState;

/// A material of the plan.
pub struct MaterialItem {
    pub name: String,
    pub note: String,
}

/// A stage of the plan.
pub struct StageView {
    pub title: String,
    pub days: String,
    pub tasks: Vec<TaskView>,
}

/// A task of a stage.
pub struct TaskView {
    pub matter: Link,
    pub department: String,
    pub days: u32,
}

#[derive(Template)]
#[template(path = "one_thing.html")]
struct Page {
    c: Chrome,
    code: String,
    name: String,
    description: String,
    trips: u32,
    trips_label: String,
    days: u32,
    departments: usize,
    matters: usize,
    bring: Vec<MaterialItem>,
    fetched: Vec<MaterialItem>,
    internal: Vec<MaterialItem>,
    stages: Vec<StageView>,
    fields: Vec<FieldRow>,
    joint: Vec<String>,
    negative: Vec<String>,
    before_materials: usize,
    after_materials: usize,
    before_trips: u32,
    before_days: u32,
    /// Trips with two-way delivery, and the matters it spares a trip.
    two_way_trips: u32,
    two_way_spared: Vec<String>,
    /// Each fee (name, amount, when due) and the total.
    fees: Vec<(String, String, String)>,
    fees_total: String,
}

pub async fn page(State(state): State<AppState>, c: Chrome, Path(code): Path<String>) -> Response {
    let catalog = state.catalog();
    let found = OneThingCode::parse(&code)
        .ok()
        .and_then(|k| catalog.one_things.get(&k))
        .and_then(|o| state.service().one_thing_plan(&o.code).map(|p| (o, p)));
    let Some((one_thing, plan)) = found else {
        return not_found(c);
    };
    let lang = c.code();
    let matter_name = |code: &yici_core::catalog::MatterCode| {
        catalog
            .matters
            .get(code)
            .map_or_else(|| code.to_string(), |m| m.name.get(lang).to_owned())
    };
    let items = |list: &[PlannedMaterial], with_source: bool| -> Vec<MaterialItem> {
        list.iter()
            .map(|m| MaterialItem {
                name: m.name.get(lang).to_owned(),
                note: match &m.produced_by {
                    Some(p) => format!("{}{}", c.t.get("plan.produced_by"), matter_name(p)),
                    None if with_source => source_label(&c, &m.source),
                    None => String::new(),
                },
            })
            .collect()
    };
    let stages = plan
        .stages
        .iter()
        .map(|s| StageView {
            title: c.with_n("plan.stage", s.index),
            days: c.with_n("plan.stage_days", s.working_days),
            tasks: s
                .tasks
                .iter()
                .map(|t| TaskView {
                    matter: Link {
                        href: format!("/matters/{}", t.matter),
                        label: t.name.get(lang).to_owned(),
                    },
                    department: catalog
                        .departments
                        .get(&t.department)
                        .map_or_else(|| t.department.to_string(), |d| d.name.get(lang).to_owned()),
                    days: t.promised_limit,
                })
                .collect(),
        })
        .collect();
    let joint = plan
        .joint_inspections
        .iter()
        .map(|j| {
            let names: Vec<String> = j.matters.iter().map(&matter_name).collect();
            format!(
                "{}{}{}",
                j.name.get(lang),
                c.t.get("punct.colon"),
                names.join(c.t.get("punct.list"))
            )
        })
        .collect();
    let negative = plan
        .negative_list
        .iter()
        .map(|n| {
            format!(
                "{}{}{}",
                matter_name(&n.matter),
                c.t.get("punct.colon"),
                n.reason.get(lang)
            )
        })
        .collect();
    let page = Page {
        code: one_thing.code.to_string(),
        name: one_thing.name.get(lang).to_owned(),
        description: one_thing.description.get(lang).to_owned(),
        trips: plan.trips,
        trips_label: super::guide::trips_label(&c, plan.trips),
        days: plan.promised_working_days,
        departments: plan.departments.len(),
        matters: one_thing.matters.len(),
        bring: items(&plan.materials.bring, false),
        fetched: items(&plan.materials.fetched, true),
        internal: items(&plan.materials.internal, true),
        stages,
        fields: plan
            .form
            .fields
            .iter()
            .map(|f| field_row(&c, &f.field))
            .collect(),
        joint,
        negative,
        before_materials: plan.separately.materials,
        after_materials: plan.materials.bring.len(),
        before_trips: plan.separately.trips,
        before_days: plan.separately.working_days,
        two_way_trips: plan.trips_with_delivery,
        two_way_spared: plan
            .zero_trip_by_delivery
            .iter()
            .map(&matter_name)
            .collect(),
        fees: plan
            .charges
            .items
            .iter()
            .map(|i| {
                let due = match i.fee.due {
                    yici_core::catalog::FeeDue::BeforeAcceptance => "pay.due.before_acceptance",
                    yici_core::catalog::FeeDue::BeforeIssue => "pay.due.before_issue",
                };
                let per = if i.fee.per.is_some() {
                    c.t.get("plan.fee_per_unit")
                } else {
                    ""
                };
                (
                    i.fee.name.get(c.code()).to_owned(),
                    format!("{}{per}", yici_service::payments::money(i.fee.amount_fen)),
                    c.t.get(due).to_owned(),
                )
            })
            .collect(),
        fees_total: yici_service::payments::money(plan.charges.total_fen),
        c,
    };
    render(&page)
}
