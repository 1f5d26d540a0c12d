//! The demo for `serve --demo` (and the tests), and only for it: accounts
//! for every role, and synthetic records of the shared data sets for the
//! demo persons and enterprise, so that the exchange has something to fetch.

mod records;
mod users;

pub use records::records;
pub use users::{PASSWORD, resident_id, uscc, users};

use crate::context::Service;
use crate::error::Result;

/// What seeding loaded.
#[derive(Debug)]
pub struct Seeded {
    /// The demo accounts' user names.
    pub users: Vec<String>,
    /// How many data-set records.
    pub records: usize,
}

/// Creates the demo accounts (those that exist stay as they are).
pub async fn seed_users(service: &Service) -> Result<Vec<String>> {
    users::seed(service).await
}

/// Creates the demo accounts and loads the demo records.
pub async fn seed(service: &Service) -> Result<Seeded> {
    Ok(Seeded {
        users: users::seed(service).await?,
        records: records::seed(service).await?,
    })
}
