//! The certificate PDF on its own: a font that is missing or no font says
//! so; a long certificate goes on over pages with its text whole (read back
//! with lopdf); and how long one takes.
//!
//! The tests that need Noto Sans CJK (fonts-noto-cjk, installed by
//! scripts/setup) stop with a note without it, and fail under CI=true.

use std::path::Path;
use std::time::Instant;

use yici_print::{CertificateSheet, CjkFont, FontError, Qr, Row, certificate_pdf};

fn font() -> Option<CjkFont> {
    match CjkFont::find(None) {
        Ok(f) => Some(f),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI installs fonts-noto-cjk (scripts/setup), yet: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

fn row(label: &str, value: &str) -> Row {
    Row {
        label: label.to_owned(),
        value: value.to_owned(),
    }
}

fn sheet(claims: usize) -> CertificateSheet {
    CertificateSheet {
        lang: "zh-CN".into(),
        title: "营业执照".into(),
        subtitle: "电子证照 · 0190-test".into(),
        facts: vec![
            row("持证主体", "宁波三味餐饮有限公司\n91330212MA2H7K3LX5"),
            row("状态", "有效"),
        ],
        claims_heading: "证照内容".into(),
        claims_header: row("项目", "内容"),
        claims: (0..claims)
            .map(|i| row(&format!("项目{i}"), &format!("经营范围 value {i} 餐饮服务")))
            .collect(),
        qr: Some(Qr {
            // As many modules as the largest symbol (version 40), about
            // half dark, as a full certificate's code has.
            modules: (0..177usize)
                .map(|r| (0..177usize).map(|c| (r * 31 + c * 17) % 7 < 3).collect())
                .collect(),
            caption: "扫码核验签章和当前状态".into(),
        }),
        verify_label: "任何人均可核验：".into(),
        verify_url: format!(
            "http://127.0.0.1:8080/verify?presentation={}",
            "eyJh".repeat(300)
        ),
    }
}

fn text(pdf: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF lopdf reads");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text");
    (
        pages.len(),
        text.chars().filter(|c| !c.is_whitespace()).collect(),
    )
}

#[test]
fn a_missing_or_unusable_font_file_is_said() {
    let err = CjkFont::find(Some(Path::new("/nowhere/font.ttc"))).expect_err("no such file");
    assert!(matches!(err, FontError::Read { .. }), "{err}");
    assert!(err.to_string().contains("fonts-noto-cjk"), "{err}");
    let dir = std::env::temp_dir().join(format!("yici-print-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let not_a_font = dir.join("not-a-font.ttc");
    std::fs::write(&not_a_font, b"hello").expect("write");
    let err = CjkFont::find(Some(&not_a_font)).expect_err("not a font");
    assert!(matches!(err, FontError::Unusable { .. }), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_noto_collection_gives_its_simplified_chinese_face() {
    let Some(font) = font() else { return };
    assert!(font.family().ends_with(" SC"), "{font:?}");
}

#[test]
fn a_long_certificate_goes_on_over_pages_with_its_text_whole() {
    let Some(font) = font() else { return };
    let s = sheet(80);
    let pdf = certificate_pdf(&font, &s).expect("PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    let (pages, text) = text(&pdf);
    assert!(pages >= 3, "80 claims take pages: {pages}");
    for expected in [
        "营业执照",
        "宁波三味餐饮有限公司",
        "项目79",
        "经营范围value79餐饮服务",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(
        text.contains(&s.verify_url),
        "the URL, wrapped, reads back whole"
    );
}

/// `cargo test -p yici-print --release --test render -- --nocapture timing`
#[test]
fn timing() {
    let Some(font) = font() else { return };
    let s = sheet(20);
    let n = 20;
    let start = Instant::now();
    let mut size = 0;
    for _ in 0..n {
        size = certificate_pdf(&font, &s).expect("PDF").len();
    }
    let each = start.elapsed() / n;
    eprintln!("one certificate PDF of 20 claims ({size} bytes): {each:?}, over {n}");
}
