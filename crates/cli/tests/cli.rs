//! The `yici` command line, run as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};

fn yici(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yici"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("yici runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn demo() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../catalog")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn id_check_accepts_a_valid_resident_id_and_normalises_x() {
    let out = yici(&["id", "check", "11010519491231002x", "--format", "json"]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["kind"], "resident_id");
    assert_eq!(v["valid"], true);
    assert_eq!(v["normalized"], "11010519491231002X");
}

#[test]
fn id_check_names_the_failed_rule() {
    let out = yici(&["id", "check", "110105194912310021", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["kind"], "resident_id");
    assert_eq!(v["valid"], false);
    assert_eq!(v["rule"], "check_digit");
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()));
}

#[test]
fn id_check_refuses_an_impossible_birth_date() {
    // 1999-02-30 with a correct check character still fails on the date.
    let first17 = "11010519990230001";
    let check = yici_core::identifier::resident_id_check_char(first17);
    let id = match check {
        Ok(c) => format!("{first17}{c}"),
        Err(_) => format!("{first17}0"),
    };
    let v = json(&yici(&["id", "check", &id, "--format", "json"]));
    assert_eq!(v["valid"], false);
    assert_eq!(v["rule"], "birth_date");
}

#[test]
fn id_check_accepts_a_valid_uscc() {
    let v = json(&yici(&[
        "id",
        "check",
        "91350100M000100Y43",
        "--format",
        "json",
    ]));
    assert_eq!(v["kind"], "uscc");
    assert_eq!(v["valid"], true);
}

/// Bank of China's code: as a resident ID it breaks the region rule (91 is
/// no province); as a USCC (a central registration, region 100000) it
/// passes, so it is a USCC.
#[test]
fn id_check_calls_a_value_valid_only_as_a_uscc_a_uscc() {
    let out = yici(&["id", "check", "911000001000013428", "--format", "json"]);
    assert!(out.status.success());
    assert_eq!(
        json(&out),
        serde_json::json!({
            "kind": "uscc",
            "valid": true,
            "normalized": "911000001000013428",
            "error": null,
            "rule": null,
        })
    );
}

/// The same code with its last character mistyped fails both ways; only as
/// a USCC does it fail on the check character alone, so the USCC rule is
/// the one reported.
#[test]
fn id_check_reports_a_mistyped_uscc_as_a_uscc() {
    let out = yici(&["id", "check", "911000001000013427", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["kind"], "uscc");
    assert_eq!(v["valid"], false);
    assert_eq!(v["rule"], "check_digit");
}

/// A listed bank's code: its embedded organisation code fails GB 11714's
/// check, the whole code passes GB 32100's; valid, with a warning.
#[test]
fn id_check_accepts_a_uscc_whose_organisation_code_check_fails_with_a_warning() {
    let out = yici(&["id", "check", "91310000631295002H", "--format", "json"]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["kind"], "uscc");
    assert_eq!(v["valid"], true);
    assert_eq!(v["normalized"], "91310000631295002H");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("warning: ") && stderr.contains("GB 11714"),
        "{stderr}"
    );
}

#[test]
fn id_check_of_gibberish_is_unknown() {
    let v = json(&yici(&["id", "check", "hello", "--format", "json"]));
    assert_eq!(v["kind"], "unknown");
    assert_eq!(v["valid"], false);
}

#[test]
fn calendar_says_an_adjusted_workday_is_working() {
    let v = json(&yici(&[
        "calendar",
        "is-working",
        "2026-02-14",
        "--format",
        "json",
    ]));
    assert_eq!(
        v,
        serde_json::json!({"date": "2026-02-14", "working": true, "reason": "adjusted_workday"})
    );
}

#[test]
fn calendar_says_spring_festival_is_a_holiday() {
    let v = json(&yici(&[
        "calendar",
        "is-working",
        "2026-02-17",
        "--format",
        "json",
    ]));
    assert_eq!(v["working"], false);
    assert_eq!(v["reason"], "holiday");
}

#[test]
fn calendar_add_skips_the_national_day_week() {
    let v = json(&yici(&[
        "calendar",
        "add",
        "2025-09-30",
        "1",
        "--format",
        "json",
    ]));
    assert_eq!(v["date"], "2025-10-09");
}

#[test]
fn calendar_between_counts_working_days() {
    let v = json(&yici(&[
        "calendar",
        "between",
        "2026-09-30",
        "2026-10-09",
        "--format",
        "json",
    ]));
    // Oct 1-7 are holidays; Oct 8 and 9 are working days.
    assert_eq!(v["working_days"], 2);
}

#[test]
fn calendar_outside_covered_years_is_an_error_not_a_guess() {
    let out = yici(&["calendar", "is-working", "2031-05-01", "--format", "json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2031"));
}

#[test]
fn calendar_learns_a_year_from_the_operators_folder_and_names_a_bad_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A made-up year far ahead: test data, not a State Council notice.
    std::fs::write(
        dir.path().join("2031.toml"),
        "year = 2031\nsource = \"test\"\npublished = 2030-11-01\n\n[[periods]]\nname = \"劳动节\"\nfirst = 2031-05-01\nlast = 2031-05-02\nadjusted_workdays = []\n",
    )
    .expect("written");
    let folder = dir.path().to_string_lossy().into_owned();
    let args = [
        "calendar",
        "is-working",
        "2031-05-01",
        "--format",
        "json",
        "--calendar-dir",
        &folder,
    ];
    let out = yici(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["reason"], "holiday");

    std::fs::write(dir.path().join("2032.toml"), "year = \"soon\"\n").expect("written");
    let out = yici(&args);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2032.toml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn catalog_check_passes_the_demo() {
    let out = yici(&["catalog", "check", &demo()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn catalog_check_reports_file_and_line_and_fails() {
    let dir = tempfile::tempdir().expect("tmp");
    for f in ["regions.toml", "departments.toml", "windows.toml"] {
        std::fs::copy(PathBuf::from(demo()).join(f), dir.path().join(f)).expect("copy");
    }
    std::fs::write(
        dir.path().join("departments.toml"),
        "[[department]]\ncode = \"x\"\nname = { zh = \"某局\", en = \"X\" }\nregion = \"999999\"\n",
    )
    .expect("write");
    let out = yici(&[
        "catalog",
        "check",
        &dir.path().to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let p = &v["problems"][0];
    assert_eq!(p["file"], "departments.toml");
    assert_eq!(p["line"], 4);
}

#[test]
fn catalog_plan_prints_the_documented_json() {
    let v = json(&yici(&[
        "catalog",
        "plan",
        "ot-karaoke",
        "--catalog",
        &demo(),
        "--format",
        "json",
    ]));
    assert_eq!(v["code"], "ot-karaoke");
    assert!(v["materials"]["bring"].is_array());
    assert!(v["separately"]["working_days"].as_u64() > v["promised_working_days"].as_u64());
}

#[test]
fn catalog_plan_of_unknown_code_fails() {
    let out = yici(&["catalog", "plan", "nope", "--catalog", &demo()]);
    assert!(!out.status.success());
}

#[test]
fn catalog_search_ranks_the_restaurant_first() {
    let v = json(&yici(&[
        "catalog",
        "search",
        "开饭店",
        "--catalog",
        &demo(),
        "--format",
        "json",
    ]));
    assert_eq!(v["hits"][0]["code"], "ot-restaurant");
}
