//! The check of a file as it streams past, chunk by chunk, so that an
//! upload is never held whole in memory: its size against the limit, its
//! SHA-256 (the name it is kept under and the hash its case event carries),
//! its kind from its first bytes, and in a PDF the names that make it
//! active, hidden or locked.
//!
//! The PDF part reads the file as PDF's lexical rules (ISO 32000-1 §7.2,
//! §7.3) tell it: a name starts with `/` and may spell a byte as `#xx`, so
//! `/J#61vaScript` is `/JavaScript`; text inside a string `( … )` or a
//! comment is not a name; the bytes of a stream (`stream` … `endstream`) are
//! skipped, so that compressed page content cannot look like a name by
//! chance. What a stream scan cannot see — names inside compressed object
//! streams (`/ObjStm`, PDF 1.5) — is left to the whole-file check
//! ([`crate::pdf`]), and only for the PDFs that have them.

use sha2::{Digest, Sha256};

use crate::kind::{FileKind, SNIFF_BYTES};
use crate::refusal::Refusal;

/// What a stream scan found in a file that passed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// The kind its content shows.
    pub kind: FileKind,
    /// Its size, in bytes.
    pub size: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
    /// Whether the whole file must still be checked: an OFD's container,
    /// or a PDF with compressed object streams.
    pub needs_whole_check: bool,
}

/// A scan in progress.
#[derive(Debug)]
pub struct Scan {
    max_file_bytes: u64,
    size: u64,
    hasher: Sha256,
    head: Vec<u8>,
    kind: Option<FileKind>,
    pdf: PdfLexer,
}

impl Scan {
    /// A scan of a file that may have at most `max_file_bytes` bytes.
    pub fn new(max_file_bytes: u64) -> Scan {
        Scan {
            max_file_bytes,
            size: 0,
            hasher: Sha256::new(),
            head: Vec::with_capacity(SNIFF_BYTES),
            kind: None,
            pdf: PdfLexer::default(),
        }
    }

    /// Bytes read so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The next chunk of the file. A refusal ends the scan: the caller
    /// stops reading and keeps nothing.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Refusal> {
        self.size = self.size.saturating_add(chunk.len() as u64);
        if self.size > self.max_file_bytes {
            return Err(Refusal::TooLarge {
                limit: self.max_file_bytes,
            });
        }
        self.hasher.update(chunk);
        if self.kind.is_none() {
            let want = SNIFF_BYTES - self.head.len();
            self.head.extend_from_slice(&chunk[..chunk.len().min(want)]);
            if self.head.len() == SNIFF_BYTES {
                self.kind = Some(FileKind::sniff(&self.head).ok_or(Refusal::Unsupported)?);
            }
        }
        // Before the kind is known (fewer than 8 bytes so far) the bytes are
        // in `head`, and a PDF's first 8 bytes hold no name.
        if self.kind == Some(FileKind::Pdf) {
            self.pdf.feed(chunk);
            self.pdf.verdict()?;
        }
        Ok(())
    }

    /// The end of the file.
    pub fn finish(self) -> Result<Scanned, Refusal> {
        if self.size == 0 {
            return Err(Refusal::Empty);
        }
        let kind = match self.kind {
            Some(k) => k,
            None => FileKind::sniff(&self.head).ok_or(Refusal::Unsupported)?,
        };
        let needs_whole_check = match kind {
            FileKind::Pdf => {
                self.pdf.verdict()?;
                self.pdf.object_streams
            }
            FileKind::Ofd => true,
            FileKind::Jpeg | FileKind::Png => false,
        };
        Ok(Scanned {
            kind,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            needs_whole_check,
        })
    }
}

/// PDF's white-space characters (ISO 32000-1 §7.2.2, Table 1).
fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// PDF's delimiters (Table 2).
fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Longest name PDF allows (Annex C: 127 bytes); longer ones are cut.
const MAX_NAME: usize = 127;

const ENDSTREAM: &[u8] = b"endstream";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Body,
    Comment,
    /// Inside a literal string: its depth of parentheses, and whether the
    /// previous byte was a backslash.
    String {
        depth: u32,
        escaped: bool,
    },
    /// Inside a name: `hex` counts the digits of a `#xx` escape read so far.
    Name {
        hex: u8,
    },
    /// Inside a stream's data: how much of `endstream` has matched.
    Stream {
        matched: usize,
    },
}

/// A PDF lexer that keeps only what the checks need across chunks.
#[derive(Debug, Default)]
struct PdfLexer {
    state: State,
    name: Vec<u8>,
    escape: u8,
    /// The last bytes of a word in the body, to see `stream` end before its
    /// end of line.
    word: Vec<u8>,
    active: bool,
    embedded: bool,
    encrypted: bool,
    object_streams: bool,
}

impl PdfLexer {
    fn verdict(&self) -> Result<(), Refusal> {
        if self.encrypted {
            Err(Refusal::Encrypted)
        } else if self.active {
            Err(Refusal::PdfActive)
        } else if self.embedded {
            Err(Refusal::PdfEmbeddedFiles)
        } else {
            Ok(())
        }
    }

    fn name_ended(&mut self) {
        match self.name.as_slice() {
            b"JavaScript" | b"JS" | b"Launch" => self.active = true,
            b"EmbeddedFile" | b"EmbeddedFiles" => self.embedded = true,
            b"Encrypt" => self.encrypted = true,
            b"ObjStm" => self.object_streams = true,
            _ => {}
        }
        self.name.clear();
    }

    fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            self.byte(b);
        }
    }

    fn byte(&mut self, b: u8) {
        match self.state {
            State::Stream { matched } => {
                let matched = if b == ENDSTREAM[matched] {
                    matched + 1
                } else if b == ENDSTREAM[0] {
                    1
                } else {
                    0
                };
                self.state = if matched == ENDSTREAM.len() {
                    State::Body
                } else {
                    State::Stream { matched }
                };
            }
            State::Comment => {
                if b == b'\n' || b == b'\r' {
                    self.state = State::Body;
                }
            }
            State::String { depth, escaped } => {
                self.state = match (escaped, b) {
                    (true, _) => State::String {
                        depth,
                        escaped: false,
                    },
                    (false, b'\\') => State::String {
                        depth,
                        escaped: true,
                    },
                    (false, b'(') => State::String {
                        depth: depth + 1,
                        escaped: false,
                    },
                    (false, b')') if depth <= 1 => State::Body,
                    (false, b')') => State::String {
                        depth: depth - 1,
                        escaped: false,
                    },
                    (false, _) => State::String {
                        depth,
                        escaped: false,
                    },
                };
            }
            State::Name { hex } => {
                if is_white(b) || is_delimiter(b) {
                    self.name_ended();
                    self.state = State::Body;
                    self.body(b);
                } else if hex > 0 {
                    let digit = (b as char).to_digit(16).unwrap_or(0) as u8;
                    self.escape = self.escape * 16 + digit;
                    if hex == 2 {
                        self.push_name(self.escape);
                        self.state = State::Name { hex: 0 };
                    } else {
                        self.state = State::Name { hex: 2 };
                    }
                } else if b == b'#' {
                    self.escape = 0;
                    self.state = State::Name { hex: 1 };
                } else {
                    self.push_name(b);
                }
            }
            State::Body => self.body(b),
        }
    }

    fn push_name(&mut self, b: u8) {
        if self.name.len() < MAX_NAME {
            self.name.push(b);
        }
    }

    fn body(&mut self, b: u8) {
        match b {
            b'/' => {
                self.word.clear();
                self.state = State::Name { hex: 0 };
            }
            b'%' => {
                self.word.clear();
                self.state = State::Comment;
            }
            b'(' => {
                self.word.clear();
                self.state = State::String {
                    depth: 1,
                    escaped: false,
                };
            }
            b'\n' | b'\r' => {
                // `stream` at the end of its line starts a stream's data
                // (§7.3.8.1); `endstream` ends one and starts none.
                if self.word == b"stream" {
                    self.state = State::Stream { matched: 0 };
                }
                self.word.clear();
            }
            _ if is_white(b) || is_delimiter(b) => self.word.clear(),
            _ => {
                if self.word.len() < ENDSTREAM.len() {
                    self.word.push(b);
                } else {
                    self.word.clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_in_chunks(bytes: &[u8], chunk: usize) -> Result<Scanned, Refusal> {
        let mut s = Scan::new(1 << 20);
        for c in bytes.chunks(chunk) {
            s.feed(c)?;
        }
        s.finish()
    }

    const PLAIN: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        3 0 obj << /Length 20 >>\nstream\n/JS (hidden) /JavaScript\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

    #[test]
    fn a_plain_pdf_passes_in_any_chunking_and_its_streams_are_skipped() {
        for n in [1, 2, 3, 7, 64, 4096] {
            let s = scan_in_chunks(PLAIN, n).expect("passes");
            assert_eq!(s.kind, FileKind::Pdf);
            assert_eq!(s.size, PLAIN.len() as u64);
            assert!(!s.needs_whole_check);
        }
    }

    #[test]
    fn javascript_is_found_even_spelled_with_escapes_and_across_chunks() {
        let js = b"%PDF-1.4\n1 0 obj << /S /J#61vaScript /JS (app.alert(1)) >> endobj\n";
        for n in [1, 5, 4096] {
            assert_eq!(scan_in_chunks(js, n), Err(Refusal::PdfActive));
        }
        let launch = b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj\n";
        assert_eq!(scan_in_chunks(launch, 4096), Err(Refusal::PdfActive));
    }

    #[test]
    fn embedded_files_and_encryption_are_found() {
        let embedded = b"%PDF-1.7\n1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj\n";
        assert_eq!(scan_in_chunks(embedded, 3), Err(Refusal::PdfEmbeddedFiles));
        let locked = b"%PDF-1.7\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n";
        assert_eq!(scan_in_chunks(locked, 4096), Err(Refusal::Encrypted));
    }

    #[test]
    fn names_in_strings_and_comments_are_not_names() {
        let text = b"%PDF-1.4\n% /JavaScript in a comment\n1 0 obj << /Title (a (nested /JS) \\) /JS) >> endobj\n";
        assert!(scan_in_chunks(text, 2).is_ok());
    }

    #[test]
    fn object_streams_need_the_whole_file_checked() {
        let objstm = b"%PDF-1.5\n5 0 obj << /Type /ObjStm /N 1 /First 4 /Length 3 >>\nstream\nabc\nendstream\nendobj\n";
        assert!(
            scan_in_chunks(objstm, 4096)
                .expect("passes")
                .needs_whole_check
        );
    }

    #[test]
    fn size_kind_and_emptiness_are_checked() {
        assert_eq!(scan_in_chunks(b"", 10), Err(Refusal::Empty));
        assert_eq!(
            scan_in_chunks(b"<html><body>", 4),
            Err(Refusal::Unsupported)
        );
        assert_eq!(scan_in_chunks(b"%PD", 1), Err(Refusal::Unsupported));
        let mut s = Scan::new(10);
        assert_eq!(s.feed(&[0xFF; 11]), Err(Refusal::TooLarge { limit: 10 }));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
        let s = scan_in_chunks(&jpeg, 3).expect("a JPEG");
        assert_eq!(s.kind, FileKind::Jpeg);
        assert_eq!(
            s.sha256,
            hex::encode(Sha256::digest(jpeg)),
            "the hash of the whole file"
        );
    }
}
