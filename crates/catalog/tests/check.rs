//! `yici catalog check`: every rule of catalog/README.md, one test each.

mod fixture;

use fixture::{Fixture, demo_dir, with_rule};

/// Asserts exactly one problem with `rule`, in `file`, and returns it.
fn only(f: &Fixture, rule: &str, file: &str) -> yici_catalog::Problem {
    let problems = f.problems();
    let found = with_rule(&problems, rule);
    assert_eq!(
        found.len(),
        1,
        "expected one {rule} problem, got {problems:#?}"
    );
    assert_eq!(found[0].file, file, "{:?}", found[0]);
    found[0].clone()
}

#[test]
fn fixture_catalog_is_valid() {
    assert_eq!(Fixture::new().problems(), vec![]);
}

#[test]
fn demo_catalog_is_valid() {
    let problems = yici_catalog::check_dir(&demo_dir()).expect("readable");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn invalid_toml_is_reported_with_its_line() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "trips = 1", "trips = = 1");
    let p = only(&f, "syntax", "matters/all.toml");
    assert_eq!(p.line, f.line_of("matters/all.toml", "trips = = 1", 0));
}

#[test]
fn misspelt_key_is_a_syntax_problem() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "original_required", "orignal_required");
    let p = only(&f, "syntax", "matters/all.toml");
    assert!(p.message.contains("orignal_required"), "{p:?}");
}

#[test]
fn malformed_region_code_is_refused() {
    let f = Fixture::new();
    f.replace("regions.toml", "code = \"330200\"", "code = \"3302\"");
    let p = only(&f, "invalid_code", "regions.toml");
    assert_eq!(p.line, f.line_of("regions.toml", "\"3302\"", 0));
}

#[test]
fn matter_code_with_space_is_refused() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "code = \"M-ENV\"", "code = \"M ENV\"");
    only(&f, "invalid_code", "matters/all.toml");
}

#[test]
fn duplicate_matter_code_is_reported_at_the_second_definition() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "code = \"M-ENV\"", "code = \"M-FIRE\"");
    let p = only(&f, "duplicate_code", "matters/all.toml");
    assert_eq!(
        p.line,
        f.line_of("matters/all.toml", "code = \"M-FIRE\"", 1)
    );
}

#[test]
fn unknown_department_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "department = \"sthj\"",
        "department = \"nope\"",
    );
    let p = only(&f, "unknown_department", "matters/all.toml");
    assert_eq!(p.line, f.line_of("matters/all.toml", "\"nope\"", 0));
}

#[test]
fn department_in_unknown_region_is_reported() {
    let f = Fixture::new();
    f.replace(
        "departments.toml",
        "region = \"330200\"",
        "region = \"330203\"",
    );
    only(&f, "unknown_region", "departments.toml");
}

#[test]
fn unknown_matter_in_one_thing_is_reported() {
    let f = Fixture::new();
    f.replace(
        "one-things/ot-shop.toml",
        "\"M-ENV\"]\nkeywords",
        "\"M-GONE\"]\nkeywords",
    );
    let problems = f.problems();
    assert!(
        with_rule(&problems, "unknown_matter")
            .iter()
            .any(|p| p.file == "one-things/ot-shop.toml" && p.message.contains("M-GONE")),
        "{problems:#?}"
    );
}

#[test]
fn unknown_prerequisite_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "trips = 1\n",
        "trips = 1\nprerequisites = [\"M-NONE\"]\n",
    );
    only(&f, "unknown_matter", "matters/all.toml");
}

#[test]
fn material_with_empty_source_is_reported() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "source = \"self\"", "source = \"\"");
    let p = only(&f, "material_without_source", "matters/all.toml");
    assert_eq!(p.line, f.line_of("matters/all.toml", "source = \"\"", 0));
}

#[test]
fn material_with_unknown_kind_of_source_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "source = \"self\"",
        "source = \"the applicant's cousin\"",
    );
    only(&f, "material_without_source", "matters/all.toml");
}

#[test]
fn exchange_source_naming_unknown_dataset_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "exchange:enterprise.licence_number",
        "exchange:nothing.licence_number",
    );
    only(&f, "unknown_dataset", "matters/all.toml");
}

#[test]
fn exchange_source_naming_unknown_field_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "exchange:enterprise.licence_number",
        "exchange:enterprise.colour",
    );
    only(&f, "unknown_dataset_field", "matters/all.toml");
}

#[test]
fn exchange_source_not_granted_to_the_matter_is_reported() {
    let f = Fixture::new();
    f.replace(
        "datasets/enterprise.toml",
        "\"M-ENV\" = [\"licence_number\"]",
        "\"M-ENV\" = [\"name\"]",
    );
    let p = only(&f, "exchange_not_granted", "matters/all.toml");
    assert!(p.message.contains("M-ENV"), "{p:?}");
}

#[test]
fn grant_to_unknown_field_is_reported() {
    let f = Fixture::new();
    f.replace(
        "datasets/enterprise.toml",
        "[\"licence_number\", \"name\"]",
        "[\"licence_number\", \"nom\"]",
    );
    only(&f, "unknown_dataset_field", "datasets/enterprise.toml");
}

#[test]
fn cycle_in_one_thing_ordering_is_reported() {
    let f = Fixture::new();
    // M-FIRE already needs M-LICENCE's result; ordering M-FIRE first closes a loop.
    f.append(
        "one-things/ot-shop.toml",
        "\n[[one_thing.order]]\nbefore = \"M-FIRE\"\nafter = \"M-LICENCE\"\n",
    );
    let p = only(&f, "order_cycle", "one-things/ot-shop.toml");
    assert!(
        p.message.contains("M-FIRE") && p.message.contains("M-LICENCE"),
        "{p:?}"
    );
}

#[test]
fn cycle_in_prerequisites_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "trips = 0\nkeywords",
        "trips = 0\nprerequisites = [\"M-FIRE\"]\nkeywords",
    );
    let problems = f.problems();
    assert!(
        !with_rule(&problems, "order_cycle").is_empty(),
        "{problems:#?}"
    );
}

#[test]
fn promised_limit_above_statutory_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "promised_limit = 5",
        "promised_limit = 12",
    );
    let p = only(&f, "promised_above_statutory", "matters/all.toml");
    assert_eq!(
        p.line,
        f.line_of("matters/all.toml", "promised_limit = 12", 0)
    );
}

#[test]
fn a_retention_period_is_from_one_to_a_hundred_years() {
    for bad in ["retention_years = 0", "retention_years = 101"] {
        let f = Fixture::new();
        f.replace("matters/all.toml", "retention_years = 30", bad);
        let p = only(&f, "invalid_retention", "matters/all.toml");
        assert_eq!(p.line, f.line_of("matters/all.toml", bad, 0));
    }
}

#[test]
fn a_matter_keeps_its_retention_or_keeps_its_documents_permanently() {
    let f = Fixture::new();
    let catalog = yici_catalog::load_dir(f.path()).expect("the fixture loads");
    let fire = catalog
        .matters
        .values()
        .find(|m| m.code.as_str() == "M-FIRE")
        .expect("M-FIRE");
    assert_eq!(fire.retention_years, Some(30));
    assert!(
        catalog
            .matters
            .values()
            .any(|m| m.code.as_str() != "M-FIRE" && m.retention_years.is_none()),
        "a matter without retention_years keeps its documents permanently"
    );
}

#[test]
fn zero_trips_with_original_paper_material_is_contradicted() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "trips = 1", "trips = 0");
    let p = only(&f, "trips_contradicted", "matters/all.toml");
    assert!(p.message.contains("floor_plan"), "{p:?}");
}

#[test]
fn zero_trips_with_window_only_delivery_is_contradicted() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "delivery = [\"electronic\"]",
        "delivery = [\"window\"]",
    );
    only(&f, "trips_contradicted", "matters/all.toml");
}

#[test]
fn zero_trips_for_a_matter_not_online_is_contradicted() {
    let f = Fixture::new();
    f.replace_nth("matters/all.toml", "online = true", "online = false", 2);
    only(&f, "trips_contradicted", "matters/all.toml");
}

#[test]
fn two_trips_without_reason_is_reported() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "trips = 1", "trips = 2");
    only(&f, "negative_list_reason_missing", "matters/all.toml");
}

#[test]
fn reason_without_extra_trips_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "trips = 1",
        "trips = 1\nnegative_list_reason = { zh = \"本人到场\", en = \"in person\" }",
    );
    only(&f, "negative_list_reason_missing", "matters/all.toml");
}

#[test]
fn pattern_that_does_not_compile_is_malformed() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "max_length = 100",
        "max_length = 100\npattern = \"([a-z\"",
    );
    only(&f, "malformed_field", "matters/all.toml");
}

#[test]
fn number_with_min_above_max_is_malformed() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "min = 1\n", "min = 10\nmax = 5\n");
    only(&f, "malformed_field", "matters/all.toml");
}

#[test]
fn option_that_does_not_fit_the_type_is_malformed() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "min = 1\n", "min = 1\nmax_length = 3\n");
    let p = only(&f, "malformed_field", "matters/all.toml");
    assert!(p.message.contains("max_length"), "{p:?}");
}

#[test]
fn choice_without_options_is_malformed() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "type = \"number\"\nrequired = true\nmin = 1",
        "type = \"choice\"\nrequired = true",
    );
    only(&f, "malformed_field", "matters/all.toml");
}

#[test]
fn unknown_field_type_is_malformed() {
    let f = Fixture::new();
    f.replace("matters/all.toml", "type = \"text\"", "type = \"colour\"");
    only(&f, "malformed_field", "matters/all.toml");
}

#[test]
fn same_key_with_different_types_in_one_thing_is_a_form_conflict() {
    let f = Fixture::new();
    f.replace_nth(
        "matters/all.toml",
        "type = \"number\"",
        "type = \"text\"",
        1,
    );
    f.replace_nth("matters/all.toml", "min = 1\n", "", 1);
    let p = only(&f, "form_conflict", "one-things/ot-shop.toml");
    assert!(p.message.contains("venue.area"), "{p:?}");
}

#[test]
fn one_thing_with_one_matter_is_reported() {
    let f = Fixture::new();
    f.replace(
        "one-things/ot-shop.toml",
        "matters = [\"M-LICENCE\", \"M-FIRE\", \"M-ENV\"]",
        "matters = [\"M-LICENCE\"]",
    );
    // The joint inspection now names matters outside the one-thing too.
    f.replace(
        "one-things/ot-shop.toml",
        "matters = [\"M-FIRE\", \"M-ENV\"]",
        "matters = []",
    );
    only(&f, "empty_one_thing", "one-things/ot-shop.toml");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "promised_limit = 5",
        "promised_limit = 12",
    );
    f.replace(
        "matters/all.toml",
        "department = \"sthj\"",
        "department = \"nope\"",
    );
    f.replace(
        "departments.toml",
        "region = \"330200\"",
        "region = \"330299\"",
    );
    let problems = f.problems();
    let rules: Vec<&str> = problems.iter().map(|p| p.rule).collect();
    for rule in [
        "promised_above_statutory",
        "unknown_department",
        "unknown_region",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {problems:#?}");
    }
}

#[test]
fn missing_required_file_is_reported() {
    let f = Fixture::new();
    std::fs::remove_file(f.path().join("windows.toml")).expect("remove");
    only(&f, "missing_file", "windows.toml");
}

#[test]
fn load_refuses_a_catalog_with_problems() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "promised_limit = 5",
        "promised_limit = 12",
    );
    assert!(matches!(
        yici_catalog::load_dir(f.path()),
        Err(yici_catalog::LoadError::Invalid(p)) if p.len() == 1
    ));
}

#[test]
fn rule_on_a_field_the_matter_lacks_is_malformed() {
    let f = Fixture::new();
    f.append(
        "matters/all.toml",
        "\n[[matter.auto_approve]]\nfield = \"sign.area\"\nop = \"le\"\nvalue = 10\n",
    );
    let p = only(&f, "malformed_rule", "matters/all.toml");
    assert!(p.message.contains("sign.area"), "{p:?}");
}

#[test]
fn rule_comparing_with_text_is_malformed() {
    let f = Fixture::new();
    f.append(
        "matters/all.toml",
        "\n[[matter.auto_approve]]\nfield = \"venue.area\"\nop = \"lt\"\nvalue = \"big\"\n",
    );
    only(&f, "malformed_rule", "matters/all.toml");
}

#[test]
fn by_post_without_an_original_is_reported() {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "key = \"lease\"\nname = { zh = \"租赁合同\", en = \"Lease\" }\nsource = \"applicant\"",
        "key = \"lease\"\nname = { zh = \"租赁合同\", en = \"Lease\" }\nsource = \"applicant\"\nby_post = true",
    );
    let p = only(&f, "by_post_without_original", "matters/all.toml");
    assert!(p.message.contains("lease"), "{p:?}");
}
