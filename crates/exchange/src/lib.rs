//! The public data exchange (公共数据平台) of yici. So far it holds the
//! e-certificate library: see [`certificate`]. Shared data sets, consent and
//! purpose-bound reads come next.
//!
//! Pure and synchronous: no database, no HTTP, no clock.

pub mod certificate;
