//! The shared definitions matters draw from: form fields, materials and data
//! sets. A key has exactly one definition here, as in a well-kept catalog,
//! so any bundle of matters merges its form without conflict.

mod datasets;
mod fields;
mod materials;

pub use datasets::DATASETS;
pub use fields::FIELDS;
pub use materials::MATERIALS;
