//! Catalog as code: loading and checking a catalog directory, the one-thing
//! planner, and full-text search over matters and one-things.
//!
//! The format is documented in `catalog/README.md` at the repository root.

pub mod charges;
mod fee;
mod field;
mod file;
pub mod form;
mod hall;
mod load;
mod matter;
mod merge;
mod one_thing;
mod order;
pub mod plan;
mod problem;
pub mod search;
mod segment;

pub use load::{LoadError, check_dir, load_dir};
pub use plan::{Plan, PlanError, plan, plan_one_thing, posted_away};
pub use problem::Problem;
pub use search::{Hit, HitKind, MAX_QUERY_LEN, SearchError, SearchIndex};
