//! The rules of the service hall around a case (办事大厅): booking a slot
//! at a window area, the queue at the window, ratings, and the parcels of
//! two-way delivery with the address book they go to. Pure: no I/O, no
//! clock of its own; the application layer passes "now" in.

pub mod address;
pub mod booking;
pub mod parcel;
pub mod queue;
pub mod rating;

pub use address::{Address, AddressError};
pub use booking::{BookingError, Slot};
pub use parcel::{Move, ParcelKind, ParcelState};
