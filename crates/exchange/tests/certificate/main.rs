//! E-certificate behaviour, one rule per test.

mod abuse;
mod by_issuer;
mod fixture;
mod issue_and_present;
mod keys;
mod status;
