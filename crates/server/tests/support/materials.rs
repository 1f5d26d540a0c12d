//! Giving materials as files through the API: one small PDF that passes
//! every check, and the files an online case waits for.

use axum::body::Body;
use axum::http::Request;

use super::{Reply, TestApp};

/// A small PDF a stream scan passes whole.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// `token` gives `body` (of `media_type`, named `name`) for `material` of
/// `case`.
pub async fn give(
    app: &TestApp,
    token: &str,
    case: &str,
    material: &str,
    name: &str,
    media_type: &str,
    body: Vec<u8>,
) -> Reply {
    app.send(
        Request::post(format!(
            "/api/v1/cases/{case}/materials/{material}/files?name={name}"
        ))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", media_type)
        .body(Body::from(body))
        .expect("request"),
    )
    .await
}

/// The keys of the materials case `id` still waits for a file of.
pub async fn missing(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let r = app
        .get_as(&format!("/api/v1/cases/{id}/materials"), token)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|m| m.as_str().expect("key").to_owned())
        .collect()
}

/// The applicant (`token`) gives a PDF for every material online case `id`
/// waits for, so the system accepts it (and settles what a rule decides);
/// returns the case afterwards.
pub async fn give_missing(app: &TestApp, token: &str, id: &str) -> serde_json::Value {
    for material in missing(app, token, id).await {
        let r = give(
            app,
            token,
            id,
            &material,
            "scan.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{material}: {}", r.body);
    }
    assert!(missing(app, token, id).await.is_empty());
    app.get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json()
}

/// A file part of a page's multipart form: the input's name, the file's
/// name, its media type and its content.
pub type Part<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

/// A page's multipart form: the text `fields` first (the CSRF token among
/// them, as a page puts it), then the `files`. Returns the content type
/// and the body.
pub fn multipart(fields: &[(String, String)], files: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "yici-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, media_type, content) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts a multipart form to `uri` with the page session `cookie`.
pub async fn post_multipart(
    app: &TestApp,
    uri: &str,
    cookie: &str,
    fields: &[(String, String)],
    files: &[Part<'_>],
) -> Reply {
    let (content_type, body) = multipart(fields, files);
    app.send(
        Request::post(uri)
            .header("cookie", cookie)
            .header("content-type", content_type)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

/// Every file under `dir`, however deep.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The keys of the karaoke plan's materials the applicant brings.
pub fn karaoke_brought(app: &TestApp) -> Vec<String> {
    let code = yici_core::catalog::OneThingCode::parse("ot-karaoke").expect("code");
    app.plan(&code)
        .materials
        .bring
        .iter()
        .map(|m| m.key.to_string())
        .collect()
}

/// A karaoke case entered at the window by `clerk` for 张三; its id.
pub async fn karaoke_case(app: &TestApp, clerk: &str) -> String {
    super::window_karaoke(app, clerk, None).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// GET `href` (a file) as `token`: the reply and the bytes.
pub async fn open_file(app: &TestApp, token: &str, href: &str) -> (Reply, Vec<u8>) {
    app.send_for_bytes(
        Request::get(href)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await
}
