//! Documents for the upload loads: PDFs of a chosen size that pass yici's
//! checks, each with its own content (a counter in its one stream), so that
//! every upload is checked, sealed and stored, never found already kept.

/// Makes PDFs of one size, each different.
pub struct Scans {
    pdf: Vec<u8>,
    counter_at: usize,
}

const HEAD: &str = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n";
const TAIL: &[u8] = b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

impl Scans {
    /// PDFs of about `bytes` bytes (at least a few hundred).
    pub fn new(bytes: usize) -> Scans {
        let stream = bytes.saturating_sub(HEAD.len() + TAIL.len() + 40).max(16);
        let mut pdf = format!("{HEAD}3 0 obj << /Length {stream} >> stream\n").into_bytes();
        let counter_at = pdf.len();
        pdf.resize(counter_at + stream, b'A');
        pdf.extend_from_slice(TAIL);
        Scans { pdf, counter_at }
    }

    /// The `n`th PDF: the same bytes but for `n` (16 hex digits).
    pub fn nth(&mut self, n: u64) -> &[u8] {
        let digits = format!("{n:016x}");
        self.pdf[self.counter_at..self.counter_at + 16].copy_from_slice(digits.as_bytes());
        &self.pdf
    }

    /// Bytes of each PDF.
    pub fn size(&self) -> usize {
        self.pdf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pdf_has_the_size_asked_and_its_own_content() {
        let mut s = Scans::new(200 * 1024);
        assert!(s.size().abs_diff(200 * 1024) < 64, "{}", s.size());
        let a = s.nth(1).to_vec();
        let b = s.nth(2).to_vec();
        assert_ne!(a, b);
        assert!(a.starts_with(b"%PDF-1.4"));
        assert!(a.ends_with(b"%%EOF\n"));
    }
}
