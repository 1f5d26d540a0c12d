//! The pure domain of yici: identifiers (resident ID, USCC, region code), the
//! working-day calendar and the catalog model. No I/O, no async.

pub mod calendar;
pub mod case;
pub mod catalog;
pub mod identifier;
