//! Every certificate is exchange data: where a material of the catalog is
//! the result of a matter and comes from a data-set field, that field of
//! the holder's record names the certificate (written with it), so the next
//! case fetches it instead of asking for it.

use std::collections::HashMap;

use yici_core::catalog::{Catalog, DatasetField};

/// Matter code → the data-set fields its certificates are filed under,
/// found in one pass over the catalog.
pub fn libraries(catalog: &Catalog) -> HashMap<String, Vec<DatasetField>> {
    let mut out: HashMap<String, Vec<DatasetField>> = HashMap::new();
    for m in catalog.matters.values() {
        for material in &m.materials {
            if let (Some(result_of), Some(target)) =
                (&material.result_of, material.source.shared_field())
            {
                let targets = out.entry(result_of.to_string()).or_default();
                if !targets.contains(&target) {
                    targets.push(target);
                }
            }
        }
    }
    out
}
