//! The materials a case needs, given as files (申请材料): streamed in,
//! checked, sealed and kept ([`blobs`]); attached to their case with an
//! event that carries their SHA-256; opened only by those who may see the
//! case, every opening logged.

mod archive;
pub mod blobs;
mod complete;
mod give;
mod reuse;
mod room;
mod view;

pub use blobs::{Blobs, Refused, S3, Staged};
pub use give::{GivenFile, Prepared};
pub(crate) use room::check_room;
pub use view::{CaseMaterials, Opened, OpenedDocument};
pub use yici_materials::Limits;
pub use yici_store::materials::MaterialFile;
pub use yici_store::materials::MaterialView;
