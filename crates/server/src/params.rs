//! Query parameters, parsed by hand so that every bad value gets a
//! problem+json answer (or a message beside the field) naming the
//! parameter and the rule. Shared by the API and the pages.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::Serialize;

use crate::problem::ApiError;

/// Raw query parameters.
pub type RawParams = HashMap<String, String>;

/// Extracts the query string; a malformed one is a problem+json answer,
/// not axum's plain-text rejection.
pub struct Params(pub RawParams);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<RawParams>::from_request_parts(parts, state)
            .await
            .map(|Query(p)| Params(p))
            .map_err(|e| ApiError::invalid("query", "syntax", e.body_text()))
    }
}

/// Which page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
}

/// Largest page a client may ask for.
pub const MAX_PER_PAGE: u32 = 100;

impl Page {
    /// Reads `page` (default 1) and `per_page` (default 20, at most 100).
    pub fn from_params(params: &RawParams) -> Result<Self, ApiError> {
        let page = number(params, "page", 1, 1, u32::MAX)?;
        let per_page = number(params, "per_page", 20, 1, MAX_PER_PAGE)?;
        Ok(Page { page, per_page })
    }

    /// Rows before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    /// Cuts one page out of `items`.
    pub fn slice<T: Clone>(&self, items: &[T]) -> Paged<T> {
        let start = (self.page as usize - 1).saturating_mul(self.per_page as usize);
        let items = items
            .iter()
            .skip(start)
            .take(self.per_page as usize)
            .cloned()
            .collect();
        Paged {
            items,
            page: self.page,
            per_page: self.per_page,
            total: 0,
        }
    }
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct Paged<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// 1-based page number.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// Items in the whole list.
    pub total: usize,
}

/// Reads an optional integer parameter within bounds.
pub fn number(
    params: &RawParams,
    name: &str,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, ApiError> {
    let Some(raw) = params.get(name) else {
        return Ok(default);
    };
    let value: u32 = raw.trim().parse().map_err(|_| {
        ApiError::invalid(
            name,
            "integer",
            format!("{name} must be a whole number, got {raw:?}"),
        )
    })?;
    if value < min || value > max {
        return Err(ApiError::invalid(
            name,
            "range",
            format!("{name} must be between {min} and {max}, got {value}"),
        ));
    }
    Ok(value)
}

/// Reads a required, non-empty text parameter of at most `max_len` characters.
pub fn required_text<'a>(
    params: &'a RawParams,
    name: &str,
    max_len: usize,
) -> Result<&'a str, ApiError> {
    let value = params.get(name).map(|s| s.trim()).unwrap_or_default();
    if value.is_empty() {
        return Err(ApiError::invalid(
            name,
            "required",
            format!("{name} is required"),
        ));
    }
    if value.chars().count() > max_len {
        return Err(ApiError::invalid(
            name,
            "max_length",
            format!("{name} must be at most {max_len} characters"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> RawParams {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn per_page_above_limit_is_refused_naming_the_parameter() {
        let err = Page::from_params(&params(&[("per_page", "1000")])).unwrap_err();
        assert!(
            matches!(err, ApiError(yici_service::ServiceError::Invalid(ref f)) if f[0].field == "per_page" && f[0].rule == "range")
        );
    }

    #[test]
    fn page_that_is_not_a_number_is_refused() {
        let err = Page::from_params(&params(&[("page", "two")])).unwrap_err();
        assert!(
            matches!(err, ApiError(yici_service::ServiceError::Invalid(ref f)) if f[0].field == "page" && f[0].rule == "integer")
        );
    }

    #[test]
    fn second_page_skips_the_first() {
        let page = Page {
            page: 2,
            per_page: 2,
        };
        assert_eq!(page.slice(&[1, 2, 3, 4, 5]).items, vec![3, 4]);
    }
}
