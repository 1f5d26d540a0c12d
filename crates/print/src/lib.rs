//! Printable documents as PDF: an e-certificate on A4, set in a subset of
//! a CJK font (so that Chinese renders on any reader, embedded or not on
//! the reader's machine), with its verification QR code drawn as vector
//! squares and a link to the verify page.
//!
//! The caller puts every text in words (its language, its labels) into a
//! [`CertificateSheet`]; this crate only lays it out ([`layout`]) and
//! writes it with krilla, which embeds the glyphs used and a ToUnicode map
//! so the text can be searched and copied.

mod font;
mod layout;

pub use font::{CjkFont, FontError, INSTALL_HINT, WELL_KNOWN};

use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{GlyphId, KrillaGlyph};

use layout::Op;

/// A label and its value, each possibly several lines (`\n`).
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// What the value is.
    pub label: String,
    /// The value in words.
    pub value: String,
}

/// A QR code to draw: its modules, row by row (true is dark), without the
/// quiet zone, which the layout adds.
#[derive(Debug, Clone, Default)]
pub struct Qr {
    /// The modules.
    pub modules: Vec<Vec<bool>>,
    /// What it is for, beside it.
    pub caption: String,
}

/// A certificate as it is printed: every text already in the reader's
/// language, in the order of the HTML print page.
#[derive(Debug, Clone, Default)]
pub struct CertificateSheet {
    /// The document's language (BCP 47, e.g. `zh-CN`).
    pub lang: String,
    /// The certificate's name (营业执照).
    pub title: String,
    /// The line under it (电子证照 · id).
    pub subtitle: String,
    /// Holder, issuer, matter, case, dates, status.
    pub facts: Vec<Row>,
    /// The heading of the claims.
    pub claims_heading: String,
    /// The claims table's column heads.
    pub claims_header: Row,
    /// Every claim, in the certificate's order.
    pub claims: Vec<Row>,
    /// The verification QR code, when there is one.
    pub qr: Option<Qr>,
    /// The words before the verify URL.
    pub verify_label: String,
    /// The verify URL (what the QR code holds), printed in full.
    pub verify_url: String,
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The font's tables could not be read.
    #[error("reading the font: {0}")]
    Font(String),
    /// krilla could not write the document (e.g. the font cannot be
    /// subset).
    #[error("writing the PDF: {0}")]
    Pdf(String),
}

/// The certificate as a PDF document.
pub fn certificate_pdf(font: &CjkFont, sheet: &CertificateSheet) -> Result<Vec<u8>, PrintError> {
    let face = font.face().map_err(|e| PrintError::Font(e.to_string()))?;
    let pages = layout::lay_out(&face, sheet);
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(sheet.title.clone())
            .language(sheet.lang.clone())
            .creator("yici".to_owned()),
    );
    let size = PageSettings::from_wh(layout::PAGE_W, layout::PAGE_H)
        .ok_or_else(|| PrintError::Pdf("bad page size".into()))?;
    for ops in pages {
        let mut page = doc.start_page_with(size.clone());
        let mut links = Vec::new();
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    gray,
                    text,
                    glyphs,
                } => {
                    let glyphs: Vec<KrillaGlyph> = glyphs
                        .into_iter()
                        .map(|g| {
                            KrillaGlyph::new(
                                GlyphId::new(g.id),
                                g.advance,
                                0.0,
                                0.0,
                                0.0,
                                g.range,
                                None,
                            )
                        })
                        .collect();
                    surface.set_fill(Some(fill(gray)));
                    surface.draw_glyphs(
                        Point::from_xy(x, y),
                        &glyphs,
                        font.pdf().clone(),
                        &text,
                        size,
                        false,
                    );
                }
                Op::Rects { gray, rects } => {
                    let mut pb = PathBuilder::new();
                    for [x, y, w, h] in rects {
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            pb.push_rect(r);
                        }
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_fill(Some(fill(gray)));
                        surface.draw_path(&path);
                    }
                }
                Op::Link {
                    rect: [x, y, w, h],
                    uri,
                } => links.push((x, y, w, h, uri)),
            }
        }
        surface.finish();
        for (x, y, w, h, uri) in links {
            if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                let target = Target::Action(LinkAction::new(uri).into());
                page.add_annotation(Annotation::new_link(
                    LinkAnnotation::new(rect, target),
                    None,
                ));
            }
        }
        page.finish();
    }
    // krilla's error type has no Display; its Debug names the cause.
    doc.finish().map_err(|e| PrintError::Pdf(format!("{e:?}")))
}

fn fill(gray: u8) -> Fill {
    Fill {
        paint: luma::Color::new(gray).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}
