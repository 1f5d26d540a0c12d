//! The catalog model (事项清单): what a government offers, as checked data.

pub mod appointments;
mod code;
mod dataset;
mod model;
pub mod rule;
mod text;

pub use appointments::{Appointments, BookingPolicy, FollowUpPolicy, OpeningSpan};
pub use code::{
    CodeError, DatasetCode, DatasetField, DepartmentCode, FieldKey, MAX_CODE_LEN, MatterCode,
    OneThingCode, WindowCode,
};
pub use dataset::{Dataset, DatasetFieldSpec};
pub use model::*;
pub use text::Text;
