//! The whole-file check of a PDF whose names a stream scan cannot see:
//! those inside compressed object streams (`/ObjStm`, PDF 1.5). lopdf reads
//! the file, object streams included, and every dictionary is walked for the
//! keys that make a PDF active, hidden or locked.
//!
//! Why not always: lopdf holds the whole file in memory. A stream scan
//! ([`crate::scan`]) decides most PDFs; this check runs only for the rest,
//! bounded by the file limit and, for what the object streams inflate to,
//! by [`MAX_INFLATED`].

use lopdf::{Dictionary, Document, LoadOptions, Object};

use crate::refusal::Refusal;

/// Most bytes the object streams of one PDF may inflate to: a bound against
/// a small file that decompresses into gigabytes.
pub const MAX_INFLATED: usize = 64 * 1024 * 1024;

/// What the walk found.
#[derive(Debug, Default)]
struct Found {
    active: bool,
    embedded: bool,
}

/// Deepest nesting walked: a crafted file must not exhaust the stack.
const MAX_DEPTH: usize = 64;

fn visit_dict(dict: &Dictionary, found: &mut Found, depth: usize) {
    for (key, value) in dict.iter() {
        match key.as_slice() {
            b"JS" | b"JavaScript" | b"Launch" => found.active = true,
            b"EmbeddedFiles" | b"EmbeddedFile" => found.embedded = true,
            _ => {}
        }
        if let Object::Name(name) = value {
            match name.as_slice() {
                b"JavaScript" | b"Launch" => found.active = true,
                b"EmbeddedFile" => found.embedded = true,
                _ => {}
            }
        }
        visit(value, found, depth + 1);
    }
}

fn visit(object: &Object, found: &mut Found, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match object {
        Object::Dictionary(dict) => visit_dict(dict, found, depth),
        Object::Stream(stream) => visit_dict(&stream.dict, found, depth),
        Object::Array(items) => {
            for item in items {
                visit(item, found, depth + 1);
            }
        }
        _ => {}
    }
}

/// Checks a whole PDF: refused when lopdf cannot read it, when it is (or
/// was) encrypted, carries JavaScript or a launch action, or embedded files.
pub fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let options = LoadOptions::with_max_decompressed_size(MAX_INFLATED);
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| Refusal::Damaged(format!("PDF: {e}")))?;
    // lopdf opens a PDF encrypted with an empty user password silently
    // (`is_encrypted` is then false): the original encryption is refused too.
    if doc.was_encrypted() || doc.is_encrypted() {
        return Err(Refusal::Encrypted);
    }
    let mut found = Found::default();
    visit_dict(&doc.trailer, &mut found, 0);
    for object in doc.objects.values() {
        visit(object, &mut found, 0);
    }
    if found.active {
        Err(Refusal::PdfActive)
    } else if found.embedded {
        Err(Refusal::PdfEmbeddedFiles)
    } else {
        Ok(())
    }
}
