//! The limits a deployment sets on files, with the defaults documented in
//! `docs/operations.md`. A scan of an ID card is a few hundred kilobytes, a
//! contract of fifty pages a few megabytes; 20 MB a file leaves room for a
//! poor scanner's output without inviting video.

/// Limits on the files of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_file_bytes: u64,
    /// All the files of one case together, in bytes.
    pub max_case_bytes: u64,
    /// Files one material may have (the pages of a contract, scanned one by one).
    pub max_files_per_material: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_case_bytes: 200 * 1024 * 1024,
            max_files_per_material: 20,
        }
    }
}
