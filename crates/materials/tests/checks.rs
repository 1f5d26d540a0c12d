//! The whole-file checks on files built here byte by byte: PDFs whose
//! JavaScript or embedded files hide in compressed object streams, and OFD
//! containers, good and crafted.

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use yici_materials::{Refusal, Scan, ofd, pdf};

/// A PDF with a classic cross-reference table over `objects` (numbered from
/// 1, object 1 the catalog), each given as its body between `obj` and
/// `endobj`.
fn pdf_with(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

/// An object stream holding object 4 = `inner`, as object body.
fn object_stream(inner: &str) -> Vec<u8> {
    let header = "4 0 ";
    let data = deflate(format!("{header}{inner}").as_bytes());
    let mut body = format!(
        "<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
        header.len(),
        data.len()
    )
    .into_bytes();
    body.extend_from_slice(&data);
    body.extend_from_slice(b"\nendstream");
    body
}

fn catalog() -> Vec<u8> {
    b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()
}

fn pages() -> Vec<u8> {
    b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec()
}

fn stream_scan(bytes: &[u8]) -> Result<yici_materials::Scanned, Refusal> {
    let mut s = Scan::new(1 << 20);
    s.feed(bytes)?;
    s.finish()
}

#[test]
fn javascript_in_an_object_stream_passes_the_stream_scan_and_is_caught_whole() {
    let bytes = pdf_with(&[
        catalog(),
        pages(),
        object_stream("<< /S /JavaScript /JS (app.alert\\(1\\)) >>"),
    ]);
    let scanned = stream_scan(&bytes).expect("the names are compressed");
    assert!(scanned.needs_whole_check);
    assert_eq!(pdf::check(&bytes), Err(Refusal::PdfActive));
}

#[test]
fn embedded_files_in_an_object_stream_are_caught_whole() {
    let bytes = pdf_with(&[
        catalog(),
        pages(),
        object_stream("<< /Type /Filespec /F (x.exe) /EF << /F 9 0 R >> /EmbeddedFiles 3 0 R >>"),
    ]);
    assert_eq!(pdf::check(&bytes), Err(Refusal::PdfEmbeddedFiles));
}

#[test]
fn a_plain_object_stream_passes_whole() {
    let bytes = pdf_with(&[catalog(), pages(), object_stream("<< /Title (合同) >>")]);
    assert_eq!(pdf::check(&bytes), Ok(()));
}

#[test]
fn a_pdf_that_does_not_parse_is_damaged() {
    assert!(matches!(
        pdf::check(b"%PDF-1.4\nnot a pdf at all"),
        Err(Refusal::Damaged(_))
    ));
}

/// A ZIP of `(name, content)` entries, stored.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in entries {
        w.start_file(*name, options).expect("entry");
        w.write_all(content).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

const ENTRY: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;

#[test]
fn an_ofd_container_passes_and_its_kind_is_read_from_its_first_bytes() {
    let bytes = zip_of(&[
        ("OFD.xml", ENTRY),
        ("Doc_0/Document.xml", b"<ofd:Document/>"),
    ]);
    let scanned = stream_scan(&bytes).expect("a ZIP");
    assert_eq!(scanned.kind, yici_materials::FileKind::Ofd);
    assert!(scanned.needs_whole_check);
    assert_eq!(ofd::check(Cursor::new(bytes)), Ok(()));
}

#[test]
fn a_zip_without_an_ofd_entry_file_is_not_an_ofd() {
    let bytes = zip_of(&[("word/document.xml", b"<w:document/>")]);
    assert_eq!(ofd::check(Cursor::new(bytes)), Err(Refusal::NotOfd));
    let bytes = zip_of(&[("OFD.xml", b"<html/>")]);
    assert_eq!(ofd::check(Cursor::new(bytes)), Err(Refusal::NotOfd));
}

#[test]
fn a_zip_entry_named_outside_the_container_is_refused() {
    let bytes = zip_of(&[
        ("OFD.xml", ENTRY),
        ("../../etc/cron.d/x", b"* * * * * root x"),
    ]);
    assert!(matches!(
        ofd::check(Cursor::new(bytes)),
        Err(Refusal::Damaged(_))
    ));
}

#[test]
fn a_truncated_zip_is_damaged() {
    let bytes = zip_of(&[("OFD.xml", ENTRY)]);
    let cut = &bytes[..bytes.len() - 10];
    assert!(matches!(
        ofd::check(Cursor::new(cut.to_vec())),
        Err(Refusal::Damaged(_))
    ));
}
