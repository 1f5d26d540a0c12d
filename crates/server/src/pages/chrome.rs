//! What every page shows around its content: the language (from `?lang=`,
//! remembered in a cookie, else the `lang` cookie, else the browser's
//! `Accept-Language`, else Chinese), its switch, the search box, and the
//! signed-in user with their links.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use yici_core::case::Role;

use super::signed::{Signed, signed};
use crate::i18n::{Lang, Words};
use crate::state::AppState;

/// What every page shows around its content: language, switch, search box,
/// and the signed-in user with their links.
#[derive(Clone)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The words of that language.
    pub t: &'static Words,
    /// The link that shows this page in the other language.
    pub switch_href: String,
    /// The search box's current text.
    pub query: String,
    /// What is wrong with that text, shown beside the box.
    pub query_error: Option<String>,
    /// Path and query of this page, for "sign in and come back".
    pub path: String,
    /// The signed-in user, read from the session cookie.
    pub user: Option<Signed>,
}

/// A link with a label, in the header.
pub struct NavLink {
    /// Where it leads.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
}

impl Chrome {
    /// The language code, for the `lang` attribute.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A translated word with `{n}` replaced.
    pub fn with_n(&self, key: &str, n: impl std::fmt::Display) -> String {
        self.t.get(key).replace("{n}", &n.to_string())
    }

    /// The signed-in user's role in words.
    pub fn role_name(&self) -> &'static str {
        self.user
            .as_ref()
            .map_or("", |u| self.t.get(role_key(u.caller.role())))
    }

    /// Whether an applicant is signed in.
    pub fn is_applicant(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.caller.role() == Role::Applicant)
    }

    /// Whether a window clerk is signed in.
    pub fn is_clerk(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.caller.role() == Role::Clerk)
    }

    /// The work pages of the signed-in user's role.
    pub fn role_links(&self) -> Vec<NavLink> {
        let Some(u) = &self.user else {
            return Vec::new();
        };
        let link = |href, key| NavLink {
            href,
            label: self.t.get(key),
        };
        match u.caller.role() {
            Role::Applicant => vec![
                link("/my/cases", "nav.my_cases"),
                link("/my/messages", "nav.my_messages"),
                link("/my/certificates", "nav.my_certificates"),
                link("/my/reads", "nav.my_reads"),
                link("/my/bookings", "nav.my_bookings"),
                link("/my/payments", "nav.my_payments"),
                link("/my/addresses", "nav.my_addresses"),
                link("/my/ratings", "nav.my_ratings"),
            ],
            Role::Clerk => vec![
                link("/work/window", "nav.window"),
                link("/work/hall", "nav.hall"),
                link("/work/payments", "nav.payments"),
                link("/work/parcels", "nav.parcels"),
                link("/work/follow-ups", "nav.follow_ups"),
            ],
            Role::Reviewer => vec![
                link("/work/queue", "nav.queue"),
                link("/work/follow-ups", "nav.follow_ups"),
            ],
            Role::Supervisor | Role::Admin => vec![
                link("/work/overview", "nav.overview"),
                link("/work/follow-ups", "nav.follow_ups"),
            ],
            Role::System => Vec::new(),
        }
    }
}

/// The key of a role's name in the translation files.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Applicant => "role.applicant",
        Role::Clerk => "role.clerk",
        Role::Reviewer => "role.reviewer",
        Role::Supervisor => "role.supervisor",
        Role::Admin => "role.admin",
        Role::System => "role.system",
    }
}

fn chrome_of(parts: &Parts) -> Chrome {
    let lang = request_lang(parts);
    let other = lang.other().code();
    let path = parts.uri.path();
    let kept: Vec<String> = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .map(str::to_owned)
        .collect();
    let mut switch_href = format!("{path}?lang={other}");
    for p in &kept {
        switch_href.push('&');
        switch_href.push_str(p);
    }
    let here = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    Chrome {
        lang,
        t: lang.words(),
        switch_href,
        query: String::new(),
        query_error: None,
        path: here,
        user: None,
    }
}

/// Without the application state (the fallback page): nobody is signed in.
impl FromRequestParts<()> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &()) -> Result<Self, Self::Rejection> {
        Ok(chrome_of(parts))
    }
}

/// With the state: the session cookie names the signed-in user.
impl FromRequestParts<AppState> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut c = chrome_of(parts);
        c.user = signed(parts, state).await;
        Ok(c)
    }
}

/// The language a query string asks for with `lang=`.
pub(super) fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .map(Lang::from_code)
}

fn request_lang(parts: &Parts) -> Lang {
    if let Some(lang) = parts.uri.query().and_then(query_lang) {
        return lang;
    }
    let cookie = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="));
    if let Some(code) = cookie {
        return Lang::from_code(code);
    }
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Zh, Lang::from_code)
}
