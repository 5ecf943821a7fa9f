//! HAL bits shared by handlers: the base URL, links, timestamps and the JSON response.

use crate::error::HAL_JSON;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// The base URL for absolute links: the configured one, else `http://{Host}`.
pub fn base_url(configured: Option<&str>, headers: &HeaderMap) -> String {
    if let Some(b) = configured {
        return b.trim_end_matches('/').to_string();
    }
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

pub fn link(href: String) -> Value {
    json!({ "href": href })
}

pub fn titled(href: String, title: &str) -> Value {
    json!({ "href": href, "title": title })
}

pub fn named(href: String, title: &str, name: &str) -> Value {
    json!({ "title": title, "name": name, "href": href })
}

pub fn templated(href: String, title: &str) -> Value {
    json!({ "href": href, "title": title, "templated": true })
}

/// ISO-8601 UTC with second precision, as the broker formats dates.
pub fn date(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// A JSON response with the broker's content type.
pub fn hal(status: StatusCode, body: Value) -> Response {
    with_type(status, body, HAL_JSON)
}

pub fn ok(body: Value) -> Response {
    hal(StatusCode::OK, body)
}

pub fn with_type(status: StatusCode, body: Value, content_type: &'static str) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// 201 with a Location header.
pub fn created(location: &str, body: Value) -> Response {
    let mut r = hal(StatusCode::CREATED, body);
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}
