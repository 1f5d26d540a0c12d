//! The printable certificate as PDF (GET /my/certificates/{id}/print.pdf):
//! the holder's PDF carries, as text read back through its ToUnicode maps,
//! everything the HTML print page shows (Chinese included), a subset of the
//! font rather than the whole font, and the QR code as vector squares; the
//! route answers exactly like the HTML page to anyone else; and a server
//! without a CJK font says which font is missing while the HTML page works.
//!
//! The font is Noto Sans CJK from fonts-noto-cjk (scripts/setup installs
//! it). On a developer's machine without it the tests that need it say so
//! and stop; under CI (CI=true) they fail instead.

mod support;

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use support::{Reply, TestApp};

/// A signed-in browser's cookie.
async fn sign_in(app: &TestApp, username: &str) -> String {
    format!("yici_session={}", app.page_session(username).await)
}

/// GET `uri` with `cookie`, the body as bytes (a PDF is no UTF-8).
async fn get_bytes(app: &TestApp, uri: &str, cookie: &str) -> (u16, Reply, Vec<u8>) {
    let request = Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .expect("request");
    let (reply, bytes) = app.send_for_bytes(request).await;
    (reply.status.as_u16(), reply, bytes)
}

/// Whether the server found its CJK font; under CI a missing font fails.
fn has_font(app: &TestApp) -> bool {
    match app.state.pdf_font() {
        Ok(_) => true,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI installs fonts-noto-cjk (scripts/setup), yet: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            false
        }
    }
}

/// The PDF's text, every page, without whitespace (lines are wrapped).
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF lopdf reads");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The texts of the HTML print page's claims table cells.
fn claim_cells(html: &str) -> Vec<String> {
    let table = &html[html.find("id=\"claims\"").expect("claims table")..];
    let table = &table[..table.find("</table>").expect("end")];
    table
        .split("<td>")
        .skip(1)
        .filter_map(|c| c.split("</td>").next())
        .map(unescape)
        .collect()
}

both!(
    the_holder_gets_the_certificate_as_pdf,
    |app: TestApp| async move {
        let (_, id) = support::certificates::licensed_company(&app).await;
        let cookie = sign_in(&app, "enterprise").await;
        let (status, html, _) =
            get_bytes(&app, &format!("/my/certificates/{id}/print"), &cookie).await;
        assert_eq!(status, 200, "{}", html.body);
        let pdf_uri = format!("/my/certificates/{id}/print.pdf");
        assert!(
            html.body.contains(&format!("href=\"{pdf_uri}\"")),
            "the page links its PDF"
        );
        if !has_font(&app) {
            return;
        }
        let (status, r, bytes) = get_bytes(&app, &pdf_uri, &cookie).await;
        assert_eq!(status, 200, "{}", r.body);
        assert_eq!(r.header("content-type"), "application/pdf");
        assert_eq!(
            r.header("content-disposition"),
            format!("inline; filename=\"certificate-{id}.pdf\"")
        );
        assert!(bytes.starts_with(b"%PDF-"));
        // To look at it: YICI_PDF_OUT=/tmp/c.pdf, then pdftoppm.
        if let Ok(out) = std::env::var("YICI_PDF_OUT") {
            std::fs::write(out, &bytes).expect("write the PDF");
        }
        // A subset: the collection is ~20 MB, the glyphs of one page far less.
        assert!(
            bytes.len() < 300_000,
            "{} bytes: the font was not subset",
            bytes.len()
        );

        let text = pdf_text(&bytes);
        let verify_url = unescape(
            html.body
                .split("id=\"verify-link\"")
                .next()
                .and_then(|s| s.rsplit("href=\"").next())
                .and_then(|s| s.split('"').next())
                .expect("the verify link"),
        );
        assert!(verify_url.contains("/verify?presentation="), "{verify_url}");
        for expected in [
            "宁波三味餐饮有限公司".to_owned(),
            "营业执照".to_owned(),
            id.clone(),
            verify_url,
        ] {
            assert!(
                text.contains(&expected),
                "{expected} not in the PDF's text: {text}"
            );
        }
        let cells = claim_cells(&html.body);
        assert!(cells.len() >= 16, "every claim, label and value: {cells:?}");
        for cell in cells {
            let cell: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                text.contains(&cell),
                "claim cell {cell} not in the PDF: {text}"
            );
        }
        // The QR code is drawn, not embedded as an image: many filled
        // rectangles, and no image XObject.
        let doc = lopdf::Document::load_mem(&bytes).expect("PDF");
        let page = *doc.get_pages().values().next().expect("a page");
        let content = lopdf::content::Content::decode(&doc.get_page_content(page)).expect("ops");
        let subpaths = content
            .operations
            .iter()
            .filter(|o| o.operator == "m")
            .count();
        assert!(subpaths > 200, "QR modules as squares: {subpaths} subpaths");
        assert!(!String::from_utf8_lossy(&bytes).contains("/Subtype /Image"));

        // In English: the page's words, the certificate's own (Chinese) values.
        let (status, _, bytes) = get_bytes(&app, &format!("{pdf_uri}?lang=en"), &cookie).await;
        assert_eq!(status, 200);
        if let Ok(out) = std::env::var("YICI_PDF_OUT") {
            std::fs::write(format!("{out}.en.pdf"), &bytes).expect("write the PDF");
        }
        let text = pdf_text(&bytes);
        for expected in ["Electroniccertificate", "Holder", "宁波三味餐饮有限公司"] {
            assert!(
                text.contains(expected),
                "{expected} not in the English PDF: {text}"
            );
        }
    }
);

both!(
    the_pdf_is_refused_like_the_print_page,
    |app: TestApp| async move {
        let (_, id) = support::certificates::licensed_company(&app).await;
        for (who, status) in [("applicant", 404), ("clerk", 403)] {
            let cookie = sign_in(&app, who).await;
            for uri in [
                format!("/my/certificates/{id}/print"),
                format!("/my/certificates/{id}/print.pdf"),
            ] {
                let (got, r, _) = get_bytes(&app, &uri, &cookie).await;
                assert_eq!(got, status, "{who} {uri}: {}", r.body);
                assert!(
                    r.content_type().starts_with("text/html"),
                    "{who} {uri}: a page"
                );
                assert!(
                    !r.body.contains("宁波三味餐饮有限公司"),
                    "{who} sees nothing of it"
                );
            }
        }
        // Someone else's id and no such id look the same.
        let zhang = sign_in(&app, "applicant").await;
        let (got, _, _) = get_bytes(&app, "/my/certificates/no-such-id/print.pdf", &zhang).await;
        assert_eq!(got, 404);
        // Signed out: to the sign-in page, to come back to the PDF.
        let uri = format!("/my/certificates/{id}/print.pdf");
        let (got, r, _) = get_bytes(&app, &uri, "").await;
        assert_eq!(got, 303);
        assert_eq!(r.header("location"), format!("/login?next={uri}"));
    }
);

both!(
    without_a_font_the_pdf_says_what_is_missing,
    |app: TestApp| async move {
        let searched = vec!["/nowhere/NotoSansCJK-Regular.ttc".into()];
        assert!(
            app.state
                .set_pdf_font(Err(yici_print::FontError::NotFound { searched })),
            "no font was loaded before"
        );
        let (_, id) = support::certificates::licensed_company(&app).await;
        let cookie = sign_in(&app, "enterprise").await;
        let (status, r, _) =
            get_bytes(&app, &format!("/my/certificates/{id}/print.pdf"), &cookie).await;
        assert_eq!(status, 503, "{}", r.body);
        assert!(r.content_type().starts_with("text/html"));
        for said in [
            "暂时无法生成 PDF",
            "/nowhere/NotoSansCJK-Regular.ttc",
            "fonts-noto-cjk",
            "--pdf-font",
        ] {
            assert!(r.body.contains(said), "{said}: {}", r.body);
        }
        assert!(
            r.body.contains(&format!("/my/certificates/{id}/print")),
            "back to the page"
        );
        let (status, r, _) =
            get_bytes(&app, &format!("/my/certificates/{id}/print"), &cookie).await;
        assert_eq!(status, 200, "the HTML print page still works: {}", r.body);
        assert!(r.body.contains("<svg"));
    }
);

/// How long one PDF takes, beside the HTML page it shares its work with
/// (the presentation and its QR code). `cargo test -p yici-server --test
/// certificate_pdf -- --nocapture rendering_time` prints both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rendering_time() {
    let app = TestApp::sqlite(yici_service::Clock::System).await;
    if !has_font(&app) {
        return;
    }
    let (_, id) = support::certificates::licensed_company(&app).await;
    let cookie = sign_in(&app, "enterprise").await;
    let n = 10;
    for uri in [
        format!("/my/certificates/{id}/print"),
        format!("/my/certificates/{id}/print.pdf"),
    ] {
        let (status, _, bytes) = get_bytes(&app, &uri, &cookie).await;
        assert_eq!(status, 200);
        let start = Instant::now();
        for _ in 0..n {
            assert_eq!(get_bytes(&app, &uri, &cookie).await.0, 200);
        }
        let each = start.elapsed() / n;
        eprintln!(
            "{uri} ({} bytes): {each:?} per request, over {n}",
            bytes.len()
        );
    }
}
