//! What a file is, judged by its first bytes (its "magic"), and what its
//! name or declared type claims it is. A file is kept only when the two
//! agree, so that a script renamed `.pdf` is refused.

use serde::Serialize;

/// The kinds of file a material may be given as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// PDF (ISO 32000): starts `%PDF-`.
    Pdf,
    /// JPEG (ISO/IEC 10918): starts `FF D8 FF`.
    Jpeg,
    /// PNG (ISO/IEC 15948): the 8-byte signature of §5.2.
    Png,
    /// OFD, China's fixed-layout format (GB/T 33190): a ZIP container with
    /// `OFD.xml` at its root; starts with a ZIP local file header.
    Ofd,
}

/// The PNG signature (ISO/IEC 15948 §5.2).
const PNG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// How many first bytes [`FileKind::sniff`] needs.
pub const SNIFF_BYTES: usize = 8;

impl FileKind {
    /// The kind the first bytes of a file show, if it is one of the four.
    /// An OFD is only a candidate here: its container is checked whole
    /// ([`crate::ofd`]).
    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if head.starts_with(&PNG) {
            Some(FileKind::Png)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.starts_with(b"PK\x03\x04") {
            Some(FileKind::Ofd)
        } else {
            None
        }
    }

    /// The media type a viewer is given.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Ofd => "application/ofd",
        }
    }

    /// The name's usual extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Ofd => "ofd",
        }
    }

    /// The kind as stored: `pdf`, `jpeg`, `png`, `ofd`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Ofd => "ofd",
        }
    }

    /// Reads a kind as stored.
    pub fn parse(s: &str) -> Option<FileKind> {
        Some(match s {
            "pdf" => FileKind::Pdf,
            "jpeg" => FileKind::Jpeg,
            "png" => FileKind::Png,
            "ofd" => FileKind::Ofd,
            _ => return None,
        })
    }
}

/// What a file's name (its extension) or its declared media type claims it
/// is: `Ok(None)` when it claims nothing, `Err(claim)` when it claims a kind
/// that is none of the four (a `.docx`, `text/html`).
pub fn claimed_kind(
    name: Option<&str>,
    media_type: Option<&str>,
) -> Result<Option<FileKind>, String> {
    let by_type =
        match media_type.map(|t| t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase()) {
            None => None,
            Some(t) if t.is_empty() || t == "application/octet-stream" => None,
            Some(t) => Some(match t.as_str() {
                "application/pdf" => FileKind::Pdf,
                "image/jpeg" | "image/jpg" | "image/pjpeg" => FileKind::Jpeg,
                "image/png" => FileKind::Png,
                "application/ofd" | "application/x-ofd" => FileKind::Ofd,
                _ => return Err(t),
            }),
        };
    let by_name = match name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
    {
        None => None,
        Some(e) => Some(match e.as_str() {
            "pdf" => FileKind::Pdf,
            "jpg" | "jpeg" | "jpe" => FileKind::Jpeg,
            "png" => FileKind::Png,
            "ofd" => FileKind::Ofd,
            _ => return Err(format!(".{e}")),
        }),
    };
    match (by_name, by_type) {
        (Some(a), Some(b)) if a != b => Err(format!("{} and {}", a.as_str(), b.as_str())),
        (a, b) => Ok(a.or(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_their_first_bytes() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(&PNG), Some(FileKind::Png));
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(FileKind::sniff(b"PK\x03\x04\x14\x00"), Some(FileKind::Ofd));
        assert_eq!(FileKind::sniff(b"<html>"), None);
        // A PDF header not at the start is not a PDF (a polyglot).
        assert_eq!(FileKind::sniff(b"GIF89a%PDF-1.4"), None);
        // Four bytes of the PNG signature are not enough.
        assert_eq!(FileKind::sniff(&PNG[..4]), None);
    }

    #[test]
    fn a_name_and_a_type_claim_a_kind_or_nothing() {
        assert_eq!(
            claimed_kind(Some("章程.PDF"), None),
            Ok(Some(FileKind::Pdf))
        );
        assert_eq!(
            claimed_kind(Some("scan.jpeg"), Some("image/jpeg")),
            Ok(Some(FileKind::Jpeg))
        );
        assert_eq!(
            claimed_kind(Some("scan"), Some("application/octet-stream")),
            Ok(None)
        );
        assert_eq!(claimed_kind(None, None), Ok(None));
        assert_eq!(claimed_kind(Some("a.docx"), None), Err(".docx".into()));
        assert_eq!(
            claimed_kind(None, Some("text/html; charset=utf-8")),
            Err("text/html".into())
        );
        assert!(claimed_kind(Some("a.png"), Some("application/pdf")).is_err());
    }
}
