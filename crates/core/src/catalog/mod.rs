//! Catalog model.
