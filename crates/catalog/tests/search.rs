//! Catalog search: Chinese word segmentation, synonyms, ranking.

mod fixture;

use fixture::{Fixture, demo_dir};
use yici_catalog::{HitKind, SearchIndex};

fn demo_index() -> SearchIndex {
    let catalog = yici_catalog::load_dir(&demo_dir()).expect("demo loads");
    SearchIndex::build(&catalog).expect("index")
}

fn first(index: &SearchIndex, q: &str) -> String {
    index
        .search(q, 5)
        .expect("search")
        .first()
        .map(|h| h.code.clone())
        .unwrap_or_default()
}

#[test]
fn open_a_restaurant_finds_the_restaurant_one_thing_first() {
    assert_eq!(first(&demo_index(), "开饭店"), "ot-restaurant");
}

#[test]
fn second_hand_home_transfer_finds_the_home_one_thing_first() {
    assert_eq!(first(&demo_index(), "二手房过户"), "ot-second-hand-home");
}

#[test]
fn synonym_finds_what_the_catalog_calls_otherwise() {
    // The fixture's one-thing says 饭店; 餐馆 is its synonym.
    let index = SearchIndex::build(&Fixture::new().catalog()).expect("index");
    let hits = index.search("餐馆", 5).expect("search");
    assert_eq!(hits.first().map(|h| h.code.as_str()), Some("ot-shop"));
}

#[test]
fn one_thing_ranks_above_its_own_matters() {
    let hits = demo_index().search("开饭店", 10).expect("search");
    assert_eq!(hits[0].kind, HitKind::OneThing);
    assert!(hits.iter().skip(1).any(|h| h.kind == HitKind::Matter));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn english_query_finds_english_names() {
    assert_eq!(first(&demo_index(), "restaurant"), "ot-restaurant");
}

#[test]
fn query_of_nothing_finds_nothing() {
    assert!(demo_index().search("   ", 5).expect("search").is_empty());
}

#[test]
fn unrelated_query_finds_nothing() {
    assert!(
        demo_index()
            .search("天文望远镜", 5)
            .expect("search")
            .is_empty()
    );
}

#[test]
fn limit_caps_the_number_of_hits() {
    assert!(demo_index().search("登记", 3).expect("search").len() <= 3);
}
