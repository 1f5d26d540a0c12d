//! What a page's form sends, and the errors shown beside its fields.

use axum::extract::{Form, FromRequest, Request};
use axum::response::{IntoResponse, Response};

use super::chrome::Chrome;
use yici_service::FieldProblem;

/// The fields of a submitted form, in order; a name may repeat
/// (checkboxes). A body that is not a form reads as no fields, so the
/// handler's own checks answer it with a page rather than plain text.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(Form(pairs)) => Ok(FormData(pairs)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(e.into_response())
            }
            Err(_) => Ok(FormData::default()),
        }
    }
}

impl FormData {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, or "".
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().trim().to_owned()
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A field's problem in the page's language: the translation of its rule
/// when there is one, else the message of the domain.
pub fn field_message(c: &Chrome, f: &FieldProblem) -> String {
    let key = format!("rule.{}", f.rule);
    let text = c.t.get(&key);
    if text == key {
        f.message.clone()
    } else {
        text.to_owned()
    }
}

/// Errors of a form, by field name, already in the page's language.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    /// Which form of the page they belong to (an action), if several.
    pub form: String,
    list: Vec<(String, String)>,
}

impl Errors {
    /// The problems of a refused form, translated.
    pub fn new(c: &Chrome, fields: Vec<FieldProblem>) -> Self {
        Errors {
            form: String::new(),
            list: fields
                .iter()
                .map(|f| (f.field.clone(), field_message(c, f)))
                .collect(),
        }
    }

    /// The same, for the form named `form` of a page with several.
    pub fn of(c: &Chrome, form: &str, fields: Vec<FieldProblem>) -> Self {
        Errors {
            form: form.to_owned(),
            ..Errors::new(c, fields)
        }
    }

    /// The error beside `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// The error beside `field` of the form `form`.
    pub fn at(&self, form: &str, field: &str) -> Option<&str> {
        if self.form == form {
            self.get(field)
        } else {
            None
        }
    }

    /// Errors of the form `form` on fields it does not show (said at its top).
    pub fn others(&self, form: &str, shown: &[&str]) -> Vec<String> {
        if self.form != form {
            return Vec::new();
        }
        self.list
            .iter()
            .filter(|(f, _)| !shown.contains(&f.as_str()))
            .map(|(f, m)| format!("{f}: {m}"))
            .collect()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
