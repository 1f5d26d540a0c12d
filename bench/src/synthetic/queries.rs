//! The search benchmark's queries: the catalog's own names and keywords,
//! the one-things' names, and phrases people type.

use yici_core::catalog::Catalog;

/// Phrases people type, beside the catalog's own names and keywords.
const PHRASES: &[&str] = &[
    "开饭店",
    "二手房过户",
    "新生儿出生",
    "开公司",
    "营业执照",
    "食品经营许可",
    "退休",
    "开KTV",
    "公积金提取",
    "办身份证",
    "驾照",
    "我要开一家餐馆",
    "社保",
    "网约车",
    "food business licence",
    "driving licence",
    "retire",
];

/// Queries drawn from the catalog's names and keywords, the one-things'
/// names, and phrases people type, in a fixed order.
pub fn search_queries(catalog: &Catalog, count: usize) -> Vec<String> {
    let matters: Vec<_> = catalog.matters.values().collect();
    let one_things: Vec<_> = catalog.one_things.values().collect();
    (0..count)
        .map(|i| {
            let m = matters[(i * 7919) % matters.len()];
            match i % 10 {
                0..6 => m.name.zh.to_string(),
                6 | 7 => m
                    .keywords
                    .first()
                    .map_or_else(|| m.name.zh.to_string(), Clone::clone),
                8 => one_things[(i * 31) % one_things.len()].name.zh.to_string(),
                _ => PHRASES[(i / 10) % PHRASES.len()].to_owned(),
            }
        })
        .collect()
}
