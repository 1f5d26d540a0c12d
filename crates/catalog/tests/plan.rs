//! The one-thing planner.

mod fixture;

use fixture::{Fixture, demo_dir};
use yici_catalog::{PlanError, plan};
use yici_core::catalog::MaterialSource;

fn keys(list: &[yici_catalog::plan::PlannedMaterial]) -> Vec<&str> {
    list.iter().map(|m| m.key.as_str()).collect()
}

#[test]
fn material_needed_by_several_matters_is_brought_once() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    assert_eq!(keys(&p.materials.bring), vec!["lease", "floor_plan"]);
    let lease = &p.materials.bring[0];
    assert_eq!(lease.matters.len(), 3);
}

#[test]
fn result_of_a_member_matter_is_passed_on_internally() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    let licence = p
        .materials
        .internal
        .iter()
        .find(|m| m.key.as_str() == "business_licence")
        .expect("licence is internal");
    assert_eq!(
        licence.produced_by.as_ref().map(|c| c.as_str()),
        Some("M-LICENCE")
    );
}

#[test]
fn material_the_department_produces_is_internal() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    assert!(keys(&p.materials.internal).contains(&"inspection_record"));
}

#[test]
fn exchange_material_is_fetched_not_brought() {
    let f = Fixture::new();
    // Without the licence matter in the bundle, the licence comes from the exchange.
    f.replace(
        "one-things/ot-shop.toml",
        "matters = [\"M-LICENCE\", \"M-FIRE\", \"M-ENV\"]",
        "matters = [\"M-FIRE\", \"M-ENV\"]",
    );
    let p = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!(keys(&p.materials.fetched), vec!["business_licence"]);
    assert!(matches!(
        p.materials.fetched[0].source,
        MaterialSource::Exchange { .. }
    ));
    assert!(!keys(&p.materials.bring).contains(&"business_licence"));
}

#[test]
fn matters_without_ordering_run_in_one_stage() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    let stage_codes: Vec<Vec<&str>> = p
        .stages
        .iter()
        .map(|s| s.tasks.iter().map(|t| t.matter.as_str()).collect())
        .collect();
    assert_eq!(
        stage_codes,
        vec![vec!["M-LICENCE", "M-ENV"], vec!["M-FIRE"]]
    );
}

#[test]
fn promised_days_follow_the_critical_path_not_the_sum() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    // Licence (1) then fire (5) = 6 runs beside environment (8): 8, not 14.
    assert_eq!(p.promised_working_days, 8);
    assert_eq!(p.separately.working_days, 14);
    let path: Vec<&str> = p.critical_path.iter().map(|c| c.as_str()).collect();
    assert_eq!(path, vec!["M-ENV"]);
}

#[test]
fn explicit_ordering_lengthens_the_critical_path() {
    let f = Fixture::new();
    f.append(
        "one-things/ot-shop.toml",
        "\n[[one_thing.order]]\nbefore = \"M-FIRE\"\nafter = \"M-ENV\"\n",
    );
    let p = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!(p.promised_working_days, 1 + 5 + 8);
    assert_eq!(p.stages.len(), 3);
}

#[test]
fn bundle_needs_one_trip_when_any_matter_needs_one() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    assert_eq!(p.trips, 1);
    assert!(p.negative_list.is_empty());
}

#[test]
fn negative_list_matter_adds_its_extra_trips_with_reason() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "trips = 1",
        "trips = 3\nnegative_list_reason = { zh = \"须本人到场考试\", en = \"exams in person\" }",
    );
    let p = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!(p.trips, 3);
    assert_eq!(p.negative_list.len(), 1);
    assert_eq!(&*p.negative_list[0].reason.en, "exams in person");
}

#[test]
fn all_online_bundle_needs_no_trip() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "trips = 1", "trips = 0");
    f.replace(
        "matters/all.toml",
        "original_required = true",
        "original_required = false",
    );
    let p = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!(p.trips, 0);
}

#[test]
fn separately_counts_materials_per_matter_and_a_trip_per_department() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    // lease ×3, licence ×2, floor plan ×1; the inspection record is the department's own.
    assert_eq!(p.separately.materials, 6);
    assert_eq!(p.separately.trips, 3);
}

#[test]
fn field_shared_by_matters_is_asked_once() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    let names: Vec<&str> = p.form.fields.iter().map(|f| f.field.key.as_str()).collect();
    assert_eq!(names, vec!["enterprise.name", "venue.area"]);
    assert_eq!(p.form.fields[0].matters.len(), 2);
}

#[test]
fn differing_labels_are_reported_as_conflict_and_required_wins() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    assert_eq!(p.form.conflicts.len(), 1);
    assert_eq!(p.form.conflicts[0].key.as_str(), "venue.area");
    assert!(p.form.fields[1].field.required);
}

#[test]
fn single_matter_can_be_planned() {
    let p = plan(&Fixture::new().catalog(), "M-FIRE").expect("plan");
    assert_eq!(p.stages.len(), 1);
    assert_eq!(p.promised_working_days, 5);
    // Alone, the licence must come from the exchange.
    assert_eq!(keys(&p.materials.fetched), vec!["business_licence"]);
}

#[test]
fn unknown_code_is_an_error() {
    let err = plan(&Fixture::new().catalog(), "nothing").unwrap_err();
    assert_eq!(err, PlanError::UnknownCode("nothing".into()));
}

#[test]
fn plan_json_has_the_documented_keys() {
    let p = plan(&Fixture::new().catalog(), "ot-shop").expect("plan");
    let v = serde_json::to_value(&p).expect("json");
    for path in [
        "/form",
        "/materials/bring",
        "/materials/fetched",
        "/materials/internal",
        "/stages",
        "/promised_working_days",
        "/trips",
        "/separately/materials",
        "/separately/trips",
        "/separately/working_days",
    ] {
        assert!(v.pointer(path).is_some(), "{path} missing in {v}");
    }
}

#[test]
fn every_demo_one_thing_shows_the_reform_at_work() {
    let catalog = yici_catalog::load_dir(&demo_dir()).expect("demo loads");
    assert!(catalog.one_things.len() >= 6);
    for one_thing in catalog.one_things.values() {
        let p = yici_catalog::plan_one_thing(&catalog, one_thing);
        assert!(p.trips <= 1, "{} needs {} trips", one_thing.code, p.trips);
        assert!(
            p.materials.bring.len() < p.separately.materials,
            "{}: brings {} vs {} separately",
            one_thing.code,
            p.materials.bring.len(),
            p.separately.materials
        );
        assert!(p.promised_working_days <= p.separately.working_days);
        assert!(p.trips < p.separately.trips, "{}", one_thing.code);
    }
}

#[test]
fn demo_karaoke_venue_involves_six_departments() {
    let catalog = yici_catalog::load_dir(&demo_dir()).expect("demo loads");
    let p = plan(&catalog, "ot-karaoke").expect("plan");
    assert_eq!(p.departments.len(), 6);
    assert!(!p.joint_inspections.is_empty());
}

#[test]
fn demo_second_hand_home_runs_trade_registration_and_tax_in_parallel() {
    let catalog = yici_catalog::load_dir(&demo_dir()).expect("demo loads");
    let p = plan(&catalog, "ot-second-hand-home").expect("plan");
    assert_eq!(p.stages.len(), 1);
    let departments: Vec<&str> = p.departments.iter().map(|d| d.as_str()).collect();
    for d in ["zjj", "zrzy", "sw"] {
        assert!(departments.contains(&d), "{d} missing from {departments:?}");
    }
}

#[test]
fn material_the_exchange_does_not_hold_for_this_applicant_is_brought() {
    let f = Fixture::new();
    f.replace(
        "one-things/ot-shop.toml",
        "matters = [\"M-LICENCE\", \"M-FIRE\", \"M-ENV\"]",
        "matters = [\"M-FIRE\", \"M-ENV\"]",
    );
    let p = plan(&f.catalog(), "ot-shop").expect("plan");
    let held = p.clone().with_availability(|_, _| true);
    assert_eq!(keys(&held.materials.fetched), vec!["business_licence"]);
    let missing =
        p.with_availability(|ds, field| !(ds == "enterprise" && field == "licence_number"));
    assert!(missing.materials.fetched.is_empty());
    let licence = missing
        .materials
        .bring
        .iter()
        .find(|m| m.key.as_str() == "business_licence")
        .expect("brought instead");
    assert!(licence.not_held);
}

#[test]
fn originals_by_post_and_results_by_express_spare_the_trip() {
    let f = Fixture::new();
    let before = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!((before.trips, before.trips_with_delivery), (1, 1));
    assert!(before.zero_trip_by_delivery.is_empty());
    f.replace(
        "matters/all.toml",
        "original_required = true",
        "original_required = true\nby_post = true",
    );
    let after = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!((after.trips, after.trips_with_delivery), (1, 0));
    assert_eq!(after.zero_trip_by_delivery[0].as_str(), "M-FIRE");
    let floor = after
        .materials
        .bring
        .iter()
        .find(|m| m.key.as_str() == "floor_plan");
    assert!(floor.is_some_and(|m| m.original_required && m.by_post));
}

#[test]
fn a_window_only_result_keeps_the_trip_though_originals_are_posted() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "original_required = true",
        "original_required = true\nby_post = true",
    );
    f.replace(
        "matters/all.toml",
        "delivery = [\"window\", \"express\"]",
        "delivery = [\"window\"]",
    );
    let p = plan(&f.catalog(), "ot-shop").expect("plan");
    assert_eq!(p.trips_with_delivery, 1);
    assert!(p.zero_trip_by_delivery.is_empty());
}
