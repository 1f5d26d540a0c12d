//! Why a file is refused. Each refusal names its rule, stable for clients,
//! and says what is wrong in words; nothing of a refused file is kept.

use crate::kind::FileKind;

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The file has no bytes.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than a file may be.
    #[error("the file is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The case would hold more than a case may.
    #[error("the case's files would pass {limit} bytes in all")]
    CaseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The material has as many files as it may.
    #[error("a material takes at most {limit} files")]
    TooManyFiles {
        /// The limit.
        limit: u32,
    },
    /// The content is none of PDF, JPEG, PNG and OFD.
    #[error("the file is not a PDF, JPEG, PNG or OFD document")]
    Unsupported,
    /// The name or declared type claims another kind than the content is,
    /// or a kind yici does not take.
    #[error("the file claims to be {claimed} but is {found}")]
    NotWhatItClaims {
        /// What the name or type claims.
        claimed: String,
        /// What the content is (`unknown` when none of the four).
        found: String,
    },
    /// The file is encrypted or password-protected: nobody could read it.
    #[error("the file is encrypted or password-protected")]
    Encrypted,
    /// A PDF that carries JavaScript (or launches a program).
    #[error("the PDF carries JavaScript or launches a program")]
    PdfActive,
    /// A PDF that carries embedded files.
    #[error("the PDF carries embedded files")]
    PdfEmbeddedFiles,
    /// The file's structure could not be read (a damaged PDF or ZIP).
    #[error("the file is damaged: {0}")]
    Damaged(String),
    /// A ZIP container that is not an OFD document (no `OFD.xml`).
    #[error("the file is a ZIP archive but not an OFD document (no OFD.xml)")]
    NotOfd,
}

impl Refusal {
    /// A stable machine name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge { .. } => "max_file_bytes",
            Refusal::CaseTooLarge { .. } => "max_case_bytes",
            Refusal::TooManyFiles { .. } => "max_files",
            Refusal::Unsupported => "file_type",
            Refusal::NotWhatItClaims { .. } => "not_what_it_claims",
            Refusal::Encrypted => "encrypted",
            Refusal::PdfActive => "pdf_javascript",
            Refusal::PdfEmbeddedFiles => "pdf_embedded_files",
            Refusal::Damaged(_) => "damaged",
            Refusal::NotOfd => "not_ofd",
        }
    }

    /// The refusal of content of kind `found` (`None`: none of the four)
    /// claimed to be `claimed`.
    pub fn mismatch(claimed: &str, found: Option<FileKind>) -> Refusal {
        Refusal::NotWhatItClaims {
            claimed: claimed.to_owned(),
            found: found.map_or("unknown", FileKind::as_str).to_owned(),
        }
    }
}
