//! The catalog model (事项清单): what a government offers, as checked data.

mod code;
mod model;
pub mod rule;

pub use code::{
    CodeError, DatasetCode, DatasetField, DepartmentCode, FieldKey, MAX_CODE_LEN, MatterCode,
    OneThingCode, WindowCode,
};
pub use model::*;
