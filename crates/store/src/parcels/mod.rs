//! Two-way delivery (双向寄递): the applicant's address book and the
//! address a case's result goes to ([`addresses`]), the parcels with the
//! states their carrier reported ([`tracking`]), and the sandbox carrier's
//! own books ([`sandbox`]).

pub mod addresses;
pub mod sandbox;
pub mod tracking;

pub use addresses::{DeliveryChoice, StoredAddress};
pub use sandbox::SandboxParcel;
pub use tracking::{
    CarrierLine, NewParcel, Parcel, ParcelEvent, ParcelMove, callback_alongside, move_alongside,
    nonce_alongside,
};
