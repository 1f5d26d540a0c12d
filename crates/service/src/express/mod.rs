//! Two-way delivery (双向寄递): the applicant's address book and where a
//! result goes ([`addresses`]), results sent and originals fetched and
//! returned by the carrier ([`parcels`]), what the carrier reports
//! ([`callbacks`]), and the carrier interface ([`carrier`]) with the
//! sandbox yici serves itself ([`sandbox`]).

pub mod addresses;
pub mod callbacks;
pub mod carrier;
mod news;
pub mod notice;
pub mod parcels;
pub mod sandbox;

pub use addresses::MAX_ADDRESSES;
pub use callbacks::ParcelHeard;
pub use carrier::Carrier;
pub use notice::{CarrierNotice, NONCE_HEADER, SCHEME, SIGNATURE_HEADER, TIMESTAMP_HEADER};
pub use parcels::{Tracked, Tracking};
pub use sandbox::SANDBOX_STEP_MS;
pub use yici_hall::{Address, ParcelKind, ParcelState};
pub use yici_store::parcels::{CarrierLine, Parcel, ParcelEvent, StoredAddress};
