//! The service guide of one matter (办事指南).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use yici_core::catalog::{
    DeliveryMode, Field, FieldType, MaterialSource, Matter, MatterCode, MatterKind, MatterLevel,
    ResultKind, Trips,
};

use super::chrome::Chrome;
use super::render::{not_found, render};
use crate::state::AppState;

/// A material row of a guide.
pub struct MaterialRow {
    pub name: String,
    pub source: String,
    pub original: bool,
    pub deficiency: bool,
}

/// A field row of a form.
pub struct FieldRow {
    pub label: String,
    pub kind: String,
    pub required: bool,
}

/// A link with a label.
pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "matter.html")]
struct Guide {
    c: Chrome,
    code: String,
    name: String,
    department: Link,
    level: String,
    kind: String,
    legal_basis: String,
    description: String,
    materials: Vec<MaterialRow>,
    fields: Vec<FieldRow>,
    statutory: u32,
    promised: u32,
    fees: Vec<String>,
    online: bool,
    result: String,
    delivery: Vec<String>,
    prerequisites: Vec<Link>,
    trips: String,
    negative_reason: Option<String>,
    one_things: Vec<Link>,
}

pub async fn page(State(state): State<AppState>, c: Chrome, Path(code): Path<String>) -> Response {
    let catalog = state.catalog();
    let Some(m) = MatterCode::parse(&code)
        .ok()
        .and_then(|k| catalog.matters.get(&k))
    else {
        return not_found(c);
    };
    let lang = c.code();
    let t = c.t;
    let department = Link {
        href: format!("/departments/{}", m.department),
        label: catalog
            .departments
            .get(&m.department)
            .map_or_else(|| m.department.to_string(), |d| d.name.get(lang).to_owned()),
    };
    let prerequisites = m
        .prerequisites
        .iter()
        .map(|p| Link {
            href: format!("/matters/{p}"),
            label: catalog
                .matters
                .get(p)
                .map_or_else(|| p.to_string(), |x| x.name.get(lang).to_owned()),
        })
        .collect();
    let one_things = catalog
        .one_things
        .values()
        .filter(|o| o.matters.contains(&m.code))
        .map(|o| Link {
            href: format!("/one-things/{}", o.code),
            label: o.name.get(lang).to_owned(),
        })
        .collect();
    let guide = Guide {
        code: m.code.to_string(),
        name: m.name.get(lang).to_owned(),
        department,
        level: t.get(level_key(m.level)).to_owned(),
        kind: t.get(kind_key(m.kind)).to_owned(),
        legal_basis: m.legal_basis.get(lang).to_owned(),
        description: m.description.get(lang).to_owned(),
        materials: material_rows(&c, m),
        fields: m.fields.iter().map(|f| field_row(&c, f)).collect(),
        statutory: m.statutory_limit.get(),
        promised: m.promised_limit.get(),
        fees: m
            .fees
            .iter()
            .map(|f| {
                format!(
                    "{}: {}.{:02} {}",
                    f.name.get(lang),
                    f.amount_fen / 100,
                    f.amount_fen % 100,
                    t.get("matter.yuan")
                )
            })
            .collect(),
        online: m.online,
        result: match &m.result {
            ResultKind::Certificate { .. } => t.get("result.certificate"),
            ResultKind::Paper => t.get("result.paper"),
            ResultKind::None => t.get("result.none"),
        }
        .to_owned(),
        delivery: m
            .delivery
            .iter()
            .map(|d| t.get(delivery_key(*d)).to_owned())
            .collect(),
        prerequisites,
        trips: super::guide::trips_label(&c, u32::from(m.trips.count())),
        negative_reason: match &m.trips {
            Trips::NegativeList { reason, .. } => Some(reason.get(lang).to_owned()),
            _ => None,
        },
        one_things,
        c,
    };
    render(&guide)
}

fn material_rows(c: &Chrome, m: &Matter) -> Vec<MaterialRow> {
    m.materials
        .iter()
        .map(|x| MaterialRow {
            name: x.name.get(c.code()).to_owned(),
            source: source_label(c, &x.source),
            original: x.original_required,
            deficiency: x.deficiency_allowed,
        })
        .collect()
}

/// Who provides a material, in words.
pub fn source_label(c: &Chrome, source: &MaterialSource) -> String {
    match source {
        MaterialSource::Applicant => c.t.get("source.applicant").to_owned(),
        MaterialSource::Department => c.t.get("source.self").to_owned(),
        MaterialSource::Exchange { dataset, field } => {
            format!("{} ({dataset}.{field})", c.t.get("source.exchange"))
        }
    }
}

/// A form field, in words.
pub fn field_row(c: &Chrome, f: &Field) -> FieldRow {
    let key = match &f.field_type {
        FieldType::Text { .. } => "type.text",
        FieldType::Number { .. } => "type.number",
        FieldType::Date => "type.date",
        FieldType::ResidentId => "type.resident_id",
        FieldType::Uscc => "type.uscc",
        FieldType::Phone => "type.phone",
        FieldType::Region => "type.region",
        FieldType::Bool => "type.bool",
        FieldType::Choice { options } => {
            return FieldRow {
                label: f.label.get(c.code()).to_owned(),
                kind: format!("{}: {}", c.t.get("type.choice"), options.join(" / ")),
                required: f.required,
            };
        }
    };
    FieldRow {
        label: f.label.get(c.code()).to_owned(),
        kind: c.t.get(key).to_owned(),
        required: f.required,
    }
}

fn level_key(level: MatterLevel) -> &'static str {
    match level {
        MatterLevel::Province => "level.province",
        MatterLevel::City => "level.city",
        MatterLevel::County => "level.county",
    }
}

fn kind_key(kind: MatterKind) -> &'static str {
    match kind {
        MatterKind::Licence => "kind.licence",
        MatterKind::Confirmation => "kind.confirmation",
        MatterKind::Payment => "kind.payment",
        MatterKind::Levy => "kind.levy",
        MatterKind::PublicService => "kind.public_service",
        MatterKind::Other => "kind.other",
    }
}

fn delivery_key(d: DeliveryMode) -> &'static str {
    match d {
        DeliveryMode::Window => "delivery.window",
        DeliveryMode::Express => "delivery.express",
        DeliveryMode::Electronic => "delivery.electronic",
    }
}
