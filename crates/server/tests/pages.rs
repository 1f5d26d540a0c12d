//! Server-rendered pages: content, language, errors. The browser tests in
//! tests/browser walk the same pages in Chromium.

mod support;

use support::TestApp;

#[tokio::test]
async fn home_lists_one_things_in_chinese_by_default() {
    let r = TestApp::demo().await.get("/").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<html lang=\"zh\">"));
    assert!(r.body.contains("开饭店"));
}

#[tokio::test]
async fn lang_parameter_switches_to_english_and_is_remembered() {
    let r = TestApp::demo().await.get("/?lang=en").await;
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Open a restaurant"));
    let cookie = r
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.starts_with("lang=en"), "{cookie}");
}

#[tokio::test]
async fn lang_cookie_keeps_english_on_other_pages() {
    let r = TestApp::demo()
        .await
        .get_with("/negative-list", "cookie", "lang=en")
        .await;
    assert!(r.body.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn accept_language_chooses_english() {
    let r = TestApp::demo()
        .await
        .get_with("/", "accept-language", "en-GB,en;q=0.9")
        .await;
    assert!(r.body.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn one_thing_page_shows_plan_and_comparison() {
    let r = TestApp::demo().await.get("/one-things/ot-karaoke").await;
    assert_eq!(r.status, 200);
    for id in [
        "plan-trips",
        "comparison",
        "bring",
        "fetched",
        "stages",
        "form",
    ] {
        assert!(r.body.contains(&format!("id=\"{id}\"")), "#{id} missing");
    }
}

#[tokio::test]
async fn search_page_links_the_restaurant_first() {
    let r = TestApp::demo()
        .await
        .get("/search?q=%E5%BC%80%E9%A5%AD%E5%BA%97")
        .await;
    let first_link = r.body.find("href=\"/one-things/ot-restaurant\"");
    let any_matter = r.body.find("href=\"/matters/");
    assert!(first_link.is_some());
    assert!(any_matter.is_none_or(|m| first_link.is_some_and(|f| f < m)));
}

#[tokio::test]
async fn empty_search_shows_the_error_beside_the_field() {
    let r = TestApp::demo().await.get("/search?q=").await;
    assert!(r.body.contains("id=\"q-error\""));
}

#[tokio::test]
async fn unknown_page_is_404_in_the_chosen_language() {
    let r = TestApp::demo()
        .await
        .get_with("/one-things/nope", "cookie", "lang=en")
        .await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Not found"));
    let r = TestApp::demo().await.get("/no/such/page").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("没有找到"));
}

#[tokio::test]
async fn page_text_is_escaped() {
    let r = TestApp::demo()
        .await
        .get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
        .await;
    assert!(!r.body.contains("<script>alert(1)</script>"));
}
