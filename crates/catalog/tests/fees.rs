//! A matter's fees: a fixed amount or an amount per unit counted from a
//! number field, who pays, when; the plan adds them up; every malformed
//! fee is reported at its line.

mod fixture;

use fixture::{Fixture, with_rule};
use yici_core::catalog::{FeeDue, MatterCode};

const FEES: &str = r#"
[[matter.fee]]
code = "inspection"
name = { zh = "检查费", en = "Inspection fee" }
amount_fen = 5000
basis = "某收费标准"
due = "before_acceptance"

[[matter.fee]]
code = "per-area"
name = { zh = "按面积收费", en = "Per square metre" }
amount_fen = 120
per = "venue.area"
basis = "某收费标准，每平方米1.2元"
payer = { zh = "经营者", en = "The operator" }
due = "before_issue"
"#;

/// The fixture with [`FEES`] on the fire check (they follow its fields).
fn with_fees(fees: &str) -> Fixture {
    let f = Fixture::new();
    f.replace(
        "matters/all.toml",
        "[[matter]]\ncode = \"M-ENV\"",
        &format!("{fees}\n[[matter]]\ncode = \"M-ENV\""),
    );
    f
}

fn one(f: &Fixture, rule: &str, needle: &str) {
    let problems = f.problems();
    let found = with_rule(&problems, rule);
    assert_eq!(found.len(), 1, "expected one {rule}: {problems:#?}");
    assert_eq!(found[0].file, "matters/all.toml");
    assert_eq!(found[0].line, f.line_of("matters/all.toml", needle, 0));
}

#[test]
fn fees_are_read_and_the_plan_adds_them_up() {
    let f = with_fees(FEES);
    let catalog = f.catalog();
    let fire = &catalog.matters[&MatterCode::parse("M-FIRE").expect("code")];
    assert_eq!(fire.fees.len(), 2);
    assert_eq!(fire.fees[0].code, "inspection");
    assert_eq!(fire.fees[0].due, FeeDue::BeforeAcceptance);
    assert_eq!(&*fire.fees[0].payer.zh, "申请人", "the default payer");
    assert_eq!(
        fire.fees[1].per.as_ref().map(|k| k.as_str()),
        Some("venue.area")
    );
    assert_eq!(&*fire.fees[1].payer.zh, "经营者");
    let plan = yici_catalog::plan(&catalog, "ot-shop").expect("plan");
    assert_eq!(plan.charges.items.len(), 2);
    assert_eq!(plan.charges.total_fen, 5120);
    assert!(plan.charges.per_unit);
}

#[test]
fn a_fee_code_twice_or_malformed_is_refused() {
    let f = with_fees(&format!(
        "{FEES}{}",
        FEES.replace("per = \"venue.area\"\n", "")
    ));
    let problems = f.problems();
    assert_eq!(
        with_rule(&problems, "duplicate_code").len(),
        2,
        "{problems:#?}"
    );
    let f = with_fees(&FEES.replace("code = \"inspection\"", "code = \"Inspection Fee\""));
    one(&f, "malformed_code", "code = \"Inspection Fee\"");
}

#[test]
fn an_amount_of_nothing_or_of_millions_is_refused() {
    let f = with_fees(&FEES.replace("amount_fen = 5000", "amount_fen = 0"));
    one(&f, "out_of_range", "amount_fen = 0");
    let f = with_fees(&FEES.replace("amount_fen = 5000", "amount_fen = 5000000000"));
    one(&f, "out_of_range", "amount_fen = 5000000000");
}

#[test]
fn a_per_unit_fee_counts_only_a_required_number_field_of_its_matter() {
    let f = with_fees(&FEES.replace("per = \"venue.area\"", "per = \"venue.seats\""));
    one(&f, "malformed_fee_rule", "per = \"venue.seats\"");
    let f = with_fees(&FEES.replace("per = \"venue.area\"", "per = \"enterprise.name\""));
    one(&f, "malformed_fee_rule", "per = \"enterprise.name\"");
}

#[test]
fn the_demo_catalog_says_when_each_fee_is_due() {
    let catalog = yici_catalog::load_dir(&fixture::demo_dir()).expect("demo loads");
    let fees: Vec<_> = catalog.matters.values().flat_map(|m| &m.fees).collect();
    assert!(fees.len() >= 5, "{}", fees.len());
    let mortgage = &catalog.matters[&MatterCode::parse("330200-ZRZY-002").expect("code")];
    assert_eq!(mortgage.fees[0].amount_fen, 8000);
    assert_eq!(mortgage.fees[0].due, FeeDue::BeforeIssue);
}
