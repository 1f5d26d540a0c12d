//! The catalog API under /api/v1.

mod support;

use support::{TestApp, assert_problem};

#[tokio::test]
async fn matters_are_listed_page_by_page() {
    let app = TestApp::demo().await;
    let first = app.get("/api/v1/matters?per_page=5").await.json();
    assert_eq!(first["items"].as_array().map(Vec::len), Some(5));
    assert!(first["total"].as_u64().is_some_and(|t| t >= 40));
    let second = app.get("/api/v1/matters?per_page=5&page=2").await.json();
    assert_ne!(first["items"][0]["code"], second["items"][0]["code"]);
}

#[tokio::test]
async fn matters_can_be_filtered_by_department() {
    let app = TestApp::demo().await;
    let page = app
        .get("/api/v1/matters?department=xf&per_page=100")
        .await
        .json();
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(items.iter().all(|m| m["department"] == "xf"));
}

#[tokio::test]
async fn unknown_department_filter_is_a_problem_naming_the_parameter() {
    let reply = TestApp::demo()
        .await
        .get("/api/v1/matters?department=nope")
        .await;
    assert_problem(&reply, 422, Some("department"));
}

#[tokio::test]
async fn page_size_above_limit_is_a_problem_naming_the_parameter() {
    let reply = TestApp::demo()
        .await
        .get("/api/v1/matters?per_page=1000")
        .await;
    let p = assert_problem(&reply, 422, Some("per_page"));
    assert_eq!(p["errors"][0]["rule"], "range");
}

#[tokio::test]
async fn page_that_is_not_a_number_is_a_problem() {
    let reply = TestApp::demo()
        .await
        .get("/api/v1/one-things?page=two")
        .await;
    assert_problem(&reply, 422, Some("page"));
}

#[tokio::test]
async fn matter_guide_carries_materials_with_sources() {
    let m = TestApp::demo()
        .await
        .get("/api/v1/matters/330200-SCJG-001")
        .await
        .json();
    assert_eq!(m["code"], "330200-SCJG-001");
    let sources: Vec<&str> = m["materials"]
        .as_array()
        .expect("materials")
        .iter()
        .filter_map(|x| x["source"]["kind"].as_str())
        .collect();
    assert!(
        sources.contains(&"applicant") && sources.contains(&"exchange"),
        "{sources:?}"
    );
}

#[tokio::test]
async fn unknown_matter_is_a_not_found_problem() {
    let reply = TestApp::demo().await.get("/api/v1/matters/NOPE-1").await;
    let p = assert_problem(&reply, 404, None);
    assert_eq!(p["type"], "/problems/not-found");
}

#[tokio::test]
async fn one_thing_plan_has_the_documented_shape() {
    let plan = TestApp::demo()
        .await
        .get("/api/v1/one-things/ot-restaurant/plan")
        .await
        .json();
    assert!(plan["trips"].as_u64().is_some_and(|t| t <= 1));
    assert!(plan["stages"].as_array().is_some_and(|s| !s.is_empty()));
    let bring = plan["materials"]["bring"].as_array().expect("bring").len() as u64;
    assert!(
        bring
            < plan["separately"]["materials"]
                .as_u64()
                .expect("separately")
    );
    assert!(plan["promised_working_days"].as_u64().is_some());
}

#[tokio::test]
async fn one_things_are_listed_with_their_headline() {
    let page = TestApp::demo().await.get("/api/v1/one-things").await.json();
    let items = page["items"].as_array().expect("items");
    assert!(items.len() >= 6);
    assert!(
        items
            .iter()
            .all(|o| o["trips"].as_u64().is_some_and(|t| t <= 1))
    );
}

#[tokio::test]
async fn unknown_one_thing_plan_is_not_found() {
    let reply = TestApp::demo()
        .await
        .get("/api/v1/one-things/ot-moon-landing/plan")
        .await;
    assert_problem(&reply, 404, None);
}

#[tokio::test]
async fn search_finds_the_restaurant_first() {
    let r = TestApp::demo()
        .await
        .get("/api/v1/search?q=%E5%BC%80%E9%A5%AD%E5%BA%97")
        .await
        .json();
    assert_eq!(r["query"], "开饭店");
    assert_eq!(r["hits"][0]["code"], "ot-restaurant");
    assert_eq!(r["hits"][0]["kind"], "one_thing");
}

#[tokio::test]
async fn search_without_query_is_a_problem_naming_q() {
    let reply = TestApp::demo().await.get("/api/v1/search").await;
    let p = assert_problem(&reply, 422, Some("q"));
    assert_eq!(p["errors"][0]["rule"], "required");
}

#[tokio::test]
async fn overlong_search_is_a_problem() {
    let q = "a".repeat(201);
    let reply = TestApp::demo()
        .await
        .get(&format!("/api/v1/search?q={q}"))
        .await;
    assert_problem(&reply, 422, Some("q"));
}

#[tokio::test]
async fn search_limit_out_of_range_is_a_problem() {
    let reply = TestApp::demo()
        .await
        .get("/api/v1/search?q=x&limit=0")
        .await;
    assert_problem(&reply, 422, Some("limit"));
}

#[tokio::test]
async fn departments_are_listed_with_codes_for_reviewer_names() {
    let list = TestApp::demo()
        .await
        .get("/api/v1/departments")
        .await
        .json();
    let codes: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.len() >= 10);
    assert!(codes.contains(&"scjg"));
}

#[tokio::test]
async fn department_detail_lists_its_matters() {
    let d = TestApp::demo()
        .await
        .get("/api/v1/departments/xf")
        .await
        .json();
    assert_eq!(d["department"]["code"], "xf");
    assert!(d["matters"].as_array().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn negative_list_gives_reasons() {
    let list = TestApp::demo()
        .await
        .get("/api/v1/negative-list")
        .await
        .json();
    let items = list.as_array().expect("list");
    assert!(items.len() >= 3);
    assert!(
        items
            .iter()
            .all(|i| i["reason_zh"].as_str().is_some_and(|r| !r.is_empty()))
    );
    assert!(
        items
            .iter()
            .all(|i| i["matter"]["trips"].as_u64().is_some_and(|t| t >= 2))
    );
}

#[tokio::test]
async fn openapi_document_describes_every_route() {
    let doc = TestApp::demo().await.get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/v1/matters",
        "/api/v1/matters/{code}",
        "/api/v1/matters/{code}/plan",
        "/api/v1/one-things",
        "/api/v1/one-things/{code}",
        "/api/v1/one-things/{code}/plan",
        "/api/v1/search",
        "/api/v1/departments",
        "/api/v1/departments/{code}",
        "/api/v1/negative-list",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} not in the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn unknown_api_path_is_a_problem() {
    let reply = TestApp::demo().await.get("/api/v1/nothing-here").await;
    assert_problem(&reply, 404, None);
}
