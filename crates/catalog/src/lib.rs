//! Catalog loading, checking, planning and search.
