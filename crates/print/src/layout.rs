//! Laying a certificate out on A4 pages: text measured with the font's own
//! advances and wrapped to its column, rows that move to the next page
//! when they do not fit, and the QR code's modules as squares. The result
//! is a list of drawing operations per page, written out by `lib.rs`.

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use crate::{CertificateSheet, Row};

/// A4 in points.
pub const PAGE_W: f32 = 595.28;
/// A4 in points.
pub const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.7; // 20 mm
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const LINE: f32 = 1.45; // line height, in font sizes
/// Where the baseline is in a line, in font sizes from its top: the em box
/// of a CJK font (0.88 above the baseline, 0.12 below) centred in the line.
const BASELINE: f32 = (LINE - 1.0) / 2.0 + 0.88;
const BLACK: u8 = 0;
const MUTED: u8 = 100;
const RULE: u8 = 200;
/// Modules of light margin around a QR code, as the standard asks.
const QUIET: usize = 4;

/// A glyph of a laid-out line: its id, advance (in ems) and the bytes of
/// the line it stands for (so that the PDF's text can be copied).
pub struct Glyph {
    pub id: u32,
    pub advance: f32,
    pub range: std::ops::Range<usize>,
}

/// One drawing operation, in points from the page's top left.
pub enum Op {
    /// A line of text whose baseline starts at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        gray: u8,
        text: String,
        glyphs: Vec<Glyph>,
    },
    /// Filled rectangles (x, y, w, h) in one gray.
    Rects { gray: u8, rects: Vec<[f32; 4]> },
    /// A clickable area opening `uri`.
    Link { rect: [f32; 4], uri: String },
}

/// Glyph ids and advances from the font's cmap and hmtx. No shaping: the
/// certificate's Chinese, Latin and digits need no ligatures or reordering.
struct Measure<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: GlyphMetrics<'a>,
    upem: f32,
}

impl<'a> Measure<'a> {
    fn new(face: &FontRef<'a>) -> Self {
        let m = face.metrics(Size::unscaled(), LocationRef::default());
        Measure {
            charmap: face.charmap(),
            metrics: face.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem: f32::from(m.units_per_em.max(1)),
        }
    }

    fn glyph(&self, ch: char) -> (u32, f32) {
        // A character the font lacks shows as its .notdef box (glyph 0),
        // never as nothing.
        let id = self.charmap.map(ch).map_or(0, |g| g.to_u32());
        let advance = self
            .metrics
            .advance_width(skrifa::GlyphId::new(id))
            .unwrap_or(0.0)
            / self.upem;
        (id, advance)
    }

    /// `text` in lines no wider than `width` at `size`: broken after the
    /// last space where there is one (Latin words), else before the
    /// character that overflows (Chinese, long URLs); `\n` always breaks.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<(String, Vec<Glyph>)> {
        let mut out = Vec::new();
        for para in text.split('\n') {
            let mut line: Vec<(char, u32, f32)> = Vec::new();
            let mut w = 0.0;
            let mut space: Option<usize> = None;
            for ch in para.chars().filter(|c| !c.is_control()) {
                let (id, adv) = self.glyph(ch);
                if w + adv * size > width && !line.is_empty() {
                    let cut = space
                        .filter(|&s| s + 1 < line.len())
                        .map_or(line.len(), |s| s + 1);
                    let rest = line.split_off(cut);
                    out.push(finish(&line));
                    w = rest.iter().map(|g| g.2 * size).sum();
                    line = rest;
                    space = None;
                }
                if ch == ' ' {
                    space = Some(line.len());
                }
                line.push((ch, id, adv));
                w += adv * size;
            }
            out.push(finish(&line));
        }
        out
    }
}

fn finish(line: &[(char, u32, f32)]) -> (String, Vec<Glyph>) {
    let mut text = String::new();
    let mut glyphs = Vec::with_capacity(line.len());
    for &(ch, id, advance) in line {
        let start = text.len();
        text.push(ch);
        glyphs.push(Glyph {
            id,
            advance,
            range: start..text.len(),
        });
    }
    (text, glyphs)
}

/// Pages of operations with a cursor going down them.
struct Pages<'a> {
    m: Measure<'a>,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Pages<'_> {
    /// Room for `h` more points on this page, else a new page.
    fn room(&mut self, h: f32) {
        if self.y + h > PAGE_H - MARGIN && self.y > MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// A line of text whose top is at `y`.
    fn text(
        &self,
        x: f32,
        y: f32,
        size: f32,
        gray: u8,
        (text, glyphs): (String, Vec<Glyph>),
    ) -> Op {
        Op::Text {
            x,
            y: y + BASELINE * size,
            size,
            gray,
            text,
            glyphs,
        }
    }

    fn line(&mut self, x: f32, y: f32, size: f32, gray: u8, line: (String, Vec<Glyph>)) {
        let op = self.text(x, y, size, gray, line);
        self.push(op);
    }

    /// A paragraph of `width` at `x`, going on over a page break.
    fn para(&mut self, text: &str, size: f32, gray: u8, x: f32, width: f32) {
        for l in self.m.wrap(text, size, width) {
            self.room(size * LINE);
            self.line(x, self.y, size, gray, l);
            self.y += size * LINE;
        }
    }

    /// A row of two columns, placed line by line so that a long value can
    /// go on over a page break; a thin rule under it when `rule`. The label
    /// is written before the value, so that a reader copying the text gets
    /// them in that order even when both wrap.
    fn row(&mut self, row: &Row, label_w: f32, size: f32, gray: (u8, u8), rule: bool) {
        let gap = 12.0;
        let labels = self.m.wrap(&row.label, size, label_w);
        let values = self.m.wrap(&row.value, size, CONTENT_W - label_w - gap);
        let n = labels.len().max(values.len());
        self.room(size * LINE * n.min(3) as f32);
        let mut at = Vec::with_capacity(n);
        for _ in 0..n {
            self.room(size * LINE);
            at.push((self.pages.len().saturating_sub(1), self.y));
            self.y += size * LINE;
        }
        let x = MARGIN + label_w + gap;
        let cells = (labels
            .into_iter()
            .zip(&at)
            .map(|(l, a)| (MARGIN, gray.0, l, a)))
        .chain(values.into_iter().zip(&at).map(|(v, a)| (x, gray.1, v, a)));
        for (x, g, line, &(page, y)) in cells {
            let op = self.text(x, y, size, g, line);
            if let Some(p) = self.pages.get_mut(page) {
                p.push(op);
            }
        }
        if rule {
            let y = self.y + size * 0.1;
            self.push(Op::Rects {
                gray: RULE,
                rects: vec![[MARGIN, y, CONTENT_W, 0.5]],
            });
        }
        self.y += size * 0.35;
    }

    /// The QR code, its modules as squares (a horizontal run of dark
    /// modules as one rectangle), with the caption to its right; the whole
    /// code is a link to the verify URL.
    fn qr(&mut self, modules: &[Vec<bool>], caption: &str, uri: &str) {
        let n = modules.len() + 2 * QUIET;
        // Modules of at least 1.4 pt (0.5 mm), which a phone camera reads
        // from paper, in a symbol of 120 to 260 pt.
        let side = (n as f32 * 1.4).clamp(120.0, 260.0);
        let module = side / n as f32;
        self.room(side);
        let (x0, y0) = (MARGIN, self.y);
        let mut rects = Vec::new();
        for (r, row) in modules.iter().enumerate() {
            let mut c = 0;
            while c < row.len() {
                if !row[c] {
                    c += 1;
                    continue;
                }
                let start = c;
                while c < row.len() && row[c] {
                    c += 1;
                }
                rects.push([
                    x0 + (QUIET + start) as f32 * module,
                    y0 + (QUIET + r) as f32 * module,
                    (c - start) as f32 * module,
                    module,
                ]);
            }
        }
        self.push(Op::Rects { gray: BLACK, rects });
        self.push(Op::Link {
            rect: [x0, y0, side, side],
            uri: uri.to_owned(),
        });
        let size = 10.0;
        let x = x0 + side + 12.0;
        let mut y = y0 + QUIET as f32 * module;
        for l in self.m.wrap(caption, size, CONTENT_W - side - 12.0) {
            self.line(x, y, size, MUTED, l);
            y += size * LINE;
        }
        self.y = y0 + side + 8.0;
    }
}

/// The certificate on as many A4 pages as it takes (one, unless its claims
/// are many): the operations of each page.
pub fn lay_out(face: &FontRef<'_>, s: &CertificateSheet) -> Vec<Vec<Op>> {
    let mut p = Pages {
        m: Measure::new(face),
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    p.para(&s.title, 20.0, BLACK, MARGIN, CONTENT_W);
    p.para(&s.subtitle, 10.0, MUTED, MARGIN, CONTENT_W);
    p.y += 10.0;
    for fact in &s.facts {
        p.row(fact, 110.0, 10.5, (MUTED, BLACK), false);
    }
    if let Some(qr) = &s.qr {
        p.y += 6.0;
        p.qr(&qr.modules, &qr.caption, &s.verify_url);
    }
    p.y += 8.0;
    p.room(14.0 * LINE * 3.0);
    p.para(&s.claims_heading, 14.0, BLACK, MARGIN, CONTENT_W);
    p.row(&s.claims_header, 150.0, 10.0, (MUTED, MUTED), true);
    for claim in &s.claims {
        p.row(claim, 150.0, 10.5, (BLACK, BLACK), true);
    }
    if !s.verify_url.is_empty() {
        p.y += 10.0;
        p.room(9.0 * LINE * 3.0);
        p.para(&s.verify_label, 9.0, MUTED, MARGIN, CONTENT_W);
        let (top, page) = (p.y, p.pages.len());
        p.para(&s.verify_url, 7.0, MUTED, MARGIN, CONTENT_W);
        // Clickable where the URL is on one page (the QR code links too).
        if p.pages.len() == page {
            p.push(Op::Link {
                rect: [MARGIN, top, CONTENT_W, p.y - top],
                uri: s.verify_url.clone(),
            });
        }
    }
    p.pages
}
