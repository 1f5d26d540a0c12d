//! Room for the files sent with one application: how many a material and
//! how many bytes the case may have, checked before anything is written
//! (the store checks again in the transaction that attaches each file).

use super::give::Prepared;
use crate::context::Service;
use crate::error::{FieldProblem, Result, ServiceError};
use crate::gate::ApplicantDesk;

impl ApplicantDesk<'_> {
    /// Refuses files prepared for one application that would not fit the
    /// limits of one material or of the case, naming which.
    pub fn check_room(&self, files: &[Prepared]) -> Result<()> {
        check_room(self.service(), files)
    }
}

/// Refuses files that would not fit the limits of one material or of the
/// case, before anything is written.
pub(crate) fn check_room(service: &Service, files: &[Prepared]) -> Result<()> {
    let limits = service.limits();
    let total: u64 = files.iter().map(Prepared::size).sum();
    let mut problems = Vec::new();
    if total > limits.max_case_bytes {
        problems.push(FieldProblem::new(
            "materials",
            "case_too_large",
            format!(
                "the files together are {total} bytes, more than the {} a case may have",
                limits.max_case_bytes
            ),
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    for f in files {
        let key = f.material();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let n = files.iter().filter(|g| g.material() == key).count();
        if n > limits.max_files_per_material as usize {
            problems.push(FieldProblem::new(
                format!("materials.{key}"),
                "max_files",
                format!(
                    "{n} files; a material takes at most {}",
                    limits.max_files_per_material
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(problems))
    }
}
