//! Driving the pages as a browser would: a signed-in session with its
//! CSRF token, forms posted url-encoded, the window's karaoke form.

use axum::body::Body;
use axum::http::Request;
use yici_store::CaseFilter;

use super::{Reply, TestApp, karaoke_form, zhang_san};

/// A signed-in browser: its cookie and the CSRF token of its forms.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn form_body(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub async fn post(
    app: &TestApp,
    uri: &str,
    cookie: Option<&str>,
    body: &[(String, String)],
) -> Reply {
    let mut req = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    app.send(req.body(Body::from(form_body(body))).expect("request"))
        .await
}

pub async fn sign_in(app: &TestApp, username: &str) -> Browser {
    let token = app.page_session(username).await;
    Browser {
        cookie: format!("yici_session={token}"),
        csrf: yici_server::pages::csrf_token(&token),
    }
}

impl Browser {
    pub async fn get(&self, app: &TestApp, uri: &str) -> Reply {
        app.get_with(uri, "cookie", &self.cookie).await
    }

    /// Posts a form with the CSRF token added.
    pub async fn post(&self, app: &TestApp, uri: &str, fields: &[(String, String)]) -> Reply {
        let mut body = vec![("csrf".to_owned(), self.csrf.clone())];
        body.extend_from_slice(fields);
        post(app, uri, Some(&self.cookie), &body).await
    }
}

/// Step 1 of the window for 张三, and the karaoke form as the inputs send it.
pub fn window_fields(app: &TestApp) -> Vec<(String, String)> {
    let mut out = pairs(&[
        ("target", "ot-karaoke"),
        ("kind", "person"),
        ("name", "张三"),
        ("region", "330212"),
        ("idem", "test-1"),
    ]);
    out.push(("id".into(), zhang_san()));
    let form = karaoke_form(app);
    for (k, v) in form.as_object().expect("object") {
        let v = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((format!("form.{k}"), v));
    }
    out
}

pub fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
    fields
}

pub async fn case_count(app: &TestApp) -> u64 {
    let filter = CaseFilter {
        limit: 10,
        ..Default::default()
    };
    app.store.list_cases(&filter).await.expect("list").1
}

/// Submits the karaoke case at the window; returns its id.
pub async fn window_case(app: &TestApp, clerk: &Browser) -> String {
    let r = clerk
        .post(app, "/work/window/new", &window_fields(app))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location")
        .strip_prefix("/cases/")
        .expect("redirect to the case")
        .to_owned()
}

pub async fn case_state(app: &TestApp, id: &str) -> String {
    let id = yici_core::case::CaseId::parse(id).expect("id");
    let stored = app.store.case(&id).await.expect("read").expect("case");
    stored.case.state.as_str().to_owned()
}
